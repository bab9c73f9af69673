"""The client's own pages: opened by a link, scoped to that one client, nothing else.

A client session is a signed cookie of its own (``myomap_client``) naming the link it was opened
with and the client; every request re-reads the link row, so a revoked or expired link ends the
session at once. These routes take the client id from that cookie only, never from the request,
and staff routes never accept this cookie: a client reaches their own intake, drawings, diary,
consent and home care, and nothing else. Tokens travel in the URL path once and are never logged
(the server keeps no access log; the audit trail names the client id, not the token).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import Field

from myomap.domain.actor import OPERATOR, Actor
from myomap.domain.drawing import PainDrawing
from myomap.domain.errors import NotFoundError, UsageError
from myomap.knowledge.load import Knowledge
from myomap.knowledge.poses import load_poses
from myomap.services import care, clients, consent, inputs, portal
from myomap.services.consent import ConsentView
from myomap.services.database import Store
from myomap.services.reminders import home_care_calendar
from myomap.store.repositories import clients as client_repo
from myomap.web.api_models import download, errors
from myomap.web.api_portal import DiaryAnsweredOut, ManifestOut, MeIntakeOut, MeOut
from myomap.web.deps import knowledge as app_knowledge
from myomap.web.inputs import ApiIn
from myomap.web.presenters import presenter
from myomap.web.security import (
    CookieSigner,
    ForbiddenError,
    same_token,
    write_lock,
)

# A client session's routes: the guard's checks, the link's session (403), the request's shape.
router = APIRouter(responses=errors(400, 403, 413, 422))
STATIC = Path(__file__).resolve().parents[1] / "static"

CLIENT_COOKIE = "myomap_client"
CLIENT_SESSION_MAX_AGE = 30 * 24 * 3600
LINK_FAILURES_PER_ADDRESS = 20
LINK_WINDOW = timedelta(minutes=15)


@dataclass(frozen=True)
class ClientCtx:
    """A client session: the client and the link it was opened with."""

    request: Request
    store: Store
    client_id: int
    link_id: int
    csrf: str

    @property
    def knowledge(self) -> Knowledge:
        return app_knowledge(self.request)

    @property
    def scope(self) -> Actor:
        """The session names its one client itself (from the signed link, never from the
        request), so the use cases look the record up without a clinic filter."""
        return OPERATOR

    def drawing(self, data: dict[str, Any] | None) -> PainDrawing | None:
        return None if data is None else inputs.drawing_from_json(self.knowledge, data)


def kept_drawing(data: dict[str, Any] | None, parsed: PainDrawing | None) -> dict[str, Any] | None:
    """The drawing document to store: as sent once it has been read, and none when it marks
    nothing (an untouched body map is no answer)."""
    return data if parsed is not None and parsed.areas else None


def _cookie(request: Request) -> dict[str, Any]:
    signer: CookieSigner = request.app.state.signer
    data = signer.loads(request.cookies.get(CLIENT_COOKIE))
    return data if data.get("kind") == "client" else {}


def client_context(request: Request) -> ClientCtx:
    data = _cookie(request)
    cid, lid = data.get("cid"), data.get("link")
    if not isinstance(cid, int) or not isinstance(lid, int):
        raise ForbiddenError("open the link your clinic gave you to see this page")
    store: Store = request.app.state.store
    try:
        with store.transaction() as session:
            portal.live_link(session, lid, cid)
    except NotFoundError:
        raise ForbiddenError(portal.DEAD_LINK) from None
    return ClientCtx(request, store, cid, lid, str(data.get("csrf", "")))


def client_writer(request: Request, ctx: ClientCtx = Depends(client_context)) -> ClientCtx:
    if not same_token(request.headers.get("x-csrf-token"), ctx.csrf):
        raise ForbiddenError("missing or wrong CSRF token: reload the page and try again")
    return ctx


def _render(request: Request, name: str, status_code: int = 200, **values: Any) -> Response:
    tpl = request.app.state.templates
    values.setdefault("title", "Your care")
    return tpl.TemplateResponse(request, name, values, status_code=status_code)  # type: ignore[no-any-return]


# -- the client's API --------------------------------------------------------------------------


class MeIntakeIn(ApiIn):
    """A ``myomap.intake/1`` document, optionally with the pain drawing."""

    format: str = Field(default="myomap.intake/1", max_length=40)
    answers: dict[str, Any] = Field(default_factory=dict)
    drawing: dict[str, Any] | None = None


def me_view(ctx: ClientCtx) -> dict[str, Any]:
    texts = portal.load_texts()
    poses = load_poses()
    with ctx.store.transaction() as session:
        client = client_repo.get(session, ctx.client_id)
        assert client is not None
        plan = portal.latest_plan(session, ctx.client_id)
        entries = portal.diary(session, ctx.client_id, limit=30, scope=ctx.scope)
        signed = consent.consents(session, ctx.client_id)
        detail = clients.get_client(session, ctx.client_id, scope=ctx.scope)
        clinic = client_repo.clinic_name(session, client)
    last_intake = detail.intakes[-1] if detail.intakes else None
    return {
        "client": {"display_name": client.display_name, "clinic": clinic},
        "plan": {
            "given_at": plan[1].isoformat(),
            "content": plan[0],
            "exercises": [
                {
                    "id": e.id,
                    "title": e.title,
                    "how": e.how,
                    "cautions": list(e.cautions),
                    "picture": e.picture(poses),
                }
                for e in portal.exercises_of(plan[0])
            ],
        }
        if plan
        else None,
        "diary": [e.model_dump(mode="json") for e in entries],
        "consent": {
            "version": texts.consent_version,
            "title": texts.consent_title,
            "paragraphs": list(texts.consent_paragraphs),
            "signed": [c.model_dump(mode="json") for c in signed],
        },
        "screening": {
            "decision": last_intake.decision,
            "advice": texts.advice.get(last_intake.decision, ""),
            "answered_at": last_intake.recorded_at.isoformat(),
        }
        if last_intake
        else None,
        "notice": texts.monitoring_notice,
    }


@router.get("/api/me", tags=["client"], response_model=MeOut)
def api_me(ctx: ClientCtx = Depends(client_context)) -> dict[str, Any]:
    """The client of this session: their home-care plan, recent diary, consent and screening."""
    return me_view(ctx)


@router.post("/api/me/intake", tags=["client"], status_code=201, response_model=MeIntakeOut)
def api_me_intake(body: MeIntakeIn, ctx: ClientCtx = Depends(client_writer)) -> dict[str, Any]:
    """Answer the safety questions; the decision comes back with plain-language advice."""
    if body.format != "myomap.intake/1":
        raise UsageError("format must be 'myomap.intake/1'")
    known = ctx.knowledge
    intake = inputs.intake_from_answers(known, body.answers)
    parsed = ctx.drawing(body.drawing)
    screening = care.screen_intake(intake, parsed, knowledge=known)
    with ctx.store.transaction() as session:
        write_lock(session)
        clients.record_intake(
            session,
            ctx.client_id,
            answers=inputs.with_region_words(known, body.answers),
            decision=screening.decision,
            recorded_by="client",
            drawing=kept_drawing(body.drawing, parsed),
            scope=ctx.scope,
        )
    texts = portal.load_texts()
    return {
        "decision": screening.decision,
        "advice": texts.advice.get(screening.decision, ""),
        "notice": texts.monitoring_notice,
        "reasons": [r.message for r in screening.reasons],
    }


@router.post(
    "/api/me/diary",
    tags=["client"],
    status_code=201,
    response_model=DiaryAnsweredOut,
    response_model_exclude_unset=True,
    responses={200: {"model": DiaryAnsweredOut, "description": "Stored before (same entry_key)"}},
)
def api_me_diary(
    body: portal.DiaryIn, response: Response, ctx: ClientCtx = Depends(client_writer)
) -> dict[str, Any]:
    """Add a diary entry; sending the same ``entry_key`` again stores it once (200)."""
    known = ctx.knowledge
    parsed = ctx.drawing(body.drawing)
    screening = None
    if body.answers:
        screening = care.screen_intake(
            inputs.intake_from_answers(known, body.answers), parsed, knowledge=known
        )
    with ctx.store.transaction() as session:
        write_lock(session)
        view, created = portal.add_diary(
            session, ctx.client_id, body, actor="client", drawing=kept_drawing(body.drawing, parsed)
        )
        if created and screening is not None and body.answers:
            clients.record_intake(
                session,
                ctx.client_id,
                answers=inputs.with_region_words(known, body.answers),
                decision=screening.decision,
                recorded_by="client",
                scope=ctx.scope,
            )
    if not created:
        response.status_code = 200
    out = view.model_dump(mode="json")
    if screening is not None:
        texts = portal.load_texts()
        out["screening"] = {
            "decision": screening.decision,
            "advice": texts.advice.get(screening.decision, ""),
            "notice": texts.monitoring_notice,
        }
    return out


@router.post("/api/me/consent", tags=["client"], status_code=201, response_model=ConsentView)
def api_me_consent(
    body: consent.ConsentIn, ctx: ClientCtx = Depends(client_writer)
) -> dict[str, Any]:
    """Sign the clinic's consent text (typed name and drawn signature); kept unchanged."""
    with ctx.store.transaction() as session:
        write_lock(session)
        view = consent.sign_consent(
            session, ctx.client_id, body, actor="client", texts=portal.load_texts()
        )
    return view.model_dump(mode="json")


