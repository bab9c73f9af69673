"""Clients: list and search, registration, detail, intake with screening; stateless screen/plan.

Every read of one client's record is written to the audit log (ids and verbs only).
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse, Response
from pydantic import Field

from myomap.domain.drawing import PainDrawing
from myomap.domain.errors import UsageError
from myomap.domain.records import ClientDetail, ClientSummary
from myomap.knowledge.load import Knowledge
from myomap.services import care, charting, clients, frontdesk, inputs
from myomap.web import client_drawing, intake_view
from myomap.web.api_models import (
    STAFF_ERRORS,
    PlanOut,
    QuestionnaireOut,
    QuestionsOut,
    ScreeningOut,
    errors,
)
from myomap.web.api_records import ClientNamedOut, IntakeScreenedOut
from myomap.web.deps import Ctx, RecordId, context, writer
from myomap.web.inputs import ApiIn
from myomap.web.presenters import available_downloads, presenter

router = APIRouter(responses=STAFF_ERRORS)


class ClientIn(ApiIn):
    display_name: str = Field(min_length=1, max_length=200)
    birth_year: int | None = Field(default=None, ge=1900, le=2100)
    sex: Literal["female", "male", "other"] | None = None
    contact: str | None = Field(default=None, max_length=500)


class ClientEditIn(ApiIn):
    """Only the fields sent are changed."""

    display_name: str | None = Field(default=None, min_length=1, max_length=200)
    birth_year: int | None = Field(default=None, ge=1900, le=2100)
    sex: Literal["female", "male", "other"] | None = None
    contact: str | None = Field(default=None, max_length=500)


class IntakeIn(ApiIn):
    """Screening answers by question id (see GET /api/screen/questionnaire)."""

    answers: dict[str, Any] = Field(default_factory=dict)
    drawing: dict[str, Any] | None = None


class QuestionsIn(ApiIn):
    """Answers so far and where it hurts: which follow-up questions they call for."""

    answers: dict[str, Any] = Field(default_factory=dict)
    painful: list[str] = Field(default_factory=list, max_length=500)


class PlanIn(ApiIn):
    drawing: dict[str, Any]
    intake: dict[str, Any] | None = None
    findings: list[str] = Field(default_factory=list, max_length=100)
    minutes: int = 60
    override_screening: str | None = Field(default=None, max_length=500)


def _drawing(known: Knowledge, data: dict[str, Any] | None) -> PainDrawing | None:
    return None if data is None else inputs.drawing_from_json(known, data)


def search_clients(ctx: Ctx, q: str | None) -> list[dict[str, Any]]:
    ctx.me.require("clients.read")
    with ctx.tx() as session:
        rows = clients.list_clients(session, scope=ctx.me)
    if q and q.strip():
        key = q.strip().lower()
        rows = [c for c in rows if key in c.display_name.lower() or key == str(c.id)]
    return [c.to_json() for c in rows]


def client_detail(ctx: Ctx, client_id: int) -> dict[str, Any]:
    ctx.me.require("clinical.read")
    with ctx.tx() as session:
        detail = clients.get_client(session, client_id, scope=ctx.me)
        ctx.audit(session, "read", "client", client_id)
    return detail.to_json()


# -- API ---------------------------------------------------------------------------------------


@router.get("/api/clients", tags=["clients"], response_model=list[ClientSummary])
def api_clients(
    q: str | None = Query(default=None, max_length=200), ctx: Ctx = Depends(context)
) -> list[dict[str, Any]]:
    """Clients of your clinic; ``q`` matches part of the name or the exact id."""
    return search_clients(ctx, q)


@router.post("/api/clients", tags=["clients"], status_code=201, response_model=ClientSummary)
def api_add_client(body: ClientIn, ctx: Ctx = Depends(writer)) -> dict[str, Any]:
    """Register a client in your clinic (minimal demographics)."""

    ctx.me.require("clients.write")
    with ctx.tx() as session:
        view = clients.add_client(
            session,
            display_name=body.display_name,
            birth_year=body.birth_year,
            sex=body.sex,
            contact=body.contact,
            actor=ctx.me.username,
            clinic_id=ctx.me.clinic_id,
        )
    return view.to_json()


@router.get(
    "/api/clients/{client_id}", tags=["clients"], response_model=ClientDetail, responses=errors(404)
)
def api_client(client_id: RecordId, ctx: Ctx = Depends(context)) -> dict[str, Any]:
    """One client with visits, intakes and measurements (the read is audited)."""
    return client_detail(ctx, client_id)


@router.post(
    "/api/clients/{client_id}/intakes",
    tags=["screening"],
    status_code=201,
    response_model=IntakeScreenedOut,
    responses=errors(404),
)
def api_intake(client_id: RecordId, body: IntakeIn, ctx: Ctx = Depends(writer)) -> dict[str, Any]:
    """Screen the answers and store them with the decision; returns both."""

    ctx.me.require("clinical.write")
    known = ctx.knowledge
    intake = inputs.intake_from_answers(known, body.answers)
    drawing = _drawing(known, body.drawing)
    screening = care.screen_intake(intake, drawing, knowledge=known)
    with ctx.tx() as session:
        view = clients.record_intake(
            session,
            client_id,
            answers=inputs.with_region_words(known, body.answers),
            decision=screening.decision,
            recorded_by=ctx.me.username,
            scope=ctx.me,
        )
    return {"intake": view.to_json(), "screening": screening.to_dict()}


@router.get("/api/screen/questionnaire", tags=["screening"], response_model=QuestionnaireOut)
def api_questionnaire(ctx: Ctx = Depends(context)) -> dict[str, Any]:
    """The screening questions, grouped by section, with answer types."""
    q = ctx.knowledge.questionnaire
    return {
        "version": q.version,
        "sections": dict(q.sections),
        "items": [
            {
                "id": i.id,
                "section": i.section,
                "type": i.type,
                "question": i.question,
                "options": list(i.options),
                "min": i.min,
                "max": i.max,
                "help": i.help,
                "follow_up": None if i.follow_up is None else dict(i.follow_up),
            }
            for i in q.items
        ],
    }


@router.post("/api/screen/questions", tags=["screening"], response_model=QuestionsOut)
def api_questions(body: QuestionsIn, ctx: Ctx = Depends(writer)) -> dict[str, Any]:
    """The question ids to ask for these answers and painful regions: every base question and
    each follow-up whose condition holds (the page shows follow-ups only when called for)."""

    known = ctx.knowledge
    intake = inputs.intake_from_answers(known, body.answers)
    return {"ask": care.questions_to_ask(intake, body.painful, knowledge=known)}


@router.post("/api/screen", tags=["screening"], response_model=ScreeningOut)
def api_screen(body: IntakeIn, ctx: Ctx = Depends(writer)) -> dict[str, Any]:
    """Screen answers (and a drawing) without storing anything: decision and reasons."""

    known = ctx.knowledge
    result: dict[str, Any] = care.screen_intake(
        inputs.intake_from_answers(known, body.answers),
        _drawing(known, body.drawing),
        knowledge=known,
    ).to_dict()
    return result


@router.post("/api/plan", tags=["screening"], response_model=PlanOut)
def api_plan(body: PlanIn, ctx: Ctx = Depends(writer)) -> dict[str, Any]:
    """Technique choice, session plan and home care for a drawing; nothing is stored."""

    known = ctx.knowledge
    drawing = inputs.drawing_from_json(known, body.drawing)
    intake = inputs.intake_from_answers(known, body.intake) if body.intake is not None else None
    result: dict[str, Any] = care.make_plan(
        drawing,
        intake,
        findings=body.findings,
        minutes=body.minutes,
        knowledge=known,
        override_screening=body.override_screening,
    ).to_dict()
    return result


# -- pages -------------------------------------------------------------------------------------


@router.get("/clients", include_in_schema=False, response_class=HTMLResponse)
def clients_page(
    added: int | None = Query(default=None, ge=1, le=2**31), ctx: Ctx = Depends(context)
) -> Response:
    rows = search_clients(ctx, None)
    added_name = next((c["display_name"] for c in rows if c["id"] == added), None)
    work: dict[str, list[dict[str, Any]]] = {"today": [], "drafts": [], "clients": []}
    if ctx.me.can("clinical.read"):
        with ctx.tx() as session:
            work = charting.worklist(session, clients.client_ids(session, scope=ctx.me))
    return ctx.render(
        "clients.html", title="Clients", nav="clients", clients=rows, work=work, added=added_name
    )


@router.patch(
    "/api/clients/{client_id}",
    tags=["clients"],
    response_model=ClientNamedOut,
    responses=errors(404),
)
def api_edit_client(
    client_id: RecordId, body: ClientEditIn, ctx: Ctx = Depends(writer)
) -> dict[str, Any]:
    """Correct a client's registration (name, year of birth, sex, contact)."""

    ctx.me.require("clients.write")
    changes = body.model_dump(exclude_unset=True)
    if changes.get("display_name", "") is None:
        raise UsageError("display name cannot be empty")
    with ctx.tx() as session:
        detail = frontdesk.edit_client(
            session, client_id, changes, actor=ctx.me.username, scope=ctx.me
        )
    return {"id": detail.id, "display_name": detail.display_name}


