"""Cross-file rules that a schema cannot express.

Each check returns human-readable problems rather than raising, so ``myomap atlas check`` can
list them all at once.
"""

from __future__ import annotations

from collections import Counter

from myomap.domain.atlas import Atlas, SourceRef, parse_zone
from myomap.domain.bodymap import BodyMap, Side


def check_bodymap(bodymap: BodyMap) -> list[str]:
    problems = []
    for region in bodymap:
        if region.side is not Side.MIDLINE and bodymap.mirror(region.id) not in bodymap:
            problems.append(f"region {region.id}: has no mirror region")
    return problems


def check_atlas(atlas: Atlas, bodymap: BodyMap) -> list[str]:
    problems: list[str] = check_bodymap(bodymap)
    bases = set(bodymap.bases())
    muscle_ids = [m.id for m in atlas.muscles]
    for mid, n in Counter(muscle_ids).items():
        if n > 1:
            problems.append(f"muscle {mid}: defined {n} times")
    trp_ids = Counter(tp.id for _, tp in atlas.trigger_points())
    for tid, n in trp_ids.items():
        if n > 1:
            problems.append(f"trigger point {tid}: defined {n} times")

    def refs(where: str, srcs: tuple[SourceRef, ...]) -> None:
        for ref in srcs:
            if ref.source not in atlas.sources:
                problems.append(f"{where}: unknown source {ref.source!r}")

    known_muscles = set(muscle_ids)
    for m in atlas.muscles:
        refs(f"muscle {m.id}", m.sources)
        for base in m.regions:
            if base not in bases:
                problems.append(f"muscle {m.id}: unknown region {base!r}")
        for other in m.key_for:
            if other not in known_muscles:
                problems.append(f"muscle {m.id}: key_for names unknown muscle {other!r}")
        for tp in m.trigger_points:
            where = f"trigger point {tp.id}"
            if tp.muscle_id != m.id:
                problems.append(f"{where}: id must start with '{m.id}.'")
            if tp.location.region not in bases:
                problems.append(f"{where}: location in unknown region {tp.location.region!r}")
            refs(where, tp.sources)
            seen: set[str] = set()
            for zone in (*tp.essential, *tp.spillover):
                mode, base = parse_zone(zone)
                if base not in bases:
                    problems.append(f"{where}: zone names unknown region {base!r}")
                elif mode != "same" and not bodymap.is_bilateral_base(base):
                    problems.append(f"{where}: '{mode}:' used with midline region {base!r}")
                if zone in seen:
                    problems.append(f"{where}: zone {zone!r} listed twice")
                seen.add(zone)
            if not tp.sources and not m.sources:
                problems.append(f"{where}: no source")
    problems += check_movements(atlas, bases)
    for v in atlas.visceral:
        refs(f"visceral pattern {v.id}", v.sources)
        for rid in {*v.regions, *(r for g in v.match_any for r in g)}:
            if rid not in bodymap:
                problems.append(f"visceral pattern {v.id}: unknown region id {rid!r}")
    for sid, src in atlas.sources.items():
        if not src.citation.strip():
            problems.append(f"source {sid}: empty citation")
    return problems


def check_movements(atlas: Atlas, bases: set[str]) -> list[str]:
    """The movement vocabulary is sound and every ``movement_id`` names one of its entries.

    An atlas assembled without the vocabulary (one group file checked on its own) has nothing to
    check ids against, so they are checked only when the vocabulary is present; the bundled
    atlas always loads it.
    """
    problems: list[str] = []
    if not atlas.movements:
        return problems
    vocab = {mv.id: mv for mv in atlas.movements}
    for mid, n in Counter(mv.id for mv in atlas.movements).items():
        if n > 1:
            problems.append(f"movement {mid}: defined {n} times")
    for mv in atlas.movements:
        if mv.region not in bases:
            problems.append(f"movement {mv.id}: unknown region {mv.region!r}")
    for _, tp in atlas.trigger_points():
        for test in tp.restricted_movements:
            if test.movement_id is None:
                continue
            mode, mid = parse_zone(test.movement_id)  # same grammar as a zone reference
            where = f"trigger point {tp.id}: movement_id {test.movement_id!r}"
            if mid not in vocab:
                problems.append(f"{where} is not in the movement vocabulary (atlas/movements.json)")
            elif mode != "same" and vocab[mid].sides == "none":
                problems.append(f"{where}: '{mode}:' used with a movement that has no side")
    return problems
