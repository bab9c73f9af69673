"""Crosswalk from myomap regions to research body maps (CHOIR, Michigan).

Registries and studies record pain location on their own charts: the CHOIR body map (74 numbered
regions) and the Michigan body map (35 areas). Exporting a drawing in their shape lets myomap
data join those data sets. ``crosswalk.json`` names, for each base region, the *parts* of each
map it overlaps; a part becomes the id on the region's side, so the data stays short and cannot
pair a left region with a right id.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from myomap.domain.bodymap import BodyMap, Side, View
from myomap.domain.drawing import PainDrawing
from myomap.domain.errors import DataError, UnknownRegionError


class Target(StrEnum):
    """A research body map that regions can be exported to."""

    CHOIR = "choir"
    MICHIGAN = "michigan"


@dataclass(frozen=True)
class MapArea:
    """One selectable id of a research body map."""

    id: int
    label: str
    part: str
    side: Side
    view: View
    key: str | None = None  # the REDCap Image Map key, where it differs from the id


@dataclass(frozen=True)
class Crosswalk:
    areas: Mapping[Target, Mapping[int, MapArea]]
    regions: Mapping[str, Mapping[Target, tuple[int, ...]]]  # concrete region id -> ids
    version: str = ""
    sources: Mapping[str, str] | None = None

    def ids_for(self, region_id: str, target: Target) -> tuple[int, ...]:
        try:
            return self.regions[region_id][target]
        except KeyError:
            raise UnknownRegionError(region_id, []) from None

    def export(self, region_ids: Iterable[str], target: Target) -> list[int]:
        """The map ids a set of regions covers, ascending and without repeats."""
        out: set[int] = set()
        for rid in region_ids:
            out.update(self.ids_for(rid, target))
        return sorted(out)

    def export_drawing(self, drawing: PainDrawing, target: Target) -> list[int]:
        """Map ids for the regions of every painful area (intensity above 0) of a drawing.

        Only regions named in the drawing count; freehand strokes must first be turned into
        regions by the chart raster.
        """
        painful = [rid for area in drawing.areas if area.intensity > 0 for rid in area.regions]
        return self.export(painful, target)

    def label(self, target: Target, area_id: int) -> str:
        return self.areas[target][area_id].label

    def coverage_problems(self, bodymap: BodyMap) -> list[str]:
        """Every region reaches an id of each map, and every id is reached by some region."""
        problems = []
        for region in bodymap:
            for target in Target:
                if not self.regions.get(region.id, {}).get(target):
                    problems.append(f"region {region.id}: no {target.value} id")
        for target in Target:
            reached = {i for ids in self.regions.values() for i in ids.get(target, ())}
            for area_id in sorted(set(self.areas[target]) - reached):
                problems.append(f"{target.value} id {area_id}: no region maps to it")
        return problems


def _areas(raw: Mapping[str, Any], target: Target, problems: list[str]) -> dict[int, MapArea]:
    out: dict[int, MapArea] = {}
    for key, entry in raw.get("ids", {}).items():
        try:
            out[int(key)] = MapArea(
                id=int(key),
                label=str(entry["label"]),
                part=str(entry["part"]),
                side=Side(entry["side"]),
                view=View(entry["view"]),
                key=entry.get("imagemap_key"),
            )
        except (KeyError, ValueError) as exc:
            problems.append(f"crosswalk.json: {target.value} id {key!r}: {exc}")
    return out


def _parts(areas: Mapping[int, MapArea]) -> dict[str, dict[Side, list[int]]]:
    parts: dict[str, dict[Side, list[int]]] = {}
    for area in areas.values():
        parts.setdefault(area.part, {}).setdefault(area.side, []).append(area.id)
    return parts


def _ids_on_side(by_side: Mapping[Side, list[int]], side: Side) -> list[int]:
    if side is Side.MIDLINE or side not in by_side:
        # a midline region covers both sides of a part; a part without sides has one id
        return [i for ids in by_side.values() for i in ids]
    return list(by_side[side])


def build_crosswalk(raw: Mapping[str, Any], bodymap: BodyMap) -> Crosswalk:
    """Check ``crosswalk.json`` against the vocabulary and expand it to concrete regions."""
    problems: list[str] = []
    areas = {t: _areas(raw.get(t.value, {}), t, problems) for t in Target}
    parts = {t: _parts(areas[t]) for t in Target}
    by_base: Mapping[str, Mapping[str, list[str]]] = raw.get("regions", {})
    bases = set(bodymap.bases())
    for base in sorted(set(by_base) - bases):
        problems.append(f"crosswalk.json: unknown region {base!r}")
    regions: dict[str, dict[Target, tuple[int, ...]]] = {}
    for region in bodymap:
        entry = by_base.get(region.base)
        if entry is None:
            problems.append(f"crosswalk.json: region {region.base!r} is not mapped")
            continue
        regions[region.id] = {}
        for target in Target:
            ids: list[int] = []
            for part in entry.get(target.value, []):
                if part not in parts[target]:
                    problems.append(
                        f"crosswalk.json: region {region.base!r}: unknown {target.value} part "
                        f"{part!r}"
                    )
                    continue
                ids += _ids_on_side(parts[target][part], region.side)
            regions[region.id][target] = tuple(sorted(set(ids)))
    if problems:
        raise DataError("invalid body map crosswalk:\n  " + "\n  ".join(problems))
    sources = {sid: str(s.get("citation", "")) for sid, s in raw.get("sources", {}).items()}
    return Crosswalk(areas, regions, str(raw.get("crosswalk_version", "")), sources)
