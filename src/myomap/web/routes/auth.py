"""Login, logout and the session endpoint that hands API clients their CSRF token."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import Field

from myomap.domain.errors import MyomapError
from myomap.web.api_models import LoginOut, SessionOut, errors
from myomap.web.deps import auth_required, csrf_checked, current_principal
from myomap.web.errors import status_of
from myomap.web.inputs import NUL, ApiIn
from myomap.web.security import (
    AuthError,
    Principal,
    authenticate,
    new_csrf_token,
    principal_of,
    write_lock,
)
from myomap.web.sessions import end_session, start_session

router = APIRouter(responses=errors(400, 403, 413, 422))


class LoginIn(ApiIn):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=1024)


def _me(p: Principal | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {"username": p.username, "role": p.role, "clinic_id": p.clinic_id}


def _login(request: Request, username: str, password: str) -> Principal:
    """Check credentials and start a fresh server-side session (new CSRF token and session
    token: no session fixation); any session this browser had is ended first."""
    if NUL in username:  # no account has one, and PostgreSQL cannot even look it up
        raise AuthError("wrong username or password")
    store = request.app.state.store
    address = request.client.host if request.client else "unknown"
    failure: MyomapError | None = None
    with store.transaction() as session:
        try:
            row = authenticate(session, username, password, address)
            me = principal_of(row)
            end_session(session, request.state.session.get("sid"))
            token = start_session(session, row.id)
        except MyomapError as exc:  # the failure row must still be committed
            failure = exc
    if failure is not None:
        raise failure
    request.state.session = {"csrf": new_csrf_token(), "sid": token}
    request.state.session_dirty = True
    return me


def _logout(request: Request) -> None:
    """End the server-side session, so a copy of the cookie no longer logs anyone in."""
    token = request.state.session.get("sid")
    if token:
        with request.app.state.store.transaction() as session:
            write_lock(session)
            end_session(session, token)
    request.state.session = {"csrf": new_csrf_token()}
    request.state.session_dirty = True


@router.get("/api/session", tags=["auth"], response_model=SessionOut)
def api_session(request: Request) -> dict[str, Any]:
    """The CSRF token for this browser session and who is logged in (null when nobody)."""
    return {
        "csrf_token": request.state.session["csrf"],
        "login_required": auth_required(request),
        "user": _me(current_principal(request)),
    }


@router.post(
    "/api/login",
    tags=["auth"],
    dependencies=[Depends(csrf_checked)],
    response_model=LoginOut,
    responses=errors(401, 429),
)
def api_login(request: Request, body: LoginIn) -> dict[str, Any]:
    """Log in; the answer carries the new session's CSRF token."""
    me = _login(request, body.username, body.password)
    return {"user": _me(me), "csrf_token": request.state.session["csrf"]}


@router.post(
    "/api/logout", tags=["auth"], dependencies=[Depends(csrf_checked)], response_model=LoginOut
)
def api_logout(request: Request) -> dict[str, Any]:
    """End the session on the server; a fresh CSRF token comes back."""
    _logout(request)
    return {"user": None, "csrf_token": request.state.session["csrf"]}


def _safe_next(target: str | None) -> str:
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


@router.get("/login", include_in_schema=False, response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None) -> Response:
    tpl: Jinja2Templates = request.app.state.templates
    return tpl.TemplateResponse(
        request,
        "login.html",
        {
            "me": None,
            "csrf": request.state.session["csrf"],
            "next": _safe_next(next),
            "error": None,
            "title": "Log in",
        },
    )


@router.post(
    "/login",
    include_in_schema=False,
    dependencies=[Depends(csrf_checked)],
    response_class=HTMLResponse,
)
def login_form(
    request: Request, username: str = Form(""), password: str = Form(""), next: str = Form("/")
) -> Response:
    try:
        _login(request, username, password)
    except MyomapError as exc:
        tpl: Jinja2Templates = request.app.state.templates
        return tpl.TemplateResponse(
            request,
            "login.html",
            {
                "me": None,
                "csrf": request.state.session["csrf"],
                "next": _safe_next(next),
                "error": str(exc),
                "title": "Log in",
            },
            status_code=status_of(exc),
        )
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post(
    "/logout",
    include_in_schema=False,
    dependencies=[Depends(csrf_checked)],
    response_class=HTMLResponse,
)
def logout_form(request: Request) -> Response:
    _logout(request)
    return RedirectResponse("/login", status_code=303)
