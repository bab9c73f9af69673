"""Visits: start, drawing, findings, ROM, PPT, plan, treatments, SOAP note, sign, amend.

A signed visit is locked: every write answers 409 with how to amend instead (the services raise
ConflictError, mapped in :mod:`myomap.web.app`).
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse, Response
from pydantic import Field

from myomap.domain.careplan import Plan
from myomap.domain.errors import NotFoundError, UsageError
from myomap.domain.records import (
    AmendmentView,
    DrawingView,
    HomeCareView,
    VisitDetail,
    VisitSummary,
)
from myomap.services import charting, clients, examination, visit_plan, visits
from myomap.services import clients as client_records
from myomap.services import visits as visit_records
from myomap.store.repositories import exam as exam_repo
from myomap.store.repositories.visits import summary as visit_summary
from myomap.web.api_models import STAFF_ERRORS, PlanOut, errors
from myomap.web.api_records import VisitStartedOut
from myomap.web.deps import Ctx, RecordId, context, writer
from myomap.web.inputs import ApiIn
from myomap.web.presenters import presenter
from myomap.web.security import script_json

router = APIRouter(responses=STAFF_ERRORS)
# What a change to a visit may also answer: no such visit, or a signed (locked) one.
VISIT_WRITE_ERRORS = errors(404, 409)

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
    ctx.me.require("clinical.read")
    with ctx.tx() as session:
        detail = visits.show_visit(session, visit_id, scope=ctx.me)
        if audit:
            ctx.audit(session, "read", "visit", visit_id)
    return detail.to_json()


def _write(ctx: Ctx, visit_id: int, action: Any) -> dict[str, Any]:
    """Run one change to a visit of the caller's clinic in one transaction (the action passes
    ``ctx.me`` on, so the use case applies the clinic scope too)."""
    ctx.me.require("clinical.write")
    with ctx.tx() as session:
        row = visit_records.get_row(session, visit_id, include_deleted=True, scope=ctx.me)
        if row.deleted_at is not None:
            raise NotFoundError(f"visit {visit_id} is deleted")
        result = action(session)
    if isinstance(result, list):
        return {"items": [r.to_json() for r in result]}
    out: dict[str, Any] = result.to_json()
    return out


def plan_for(ctx: Ctx, visit_id: int, minutes: int = 60) -> Plan:
    """The visit's plan, if the visit is of the caller's clinic."""
    with ctx.tx() as session:
        return visit_plan.plan_for_visit(session, ctx.knowledge, visit_id, minutes, scope=ctx.me)


def visit_decision(ctx: Ctx, detail: dict[str, Any]) -> str:
    """The visit's screening decision, if the visit is of the caller's clinic."""
    with ctx.tx() as session:
        return visit_plan.visit_decision(session, ctx.knowledge, int(detail["id"]), scope=ctx.me)


# -- API ---------------------------------------------------------------------------------------


@router.post(
    "/api/clients/{client_id}/visits",
    tags=["visits"],
    status_code=201,
    response_model=VisitStartedOut,
    response_model_exclude_unset=True,
    responses={
        200: {"model": VisitStartedOut, "description": "The client's open draft, reopened"},
        **errors(404),
    },
)
def api_start(
    client_id: RecordId, response: Response, body: VisitIn | None = None, ctx: Ctx = Depends(writer)
) -> dict[str, Any]:
    """Start a draft visit for a client of your clinic.

    If the client already has an open draft it is answered (200, ``reopened``: true) instead,
    unless ``another`` is true."""

    ctx.me.require("clinical.write")
    with ctx.tx() as session:
        client_records.get_row(session, client_id, scope=ctx.me)
        draft = (
            None if body is not None and body.another else charting.open_draft(session, client_id)
        )
        if draft is not None:
            response.status_code = 200
            found: dict[str, Any] = visit_summary(
                visits.get_row(session, draft, scope=ctx.me)
            ).to_json()
            return {**found, "reopened": True}
        name = (body.practitioner if body and body.practitioner else None) or ctx.me.username
        view = visits.start_visit(
            session, client_id, practitioner=name, actor=ctx.me.username, scope=ctx.me
        )
    return view.to_json()


@router.get(
    "/api/visits/{visit_id}", tags=["visits"], response_model=VisitDetail, responses=errors(404)
)
def api_visit(visit_id: RecordId, ctx: Ctx = Depends(context)) -> dict[str, Any]:
    """The whole visit: SOAP (original and current text), drawings, findings, measures."""
    return _detail(ctx, visit_id)


@router.put(
    "/api/visits/{visit_id}/note",
    tags=["visits"],
    response_model=VisitSummary,
    responses=VISIT_WRITE_ERRORS,
)
def api_note(visit_id: RecordId, body: NoteIn, ctx: Ctx = Depends(writer)) -> dict[str, Any]:
    """Set SOAP sections of a draft (sections left out are kept)."""

    return _write(
        ctx,
        visit_id,
        lambda s: visits.write_note(
            s,
            visit_id,
            sections=body.model_dump(exclude={"version"}),
            actor=ctx.me.username,
            version=body.version,
            scope=ctx.me,
        ),
    )


@router.post(
    "/api/visits/{visit_id}/drawings",
    tags=["visits"],
    status_code=201,
    response_model=DrawingView,
    responses=VISIT_WRITE_ERRORS,
)
def api_drawing(visit_id: RecordId, body: DrawingIn, ctx: Ctx = Depends(writer)) -> dict[str, Any]:
    """Attach a pain drawing (myomap.drawing/1) to a draft visit."""

    return _write(
        ctx,
        visit_id,
        lambda s: examination.add_drawing(
            s,
            visit_id,
            body.drawing,
            knowledge=ctx.knowledge,
            actor=ctx.me.username,
            scope=ctx.me,
        ),
    )


@router.get(
    "/api/visits/{visit_id}/plan", tags=["visits"], response_model=PlanOut, responses=errors(404)
)
def api_visit_plan(
    visit_id: RecordId, minutes: int = Query(default=60), ctx: Ctx = Depends(context)
) -> dict[str, Any]:
    """The session and home-care plan for the visit's latest drawing, intake and findings."""
    _detail(ctx, visit_id, audit=False)
    plan: dict[str, Any] = plan_for(ctx, visit_id, minutes).to_dict()
    return plan


