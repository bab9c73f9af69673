"""Measures entry, the progress dashboard and downloads (report and handout PDF, FHIR, CSV)."""

from __future__ import annotations

import io
import json
import logging
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import Field

from myomap.domain.careplan import Plan
from myomap.domain.errors import NotFoundError, UsageError
from myomap.domain.outcomes import Catalogue, score
from myomap.knowledge.loader import atlas_version
from myomap.reports.handout import TEMPLATES, handout_context, render_html
from myomap.reports.render import render_pdf
from myomap.services import clients, exports, visits
from myomap.services.outcomes import record_measurement
from myomap.services.progress import client_progress as summary
from myomap.store.orm import utcnow
from myomap.web.api_models import STAFF_ERRORS, download, errors
from myomap.web.api_records import InstrumentOut, MeasuredOut, ProgressOut, ScoreOut
from myomap.web.deps import (
    MAX_RECORD_ID,
    Ctx,
    RecordId,
    context,
    writer,
)
from myomap.web.inputs import ApiIn
from myomap.web.presenters import available_downloads, line_chart
from myomap.web.routes.visits import plan_for

router = APIRouter(responses=STAFF_ERRORS)


class MeasurementIn(ApiIn):
    instrument: str = Field(min_length=1, max_length=40)
    answers: list[float | None] = Field(min_length=1, max_length=200)
    visit_id: int | None = Field(default=None, ge=1, le=MAX_RECORD_ID)


class ScoreIn(ApiIn):
    answers: list[float | None] = Field(min_length=1, max_length=200)


def catalogue(ctx: Ctx) -> Catalogue:
    """The application's instrument catalogue (bundled plus the clinic's folder)."""
    return ctx.knowledge.catalogue


