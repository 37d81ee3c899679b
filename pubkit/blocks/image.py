"""An image: ``image: photo.jpg`` with ``caption``, ``alt``, ``width``, ``height``, ``fit`` and ``bleed``.

Images take a planned slot (:class:`pubkit.blocks.Placed`): the same page, column, place and size
in every language, so their colours print from one C, M, Y plate set. ``height`` fixes the box
(the picture is fitted into it: ``contain`` shows all of it, ``cover`` fills it and crops what
overhangs); without it the box has the picture's proportions. ``bleed: true`` takes the image
across the page to the bleed on both sides (cropped to fill, as ``cover``). Paths are relative to
the brochure's folder; a path found only from the project root (older specs: ``assets/map.png``)
still works. An ``only:`` override may name another file for one language: its box is the same
(the plan reserves the tallest language's picture), the picture is fitted into it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pubkit.blocks import Kind, Placed, field_key, spec_block
from pubkit.spec.model import Block, Length
from pubkit.spec.segments import Segment

FITS = ("contain", "cover")


@dataclass(frozen=True)
class ImageBlock(Block):
    image: str
    caption: str | None = None
    alt: str | None = None
    width: Length | None = None
    height: Length | None = None
    fit: str = "contain"
    bleed: bool = False


@dataclass(frozen=True)
class Resolved:
    path: str  # the spec key of the file, e.g. sections[1].content[2].image
    relative: str  # as written in the spec
    file: Path  # inside the project (checked); the source file, never a print conversion
    line: int | None
    caption: object  # pubkit.content.Text or None
    alt: object  # pubkit.content.Text or None: the alt text, else the caption; None = decorative
    width_mm: float | None
    height_mm: float | None = None
    fit: str = "contain"
    bleed: bool = False


def check(block: ImageBlock, place, data) -> None:
    if block.fit not in FITS:
        place.fail(f"unknown fit '{block.fit}'", "use fit: contain (all of the picture) or fit: cover (fill, cropped)")
    if block.bleed and block.width:
        place.fail("a full-bleed image spans the page, so it has no width", "remove width:, or bleed: true")
    for name in ("width", "height"):
        if getattr(block, name) is not None and getattr(block, name) <= 0:
            place.fail(f"{name} 0 leaves nothing to print", f"give {name} a length such as 60mm, or remove it")


def segments(block: ImageBlock, path: str):
    if block.caption:
        yield Segment(block.caption, f"{path}.caption", "image caption")
    if block.alt:
        yield Segment(block.alt, f"{path}.alt", "alt text: describes the image for readers who cannot see it (web)")


def image_file(project, spec_file: Path, relative: str, *, key: str, line: int | None) -> Path:
    """The file an image path names: in the brochure's folder first, else from the project root; never outside it."""
    if not Path(relative).is_absolute():
        candidate = (spec_file.parent / relative).resolve()
        if candidate.exists() and candidate.is_relative_to(project.root.resolve()):
            return candidate
    return project.inside(relative, file=spec_file, key=key, line=line)


def resolve(r, block: ImageBlock, path: str) -> Resolved:
    key = field_key(spec_block(r.brochure, path), path, "image", r.language)
    line = r.brochure.line_of(key)
    file = image_file(r.project, r.files.spec, block.image, key=key, line=line)
    caption = r.text(block.caption, f"{path}.caption")
    alt = r.text(block.alt, f"{path}.alt") or caption
    return Resolved(key, block.image, file, line, caption, alt, block.width, block.height, block.fit, block.bleed)


def _file_key(layout, path: str) -> str:
    """The spec key naming the file this edition prints (an ``only:`` override's, where it has one)."""
    return field_key(spec_block(layout.brochure, path), path, "image", layout.edition.language)


def size(layout, block: ImageBlock, path: str) -> tuple[float, float]:
    """(width at scale 1, height ÷ width) of the image's box."""
    from reportlab.lib.units import mm

    width = layout.span_width if block.bleed else min(block.width * mm if block.width else layout.column_width,
                                                      layout.column_width)
    if block.height:
        return width, block.height * mm / width
    pixels = layout.pixel_size(block.image, _file_key(layout, path))
    return width, pixels[1] / pixels[0]


def draw(layout, canv, block: ImageBlock, path: str, x: float, y: float, width: float, height: float) -> None:
    """The picture fitted into the box: whole and centred (contain), or filling it, cropped (cover, bleed)."""
    from pubkit.typeset import images

    picture = layout.image(block.image, _file_key(layout, path))
    ratio = picture.height / picture.width
    cover = block.fit == "cover" or block.bleed
    w = width if (ratio * width <= height) != cover else height / ratio
    h = w * ratio
    canv.saveState()
    if cover:
        clip = canv.beginPath()
        clip.rect(x, y, width, height)
        canv.clipPath(clip, stroke=0, fill=0)
    images.draw(canv, picture, x + (width - w) / 2, y + (height - h) / 2, width=w, height=h)
    canv.restoreState()


KIND = Kind("image", ImageBlock, segments, resolve, Resolved, "blocks/image.html",
            placed=Placed(size, draw, span=lambda block: block.bleed), check=check)


def image_references(brochure, language: str) -> list[tuple[str, str]]:
    """(spec key, path as written) of every picture the ``language`` edition's sections print (overrides applied)."""
    from pubkit.blocks import field_key, for_language

    out = []
    for s, section in enumerate(brochure.sections):
        for b, block in enumerate(section.content):
            if isinstance(block, ImageBlock):
                key = field_key(block, f"sections[{s}].content[{b}]", "image", language)
                out.append((key, for_language(block, language).image))
    return out


def image_candidates(project, spec_file: Path, relative: str) -> list[Path]:
    """The places :func:`image_file` looks, in its order (unresolved): a file added to the first changes the answer."""
    return [spec_file.parent / relative, project.root / relative]
