"""One page plan for every language of a brochure: plan → fit → draw.

Each language edition is first *measured* (:func:`pubkit.typeset.edition.measure`: line breaking
only, no PDF) at every step of a copyfit ladder; :func:`make_plan` then chooses one plan for all
editions — on which page each section starts, which page, column and place each image takes and
at what scale — and, per language and section, the ladder step that makes the language fit it.
The editions are then drawn from the plan (:func:`pubkit.typeset.edition.typeset`).

The rules (docs/layout.md):

* every edition has the same pages; a section starts on the same page in every language (it may
  start lower or higher on that page); an image sits on the same page, in the same place, at the
  same size in every language, anchored to the top or foot of a column, its caption space
  reserved for the longest language's caption;
* every column but a section's last is full: no more than 15 % of its height empty at its foot;
* a section starts at the top of a new page, or goes on where the previous one ended when that
  is the same page in every language;
* the binding's page multiple is reached by giving sections more room within the bounds (a
  section break, a looser fit), then by a designed notes page; never by a blank page;
* when a language cannot be fitted within the bounds, the plan stops and names, per section, the
  lines (and characters in that language) to cut.

The paginator :func:`flow` is the single place where text meets pages: the planner runs it on
measured heights and the renderer on the same heights, so the plan and the PDF cannot disagree.
"""

from __future__ import annotations

import gc
import hashlib
import json
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field

EPS = 0.01
FULL = 0.85              # a column that is not a section's last is at least this full
KEEP_LINES = 3           # a heading keeps this many lines of what follows on its page


@dataclass(frozen=True)
class Fit:
    """One step of the copyfit ladder; the same for every section of that step."""

    leading: float = 1.0     # × the body leading
    spacing: float = 1.0     # × the space between paragraphs and around headings
    tracking: float = 0.0    # em per character, Japanese and Chinese only
    looseness: int = 0       # lines more (or fewer) per paragraph, as TeX's \looseness


# The bounds: leading −4 %…+8 %, the space between paragraphs and around headings ×0.5…×2, and for
# Japanese and Chinese tracking −0.02…+0.02 em at the ends of the ladder. Body size and measure stay
# those of docs/typography.md; ``looseness`` is not used (its searches cost 20× a plain break).
LADDER = {
    -3: Fit(leading=0.96, spacing=0.5, tracking=-0.02),
    -2: Fit(leading=0.96, spacing=0.5),
    -1: Fit(leading=0.98, spacing=0.75),
    0: Fit(),
    1: Fit(leading=1.02, spacing=1.25),
    2: Fit(leading=1.05, spacing=1.5),
    3: Fit(leading=1.08, spacing=2.0, tracking=0.02),
}


def describe(step: int) -> str:
    """A ladder step as the build report shows it: 'nominal', 'tight 2', 'loose 1'."""
    return "nominal" if step == 0 else f"{'tight' if step < 0 else 'loose'} {abs(step)}"


PREFERENCE = (0, -1, 1, -2, 2, -3, 3)   # nearest the nominal setting first
IMAGE_SCALES = (1.0, 0.92, 0.85)        # of the image's width in the spec


@dataclass
class Item:
    """A block of the flow as the paginator sees it: lines (or table rows) and the space around."""

    units: tuple[float, ...]
    space_before: float = 0.0
    space_after: float = 0.0
    keep_with_next: bool = False
    table: bool = False          # split between rows (2 each side), else between lines (2 each side, 4+ lines)
    chars: int = 0
    new_page: bool = False       # an explicit page break: what follows starts on the next page
    # the paginator's sums, made once (the plan search flows each item thousands of times)
    whole: float = field(init=False, repr=False, compare=False)
    first_part: float = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        self.whole = sum(self.units)
        if self.table:
            self.first_part = sum(self.units[:2])
        else:
            self.first_part = self.whole if len(self.units) < 4 else sum(self.units[:KEEP_LINES])


@dataclass
class ImageMeasure:
    aspect: float                # height / width
    width: float                 # placed width at scale 1
    captions: dict               # scale (str) -> caption height in this language (with its gap)
    after: int                   # index of the flow item the image follows in the spec
    span: bool = False           # across the page (full bleed): takes every column of its page


@dataclass
class SectionMeasure:
    heading: str
    levels: dict                 # ladder step -> list[Item]
    images: list[ImageMeasure]
    chars: int


@dataclass
class Measure:
    """One language's sections at every ladder step."""

    language: str
    sections: list[SectionMeasure]
    line: float                  # nominal body leading
    chars_per_line: float


