"""Visits: start, drawing, findings, ROM, PPT, plan, treatments, SOAP note, sign, amend.

A signed visit is locked: every write answers 409 with how to amend instead (the services raise
ConflictError, mapped in :mod:`myomap.web.app`).
"""

from __future__ import annotations

import json
from typing import Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from pydantic import Field

from myomap.domain.errors import UsageError
from myomap.web.deps import Ctx, RecordId, client_row, context, visit_row, writer
from myomap.web.inputs import ApiIn
from myomap.web.presenters import bodymap_config_json, chart_markup, plain_words

router = APIRouter()

Side = Literal["left", "right", "midline"]


class NoteIn(ApiIn):
    subjective: str | None = Field(default=None, max_length=20_000)
    objective: str | None = Field(default=None, max_length=20_000)
    assessment: str | None = Field(default=None, max_length=20_000)
    plan: str | None = Field(default=None, max_length=20_000)


class DrawingIn(ApiIn):
    drawing: dict[str, Any]


class FindingIn(ApiIn):
    """Either ``result`` (one tap: confirmed = the three consensus criteria found, absent =
    none found) or the three criteria one by one."""

    trp: str = Field(min_length=3, max_length=96)
    side: Side
    result: Literal["confirmed", "absent"] | None = None
    taut_band: bool | None = None
    hypersensitive_spot: bool | None = None
    referred_pain: bool | None = None
    recognised: bool | None = None
    note: str | None = Field(default=None, max_length=2000)


class RomIn(ApiIn):
    movement: str = Field(min_length=1, max_length=64)
    side: Side
    degrees: float


class PptIn(ApiIn):
    site: str = Field(min_length=1, max_length=96)
    side: Side
    trials_kpa: list[float] = Field(min_length=1, max_length=5)


class TreatmentIn(ApiIn):
    technique: str = Field(min_length=1, max_length=64)
    side: Side
    trp: str | None = Field(default=None, max_length=96)
    pressure: float | None = None
    hold_seconds: int | None = None
    repetitions: int | None = None
    response: str | None = Field(default=None, max_length=2000)


class SignIn(ApiIn):
    confirm: bool = True


class AmendIn(ApiIn):
    field: Literal["subjective", "objective", "assessment", "plan"]
    text: str = Field(min_length=1, max_length=20_000)
    reason: str = Field(min_length=1, max_length=2000)


class VisitIn(ApiIn):
    practitioner: str | None = Field(default=None, max_length=200)
    # Without it, a client's open draft is reopened instead of starting a second one.
    another: bool = False


def _detail(ctx: Ctx, visit_id: int, *, audit: bool = True) -> dict[str, Any]:
    from myomap.services import visits

    ctx.me.require("clinical.read")
    with ctx.tx() as session:
        visit_row(session, ctx.me, visit_id)
        detail = visits.show_visit(session, visit_id)
        if audit:
            ctx.audit(session, "read", "visit", visit_id)
    return detail.to_json()


def _write(ctx: Ctx, visit_id: int, action: Any) -> dict[str, Any]:
    """Run one change to a visit of the caller's clinic in one transaction."""
    ctx.me.require("clinical.write")
    with ctx.tx() as session:
        row = visit_row(session, ctx.me, visit_id)
        if row.deleted_at is not None:
            from myomap.domain.errors import NotFoundError

            raise NotFoundError(f"visit {visit_id} is deleted")
        result = action(session)
    if isinstance(result, list):
        return {"items": [r.to_json() for r in result]}
    out: dict[str, Any] = result.to_json()
    return out


def findings_of(detail: dict[str, Any]) -> list[str]:
    """The visit's findings in the differential's grammar (latest per TrP and side wins)."""
    out: dict[tuple[str, str], str] = {}
    for f in detail["findings"]:
        side = "" if f["side"] == "midline" else f":{f['side']}"
        out[(f["trp_id"], f["side"])] = \
            f"{f['trp_id']}{side}={'confirmed' if f['confirmed'] else 'absent'}"
    return list(out.values())