@router.get("/clients/{client_id}/edit", include_in_schema=False, response_class=HTMLResponse)
def edit_client_page(client_id: RecordId, ctx: Ctx = Depends(context)) -> Response:
    ctx.me.require("clients.write")
    with ctx.tx() as session:
        row = clients.get_row(session, client_id, scope=ctx.me)
        c = {
            "id": row.id,
            "display_name": row.display_name,
            "birth_year": row.birth_year,
            "sex": row.sex,
            "contact": row.contact,
        }
        ctx.audit(session, "read", "client", client_id)
    return ctx.render("client_edit.html", title=f"Edit · {c['display_name']}", nav="clients", c=c)


@router.get("/clients/{client_id}", include_in_schema=False, response_class=HTMLResponse)
def client_page(client_id: RecordId, ctx: Ctx = Depends(context)) -> Response:
    detail = client_detail(ctx, client_id)
    with ctx.tx() as session:
        own_drawing = client_drawing.latest_view(session, ctx.knowledge, client_id)
    return ctx.render(
        "client.html",
        title=detail["display_name"],
        nav="clients",
        c=detail,
        downloads=available_downloads(client_id),
        own_drawing=own_drawing,
    )


@router.get("/clients/{client_id}/intake", include_in_schema=False, response_class=HTMLResponse)
def intake_page(client_id: RecordId, ctx: Ctx = Depends(context)) -> Response:
    ctx.me.require("clinical.write")
    with ctx.tx() as session:
        row = clients.get_row(session, client_id, scope=ctx.me)
        name = row.display_name
        ctx.audit(session, "read", "client", client_id)
        last = intake_view.last_intake(session, client_id)
        painful = intake_view.painful_regions(session, ctx.knowledge, client_id)
    q = ctx.knowledge.questionnaire
    sections: dict[str, list[Any]] = {}
    for item in q.items:
        sections.setdefault(item.section, []).append(item)
    return ctx.render(
        "intake.html",
        title=f"Intake · {name}",
        nav="clients",
        client_id=client_id,
        client_name=name,
        sections=sections,
        section_titles=q.sections,
        last=last,
        painful=painful,
        regions=intake_view.region_choices(ctx.knowledge),
        chart=presenter(ctx.request).chart_markup,
        follow_ups=sorted(ctx.knowledge.follow_ups),
    )