@dataclass(frozen=True)
class PageArea:
    """The text area of an inside page: its height and columns."""

    height: float
    columns: int
    column_width: float
    image_gap: float             # between an image block and the text


@dataclass
class Slot:
    page: int                    # inside page, 0-based
    column: int
    anchor: str                  # "top" or "foot"
    height: float                # image + caption space reserved (gap to the text not included)
    scale: float
    section: int
    image: int
    box: float = 0.0             # the picture's box height (the tallest language's picture at this scale)
    span: bool = False           # across every column of the page


@dataclass
class Plan:
    pages: int                                  # inside pages with sections
    notes_pages: int                            # designed notes pages after them
    starts: list[int]                           # first inside page of each section
    modes: list[str]                            # "break" or "continue"
    slots: list[Slot]
    fits: dict = field(default_factory=dict)    # language -> [ladder step per section]
    feet: dict = field(default_factory=dict)    # language -> largest empty foot (share) of a full column
    grown: int = 0

    @property
    def inside(self) -> int:
        return self.pages + self.notes_pages

    def digest(self) -> str:
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode()).hexdigest()



class PlanFailure(Exception):
    def __init__(self, section: int, cuts: dict[str, tuple[int, int]], reason: str = ""):
        super().__init__(section, cuts, reason)
        self.section, self.cuts, self.reason = section, cuts, reason


def reserves(slots: list[Slot], gap: float | None, columns: int = 1) -> dict:
    """(page, column) -> [top, foot] heights taken by images, each with its gap to the text; a spanning slot takes every column."""
    out: dict = {}
    for slot in slots:
        for column in range(columns) if slot.span else (slot.column,):
            entry = out.setdefault((slot.page, column), [0.0, 0.0])
            entry[0 if slot.anchor == "top" else 1] += slot.height + (gap or 0.0)
    return out


# --- the paginator ----------------------------------------------------------------------------
@dataclass
class Pos:
    page: int
    column: int
    y: float                     # down from the top of the text area
    fresh: bool                  # nothing placed in this column yet


@dataclass
class Flowed:
    end: Pos
    placements: list             # (item, first unit, end unit, page, column, y of the top)
    feet: list                   # (page, column, empty height) of every column the flow left
    overfull: bool = False
    last_foot: float = 0.0       # empty height below the last content

    @property
    def first_page(self) -> int:
        return self.placements[0][3] if self.placements else self.end.page

    @property
    def last_page(self) -> int:
        return self.placements[-1][3] if self.placements else self.end.page


