"""Opening a client link: the year-of-birth check when the clinic asks for it, the client
session cookie, and a per-address limit on failed attempts.

Every failure (a wrong, expired or withdrawn token, or a wrong year) gets the same answer, and 20
failures from one address in 15 minutes get 429; the address is kept only as a digest.
"""

from __future__ import annotations

import hashlib

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from myomap.domain.errors import UsageError
from myomap.services import audit, portal
from myomap.services.database import Store
from myomap.store.orm import utcnow
from myomap.store.repositories import audit as audit_log
from myomap.web.guard import is_https
from myomap.web.routes.me import (
    CLIENT_COOKIE,
    CLIENT_SESSION_MAX_AGE,
    LINK_FAILURES_PER_ADDRESS,
    LINK_WINDOW,
    _render,
)
from myomap.web.security import CookieSigner, RateLimitError, new_csrf_token, write_lock

router = APIRouter()


def _address_key(request: Request) -> str:
    host = request.client.host if request.client else "?"
    return "addr:" + hashlib.sha256(host.encode()).hexdigest()[:16]


def _check_address(store: Store, key: str) -> None:
    with store.transaction() as session:
        n = audit_log.count_since(
            session, action="link_failed", actor=key, since=utcnow() - LINK_WINDOW
        )
    if n >= LINK_FAILURES_PER_ADDRESS:
        raise RateLimitError(
            "too many attempts from this device; wait 15 minutes",
            retry_after=int(LINK_WINDOW.total_seconds()),
        )


def _record_failure(store: Store, key: str) -> None:
    with store.transaction() as session:
        write_lock(session)
        audit.record(session, actor=key, action="link_failed", record_type="client", record_id=None)


def _open(request: Request, token: str, birth_year: int | None) -> Response:
    store: Store = request.app.state.store
    key = _address_key(request)
    _check_address(store, key)
    try:
        with store.transaction() as session:
            write_lock(session)
            link = portal.open_link(session, token, birth_year)
            cid, lid = link.client_id, link.id
    except Exception:
        _record_failure(store, key)
        raise
    signer: CookieSigner = request.app.state.signer
    response = RedirectResponse("/me", status_code=303)
    secure = is_https(request.scope)
    response.set_cookie(
        CLIENT_COOKIE,
        signer.dumps({"kind": "client", "cid": cid, "link": lid, "csrf": new_csrf_token()}),
        max_age=CLIENT_SESSION_MAX_AGE,
        httponly=True,
        samesite="lax",
        secure=secure,
        path="/",
    )
    return response


@router.get("/c/{token}", include_in_schema=False, response_class=HTMLResponse)
def open_link_page(token: str, request: Request) -> Response:
    """Open a client link: straight to the client's page, or first the year-of-birth check."""
    store: Store = request.app.state.store
    key = _address_key(request)
    _check_address(store, key)
    try:
        with store.transaction() as session:
            link = portal.find_link(session, token)
            needs_check = link.check_birth_year
    except Exception:
        _record_failure(store, key)
        raise
    if needs_check:
        return _render(request, "me_check.html", token=token, error=None)
    return _open(request, token, None)


@router.post("/c/{token}", include_in_schema=False, response_class=HTMLResponse)
def open_link_checked(
    token: str, request: Request, birth_year: str = Form(default="", max_length=8)
) -> Response:
    year = int(birth_year) if birth_year.strip().isdigit() else None
    try:
        return _open(request, token, year)
    except UsageError as exc:
        return _render(request, "me_check.html", status_code=400, token=token, error=str(exc))