@router.get(
    "/api/me/home-care.ics",
    tags=["client"],
    response_class=Response,
    responses=download("text/calendar", "The home-care routine and the next visit"),
)
def api_me_ics(ctx: ClientCtx = Depends(client_context)) -> Response:
    """A calendar file with the daily home-care routine and the next visit (no health data)."""
    with ctx.store.transaction() as session:
        plan = portal.latest_plan(session, ctx.client_id)
        upcoming = portal.next_visit(session, ctx.client_id)
        client = client_repo.get(session, ctx.client_id)
        clinic = client_repo.clinic_name(session, client) if client else None
    body = home_care_calendar(
        client_key=f"{ctx.client_id}-{ctx.link_id}",
        plan_given=plan[1] if plan else None,
        next_visit=upcoming,
        clinic=clinic,
    )
    return Response(
        body,
        media_type="text/calendar",
        headers={"Content-Disposition": 'attachment; filename="home-care.ics"'},
    )


@router.post("/api/me/logout", tags=["client"], status_code=204, response_class=Response)
def api_me_logout(ctx: ClientCtx = Depends(client_writer)) -> Response:
    response = Response(status_code=204)
    response.delete_cookie(CLIENT_COOKIE, path="/")
    return response


# -- pages -------------------------------------------------------------------------------------


