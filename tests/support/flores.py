"""A long brochure from the FLORES-200 dev set: unseen text in vi, en, ja, ko and zh, reviewed.

``flores_project(root)`` writes a complete project (pubkit.toml pointing at the repo's fonts
and profile, images, ``brochures/flores/brochure.yaml`` and reviewed PO files) and returns the
brochure folder. Paragraphs are runs of consecutive FLORES sentences (the same sentences in
every language, so the editions are real translations of each other); headings are short
FLORES sentences, so heading balance and phrase breaks are tried on unseen text; every section
has bullets, and some have a key-figures table.

Used by tests/test_typography.py (and meant for bench/run.py and the page-plan tests).
Tests skip with :data:`SKIP_REASON` when the corpus is absent.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FLORES = REPO.parent / "shared" / "corpora" / "flores-dev"
LANGUAGES = ("vi", "en", "ja", "ko", "zh")
SKIP_REASON = f"the FLORES corpus is not at {FLORES} (../shared/corpora/flores-dev)"


def available() -> bool:
    return all((FLORES / f"{language}.txt").is_file() for language in LANGUAGES)


def _sentences() -> dict[str, list[str]]:
    return {language: [unicodedata.normalize("NFC", line.strip())
                       for line in (FLORES / f"{language}.txt").read_text(encoding="utf-8").splitlines()]
            for language in LANGUAGES}


def flores_project(root: Path, *, paragraphs: int = 120, trim: str = "A4", per_paragraph: int = 3,
                   binding: str = "perfect-bound", first_sentence: int = 0) -> Path:
    """Write a FLORES brochure project under ``root``; returns ``root/brochures/flores``."""
    import polib
    from PIL import Image

    lines = _sentences()
    count = len(lines["vi"])
    headings = [i for i in range(count) if 18 <= len(lines["vi"][i]) <= 70 and lines["vi"][i].count(" ") >= 3]
    config = (REPO / "pubkit.toml").read_text(encoding="utf-8")
    config = config.replace('"fonts/', f'"{REPO.as_posix()}/fonts/').replace('"colour/', f'"{REPO.as_posix()}/colour/')
    (root / "pubkit.toml").write_text(config, encoding="utf-8")
    (root / "assets").mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (1200, 700), (60, 120, 90)).save(root / "assets" / "photo.png", dpi=(300, 300))
    pairs: dict[str, dict[str, str]] = {language: {} for language in LANGUAGES[1:]}

    def segment(index: int | list[int]) -> str:
        indices = index if isinstance(index, list) else [index]
        source = " ".join(lines["vi"][i] for i in indices)
        for language in pairs:
            joiner = "" if language in ("ja", "zh") else " "
            pairs[language][source] = joiner.join(lines[language][i] for i in indices)
        return source

    sections: list[dict] = []
    cursor = first_sentence
    for p in range(paragraphs):
        if p % 8 == 0:
            heading = headings[(p // 8 * 7 + first_sentence) % len(headings)]
            sections.append({"heading": segment(heading), "content": []})
        content = sections[-1]["content"]
        indices = [(cursor + i) % count for i in range(per_paragraph)]
        cursor += per_paragraph
        if p % 8 == 5:
            content.append({"bullets": [segment(i) for i in indices]})
        else:
            content.append(segment(indices))
        if p % 24 == 3:
            content.append({"image": "assets/photo.png", "caption": segment((cursor + 500) % count)})
        if p % 16 == 7:
            content.append({"figures": [
                {"label": segment(headings[(p + 1) % len(headings)]), "value": 1290000, "unit": "người"},
                {"label": segment(headings[(p + 3) % len(headings)]), "value": 7.8, "unit": "tỷ USD"},
                {"label": segment(headings[(p + 5) % len(headings)]), "value": 3536.4, "unit": "km²"},
                {"label": segment(headings[(p + 9) % len(headings)]), "value": 11.5, "unit": "%"},
            ]})
    for language, unit_pairs in _UNITS.items():
        pairs[language].update(unit_pairs)
    title = segment(headings[1])
    spec = {"title": title, "subtitle": segment(headings[2]), "publisher": segment(headings[3]),
            "date": "2024-01-01", "languages": list(LANGUAGES), "print_run": {language: 1 for language in LANGUAGES},
            "format": {"trim": trim, "binding": binding}, "sections": sections,
            "back_cover": {"heading": segment(headings[4]), "text": segment([5, 6]),
                           "contact": {"organisation": segment(headings[5]), "phone": "+84 208 3855 000"}}}
    folder = root / "brochures" / "flores"
    (folder / "translations").mkdir(parents=True, exist_ok=True)
    (folder / "brochure.yaml").write_text(json.dumps(spec, ensure_ascii=False, indent=1), encoding="utf-8")
    for language, catalog_pairs in pairs.items():
        catalog = polib.POFile()
        catalog.metadata = {"Language": language, "Content-Type": "text/plain; charset=UTF-8"}
        for source, target in catalog_pairs.items():
            catalog.append(polib.POEntry(msgid=source, msgstr=target))
        catalog.save(str(folder / "translations" / f"{language}.po"))
    return folder


_UNITS = {
    "en": {"người": "people", "tỷ USD": "billion USD", "km²": "km²", "%": "%"},
    "ja": {"người": "人", "tỷ USD": "十億米ドル", "km²": "km²", "%": "%"},
    "ko": {"người": "명", "tỷ USD": "십억 달러", "km²": "km²", "%": "%"},
    "zh": {"người": "人", "tỷ USD": "十亿美元", "km²": "km²", "%": "%"},
}


def build(root: Path, out: Path, **options) -> Path:
    """Make the project and build every edition into ``out``; returns ``out``."""
    from pubkit.commands.build import build as build_command
    from pubkit.project import load_project

    folder = flores_project(root, **options)
    build_command(load_project(root), (folder,), out=out)
    return out
