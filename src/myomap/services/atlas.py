"""Atlas queries shared by ``myomap muscles``/``myomap show`` and the web atlas browser."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, Literal

from myomap.domain.atlas import Atlas, Muscle, TriggerPoint, parse_zone
from myomap.domain.bodymap import BodyMap
from myomap.domain.errors import DataError, NotFoundError, UsageError
from myomap.knowledge.checks import check_atlas
from myomap.knowledge.loader import Mode, load_atlas, load_bodymap, manifest_problems

PREVALENCE_ORDER = {"very_common": 0, "common": 1, "occasional": 2, "rare": 3}


def atlas_problems() -> list[str]:
    """Every schema, cross-file and manifest problem, for ``myomap atlas check``."""
    problems: list[str] = []
    try:
        atlas = load_atlas(Mode.RAISE)
    except DataError as exc:
        problems.extend(line.strip() for line in str(exc).splitlines()[1:] if line.strip())
    else:
        problems.extend(check_atlas(atlas, load_bodymap()))
    problems.extend(manifest_problems())
    return problems


def atlas_stats(atlas: Atlas, bodymap: BodyMap) -> dict[str, Any]:
    groups: dict[str, int] = {}
    for m in atlas.muscles:
        groups[m.group] = groups.get(m.group, 0) + 1
    return {
        "atlas_version": atlas.version,
        "regions": len(bodymap),
        "muscles": len(atlas.muscles),
        "trigger_points": sum(len(m.trigger_points) for m in atlas.muscles),
        "sources": len(atlas.sources),
        "visceral_patterns": len(atlas.visceral),
        "groups": dict(sorted(groups.items())),
    }


def find_muscle(atlas: Atlas, query: str) -> Muscle:
    """A muscle by id, name or synonym (case and spacing insensitive), with suggestions."""
    key = query.strip().lower().replace("-", " ").replace("_", " ")
    names: dict[str, Muscle] = {}
    for m in atlas.muscles:
        for alias in (m.id, m.name, *m.synonyms):
            names.setdefault(alias.lower().replace("-", " ").replace("_", " "), m)
    if key in names:
        return names[key]
    close = difflib.get_close_matches(key, list(names), n=4, cutoff=0.6)
    ids = list(dict.fromkeys(names[c].id for c in close))
    hint = f" Did you mean: {', '.join(ids)}?" if ids else ""
    raise NotFoundError(
        f"No muscle called {query!r} in the atlas.{hint} Run 'myomap muscles' to list them."
    )


@dataclass(frozen=True)
class RegionMatch:
    muscle: Muscle
    match: Literal["essential", "spillover"]
    trigger_points: tuple[TriggerPoint, ...]


def zone_kind(tp: TriggerPoint, base: str) -> str | None:
    """``essential``/``spillover`` if ``tp`` refers to base region ``base``, else None.

    Sides are ignored on purpose: every TrP exists on both sides of the body, so whatever the
    laterality of the zone, some instance of the TrP reaches the queried side.
    """
    for kind, zones in (("essential", tp.essential), ("spillover", tp.spillover)):
        if any(parse_zone(zone)[1] == base for zone in zones):
            return kind
    return None


def muscles_for_regions(atlas: Atlas, bodymap: BodyMap, region_ids: list[str]) -> list[RegionMatch]:
    """Muscles whose TrPs refer to any of the regions, essential before spillover.

    Within each class muscles are ordered by their most prevalent matching TrP, then by name, so
    the list reads like the lookups clinicians know, with a stable order.
    """
    bases: set[str] = set()
    for rid in region_ids:
        if rid in bodymap:
            bases.add(bodymap.get(rid).base)
        elif rid in bodymap.bases():
            bases.add(rid)
        else:
            raise UsageError(f"Unknown region id {rid!r}. Run 'myomap regions' to list them.")
    out: list[RegionMatch] = []
    for m in atlas.muscles:
        best: str | None = None
        tps: list[TriggerPoint] = []
        for tp in m.trigger_points:
            kinds = {zone_kind(tp, b) for b in bases} - {None}
            if not kinds:
                continue
            tps.append(tp)
            kind = "essential" if "essential" in kinds else "spillover"
            if best != "essential":
                best = kind
        if best is not None:
            out.append(
                RegionMatch(m, "essential" if best == "essential" else "spillover", tuple(tps))
            )

    def key(r: RegionMatch) -> tuple[int, int, str]:
        prev = min(PREVALENCE_ORDER[tp.prevalence] for tp in r.trigger_points)
        return (0 if r.match == "essential" else 1, prev, r.muscle.name.lower())

    return sorted(out, key=key)
