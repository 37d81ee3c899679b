"""Draws logo.png, the sample brochure's illustrative emblem (CC0-1.0, like ../../../assets).

A green disc with a gold ring, three hills and a tea leaf: no letters, so one file serves every
edition. It is NOT the emblem of any real authority. Run from anywhere: python draw_logo.py
"""

from pathlib import Path

from PIL import Image, ImageDraw

SIZE = 720  # 15 mm high at about 1200 ppi: drawn at 4× and reduced, so the edges stay smooth
GREEN, DARK, GOLD, LEAF = (38, 120, 62), (24, 84, 44), (232, 168, 40), (120, 190, 90)


def main() -> None:
    big = SIZE * 4
    image = Image.new("RGB", (big, big), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((0, 0, big - 1, big - 1), fill=GOLD)
    inset = big // 22
    draw.ellipse((inset, inset, big - inset, big - inset), fill=GREEN)
    # three hills, the rear ones darker
    for left, top, right, colour in ((0.12, 0.50, 0.62, DARK), (0.40, 0.44, 0.92, DARK), (0.05, 0.60, 0.95, LEAF)):
        draw.pieslice((left * big, top * big, right * big, (top + 0.9) * big), 180, 360, fill=colour)
    draw.rectangle((0, 0.78 * big, big, big), fill=GREEN)
    # a tea leaf rising from the hills
    draw.ellipse((0.40 * big, 0.16 * big, 0.60 * big, 0.56 * big), fill=GOLD)
    draw.line((0.50 * big, 0.20 * big, 0.50 * big, 0.60 * big), fill=GREEN, width=big // 60)
    # keep the disc round: everything outside it is white paper again
    mask = Image.new("L", (big, big), 0)
    ImageDraw.Draw(mask).ellipse((0, 0, big - 1, big - 1), fill=255)
    image = Image.composite(image, Image.new("RGB", (big, big), "white"), mask)
    out = Path(__file__).with_name("logo.png")
    image.resize((SIZE, SIZE), Image.LANCZOS).save(out, dpi=(1219, 1219), optimize=True)


if __name__ == "__main__":
    main()
