"""Atlas browser: search muscles, and each muscle's chart, trigger points, release and self-care."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from myomap.web.deps import Ctx, context

router = APIRouter()


def search(q: str | None) -> list[Any]:
    from myomap.knowledge.loader import load_atlas

    muscles = list(load_atlas().muscles)
    if q and q.strip():
        key = q.strip().lower().replace("-", " ").replace("_", " ")
        muscles = [
            m
            for m in muscles
            if any(
                key in s.lower().replace("-", " ").replace("_", " ")
                for s in (m.id, m.name, *m.synonyms)
            )
        ]
    return sorted(muscles, key=lambda m: m.name.lower())


def referring(q: str | None) -> tuple[list[str], list[Any]]:
    """Region labels the words name, and the muscles referring pain there (essential first)."""
    from myomap.domain.errors import UsageError
    from myomap.domain.resolver import resolve_phrase
    from myomap.knowledge.loader import load_atlas, load_bodymap
    from myomap.services.atlas import muscles_for_regions

    if not q or not q.strip():
        return [], []
    bm = load_bodymap()
    try:
        regions = resolve_phrase(q.strip().lower(), bm)
    except UsageError:
        return [], []
    labels = [bm.get(r).label for r in regions if r in bm]
    return labels, muscles_for_regions(load_atlas(), bm, regions)


def muscle(muscle_id: str) -> Any:
    from myomap.knowledge.loader import load_atlas
    from myomap.services.atlas import find_muscle

    return find_muscle(load_atlas(), muscle_id)


@lru_cache(maxsize=256)
def muscle_chart(muscle_id: str) -> str:
    """Right-side referral zones (essential solid, spillover stippled) and each TrP's X."""
    from myomap.chart import Mark, chart_svg
    from myomap.domain.bodymap import Side
    from myomap.knowledge.loader import load_bodymap
    from myomap.web.presenters import trp_overlay

    m = muscle(muscle_id)
    bm = load_bodymap()
    zones: dict[str, str] = {}
    marks = []
    for tp in m.trigger_points:
        side = "right" if bm.is_bilateral_base(tp.location.region) else "midline"
        try:
            overlay = trp_overlay(tp.id, side)
        except KeyError:
            overlay = trp_overlay(tp.id, "right")
        for rid in overlay["zones"]["spillover"]:
            zones.setdefault(rid, "stippled")
        for rid in overlay["zones"]["essential"]:
            zones[rid] = "solid"
        region = bm.on_side(tp.location.region, Side.RIGHT)
        marks.append(Mark(region, tp.location.at, ""))
    svg = chart_svg("both", zones=zones, marks=marks)
    return svg.replace('width="800" height="1040" ', "", 1)


@lru_cache(maxsize=1024)
def trigger_point_chart(muscle_id: str, tp_id: str) -> str:
    """One trigger point's own picture: its X and its zones, on the view they fall on.

    A muscle with seven TrPs gets seven pictures beside the combined chart. Several SVGs share
    the page, so region ids are dropped and the stipple pattern gets an id of its own.
    """
    import re

    from myomap.chart import Mark, chart_svg
    from myomap.domain.bodymap import Side
    from myomap.knowledge.loader import load_bodymap
    from myomap.web.presenters import trp_overlay

    m = muscle(muscle_id)
    tp = next(t for t in m.trigger_points if t.id == tp_id)
    bm = load_bodymap()
    side = "right" if bm.is_bilateral_base(tp.location.region) else "midline"
    try:
        overlay = trp_overlay(tp.id, side)
    except KeyError:
        overlay = trp_overlay(tp.id, "right")
    zones: dict[str, str] = dict.fromkeys(overlay["zones"]["spillover"], "stippled")
    zones.update(dict.fromkeys(overlay["zones"]["essential"], "solid"))
    region = bm.on_side(tp.location.region, Side.RIGHT)
    views = {bm.get(r).view.value for r in (*zones, region) if r in bm}
    view = views.pop() if len(views) == 1 else "both"
    svg = chart_svg(view, zones=zones, marks=[Mark(region, tp.location.at, "")])
    svg = re.sub(r'\swidth="\d+" height="\d+"', "", svg, count=1)
    svg = re.sub(r' id="[^"]+" class="region"', ' class="region"', svg)
    pattern = "stipple-" + re.sub(r"[^a-z0-9]+", "-", tp.id)
    return svg.replace('id="stipple"', f'id="{pattern}"').replace(
        "url(#stipple)", f"url(#{pattern})"
    )


@router.get("/api/atlas/muscles", tags=["atlas"])
def api_muscles(
    q: str | None = Query(default=None, max_length=100), ctx: Ctx = Depends(context)
) -> list[dict[str, Any]]:
    """Muscles whose id, name or a synonym contains ``q`` (all when empty)."""
    return [
        {
            "id": m.id,
            "name": m.name,
            "group": m.group,
            "synonyms": list(m.synonyms),
            "trigger_points": len(m.trigger_points),
        }
        for m in search(q)
    ]


@router.get("/api/atlas/muscles/{muscle_id}", tags=["atlas"])
def api_muscle(muscle_id: str, ctx: Ctx = Depends(context)) -> dict[str, Any]:
    """One muscle: trigger points with zones, release, stretch, ROM exercise, self-care."""
    result: dict[str, Any] = muscle(muscle_id).model_dump(mode="json")
    return result


@router.get("/atlas", include_in_schema=False)
def atlas_page(
    q: str | None = Query(default=None, max_length=100), ctx: Ctx = Depends(context)
) -> Response:
    labels, matches = referring(q)
    return ctx.render(
        "atlas.html",
        title="Atlas",
        nav="atlas",
        q=q or "",
        muscles=search(q),
        region_labels=labels,
        matches=matches,
    )


@router.get("/atlas/{muscle_id}", include_in_schema=False)
def muscle_page(muscle_id: str, ctx: Ctx = Depends(context)) -> Response:
    from myomap.knowledge.loader import load_bodymap

    m = muscle(muscle_id)
    bm = load_bodymap()

    def label(zone: str) -> str:
        from myomap.domain.atlas import parse_zone

        mode, base = parse_zone(zone)
        ids = [r.id for r in bm if r.base == base]
        name = bm.get(ids[0]).label if ids else base
        for word in (" (left)", " (right)", "left ", "right ", "Left ", "Right "):
            name = name.replace(word, "")
        prefix = {"contra": "opposite side: ", "both": "both sides: "}.get(mode, "")
        return prefix + name

    labels = {z: label(z) for tp in m.trigger_points for z in (*tp.essential, *tp.spillover)}
    tp_charts = {tp.id: trigger_point_chart(m.id, tp.id) for tp in m.trigger_points}
    return ctx.render(
        "muscle.html",
        title=m.name,
        nav="atlas",
        m=m,
        chart=muscle_chart(m.id),
        zone_labels=labels,
        tp_charts=tp_charts,
    )
