"""Visits: start, drawing, findings, ROM, PPT, plan, treatments, SOAP note, sign, amend.

A signed visit is locked: every write answers 409 with how to amend instead (the services raise
ConflictError, mapped in :mod:`myomap.web.app`).
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from pydantic import Field

from myomap.domain.careplan import Plan
from myomap.domain.errors import UsageError
from myomap.services import visit_plan
from myomap.store import queries
from myomap.store.queries import visit_summary
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
    version: int | None = Field(
        default=None,
        ge=1,
        le=2**31 - 1,
        description="the visit version the change is based on; 409 if the visit changed since",
    )


class DrawingIn(ApiIn):
    drawing: dict[str, Any]


class FindingIn(ApiIn):
    """Either ``result`` (one tap: confirmed or absent, stored as a result without criteria)
    or the three criteria one by one."""

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
    override_reason: str | None = Field(default=None, max_length=500)


class OverrideIn(ApiIn):
    reason: str = Field(min_length=1, max_length=500)


class SignIn(ApiIn):
    confirm: bool = True
    version: int | None = Field(
        default=None,
        ge=1,
        le=2**31 - 1,
        description="the visit version the change is based on; 409 if the visit changed since",
    )


class AmendIn(ApiIn):
    field: Literal["subjective", "objective", "assessment", "plan"]
    text: str = Field(min_length=1, max_length=20_000)
    reason: str = Field(min_length=1, max_length=2000)
    version: int | None = Field(
        default=None,
        ge=1,
        le=2**31 - 1,
        description="the visit version the change is based on; 409 if the visit changed since",
    )


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


def plan_for(ctx: Ctx, visit_id: int, minutes: int = 60) -> Plan:
    """The visit's plan (caller checked the visit is of the caller's clinic)."""
    with ctx.tx() as session:
        return visit_plan.plan_for_visit(session, ctx.knowledge, visit_id, minutes)


def visit_decision(ctx: Ctx, detail: dict[str, Any]) -> str:
    """The visit's screening decision (caller checked the visit is of the caller's clinic)."""
    with ctx.tx() as session:
        return visit_plan.visit_decision(session, ctx.knowledge, int(detail["id"]))


# -- API ---------------------------------------------------------------------------------------


@router.post("/api/clients/{client_id}/visits", tags=["visits"], status_code=201)
def api_start(
    client_id: RecordId, response: Response, body: VisitIn | None = None, ctx: Ctx = Depends(writer)
) -> dict[str, Any]:
    """Start a draft visit for a client of your clinic.

    If the client already has an open draft it is answered (200, ``reopened``: true) instead,
    unless ``another`` is true."""
    from myomap.services import charting, visits

    ctx.me.require("clinical.write")
    with ctx.tx() as session:
        client_row(session, ctx.me, client_id)
        draft = (
            None if body is not None and body.another else charting.open_draft(session, client_id)
        )
        if draft is not None:
            response.status_code = 200
            found: dict[str, Any] = visit_summary(visits.get_row(session, draft)).to_json()
            return {**found, "reopened": True}
        name = (body.practitioner if body and body.practitioner else None) or ctx.me.username
        view = visits.start_visit(session, client_id, practitioner=name, actor=ctx.me.username)
    return view.to_json()


@router.get("/api/visits/{visit_id}", tags=["visits"])
def api_visit(visit_id: RecordId, ctx: Ctx = Depends(context)) -> dict[str, Any]:
    """The whole visit: SOAP (original and current text), drawings, findings, measures."""
    return _detail(ctx, visit_id)


@router.put("/api/visits/{visit_id}/note", tags=["visits"])
def api_note(visit_id: RecordId, body: NoteIn, ctx: Ctx = Depends(writer)) -> dict[str, Any]:
    """Set SOAP sections of a draft (sections left out are kept)."""
    from myomap.services import visits

    return _write(
        ctx,
        visit_id,
        lambda s: visits.write_note(
            s,
            visit_id,
            sections=body.model_dump(exclude={"version"}),
            actor=ctx.me.username,
            version=body.version,
        ),
    )


@router.post("/api/visits/{visit_id}/drawings", tags=["visits"], status_code=201)
def api_drawing(visit_id: RecordId, body: DrawingIn, ctx: Ctx = Depends(writer)) -> dict[str, Any]:
    """Attach a pain drawing (myomap.drawing/1) to a draft visit."""
    from myomap.services import examination

    return _write(
        ctx,
        visit_id,
        lambda s: examination.add_drawing(
            s, visit_id, body.drawing, knowledge=ctx.knowledge, actor=ctx.me.username
        ),
    )


@router.post("/api/visits/{visit_id}/findings", tags=["visits"], status_code=201)
def api_finding(visit_id: RecordId, body: FindingIn, ctx: Ctx = Depends(writer)) -> dict[str, Any]:
    """Record a palpated TrP: one tap (``result``, stored as such) or the three criteria.

    The same finding sent twice within a few seconds (a double tap) is charted once."""
    from myomap.services import charting

    return _write(
        ctx,
        visit_id,
        lambda s: charting.chart_finding(
            s,
            visit_id,
            trp=body.trp,
            side=body.side,
            taut_band=body.taut_band,
            hypersensitive_spot=body.hypersensitive_spot,
            referred_pain=body.referred_pain,
            result=body.result,
            recognised=body.recognised,
            note=body.note,
            knowledge=ctx.knowledge,
            actor=ctx.me.username,
        ),
    )


@router.post("/api/visits/{visit_id}/rom", tags=["visits"], status_code=201)
def api_rom(visit_id: RecordId, body: RomIn, ctx: Ctx = Depends(writer)) -> dict[str, Any]:
    """Record a range-of-motion measurement in degrees."""
    from myomap.services import examination

    return _write(
        ctx,
        visit_id,
        lambda s: examination.add_rom(
            s,
            visit_id,
            movement=body.movement,
            side=body.side,
            degrees=body.degrees,
            actor=ctx.me.username,
        ),
    )


@router.post("/api/visits/{visit_id}/ppt", tags=["visits"], status_code=201)
def api_ppt(visit_id: RecordId, body: PptIn, ctx: Ctx = Depends(writer)) -> dict[str, Any]:
    """Record pressure pain threshold trials (kPa) at one site."""
    from myomap.services import examination

    return _write(
        ctx,
        visit_id,
        lambda s: examination.add_ppt(
            s,
            visit_id,
            site=body.site,
            side=body.side,
            trials_kpa=body.trials_kpa,
            actor=ctx.me.username,
        ),
    )


@router.post("/api/visits/{visit_id}/treatments", tags=["visits"], status_code=201)
def api_treatment(
    visit_id: RecordId, body: TreatmentIn, ctx: Ctx = Depends(writer)
) -> dict[str, Any]:
    """Chart what was treated, with the dose (pressure 0-10, hold seconds, repetitions).

    Pressure work (a trigger point or a pressure above 0) on a visit whose screening says
    ``refer`` or ``emergency`` needs ``override_reason``; it is stored with the visit and audited.
    The same treatment sent twice within a few seconds (a double tap) is charted once.
    """
    from myomap.domain.errors import ConflictError
    from myomap.services import charting, overrides

    decision = None
    if body.trp or (body.pressure or 0) > 0:
        decision = visit_decision(ctx, _detail(ctx, visit_id, audit=False))
    if decision in ("refer", "emergency") and not (body.override_reason or "").strip():
        raise ConflictError(
            f"this visit's screening says {decision}: pressure work is charted "
            "only with a reason (send override_reason, e.g. 'cleared by the "
            "GP today')"
        )

    def chart(s: Any) -> Any:
        if decision in ("refer", "emergency"):
            overrides.record_override(
                s,
                visit_id,
                decision=str(decision),
                reason=body.override_reason,
                actor=ctx.me.username,
            )
        return charting.chart_treatment(
            s,
            visit_id,
            technique=body.technique,
            side=body.side,
            trp=body.trp,
            pressure=body.pressure,
            hold_seconds=body.hold_seconds,
            repetitions=body.repetitions,
            response=body.response,
            actor=ctx.me.username,
        )

    return _write(ctx, visit_id, chart)


@router.post("/api/visits/{visit_id}/screening-override", tags=["visits"], status_code=201)
def api_override(
    visit_id: RecordId, body: OverrideIn, ctx: Ctx = Depends(writer)
) -> dict[str, Any]:
    """Record why pressure work goes ahead for a client not screened yet (stored, audited)."""
    from myomap.services import overrides

    decision = visit_decision(ctx, _detail(ctx, visit_id, audit=False))
    if decision != "not_screened":
        raise UsageError(
            f"the screening of visit {visit_id} says {decision}; an override "
            "applies only to a client not screened yet"
        )
    return _write(
        ctx,
        visit_id,
        lambda s: overrides.record_override(
            s, visit_id, decision=decision, reason=body.reason, actor=ctx.me.username
        ),
    )


@router.delete("/api/visits/{visit_id}/{kind}/{entry_id}", tags=["visits"])
def api_remove(
    visit_id: RecordId,
    kind: Literal["findings", "treatments", "rom", "ppt"],
    entry_id: RecordId,
    ctx: Ctx = Depends(writer),
) -> dict[str, Any]:
    """Remove one entry charted on a draft visit (audited); a signed visit answers 409."""
    from myomap.services import charting

    ctx.me.require("clinical.write")
    with ctx.tx() as session:
        visit_row(session, ctx.me, visit_id)
        return charting.remove_entry(session, visit_id, kind, entry_id, actor=ctx.me.username)


@router.post("/api/visits/{visit_id}/treatments/repeat", tags=["visits"], status_code=201)
def api_repeat(visit_id: RecordId, ctx: Ctx = Depends(writer)) -> dict[str, Any]:
    """Copy the treatments of the client's previous visit in one step.

    Refused on a visit whose screening says refer or emergency: each pressure treatment there is
    charted on its own, with a reason.
    """
    from myomap.domain.errors import ConflictError
    from myomap.services import examination

    decision = visit_decision(ctx, _detail(ctx, visit_id, audit=False))
    if decision in ("refer", "emergency"):
        raise ConflictError(
            f"this visit's screening says {decision}: chart each treatment "
            "with override_reason instead of repeating the last visit"
        )

    return _write(
        ctx,
        visit_id,
        lambda s: examination.repeat_last_treatment(s, visit_id, actor=ctx.me.username),
    )


@router.get("/api/visits/{visit_id}/plan", tags=["visits"])
def api_visit_plan(
    visit_id: RecordId, minutes: int = Query(default=60), ctx: Ctx = Depends(context)
) -> dict[str, Any]:
    """The session and home-care plan for the visit's latest drawing, intake and findings."""
    _detail(ctx, visit_id, audit=False)
    plan: dict[str, Any] = plan_for(ctx, visit_id, minutes).to_dict()
    return plan