def latest_drawing(detail: dict[str, Any]) -> dict[str, Any] | None:
    drawings = detail["drawings"]
    return dict(drawings[-1]["drawing"]) if drawings else None


def latest_intake(ctx: Ctx, client_id: int) -> dict[str, Any] | None:
    from sqlalchemy import select

    from myomap.store.orm import Intake

    with ctx.tx() as session:
        row = session.scalars(select(Intake).where(Intake.client_id == client_id)
                              .order_by(Intake.recorded_at.desc(), Intake.id.desc())).first()
        return dict(row.answers) if row else None


def plan_for(ctx: Ctx, detail: dict[str, Any], minutes: int = 60) -> dict[str, Any] | None:
    """The session plan for the visit's drawing, intake and findings (None without drawing)."""
    from myomap.services import care
    from myomap.web.routes.clients import intake_of, parse_drawing_json

    drawing = latest_drawing(detail)
    if drawing is None:
        return None
    answers = latest_intake(ctx, detail["client_id"])
    intake = None
    if answers is not None:
        try:
            intake = intake_of(answers)
        except UsageError:
            intake = None  # an intake stored under older questions: plan without it
    plan: dict[str, Any] = care.make_plan(parse_drawing_json(drawing), intake,
                                          findings=findings_of(detail),
                                          minutes=minutes).to_dict()
    return plan


# -- API ---------------------------------------------------------------------------------------


@router.post("/api/clients/{client_id}/visits", tags=["visits"], status_code=201)
def api_start(client_id: RecordId, response: Response, body: VisitIn | None = None,
              ctx: Ctx = Depends(writer)) -> dict[str, Any]:
    """Start a draft visit for a client of your clinic.

    If the client already has an open draft it is answered (200, ``reopened``: true) instead,
    unless ``another`` is true."""
    from myomap.services import charting, visits

    ctx.me.require("clinical.write")
    with ctx.tx() as session:
        client_row(session, ctx.me, client_id)
        draft = None if body is not None and body.another else charting.open_draft(
            session, client_id)
        if draft is not None:
            response.status_code = 200
            found: dict[str, Any] = visits.summary_of(visits.get_row(session, draft)).to_json()
            return {**found, "reopened": True}
        name = (body.practitioner if body and body.practitioner else None) or ctx.me.username
        view = visits.start_visit(session, client_id, practitioner=name,
                                  actor=ctx.me.username)
    return view.to_json()


@router.get("/api/visits/{visit_id}", tags=["visits"])
def api_visit(visit_id: RecordId, ctx: Ctx = Depends(context)) -> dict[str, Any]:
    """The whole visit: SOAP (original and current text), drawings, findings, measures."""
    return _detail(ctx, visit_id)


@router.put("/api/visits/{visit_id}/note", tags=["visits"])
def api_note(visit_id: RecordId, body: NoteIn, ctx: Ctx = Depends(writer)) -> dict[str, Any]:
    """Set SOAP sections of a draft (sections left out are kept)."""
    from myomap.services import visits

    return _write(ctx, visit_id, lambda s: visits.write_note(
        s, visit_id, sections=body.model_dump(), actor=ctx.me.username))


@router.post("/api/visits/{visit_id}/drawings", tags=["visits"], status_code=201)
def api_drawing(visit_id: RecordId, body: DrawingIn, ctx: Ctx = Depends(writer)) -> dict[str, Any]:
    """Attach a pain drawing (myomap.drawing/1) to a draft visit."""
    from myomap.services import examination
    from myomap.web.routes.clients import parse_drawing_json

    drawing = parse_drawing_json(body.drawing)
    if not drawing.areas:
        raise UsageError("the drawing is empty: mark at least one painful region or stroke")
    return _write(ctx, visit_id, lambda s: examination.add_drawing(
        s, visit_id, drawing.model_dump(mode="json"), actor=ctx.me.username))