@router.post(
    "/api/visits/{visit_id}/home-care",
    tags=["visits"],
    status_code=201,
    response_model=HomeCareView,
    responses=VISIT_WRITE_ERRORS,
)
def api_home_care(
    visit_id: RecordId, minutes: int = Query(default=60), ctx: Ctx = Depends(writer)
) -> dict[str, Any]:
    """Store the current home-care plan as given to the client."""

    _detail(ctx, visit_id, audit=False)
    plan = plan_for(ctx, visit_id, minutes).to_dict()
    return _write(
        ctx,
        visit_id,
        lambda s: examination.add_home_care(
            s, visit_id, plan["home_care"], actor=ctx.me.username, scope=ctx.me
        ),
    )


@router.post(
    "/api/visits/{visit_id}/sign",
    tags=["visits"],
    response_model=VisitSummary,
    responses=VISIT_WRITE_ERRORS,
)
def api_sign(
    visit_id: RecordId, body: SignIn | None = None, ctx: Ctx = Depends(writer)
) -> dict[str, Any]:
    """Sign and lock the note; later changes are amendments."""

    return _write(
        ctx,
        visit_id,
        lambda s: visits.sign_visit(
            s,
            visit_id,
            signed_by=ctx.me.username,
            version=body.version if body else None,
            scope=ctx.me,
        ),
    )


@router.post(
    "/api/visits/{visit_id}/amendments",
    tags=["visits"],
    status_code=201,
    response_model=AmendmentView,
    responses=VISIT_WRITE_ERRORS,
)
def api_amend(visit_id: RecordId, body: AmendIn, ctx: Ctx = Depends(writer)) -> dict[str, Any]:
    """Change a signed note: the original stays readable, with reason, author and time."""

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
            scope=ctx.me,
        ),
    )


# -- page --------------------------------------------------------------------------------------


@router.get("/visits/{visit_id}", include_in_schema=False, response_class=HTMLResponse)
def visit_page(visit_id: RecordId, ctx: Ctx = Depends(context)) -> Response:
    detail = _detail(ctx, visit_id)
    with ctx.tx() as session:
        client = clients.get_client(session, detail["client_id"], scope=ctx.me).to_json()
    with ctx.tx() as session:
        drawing = exam_repo.latest_drawing(session, visit_id)
        findings = [f.label() for f in visit_plan.visit_findings(session, visit_id)]

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
    vocab = charting.vocabularies(ctx.knowledge)
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
        chart=presenter(ctx.request).chart_markup,
        config=presenter(ctx.request).bodymap_config_json,
        drawing_json=script_json(drawing),
        findings_json=script_json(findings),
        locked=detail["status"] == "signed",
        offered_drawing=offered,
        vocab=vocab,
        plain=presenter(ctx.request).plain_words,
        labels={k: dict(v) for k, v in vocab.items()},
        instrument_names={i.id: i.short for i in ctx.knowledge.catalogue.instruments.values()},
    )
