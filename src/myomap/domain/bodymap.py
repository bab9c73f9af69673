"""Body regions: the vocabulary every other capability refers to.

Region definitions come from ``data/bodymap/regions.json`` through :mod:`myomap.knowledge`; this
module only holds the types and the side/mirror rules so that the core never reads files.
Bilateral base regions expand to ``<base>_l`` and ``<base>_r``; midline regions keep their base id.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from myomap.domain.anatomy import Anatomy

ZONE_RE = re.compile(r"^(?:(contra|both):)?([a-z][a-z0-9_]*)$")


def parse_zone(ref: str) -> tuple[str, str]:
    """Split a zone reference (``temple``, ``contra:temple``, ``both:temple``: relative to a
    trigger point's side) into (``same``|``contra``|``both``, base region id)."""
    m = ZONE_RE.match(ref)
    if not m:
        raise ValueError(f"malformed zone reference {ref!r}")
    return (m.group(1) or "same", m.group(2))


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    MIDLINE = "midline"

    @property
    def opposite(self) -> Side:
        if self is Side.LEFT:
            return Side.RIGHT
        if self is Side.RIGHT:
            return Side.LEFT
        return Side.MIDLINE


class View(StrEnum):
    FRONT = "front"
    BACK = "back"


SIDE_SUFFIX = {Side.LEFT: "_l", Side.RIGHT: "_r"}


def region_id(base: str, side: Side) -> str:
    """Concrete region id for a base region on one side (midline keeps the base id)."""
    if side is Side.MIDLINE:
        return base
    return base + SIDE_SUFFIX[side]


@dataclass(frozen=True)
class Region:
    """One concrete region of the chart (a side of a bilateral region, or a midline region)."""

    id: str
    base: str
    label: str
    side: Side
    view: View
    parent: str
    synonyms: tuple[str, ...] = ()
    area: float = 0.0  # percent of the total body-chart area (front + back), from the geometry

    @property
    def is_midline(self) -> bool:
        return self.side is Side.MIDLINE


@dataclass(frozen=True)
class BodyMap:
    """The region vocabulary with side-aware lookups."""

    regions: Mapping[str, Region]
    version: str = ""
    _by_base: Mapping[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    # everyday words naming several base regions at once ("lower back"), used by the resolver
    phrases: Mapping[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    # clinical direction words per body part ("posterior knee"), also for the resolver
    anatomy: Anatomy = field(default_factory=Anatomy, repr=False)

    @classmethod
    def build(
        cls,
        regions: Iterable[Region],
        version: str = "",
        phrases: Mapping[str, tuple[str, ...]] | None = None,
        anatomy: Anatomy | None = None,
    ) -> BodyMap:
        by_id: dict[str, Region] = {}
        by_base: dict[str, list[str]] = {}
        for region in regions:
            if region.id in by_id:
                raise ValueError(f"duplicate region id {region.id!r}")
            by_id[region.id] = region
            by_base.setdefault(region.base, []).append(region.id)
        return cls(
            by_id,
            version,
            {k: tuple(v) for k, v in by_base.items()},
            dict(phrases or {}),
            anatomy or Anatomy(),
        )

    def __contains__(self, rid: object) -> bool:
        return rid in self.regions

    def __iter__(self) -> Iterator[Region]:
        return iter(self.regions.values())

    def __len__(self) -> int:
        return len(self.regions)

    def get(self, rid: str) -> Region:
        return self.regions[rid]

    def bases(self) -> list[str]:
        return list(self._by_base)

    def is_bilateral_base(self, base: str) -> bool:
        ids = self._by_base.get(base, ())
        return len(ids) == 2

    def on_side(self, base: str, side: Side) -> str:
        """The concrete id of ``base`` on ``side``; midline bases ignore the side."""
        ids = self._by_base.get(base)
        if not ids:
            raise KeyError(base)
        if len(ids) == 1:
            return ids[0]
        return region_id(base, Side.LEFT if side is Side.MIDLINE else side)

    def mirror(self, rid: str) -> str:
        """The region on the other side of the body; midline regions mirror to themselves."""
        region = self.regions[rid]
        if region.is_midline:
            return rid
        return region_id(region.base, region.side.opposite)

    def in_view(self, view: View) -> list[Region]:
        return [r for r in self.regions.values() if r.view is view]
