"""Which packages take the source language to each target: directly, or through English."""

from __future__ import annotations

from dataclasses import dataclass

from pubkit.errors import PubkitError
from pubkit.translate.packages import Package

PIVOT = "en"


@dataclass(frozen=True)
class Route:
    hops: tuple[Package, ...]

    @property
    def label(self) -> str:
        return "→".join([self.hops[0].from_code] + [hop.to_code for hop in self.hops])

    @property
    def packages(self) -> str:
        return ", ".join(f"{hop.name}" for hop in self.hops)


def find_route(packages: list[Package], source: str, target: str, folder) -> Route:
    by_pair = {(p.from_code, p.to_code): p for p in packages}
    if (source, target) in by_pair:
        return Route((by_pair[source, target],))
    if (source, PIVOT) in by_pair and (PIVOT, target) in by_pair:
        return Route((by_pair[source, PIVOT], by_pair[PIVOT, target]))
    direct = f"translate-{source}_{target}"
    if PIVOT in (source, target):  # no way round through English when English is an end
        raise PubkitError(f"no model installed for {source}→{target}", file=folder,
                          fix=f"install {direct} with `pubkit models install FILE.argosmodel` (Argos Translate packages)")
    needed = [f"translate-{a}_{b}" for a, b in ((source, PIVOT), (PIVOT, target)) if (a, b) not in by_pair]
    raise PubkitError(f"no model installed for {source}→{target}", file=folder,
                      fix=f"install {direct}, or {' and '.join(needed)} to go through English, with "
                          "`pubkit models install FILE.argosmodel` (Argos Translate packages)")
