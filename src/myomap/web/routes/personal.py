"""Personal mode: one person using myomap alone on their own computer, no clinic.

With ``MYOMAP_PERSONAL`` (``myomap serve --personal``), a loopback bind and no accounts, ``/``
opens the person's own page (``/me``) for a client named "Me", created on first use, through a
client session like the one a clinic's link opens. Personal mode adds the pain drawing and the
self-care-safe likely trigger points, gated by the safety questions already answered on
``/me``. Off loopback, or once an account exists, personal mode is off and every route here
answers 404: the Host guard (web/guard.py) keeps answering loopback names only.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import Field

from myomap.domain.actor import OPERATOR
from myomap.domain.errors import NotFoundError, UsageError
from myomap.knowledge.poses import load_poses
from myomap.services import care, clients, inputs, portal, self_care
from myomap.store.repositories import clients as client_repo
from myomap.store.repositories import intakes as intake_repo
from myomap.web.api_models import errors
from myomap.web.api_portal import PointsOut
from myomap.web.deps import accounts_on
from myomap.web.inputs import ApiIn
from myomap.web.presenters import presenter
from myomap.web.routes.me import (
    CLIENT_COOKIE,
    CLIENT_SESSION_MAX_AGE,
    ClientCtx,
    _cookie,
    _render,
    client_context,
    client_writer,
)
from myomap.web.security import (
    CookieSigner,
    ForbiddenError,
    is_loopback,
    new_csrf_token,
    write_lock,
)

router = APIRouter()

PERSON = "Me"
ACTOR = "personal"
LINK_DAYS = 365


def personal_on(request: Request) -> bool:
    """Personal mode stands only on loopback with no accounts, whatever the setting says."""
    settings = request.app.state.settings
    return bool(settings.personal) and is_loopback(settings.host) and not accounts_on(request.app)


def _personal_ctx(request: Request, ctx: ClientCtx) -> ClientCtx:
    if not personal_on(request):
        raise NotFoundError("personal mode is off: start it with 'myomap serve --personal'")
    return ctx


def personal_reader(request: Request, ctx: ClientCtx = Depends(client_context)) -> ClientCtx:
    return _personal_ctx(request, ctx)


def personal_writer(request: Request, ctx: ClientCtx = Depends(client_writer)) -> ClientCtx:
    return _personal_ctx(request, ctx)


def _person(request: Request) -> int:
    """The one person's client id: the oldest client named Me, created on first use."""
    store = request.app.state.store
    with store.transaction() as session:
        found = client_repo.first_named(session, PERSON)
        if found is not None:
            return int(found)
        write_lock(session)
        return int(clients.add_client(session, display_name=PERSON).id)


def enter(request: Request) -> Response:
    """``/`` in personal mode: straight to the person's own page, with a session if needed."""
    cid = _person(request)
    if _cookie(request).get("cid") == cid:
        try:
            client_context(request)
            return RedirectResponse("/me", status_code=303)
        except ForbiddenError:
            pass  # a withdrawn or expired session simply gets a new one below
    store = request.app.state.store
    with store.transaction() as session:
        write_lock(session)
        # personal mode: one person on their own computer, found by the app itself
        link = portal.create_link(session, cid, days=LINK_DAYS, actor=ACTOR, scope=OPERATOR)
    signer: CookieSigner = request.app.state.signer
    response = RedirectResponse("/me", status_code=303)
    response.set_cookie(
        CLIENT_COOKIE,
        signer.dumps(
            {"kind": "client", "cid": cid, "link": link.link_id, "csrf": new_csrf_token()}
        ),
        max_age=CLIENT_SESSION_MAX_AGE,
        httponly=True,
        samesite="strict",
        path="/",
    )
    return response


class PointsIn(ApiIn):
    """The pain drawing (``myomap.drawing/1``) or plain region ids tapped on the chart."""

    drawing: dict[str, Any] | None = None
    regions: list[str] = Field(default_factory=list, max_length=200)
    intensity: int = Field(default=6, ge=1, le=10)


def _latest_answers(ctx: ClientCtx) -> dict[str, Any] | None:
    with ctx.store.transaction() as session:
        return intake_repo.latest_answers(session, ctx.client_id)


@router.post(
    "/api/me/points",
    tags=["client"],
    response_model=PointsOut,
    response_model_exclude_unset=True,
    responses=errors(400, 403, 404, 413, 422),
)
def api_me_points(body: PointsIn, ctx: ClientCtx = Depends(personal_writer)) -> dict[str, Any]:
    """Personal mode: likely trigger points for the drawing that are safe to press oneself,
    after the safety questions; an emergency or refer decision gives the advice and no points."""
    if body.drawing is not None and body.regions:
        raise UsageError("give either drawing or regions, not both")
    data = body.drawing or {
        "format": "myomap.drawing/1",
        "areas": [{"regions": body.regions, "intensity": body.intensity}],
    }
    if not body.drawing and not body.regions:
        raise UsageError("mark at least one painful region on the body chart")
    known = ctx.knowledge
    drawing = inputs.drawing_from_json(known, data)
    texts = portal.load_texts()
    answers = _latest_answers(ctx)
    if answers is None:
        return {
            "decision": "not_screened",
            "advice": "Answer the safety questions first; then the points show here.",
            "points": [],
            "left_out": 0,
        }
    screening = care.screen_intake(
        inputs.intake_from_answers(known, answers), drawing, knowledge=known
    )
    found = self_care.likely_points(known, drawing, screening, load_poses())
    return {
        "decision": screening.decision,
        "advice": texts.advice.get(screening.decision, ""),
        "reasons": [r.message for r in screening.reasons],
        **found,
    }


@router.get("/me/points", include_in_schema=False, response_class=HTMLResponse)
def points_page(request: Request) -> Response:
    if not personal_on(request):
        return _render(request, "me_gone.html", status_code=404, message="personal mode is off")
    try:
        ctx = client_context(request)
    except ForbiddenError:
        return RedirectResponse("/", status_code=303)  # / opens the person's session

    answers = _latest_answers(ctx)
    return _render(
        request,
        "me_points.html",
        title="Where it hurts",
        csrf=ctx.csrf,
        chart=presenter(request).chart_markup,
        bm_config=presenter(request).bodymap_config_json,
        answered=answers is not None,
    )
