"""Agreement of the atlas zones with a referral reference written by others.

The reference (``data/differential/referral_reference.json``) lists, per muscle, the pain areas a
published page names, each as the body-map regions that express it. A muscle's atlas zones are the
union of the essential and spillover zones of all its trigger points, taken as base regions (the
side does not matter here); an entry for a page that describes a group as a whole names its atlas
muscles in ``muscles`` and is compared with their pooled zones. Two numbers per entry:

* **zone recall**: the share of the reference's areas that at least one atlas region falls in;
* **zone precision**: the share of the atlas regions that fall in some area of the reference.

Both are micro-averaged over all muscles as well. They measure agreement, not truth: the reference
pages follow the same manual, so a low number points to a zone the atlas expresses differently (or
a reading of the page to check), not to a wrong pattern.
"""

from __future__ import annotations

from typing import Any

from myomap.domain.atlas import Atlas, parse_zone


def atlas_regions(atlas: Atlas, muscle_id: str) -> set[str]:
    """Base regions of every essential and spillover zone of a muscle's trigger points."""
    muscle = next((m for m in atlas.muscles if m.id == muscle_id), None)
    if muscle is None:
        return set()
    return {
        parse_zone(ref)[1] for tp in muscle.trigger_points for ref in (*tp.essential, *tp.spillover)
    }


def zone_agreement(
    atlas: Atlas, reference: dict[str, Any]
) -> tuple[list[dict[str, Any]], dict[str, float]]:
    """Per-muscle zone recall and precision against the reference, and their micro averages."""
    rows: list[dict[str, Any]] = []
    hit_items = n_items = hit_regions = n_regions = 0
    for muscle_id, entry in sorted(reference["muscles"].items()):
        mine = set().union(*(atlas_regions(atlas, m) for m in entry.get("muscles", [muscle_id])))
        items = [set(item["regions"]) for item in entry["items"]]
        covered = set().union(*items) if items else set()
        found = [item for item in entry["items"] if mine & set(item["regions"])]
        inside = mine & covered
        rows.append(
            {
                "muscle": muscle_id,
                "source": entry["source"],
                "recall": round(len(found) / len(items), 3) if items else 0.0,
                "precision": round(len(inside) / len(mine), 3) if mine else 0.0,
                "missed": [i["area"] for i in entry["items"] if not mine & set(i["regions"])],
                "extra": sorted(mine - covered),
            }
        )
        hit_items, n_items = hit_items + len(found), n_items + len(items)
        hit_regions, n_regions = hit_regions + len(inside), n_regions + len(mine)
    totals = {
        "muscles": float(len(rows)),
        "recall": round(hit_items / n_items, 3) if n_items else 0.0,
        "precision": round(hit_regions / n_regions, 3) if n_regions else 0.0,
    }
    return rows, totals
