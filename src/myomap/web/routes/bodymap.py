"""The body map page and the live differential: ``POST /api/locate``, ``GET /api/regions``."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, Response
from pydantic import Field

from myomap.domain.errors import UsageError
from myomap.knowledge.load import Knowledge
from myomap.services.differential import locate, ranking_to_dict
from myomap.services.inputs import drawing_from_json
from myomap.web.api_models import STAFF_ERRORS, LocateOut, RegionOut
from myomap.web.deps import Ctx, context, writer
from myomap.web.inputs import ApiIn
from myomap.web.presenters import Presenter, presenter
from myomap.web.routes import personal

router = APIRouter(responses=STAFF_ERRORS)


class LocateIn(ApiIn):
    """A pain drawing (``myomap.drawing/1``) or plain region ids, and optional findings."""

    drawing: dict[str, Any] | None = Field(
        default=None, description="A myomap.drawing/1 document (areas with regions/strokes)."
    )
    regions: list[str] = Field(
        default_factory=list,
        max_length=400,
        description="Region ids, or bilateral base ids placed on side.",
    )
    side: Literal["left", "right", "both"] | None = None
    findings: list[str] = Field(
        default_factory=list,
        max_length=100,
        description="Palpation findings, as for myomap locate.",
    )
    top: int = Field(default=10, ge=1, le=50)


def run_locate(body: LocateIn, known: Knowledge, shown: Presenter) -> dict[str, Any]:
    if body.drawing is not None and body.regions:
        raise UsageError("give either drawing or regions, not both")
    diff = known.differential
    if body.drawing is not None:
        drawing = drawing_from_json(known, body.drawing)
        result = locate(drawing, findings=body.findings, top=body.top, differential=diff)
    else:
        result = locate(
            body.regions, side=body.side, findings=body.findings, top=body.top, differential=diff
        )
    return shown.enrich_ranking(ranking_to_dict(result))


@router.post(
    "/api/locate",
    tags=["differential"],
    response_model=LocateOut,
    response_model_exclude_unset=True,
)
def api_locate(body: LocateIn, ctx: Ctx = Depends(writer)) -> dict[str, Any]:
    """Rank the trigger points most likely to refer this pain; safety warnings come first.

    Each candidate also carries its whole essential and spillover zones and the chart position
    of its TrP (``mark``), for overlays. Supports a clinician's judgement; not a diagnosis.
    """
    return run_locate(body, ctx.knowledge, presenter(ctx.request))


@router.get("/api/regions", tags=["differential"], response_model=list[RegionOut])
def api_regions(ctx: Ctx = Depends(context)) -> list[dict[str, Any]]:
    """The body region vocabulary: id, label, side, view and mirror."""
    bm = ctx.knowledge.bodymap
    return [
        {
            "id": r.id,
            "label": r.label,
            "side": r.side.value,
            "view": r.view.value,
            "base": r.base,
            "mirror": bm.mirror(r.id),
        }
        for r in bm
    ]


@router.get("/", include_in_schema=False, response_class=HTMLResponse)
@router.get("/bodymap", include_in_schema=False, response_class=HTMLResponse)
def bodymap_page(ctx: Ctx = Depends(context)) -> Response:
    shown = presenter(ctx.request)
    if ctx.request.url.path == "/" and personal.personal_on(ctx.request):
        return personal.enter(ctx.request)
    return ctx.render(
        "bodymap.html",
        title="Body map",
        chart=shown.chart_markup,
        config=shown.bodymap_config_json,
        visit=None,
        drawing_json="null",
    )