@router.post("/api/visits/{visit_id}/findings", tags=["visits"], status_code=201)
def api_finding(visit_id: RecordId, body: FindingIn, ctx: Ctx = Depends(writer)) -> dict[str, Any]:
    """Record a palpated TrP: one tap (``result``) or the three criteria."""
    from myomap.services import charting

    if body.result is not None:
        found = body.result == "confirmed"
        criteria = (found, found, found)
        recognised: bool | None = found if body.recognised is None else body.recognised
    else:
        given = (body.taut_band, body.hypersensitive_spot, body.referred_pain)
        if any(v is None for v in given):
            raise UsageError("give result (confirmed or absent) or all of taut_band, "
                             "hypersensitive_spot and referred_pain")
        criteria = (bool(given[0]), bool(given[1]), bool(given[2]))
        recognised = body.recognised
    return _write(ctx, visit_id, lambda s: charting.chart_finding(
        s, visit_id, trp=body.trp, side=body.side, taut_band=criteria[0],
        hypersensitive_spot=criteria[1], referred_pain=criteria[2], recognised=recognised,
        note=body.note, actor=ctx.me.username))


@router.post("/api/visits/{visit_id}/rom", tags=["visits"], status_code=201)
def api_rom(visit_id: RecordId, body: RomIn, ctx: Ctx = Depends(writer)) -> dict[str, Any]:
    """Record a range-of-motion measurement in degrees."""
    from myomap.services import examination

    return _write(ctx, visit_id, lambda s: examination.add_rom(
        s, visit_id, movement=body.movement, side=body.side, degrees=body.degrees,
        actor=ctx.me.username))


@router.post("/api/visits/{visit_id}/ppt", tags=["visits"], status_code=201)
def api_ppt(visit_id: RecordId, body: PptIn, ctx: Ctx = Depends(writer)) -> dict[str, Any]:
    """Record pressure pain threshold trials (kPa) at one site."""
    from myomap.services import examination

    return _write(ctx, visit_id, lambda s: examination.add_ppt(
        s, visit_id, site=body.site, side=body.side, trials_kpa=body.trials_kpa,
        actor=ctx.me.username))


@router.post("/api/visits/{visit_id}/treatments", tags=["visits"], status_code=201)
def api_treatment(visit_id: RecordId, body: TreatmentIn,
                  ctx: Ctx = Depends(writer)) -> dict[str, Any]:
    """Chart what was treated, with the dose (pressure 0-10, hold seconds, repetitions).

    The same treatment sent twice within a few seconds (a double tap) is charted once."""
    from myomap.services import charting

    return _write(ctx, visit_id, lambda s: charting.chart_treatment(
        s, visit_id, technique=body.technique, side=body.side, trp=body.trp,
        pressure=body.pressure, hold_seconds=body.hold_seconds, repetitions=body.repetitions,
        response=body.response, actor=ctx.me.username))


@router.delete("/api/visits/{visit_id}/{kind}/{entry_id}", tags=["visits"])
def api_remove(visit_id: RecordId, kind: Literal["findings", "treatments", "rom", "ppt"],
               entry_id: RecordId, ctx: Ctx = Depends(writer)) -> dict[str, Any]:
    """Remove one entry charted on a draft visit (audited); a signed visit answers 409."""
    from myomap.services import charting

    ctx.me.require("clinical.write")
    with ctx.tx() as session:
        visit_row(session, ctx.me, visit_id)
        return charting.remove_entry(session, visit_id, kind, entry_id,
                                     actor=ctx.me.username)


@router.post("/api/visits/{visit_id}/treatments/repeat", tags=["visits"], status_code=201)
def api_repeat(visit_id: RecordId, ctx: Ctx = Depends(writer)) -> dict[str, Any]:
    """Copy the treatments of the client's previous visit in one step."""
    from myomap.services import examination

    return _write(ctx, visit_id, lambda s: examination.repeat_last_treatment(
        s, visit_id, actor=ctx.me.username))


