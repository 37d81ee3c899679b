"""Translation memory: reviewed translations offered for new segments before any model runs.

The memory of a language is every reviewed entry (active or obsolete) of that language in all
of the project's brochures, and every TMX file in the project's ``memory/`` folder (what
``pubkit import FILE.tmx`` puts there). For a new segment:

- an **exact match** (the same Vietnamese, after NFC) comes in as a ``fuzzy`` draft noted
  ``pubkit: prefilled from translation memory (exact match, …)``;
- the best **fuzzy match** whose similarity is at least :data:`FUZZY_THRESHOLD` comes in as a
  ``fuzzy`` draft with a ``pubkit: check:`` note giving its score and the source it was made for.

Neither is ever marked reviewed: the same Vietnamese can need another translation in another
brochure (a heading is not a caption), so a person confirms each one. Similarity is difflib's
ratio over the two Vietnamese texts (2 × matching characters / total characters).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from pubkit.drafts.catalog import MEMORY_NOTE, NOTE_PREFIX, is_reviewed, read_po
from pubkit.interchange.tmx import MemoryUnit, read_tmx

FUZZY_THRESHOLD = 0.75  # below this a match costs a translator more to fix than to translate
MEMORY_FOLDER = "memory"
EXACT_NOTE = MEMORY_NOTE + " (exact match, {origin})"
FUZZY_NOTE = NOTE_PREFIX + " check: prefilled from translation memory, {score}% match with “{source}” ({origin})"


@dataclass
class Memory:
    units: list[MemoryUnit] = field(default_factory=list)

    def __post_init__(self):
        self.exact: dict[str, MemoryUnit] = {}
        for unit in self.units:  # the first wins: brochures before imported memories
            self.exact.setdefault(unit.source, unit)

    def __len__(self) -> int:
        return len(self.units)

    def match(self, source: str) -> tuple[str, str] | None:
        """``(translation, note)`` for ``source``, or None when nothing is alike enough."""
        unit = self.exact.get(source)
        if unit is not None:
            return unit.target, EXACT_NOTE.format(origin=unit.origin)
        found = self.best(source)
        if found is None:
            return None
        score, unit = found
        return unit.target, FUZZY_NOTE.format(score=int(score * 100), source=unit.source, origin=unit.origin)

    def best(self, source: str) -> tuple[float, MemoryUnit] | None:
        best: tuple[float, MemoryUnit] | None = None
        for unit in self.units:
            if 2 * min(len(source), len(unit.source)) / (len(source) + len(unit.source) or 1) < FUZZY_THRESHOLD:
                continue  # lengths alone rule it out
            matcher = difflib.SequenceMatcher(None, source, unit.source, autojunk=False)
            if matcher.real_quick_ratio() < FUZZY_THRESHOLD or matcher.quick_ratio() < FUZZY_THRESHOLD:
                continue
            score = matcher.ratio()
            if score >= FUZZY_THRESHOLD and (best is None or score > best[0]):
                best = (score, unit)
        return best


def project_memory(root: Path, brochures: Path, drafts_folder: str, language: str) -> Memory:
    """The memory of ``language``: reviewed entries of every brochure, then the TMX files in ``memory/``."""
    units: list[MemoryUnit] = []
    for po_path in sorted(brochures.glob(f"*/{drafts_folder}/{language}.po")):
        origin = po_path.relative_to(root).as_posix() if po_path.is_relative_to(root) else str(po_path)
        for entry in read_po(po_path, language):
            if is_reviewed(entry) and entry.msgctxt is None:
                units.append(MemoryUnit(entry.msgid, entry.msgstr, language, origin))
    folder = root / MEMORY_FOLDER
    if folder.is_dir():
        for tmx in sorted(folder.glob("*.tmx")):
            units.extend(read_tmx(tmx, language))
    return Memory(units)