def flow(items: list[Item], start: Pos, area: PageArea, reserve: dict) -> Flowed:
    """Lay ``items`` into columns from ``start``: the same code for planning and for drawing.

    Written for speed (the plan search flows sections thousands of times): the column's reserve is
    looked up once per column, and the position is kept in local variables, not in a closure's cells.
    """
    no_reserve = (0.0, 0.0)
    height, columns, reserved = area.height, area.columns, reserve.get
    page, column, y, fresh = start.page, start.column, start.y, start.fresh
    top, foot = reserved((page, column), no_reserve)
    if fresh:
        y = max(y, top)
    floor = height - foot  # of the current column, kept as the flow moves on
    content = y
    placements, feet = [], []
    append = placements.append
    overfull = False
    i, first = 0, 0
    count_items = len(items)
    while i < count_items:
        item = items[i]
        if item.new_page:  # nothing after it on this page; the page it ends is not held to the full-foot rule
            if not (fresh and column == 0):
                feet.append((page, column, 0.0))
                page, column, fresh = page + 1, 0, True
                top, foot = reserved((page, column), no_reserve)
                y = content = top
                floor = height - foot
            i += 1
            continue
        before = 0.0 if fresh or first else item.space_before
        room = floor - y - before
        if first:
            units = item.units[first:]
            whole = sum(units)
        else:
            units = item.units
            whole = item.whole
        need = whole
        keep = item.keep_with_next
        if keep and i + 1 < count_items:
            following = items[i + 1]
            need += item.space_after + following.space_before + following.first_part
        if need <= room + EPS or (fresh and keep and whole <= room + EPS):
            append((i, first, len(item.units), page, column, y + before))
            content = y + before + whole
            y = content + item.space_after
            fresh, i, first = False, i + 1, 0
            continue
        advance = True
        if not keep:
            count = 0
            if item.table:
                used = 0.0
                for height_of_row in units:
                    if used + height_of_row > room + EPS:
                        break
                    used, count = used + height_of_row, count + 1
                ok = count >= 2 and len(units) - count >= 2
            else:
                count = int((room + EPS) // units[0]) if units else 0
                count = min(count, len(units) - 2)
                ok = len(units) >= 4 and count >= 2
            if ok:
                append((i, first, first + count, page, column, y + before))
                content = y + before + sum(units[:count])
                fresh = False
                first += count
            elif fresh:
                advance = False
        elif fresh:
            advance = False
        if not advance:  # taller than an empty column: it can never fit
            overfull = True
            append((i, first, len(item.units), page, column, y))
            content = y + whole
            y = content + item.space_after
            fresh, i, first = False, i + 1, 0
            continue
        # on to the next column
        feet.append((page, column, floor - content if not fresh else height))
        column += 1
        if column == columns:
            column, page = 0, page + 1
        top, foot = reserved((page, column), no_reserve)
        y = content = top
        floor = height - foot
        fresh = True
    result = Flowed(Pos(page, column, y, fresh), placements, feet, overfull)
    result.last_foot = floor - content
    return result


# --- the planner ------------------------------------------------------------------------------
def _place(start: Pos) -> tuple:
    """Where a flow starts, as a memo key part (its height to the thousandth of a point)."""
    return start.page, start.column, round(start.y, 3), start.fresh


def _reserve_key(reserve: dict, first_page: int) -> tuple:
    """The images' reserved heights from ``first_page`` on: all that a flow starting there can meet."""
    return tuple(sorted((place, tuple(r)) for place, r in reserve.items() if place[0] >= first_page))


@dataclass
class _Choice:
    mode: str
    start: int
    slots: list
    end: int
    levels: dict                 # language -> step
    ends: dict                   # language -> Pos after the section
    feet: dict                   # language -> largest foot (share)


def _box_height(images: dict[str, ImageMeasure], scale: float) -> float:
    """The picture's box: the tallest language's (an ``only:`` override may name a picture of other proportions)."""
    return max(m.width * scale * m.aspect for m in images.values())


def _slot_height(images: dict[str, ImageMeasure], scale: float) -> float:
    return _box_height(images, scale) + max(m.captions[str(scale)] for m in images.values())


class _Planner:
    def __init__(self, measures: dict[str, Measure], area: PageArea, *, budget: int = 400, memo: dict | None = None):
        self.memo = {} if memo is None else memo
        self.order = PREFERENCE
        self.measures = measures
        self.languages = list(measures)
        self.area = area
        self.sections = len(next(iter(measures.values())).sections)
        self.budget = budget
        self.worst: tuple[int, int] = (-1, -1)   # deepest section that failed

    def run_section(self, language, k, step, start: Pos, reserve, reserve_key: tuple | None = None) -> Flowed:
        """Section k of ``language`` at ``step`` from ``start``, flowed once per start and images from its page on."""
        if reserve_key is None:
            reserve_key = _reserve_key(reserve, start.page)
        return self._flowed((language, k, step, *_place(start), reserve_key), start, reserve)

    def _flowed(self, flow_key: tuple, start: Pos, reserve) -> Flowed:
        """The flow of ``flow_key`` = (language, section, step, *place of ``start``, reserve key), made once."""
        found = self.memo.get(flow_key)
        if found is None:
            language, k, step = flow_key[:3]
            found = self.memo[flow_key] = flow(self.measures[language].sections[k].levels[step], start, self.area,
                                               reserve)
        return found

    def reach(self, k: int, starts: dict[str, Pos], slots: list, start_page: int, new: list) -> dict[str, dict]:
        """Per language, the pages section k can end on with the images ``new`` (each with the first step
        in this planner's order that ends there), found once per starting state and images: the
        search meets the same state again from other branches."""
        reserve = reserves(slots, self.area.image_gap, self.area.columns)
        reserve_key = _reserve_key(reserve, start_page)  # every language starts on start_page
        places = {language: _place(start) for language, start in starts.items()}
        new_key = tuple((slot.page, slot.column) for slot in new)
        key = ("reach", k, self.order, tuple((language, *place) for language, place in places.items()),
               reserve_key, start_page, new_key)
        found = self.memo.get(key)
        if found is not None:
            return found
        reach: dict[str, dict[int, tuple]] = {}
        for language in self.languages:
            reach[language] = {}
            start, place = starts[language], places[language]
            for step in self.order:
                ok, foot, end, flowed = self.verdict((language, k, step, *place, reserve_key), start, reserve,
                                                     start_page, new, new_key)
                if ok:
                    reach[language].setdefault(end, (step, flowed, foot))
            if not reach[language]:
                break
        self.memo[key] = reach
        return reach

    def verdict(self, flow_key: tuple, start: Pos, reserve, start_page: int, new: list, new_key: tuple) -> tuple:
        """(valid, largest foot, last page, flowed) of a section's flow (``flow_key``, see :meth:`_flowed`)
        with the images ``new`` (their places: ``new_key``), judged once.

        The search asks the same question tens of times (73,000 judgements for 3,700 flows of the
        sample, 0.9 s of its plan); the answers are kept beside the flows.
        """
        key = ("verdict", flow_key, start_page, new_key)
        found = self.memo.get(key)
        if found is None:
            flowed = self._flowed(flow_key, start, reserve)
            ok, foot = self.valid(flowed, start_page, new)
            found = self.memo[key] = (ok, foot, max([flowed.last_page] + [slot.page for slot in new]), flowed)
        return found

    def valid(self, flowed: Flowed, start_page: int, slots: list) -> tuple[bool, float]:
        """No overfull block, the heading on the planned page, every left column full."""
        if flowed.overfull or flowed.first_page != start_page:
            return False, 1.0
        worst = 0.0
        h = self.area.height
        left = flowed.feet
        if not flowed.placements:
            return False, 1.0
        first_place = (flowed.placements[0][3], flowed.placements[0][4])
        for page, column, empty in left:
            if (page, column) < first_place:
                if page == first_place[0]:   # a column left empty on the section's own first page
                    worst = max(worst, empty / h)
                continue
            worst = max(worst, empty / h)
        end = (flowed.end.page, flowed.end.column)
        if any((slot.page, slot.column) > end for slot in slots):  # an image after the text: the text's column is not the last
            worst = max(worst, flowed.last_foot / h)
        return worst <= 1 - FULL + EPS, worst

    def image_options(self, k: int, start: int, taken: set, reference: Flowed | None) -> list:
        """Slot lists for section k's images, nearest their place in the text first (at most 8).

        The same for every image scale, and the search asks again from many branches: made once
        per section, first page, slots taken and where the text puts the images (the combinations
        were a third of the plan search's time).
        """
        images = self.measures[self.languages[0]].sections[k].images
        if not images:
            return [[]]
        columns = self.area.columns
        expected = []
        for image in images:
            at = (start, 0)
            if reference is not None:
                for item, first, _end, page, column, _y in reference.placements:
                    if item <= image.after:
                        at = (page, column)
            expected.append(at[0] * columns + at[1])
        key = ("image options", k, start, tuple(sorted(taken)), tuple(expected))
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = self._image_combos(images, start, taken, expected)
        return found

    def _image_combos(self, images: list, start: int, taken: set, expected: list[int]) -> list:
        columns = self.area.columns
        count = len(images)
        candidates = []
        for e in expected:
            near = sorted({max(start * columns, e + d) for d in (0, 1, -1, 2, 3)}, key=lambda c: (abs(c - e), c))
            candidates.append(near)

        def combos(index, lowest, chosen):
            if index == count:
                yield list(chosen)
                return
            for cell in candidates[index]:
                if cell < lowest:
                    continue
                page, column = divmod(cell, columns)
                if column and images[index].span:  # across the page: its first column stands for all
                    continue
                anchor = "foot" if page == start else "top"
                if (page, column, anchor) in taken or any((s[0], s[1], s[2]) == (page, column, anchor) for s in chosen):
                    continue
                yield from combos(index + 1, cell, chosen + [(page, column, anchor)])

        return sorted(combos(0, 0, []), key=lambda c: sum(abs(p * columns + col - e)
                                                         for (p, col, _), e in zip(c, expected)))[:8]

    def options(self, k: int, state: dict[str, Pos], slots: list, force: str | None):
        """The ways section k can go, best first; ``force``: "break" (a new page) or "longer" (a page more).

        Each way is worked out once per state, slots and force, and handed out again when the search
        comes back to the same place: every attempt to grow the plan searches again from the first
        section, through the same first sections (the ways are made as the search asks for them, so
        a search that ends early has not paid for the rest).
        """
        key = ("options", k, self.order, tuple((language, *_place(p)) for language, p in state.items()),
               tuple((s.page, s.column, s.anchor, s.height, s.scale, s.section, s.image, s.box, s.span) for s in slots),
               force)
        entry = self.memo.get(key)
        if entry is None:
            entry = self.memo[key] = [self._options(k, state, slots, force), []]  # the ways, those made so far
        made = entry[1]
        index = 0
        while True:
            if index == len(made):
                if entry[0] is None:
                    return
                try:
                    made.append(next(entry[0]))
                except StopIteration:
                    entry[0] = None
                    return
            yield made[index]
            index += 1

    def _options(self, k: int, state: dict[str, Pos], slots: list, force: str | None):
        m0 = self.measures[self.languages[0]].sections[k]
        first = k == 0
        page = next(iter(state.values())).page
        modes = ["break"] if first or self.new_page[k] or force == "break" else ["continue", "break"]
        taken = {(s.page, s.column, s.anchor) for s in slots}
        for mode in modes:
            if mode == "break":
                start_page = page if first else max(p.page + (0 if p.fresh and p.column == 0 and p.y <= EPS else 1)
                                                     for p in state.values())
                starts = {language: Pos(start_page, 0, 0.0, True) for language in self.languages}
            else:
                start_page = page
                if any(p.page != page for p in state.values()):
                    continue
                starts = state
            base = reserves(slots, self.area.image_gap, self.area.columns)
            reference = self.run_section(self.languages[0], k, 0, starts[self.languages[0]], base)
            for scale in (IMAGE_SCALES if m0.images else (1.0,)):
                for combo in self.image_options(k, start_page, taken, reference):
                    new = []
                    for index, (p, c, anchor) in enumerate(combo):
                        height, box, span = self.image_size(k, index, scale)
                        new.append(Slot(p, 0 if span else c, anchor, height, scale, k, index, box, span))
                    reach = self.reach(k, starts, slots + new, start_page, new)
                    common = set.intersection(*(set(r) for r in reach.values())) if all(reach.values()) else set()
                    ends = sorted(common)
                    if force == "longer":
                        ends = ends[1:]
                    for end in ends:
                        yield _Choice(mode, start_page, new, end, {lang: reach[lang][end][0] for lang in reach},
                                      {lang: _after(reach[lang][end][1], end) for lang in reach},
                                      {lang: reach[lang][end][2] for lang in reach})
                    if common:
                        break  # the first scale that fits is kept (largest image)

    def image_size(self, k: int, index: int, scale: float) -> tuple[float, float, bool]:
        """(slot height, box height, across the page) of section k's image ``index`` at ``scale``, worked
        out once: the search places the same image in thousands of combinations."""
        key = ("image size", k, index, scale)
        found = self.memo.get(key)
        if found is None:
            images = {language: self.measures[language].sections[k].images[index] for language in self.languages}
            found = self.memo[key] = (round(_slot_height(images, scale), 3), round(_box_height(images, scale), 3),
                                      images[self.languages[0]].span)
        return found

    def search(self, k: int, state: dict, slots: list, chosen: list, force: dict) -> list | None:
        if k == self.sections:
            return chosen
        for choice in self.options(k, state, slots, force.get(k)):
            self.budget -= 1
            if self.budget < 0:
                return None
            found = self.search(k + 1, choice.ends, slots + choice.slots, chosen + [choice], force)
            if found is not None:
                return found
        if k > self.worst[0]:
            self.worst = (k, k)
        return None


def _after(flowed: Flowed, end: int) -> Pos:
    """Where the next section may go on: after the text, or after an image that ends the section."""
    pos = flowed.end
    if end > pos.page:
        return Pos(end, 0, 0.0, True)
    return pos


def make_plan(measures: dict[str, Measure], area: PageArea, *, new_page: list[bool], multiple: int,
              fixed_pages: int) -> Plan:
    """The plan for all editions; ``fixed_pages`` (covers) count towards the binding's page multiple.

    Two searches: fits nearest the nominal setting first, and the tightest fits first (sections
    then more often share a page). Each plan short of the binding's multiple is grown, one section
    at a time from the last: a section that went on after the previous one starts a new page, or a
    section takes a page more (looser fit, images moved); what is still missing becomes designed
    notes pages. The plan with the fewest pages, then the fewest notes pages, then the fits
    nearest nominal, is kept.
    """
    memo: dict = {}  # the search's flows, judgements and ways, shared by its attempts
    with _collector_paused():
        try:
            return _make_plan(measures, area, new_page, multiple, fixed_pages, memo)
        finally:
            # its unfinished ways hold their planners, which hold the memo: a cycle of some hundred
            # thousand objects that the collector, back on, walked to free (24-35 ms); freed here at once
            memo.clear()


@contextmanager
def _collector_paused():
    """The search makes a few hundred thousand small objects; Python's cycle collector, run over them every
    few hundred allocations, was 6 % of its instructions (Valgrind). Their one cycle, through the memo,
    is broken when the search ends (:func:`make_plan`)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _make_plan(measures: dict[str, Measure], area: PageArea, new_page: list[bool], multiple: int,
               fixed_pages: int, memo: dict) -> Plan:
    languages = list(measures)
    sections = len(new_page)
    candidates = []
    for order in (PREFERENCE, (-3, -2, -1, 0, 1, 2, 3)):
        def attempt(force: dict) -> list | None:
            planner = _Planner(measures, area, memo=memo, budget=60 if force else 400)
            planner.new_page = new_page
            planner.order = order
            found = planner.search(0, {language: Pos(0, 0, 0.0, True) for language in languages}, [], [], force)
            if found is None and not force:
                raise _failure(planner, measures, area)
            return found

        chosen = attempt({})
        force: dict = {}
        target = chosen[-1].end + 1 + (-(chosen[-1].end + 1 + fixed_pages) % multiple)
        grown, tries = 0, 0
        while chosen[-1].end + 1 < target and tries < 8:
            better = None
            for k in reversed(range(sections)):
                for how in ("break", "longer"):
                    if k in force or (how == "break" and (k == 0 or chosen[k].mode == "break")) or tries >= 8:
                        continue
                    tries += 1
                    trial = attempt({**force, k: how})
                    if trial is not None and chosen[-1].end < trial[-1].end < target:
                        better = (trial, k, how)
                        break
                if better:
                    break
            if not better:
                break
            chosen, force = better[0], {**force, better[1]: better[2]}
            grown += 1
        pages = chosen[-1].end + 1
        slots = [slot for choice in chosen for slot in choice.slots]
        plan = Plan(pages, target - pages, [c.start for c in chosen], [c.mode for c in chosen], slots,
                    {language: [c.levels[language] for c in chosen] for language in languages},
                    {language: round(max(c.feet[language] for c in chosen), 4) for language in languages}, grown)
        candidates.append(plan)
    return min(candidates, key=lambda plan: (plan.inside, plan.notes_pages,
                                             sum(abs(step) for fits in plan.fits.values() for step in fits)))


def _failure(planner: _Planner, measures: dict[str, Measure], area: PageArea) -> PlanFailure:
    """Per language, what must go from the section that could not be fitted: lines and characters.

    A heading that takes more than half a column is named itself (reason ``"heading"``, with its lines
    and characters): the text after it must start on its page, and cutting the body, which the count
    of lines over would advise, does not help (a 1,760-character heading was told "cut 5 lines")."""
    k = max(planner.worst[0], 0)
    headings = {}
    for language, measure in measures.items():
        section = measure.sections[k]
        items = section.levels[-3]
        if section.heading and items and items[0].keep_with_next and items[0].whole > area.height / 2:
            headings[language] = (len(items[0].units), items[0].chars or len(section.heading))
    if headings:
        return PlanFailure(k, headings, "heading")
    start = Pos(0, 0, 0.0, True)
    reach = {}
    for language, measure in measures.items():
        tight = flow(measure.sections[k].levels[-3], start, area, {})
        loose = flow(measure.sections[k].levels[3], start, area, {})
        reach[language] = (tight, loose)
    # the page the shortest language can still fill
    target = min(loose.last_page for _, loose in reach.values())
    cuts = {}
    for language, (tight, _) in reach.items():
        if tight.last_page <= target:
            continue
        measure = measures[language]
        over = 0.0
        for item, first, end, page, _column, _y in tight.placements:
            if page > target:
                over += sum(measure.sections[k].levels[-3][item].units[first:end])
        lines = max(1, round(over / measure.line))
        cuts[language] = (lines, int(round(lines * measure.chars_per_line, -1)) or lines * 10)
    if not cuts:  # no single language too long: the shorter ones cannot fill its pages
        longest = max(reach, key=lambda language: reach[language][0].last_page)
        measure = measures[longest]
        cuts[longest] = (max(1, round(area.height * 0.15 / measure.line)),
                         int(round(area.height * 0.15 / measure.line * measure.chars_per_line, -1)))
    return PlanFailure(k, cuts)