@router.post("/api/visits/{visit_id}/home-care", tags=["visits"], status_code=201)
def api_home_care(
    visit_id: RecordId, minutes: int = Query(default=60), ctx: Ctx = Depends(writer)
) -> dict[str, Any]:
    """Store the current home-care plan as given to the client."""
    from myomap.services import examination

    _detail(ctx, visit_id, audit=False)
    plan = plan_for(ctx, visit_id, minutes).to_dict()
    return _write(
        ctx,
        visit_id,
        lambda s: examination.add_home_care(s, visit_id, plan["home_care"], actor=ctx.me.username),
    )


@router.post("/api/visits/{visit_id}/sign", tags=["visits"])
def api_sign(
    visit_id: RecordId, body: SignIn | None = None, ctx: Ctx = Depends(writer)
) -> dict[str, Any]:
    """Sign and lock the note; later changes are amendments."""
    from myomap.services import visits

    return _write(
        ctx,
        visit_id,
        lambda s: visits.sign_visit(
            s, visit_id, signed_by=ctx.me.username, version=body.version if body else None
        ),
    )


@router.post("/api/visits/{visit_id}/amendments", tags=["visits"], status_code=201)
def api_amend(visit_id: RecordId, body: AmendIn, ctx: Ctx = Depends(writer)) -> dict[str, Any]:
    """Change a signed note: the original stays readable, with reason, author and time."""
    from myomap.services import visits

    return _write(
        ctx,
        visit_id,
        lambda s: visits.amend_visit(
            s,
            visit_id,
            field=body.field,
            text=body.text,
            reason=body.reason,
            author=ctx.me.username,
            version=body.version,
        ),
    )


