"""Request context for routes: who is asking, CSRF checks and transactions.

Clinic scoping is not done here: a route passes ``ctx.me`` (a
:class:`~myomap.domain.actor.Actor`) to the use case, and the store's scoped getters answer a
record of another clinic exactly like one that does not exist (404), so ids cannot be probed
across clinics.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, Path, Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from myomap.services import audit
from myomap.web.inputs import check_query
from myomap.web.permissions import LOCAL, AuthError, ForbiddenError, Principal, principal_of
from myomap.web.security import any_active_user, is_loopback, same_token, write_lock
from myomap.web.sessions import live_session, touch_session

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from myomap.app import Myomap
    from myomap.knowledge.load import Knowledge
    from myomap.services.database import Store

AUTH_CACHE_SECONDS = 5.0
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
MAX_RECORD_ID = 2**31 - 1

# Record ids in paths are bounded by the widest id the databases store (a 32-bit INTEGER on
# PostgreSQL): a larger number cannot name a record, and the drivers reject it with an error
# that would otherwise surface as a 500.
RecordId = Annotated[int, Path(ge=1, le=MAX_RECORD_ID, description="record id")]


@dataclass
class Ctx:
    """What a route needs: the request, the store and the principal."""

    request: Request
    store: Store
    me: Principal

    @property
    def knowledge(self) -> Knowledge:
        """The application's knowledge (the clinic's rules and instruments included)."""
        return application(self.request).knowledge

    @property
    def csrf(self) -> str:
        return str(self.request.state.session.get("csrf", ""))

    @contextmanager
    def tx(self) -> Iterator[Session]:
        """One unit of work. Most requests write (an audit row at least), so the write lock is
        taken first on SQLite; see :func:`myomap.web.security.write_lock`."""
        with self.store.transaction() as session:
            write_lock(session)
            yield session

    def audit(self, session: Session, action: str, record_type: str, record_id: int | None) -> None:
        audit.record(
            session,
            actor=self.me.username,
            action=action,
            record_type=record_type,
            record_id=record_id,
        )

    def render(self, name: str, status_code: int = 200, **values: Any) -> Response:
        tpl: Jinja2Templates = self.request.app.state.templates
        values.setdefault("title", "myomap")
        return tpl.TemplateResponse(
            self.request,
            name,
            {"me": self.me, "csrf": self.csrf, "auth_on": self.me.user_id is not None, **values},
            status_code=status_code,
        )


def application(request: Request) -> Myomap:
    """The application object the app was built with (see ``create_app``)."""
    app: Myomap = request.app.state.myomap
    return app


def knowledge(request: Request) -> Knowledge:
    """Dependency: the application's knowledge, for routes that need no record."""
    return application(request).knowledge


def auth_required(request: Request) -> bool:
    """Login is needed off loopback, or whenever an account exists (re-checked every few s)."""
    return accounts_on(request.app)


def accounts_on(app: Any) -> bool:
    """Whether this app needs logins: bound off loopback, or an active account exists. The
    database answer is cached for a few seconds, so adding the first account locks a running
    app without a restart."""
    known = known_accounts_on(app)
    if known is not None:
        return known
    store: Store = app.state.store
    with store.transaction() as session:
        value = any_active_user(session)
    app.state.auth_cache = (time.monotonic(), value)
    return bool(value)


def known_accounts_on(app: Any) -> bool | None:
    """:func:`accounts_on` when it is known without the database (off loopback, or the cached
    answer is still fresh), else None."""
    if not is_loopback(app.state.settings.host):
        return True
    checked_at, value = app.state.auth_cache
    if time.monotonic() - checked_at < AUTH_CACHE_SECONDS:
        return bool(value)
    return None


def current_principal(request: Request) -> Principal | None:
    """The logged-in user, LOCAL in open mode, or None when a login is needed (no session, or
    one that was ended by logout or a password change, or idle too long)."""
    if not auth_required(request):
        return LOCAL
    token = request.state.session.get("sid")
    if not token:
        return None
    store: Store = request.app.state.store
    idle = timedelta(minutes=request.app.state.settings.session_idle_minutes)
    with store.transaction() as session:
        live = live_session(session, token, idle)
        if live is None:
            return None
        me = principal_of(live.user)
    if live.needs_touch:
        with store.transaction() as session:
            write_lock(session)
            touch_session(session, str(token))
    return me


async def context(request: Request) -> Ctx:
    """Who is asking. Async, so a route pays one hop to the thread pool (its own), not two;
    the database is asked from a worker thread only when the answer needs it."""
    check_query(request.query_params)
    if known_accounts_on(request.app) is False:  # open mode: nobody to look up
        me: Principal | None = LOCAL
    else:
        me = await run_in_threadpool(current_principal, request)
    if me is None:
        raise AuthError("log in first: POST /api/login or open /login")
    return Ctx(request=request, store=request.app.state.store, me=me)


async def csrf_checked(request: Request) -> None:
    """State-changing calls carry the session's CSRF token in a header or a form field."""
    expected = request.state.session.get("csrf")
    given = request.headers.get(CSRF_HEADER)
    if not given:
        ctype = request.headers.get("content-type", "")
        if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(CSRF_FIELD)
            given = value if isinstance(value, str) else None
    if not same_token(given, expected):
        raise ForbiddenError(
            "missing or wrong CSRF token: send the token from GET /api/session in the "
            "X-CSRF-Token header (forms send it as csrf_token)"
        )


async def writer(request: Request, _: None = Depends(csrf_checked)) -> Ctx:
    return await context(request)