def _attachment(data: bytes, media: str, name: str) -> Response:
    return Response(
        data, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


def client_progress(ctx: Ctx, client_id: int, *, action: str = "read") -> dict[str, Any]:
    """The outcomes service's progress summary for a client of the caller's clinic."""

    ctx.me.require("clinical.read")
    with ctx.tx() as session:
        data = summary(session, client_id, catalogue(ctx), scope=ctx.me)
        ctx.audit(session, action, "client", client_id)
    return data


def _day(at: str) -> str:
    return at[:10]


def charts(progress: dict[str, Any]) -> list[dict[str, Any]]:
    """Small SVG line charts: each instrument on its own range, then PPT and ROM series."""
    out: list[dict[str, Any]] = []
    for m in progress["measures"]:
        points = [(_day(p["at"]), float(p["total"])) for p in m["points"]]
        low, high = m["range"] or (min(v for _, v in points), max(v for _, v in points))
        change = m.get("change") or {}
        trend = m.get("trend") or {}
        out.append(
            {
                "key": m["instrument"],
                "title": m["short"],
                "points": points,
                "svg": line_chart(points, low=float(low), high=float(high), title=m["short"]),
                "note": ", ".join(
                    x
                    for x in (
                        str(change.get("category") or ""),
                        str(trend.get("status") or "").replace("_", " "),
                    )
                    if x
                ),
            }
        )
    for s in progress["ppt"]:
        points = [(_day(p["at"]), float(p["mean_kpa"])) for p in s["points"]]
        title = f"PPT {s['site'].replace('_', ' ')} ({s['side']}), kPa"
        top = max(v for _, v in points)
        out.append(
            {
                "key": f"ppt-{s['site']}-{s['side']}",
                "title": title,
                "points": points,
                "svg": line_chart(
                    points, low=0.0, high=float(round(top * 1.2, -1) or 1), title=title
                ),
                "note": "higher is better",
            }
        )
    for s in progress["rom"]:
        points = [(_day(p["at"]), float(p["degrees"])) for p in s["points"]]
        title = f"{s['movement'].replace('_', ' ').capitalize()} ({s['side']})"
        high = max([float(s.get("norm_degrees") or 0), *(v for _, v in points)])
        note = "range of motion, degrees" + (
            f"; norm {s['norm_degrees']:g}°" if s.get("norm_degrees") else ""
        )
        out.append(
            {
                "key": f"rom-{s['movement']}-{s['side']}",
                "title": title,
                "points": points,
                "svg": line_chart(points, low=0.0, high=high or 1.0, title=title),
                "note": note,
            }
        )
    return out


# -- API ---------------------------------------------------------------------------------------


@router.get("/api/instruments", tags=["outcomes"], response_model=list[InstrumentOut])
def api_instruments(ctx: Ctx = Depends(context)) -> list[dict[str, Any]]:
    """Outcome instruments: id, name, number of items and their answer range."""
    return [
        {
            "id": i.id,
            "name": i.name,
            "short": i.short,
            "items": i.items.count,
            "min": i.items.min,
            "max": i.items.max,
            "direction": i.direction,
        }
        for i in catalogue(ctx).instruments.values()
    ]


@router.post("/api/instruments/{instrument}/score", tags=["outcomes"], response_model=ScoreOut)
def api_score(instrument: str, body: ScoreIn, ctx: Ctx = Depends(writer)) -> dict[str, Any]:
    """Score answers without storing them (a dry run): the total a page shows as answers are
    given is the one saving stores, since both come from the same scoring rules."""

    ctx.me.require("measures.write")
    inst = catalogue(ctx).get(instrument[:40])
    result = score(inst, list(body.answers))
    return {**result.to_json(), "missing": result.missing, "imputed": result.imputed}


@router.post(
    "/api/clients/{client_id}/measurements",
    tags=["outcomes"],
    status_code=201,
    response_model=MeasuredOut,
    responses=errors(404),
)
def api_measure(
    client_id: RecordId, body: MeasurementIn, ctx: Ctx = Depends(writer)
) -> dict[str, Any]:
    """Score and store one instrument's answers (``null`` for an unanswered item)."""

    ctx.me.require("measures.write")
    name = body.instrument.strip().lower()
    cat = catalogue(ctx)
    if name not in cat.instruments:
        raise UsageError(
            f"unknown instrument {name[:40]!r}; use one of: {', '.join(sorted(cat.instruments))}"
        )
    with ctx.tx() as session:
        # another clinic's client or visit: the 404 of a missing one
        view, result = record_measurement(
            session,
            cat,
            client_id,
            instrument=name,
            answers=list(body.answers),
            visit_id=body.visit_id,
            actor=ctx.me.username,
            scope=ctx.me,
        )
    out = view.to_json()
    out["band"] = result.band
    return out


@router.get(
    "/api/clients/{client_id}/progress",
    tags=["outcomes"],
    response_model=ProgressOut,
    response_model_exclude_unset=True,
    responses=errors(404),
)
def api_progress(client_id: RecordId, ctx: Ctx = Depends(context)) -> dict[str, Any]:
    """Measures with change, responder status and trend; PPT, ROM, drawings, treatments."""
    return client_progress(ctx, client_id)


@router.get(
    "/api/clients/{client_id}/fhir.json",
    tags=["exports"],
    response_class=Response,
    responses={**download("application/fhir+json", "A FHIR R4 Bundle"), **errors(404)},
)
def api_fhir(
    client_id: RecordId,
    transaction: bool = Query(default=False),
    ctx: Ctx = Depends(context),
) -> Response:
    """The client's record as a FHIR R4 Bundle (validated before it is sent); with
    ``?transaction=true`` a transaction Bundle of conditional creates to POST to a FHIR server's
    base URL, as ``myomap export fhir CLIENT --transaction`` writes it."""
    ctx.me.require("clinical.read")
    with ctx.tx() as session:
        bundle = exports.export_fhir(
            session, client_id, catalogue(ctx), transaction=transaction, scope=ctx.me
        )
        ctx.audit(session, "export_fhir", "client", client_id)
    data = json.dumps(bundle, indent=1, default=str).encode()
    name = f"myomap-client-{client_id}-fhir{'-transaction' if transaction else ''}.json"
    return _attachment(data, "application/fhir+json", name)


@router.get(
    "/api/export/csv.zip",
    tags=["exports"],
    response_class=Response,
    responses=download("application/zip", "The six CSV files, zipped"),
)
def api_csv(ctx: Ctx = Depends(context)) -> Response:
    """Every client record of your clinic as the six CSV files, zipped."""

    ctx.me.require("clinical.read")
    with ctx.tx() as session:
        mine = clients.client_ids(session, scope=ctx.me)
        with tempfile.TemporaryDirectory() as tmp:
            exports.export_csv(session, Path(tmp), catalogue(ctx), client_ids=set(mine))
            ctx.audit(session, "export_csv", "client", None)
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
                for f in sorted(Path(tmp).iterdir()):
                    zf.write(f, f.name)
    stamp = datetime.now(UTC).strftime("%Y%m%d")
    return _attachment(buffer.getvalue(), "application/zip", f"myomap-export-{stamp}.zip")


@router.get(
    "/api/clients/{client_id}/handout.pdf",
    tags=["exports"],
    response_class=Response,
    responses={**download("application/pdf", "The home-care handout"), **errors(404)},
)
def api_handout(client_id: RecordId, ctx: Ctx = Depends(context)) -> Response:
    """The home-care handout for the client's latest visit with a pain drawing."""

    ctx.me.require("clinical.read")
    with ctx.tx() as session:
        detail = clients.get_client(session, client_id, include_deleted=False, scope=ctx.me)
        shown = [
            visits.show_visit(session, v.id, scope=ctx.me).to_json()
            for v in reversed(detail.visits)
            if not v.deleted
        ]
        ctx.audit(session, "export_handout", "client", client_id)
    visit = next((v for v in shown if v["drawings"]), None)
    if visit is None:
        raise NotFoundError(f"client {client_id} has no visit with a pain drawing yet")
    plan = plan_for(ctx, visit["id"])
    drawing = visit["drawings"][-1]["drawing"]
    regions: dict[str, float] = {}
    for area in drawing.get("areas", []):
        for rid in area.get("regions", []):
            regions[rid] = max(regions.get(rid, 0.0), float(area.get("intensity", 0)))
    pdf = _handout_pdf(plan, regions)
    return _attachment(pdf, "application/pdf", f"myomap-handout-{client_id}.pdf")


def _handout_pdf(plan: Plan, regions: dict[str, float]) -> bytes:
    html = render_html(handout_context(plan, drawing_regions=regions))
    return _pdf(html, str(TEMPLATES))


def _pdf(html: str, base_url: str) -> bytes:
    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    data: bytes = HTML(string=html, base_url=base_url).write_pdf()
    return data


@router.get(
    "/api/clients/{client_id}/report.pdf",
    tags=["exports"],
    response_class=Response,
    responses={**download("application/pdf", "The report"), **errors(404)},
)
def api_report(
    client_id: RecordId,
    kind: Literal["clinician", "progress"] = "clinician",
    ctx: Ctx = Depends(context),
) -> Response:
    """The one-page clinician report, or the longer progress report, as PDF."""

    data = client_progress(ctx, client_id, action="export_report")
    pdf = render_pdf(
        data,
        kind,
        atlas_version=atlas_version(),
        generated_at=utcnow(),
        sources=sorted(str(v) for v in catalogue(ctx).sources.values()),
    )
    return _attachment(pdf, "application/pdf", f"myomap-{kind}-report-{client_id}.pdf")


# -- pages -------------------------------------------------------------------------------------


@router.get("/clients/{client_id}/measures", include_in_schema=False, response_class=HTMLResponse)
def measures_page(request: Request, client_id: RecordId, ctx: Ctx = Depends(context)) -> Response:
    ctx.me.require("measures.write")
    with ctx.tx() as session:
        row = clients.get_row(session, client_id, scope=ctx.me)
        name = row.display_name
        visits = [
            {"id": v.id, "day": v.started_at.date().isoformat(), "status": v.status}
            for v in row.visits
            if v.deleted_at is None
        ]
    instruments = list(catalogue(ctx).instruments.values())
    chosen = request.query_params.get("visit", "")
    known_ids = {str(v["id"]) for v in visits}
    return ctx.render(
        "measures.html",
        title=f"Measures · {name}",
        nav="clients",
        client_id=client_id,
        client_name=name,
        instruments=instruments,
        visits=list(reversed(visits)),
        chosen_visit=chosen if chosen in known_ids else "",
        sources=catalogue(ctx).sources,
    )


@router.get("/clients/{client_id}/progress", include_in_schema=False, response_class=HTMLResponse)
def progress_page(client_id: RecordId, ctx: Ctx = Depends(context)) -> Response:
    data = client_progress(ctx, client_id)
    return ctx.render(
        "progress.html",
        title=f"Progress · {data['client']['display_name']}",
        nav="clients",
        c=data["client"],
        p=data,
        charts=charts(data),
        downloads=available_downloads(client_id),
    )
