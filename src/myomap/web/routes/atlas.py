"""Atlas browser: search muscles, and each muscle's chart, trigger points, release and self-care."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse, Response

from myomap.domain.atlas import Muscle
from myomap.domain.errors import UsageError
from myomap.domain.resolver import resolve_phrase
from myomap.knowledge.load import Knowledge
from myomap.services.atlas import find_muscle, muscles_for_regions
from myomap.web.api_models import STAFF_ERRORS, MuscleListedOut, errors
from myomap.web.deps import Ctx, context
from myomap.web.presenters import presenter

router = APIRouter(responses=STAFF_ERRORS)


def search(known: Knowledge, q: str | None) -> list[Muscle]:
    muscles = list(known.atlas.muscles)
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


def referring(known: Knowledge, q: str | None) -> tuple[list[str], list[Any]]:
    """Region labels the words name, and the muscles referring pain there (essential first)."""
    if not q or not q.strip():
        return [], []
    bm = known.bodymap
    try:
        regions = resolve_phrase(q.strip().lower(), bm)
    except UsageError:
        return [], []
    labels = [bm.get(r).label for r in regions if r in bm]
    return labels, muscles_for_regions(known.atlas, bm, regions)


def muscle(known: Knowledge, muscle_id: str) -> Muscle:
    return find_muscle(known.atlas, muscle_id)


@router.get("/api/atlas/muscles", tags=["atlas"], response_model=list[MuscleListedOut])
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
        for m in search(ctx.knowledge, q)
    ]


@router.get(
    "/api/atlas/muscles/{muscle_id}", tags=["atlas"], response_model=Muscle, responses=errors(404)
)
def api_muscle(muscle_id: str, ctx: Ctx = Depends(context)) -> dict[str, Any]:
    """One muscle: trigger points with zones, release, stretch, ROM exercise, self-care."""
    result: dict[str, Any] = muscle(ctx.knowledge, muscle_id).model_dump(mode="json")
    return result


@router.get("/atlas", include_in_schema=False, response_class=HTMLResponse)
def atlas_page(
    q: str | None = Query(default=None, max_length=100), ctx: Ctx = Depends(context)
) -> Response:
    labels, matches = referring(ctx.knowledge, q)
    return ctx.render(
        "atlas.html",
        title="Atlas",
        nav="atlas",
        q=q or "",
        muscles=search(ctx.knowledge, q),
        region_labels=labels,
        matches=matches,
    )


@router.get("/atlas/{muscle_id}", include_in_schema=False, response_class=HTMLResponse)
def muscle_page(muscle_id: str, ctx: Ctx = Depends(context)) -> Response:
    shown = presenter(ctx.request)
    m = muscle(ctx.knowledge, muscle_id)
    labels = {
        z: shown.zone_label(z) for tp in m.trigger_points for z in (*tp.essential, *tp.spillover)
    }
    tp_charts = {tp.id: shown.trigger_point_chart(m, tp.id) for tp in m.trigger_points}
    return ctx.render(
        "muscle.html",
        title=m.name,
        nav="atlas",
        m=m,
        chart=shown.muscle_chart(m),
        zone_labels=labels,
        tp_charts=tp_charts,
    )