@router.get("/me", include_in_schema=False, response_class=HTMLResponse)
def me_page(request: Request) -> Response:
    try:
        ctx = client_context(request)
    except ForbiddenError as exc:
        return _render(request, "me_gone.html", status_code=403, message=str(exc))
    view = me_view(ctx)
    q = ctx.knowledge.questionnaire
    sections: dict[str, list[Any]] = {}
    for item in q.items:
        sections.setdefault(item.section, []).append(item)
    return _render(
        request,
        "me.html",
        title="Your care",
        v=view,
        where={e["id"]: presenter(request).drawing_places(e["drawing"]) for e in view["diary"]},
        chart=presenter(request).chart_markup,
        bm_config=presenter(request).bodymap_config_json,
        csrf=ctx.csrf,
        sections=sections,
        section_titles=q.sections,
        red_flags=[i for i in sections.get("red_flags", []) if i.type == "boolean"],
    )


@router.get("/me/sw.js", include_in_schema=False, response_class=Response)
def service_worker(request: Request) -> Response:
    body = (STATIC / "me-sw.js").read_bytes()
    return Response(
        body,
        media_type="text/javascript",
        headers={"Service-Worker-Allowed": "/", "Cache-Control": "no-cache"},
    )


@router.get("/me/manifest.webmanifest", include_in_schema=False, response_model=ManifestOut)
def manifest() -> dict[str, Any]:
    return {
        "name": "myomap: your care",
        "short_name": "My care",
        "start_url": "/me",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1d4f91",
        "icons": [{"src": "/static/favicon.svg", "sizes": "any", "type": "image/svg+xml"}],
    }