@router.get("/api/visits/{visit_id}/plan", tags=["visits"])
def api_visit_plan(visit_id: RecordId, minutes: int = Query(default=60),
                   ctx: Ctx = Depends(context)) -> dict[str, Any]:
    """The session and home-care plan for the visit's latest drawing, intake and findings."""
    detail = _detail(ctx, visit_id, audit=False)
    plan = plan_for(ctx, detail, minutes)
    if plan is None:
        raise UsageError(f"visit {visit_id} has no pain drawing yet; save one first")
    return plan


@router.post("/api/visits/{visit_id}/home-care", tags=["visits"], status_code=201)
def api_home_care(visit_id: RecordId, minutes: int = Query(default=60),
                  ctx: Ctx = Depends(writer)) -> dict[str, Any]:
    """Store the current home-care plan as given to the client."""
    from myomap.services import examination

    detail = _detail(ctx, visit_id, audit=False)
    plan = plan_for(ctx, detail, minutes)
    if plan is None:
        raise UsageError(f"visit {visit_id} has no pain drawing yet; save one first")
    return _write(ctx, visit_id, lambda s: examination.add_home_care(
        s, visit_id, plan["home_care"], actor=ctx.me.username))


@router.post("/api/visits/{visit_id}/sign", tags=["visits"])
def api_sign(visit_id: RecordId, body: SignIn | None = None,
             ctx: Ctx = Depends(writer)) -> dict[str, Any]:
    """Sign and lock the note; later changes are amendments."""
    from myomap.services import visits

    return _write(ctx, visit_id, lambda s: visits.sign_visit(
        s, visit_id, signed_by=ctx.me.username))


@router.post("/api/visits/{visit_id}/amendments", tags=["visits"], status_code=201)
def api_amend(visit_id: RecordId, body: AmendIn, ctx: Ctx = Depends(writer)) -> dict[str, Any]:
    """Change a signed note: the original stays readable, with reason, author and time."""
    from myomap.services import visits

    return _write(ctx, visit_id, lambda s: visits.amend_visit(
        s, visit_id, field=body.field, text=body.text, reason=body.reason,
        author=ctx.me.username))


# -- page --------------------------------------------------------------------------------------


@router.get("/visits/{visit_id}", include_in_schema=False)
def visit_page(visit_id: RecordId, ctx: Ctx = Depends(context)) -> Response:
    from myomap.services import clients

    detail = _detail(ctx, visit_id)
    with ctx.tx() as session:
        client = clients.get_client(session, detail["client_id"]).to_json()
    from myomap.services import charting

    drawing = latest_drawing(detail)
    offered = None
    if drawing is None and detail["status"] == "draft":
        with ctx.tx() as session:
            previous = charting.last_drawing(session, detail["client_id"], visit_id)
        if previous is not None:
            drawing, offered = previous
    plan = None
    plan_error = None
    try:
        plan = plan_for(ctx, detail)
    except UsageError as exc:
        plan_error = str(exc)
    findings = findings_of(detail)
    return ctx.render(
        "visit.html", title=f"Visit {visit_id} · {client['display_name']}", nav="clients",
        v=detail, client=client, plan=plan, plan_error=plan_error,
        visit={"id": visit_id, "status": detail["status"],
               "readonly": not ctx.me.can("clinical.write")},
        chart=chart_markup(), config=bodymap_config_json(),
        drawing_json=json.dumps(drawing).replace("</", "<\\/"),
        findings_json=json.dumps(findings).replace("</", "<\\/"),
        locked=detail["status"] == "signed", offered_drawing=offered,
        vocab=charting.vocabularies(), plain=plain_words,
        labels={k: dict(v) for k, v in charting.vocabularies().items()},
    )