# -- page --------------------------------------------------------------------------------------


@router.get("/visits/{visit_id}", include_in_schema=False)
def visit_page(visit_id: RecordId, ctx: Ctx = Depends(context)) -> Response:
    from myomap.services import clients
    from myomap.web.security import script_json

    detail = _detail(ctx, visit_id)
    with ctx.tx() as session:
        client = clients.get_client(session, detail["client_id"]).to_json()
    with ctx.tx() as session:
        drawing = queries.latest_drawing(session, visit_id)
        findings = [f.label() for f in visit_plan.visit_findings(session, visit_id)]
    from myomap.services import charting

    offered = None
    if drawing is None and detail["status"] == "draft":
        with ctx.tx() as session:
            previous = charting.last_drawing(session, detail["client_id"], visit_id)
        if previous is not None:
            drawing, offered = previous
    plan = None
    plan_error = None
    try:
        plan = (
            plan_for(ctx, visit_id).to_dict() if drawing is not None and offered is None else None
        )
    except UsageError as exc:
        plan_error = str(exc)
    return ctx.render(
        "visit.html",
        title=f"Visit {visit_id} · {client['display_name']}",
        nav="clients",
        v=detail,
        client=client,
        plan=plan,
        plan_error=plan_error,
        visit={
            "id": visit_id,
            "status": detail["status"],
            "readonly": not ctx.me.can("clinical.write"),
        },
        chart=chart_markup(),
        config=bodymap_config_json(),
        drawing_json=script_json(drawing),
        findings_json=script_json(findings),
        locked=detail["status"] == "signed",
        offered_drawing=offered,
        vocab=charting.vocabularies(),
        plain=plain_words,
        labels={k: dict(v) for k, v in charting.vocabularies().items()},
    )
