"""The signed session cookie (CSRF token and server-side session id) as plain ASGI middleware.

Starlette's ``@app.middleware("http")`` runs every request through a second task and a pair of
memory streams; on one worker with eight writers queued that overhead was a visible share of a
note save. This middleware only reads the cookie into ``request.state.session``, adds the
``Set-Cookie`` header when a route changed the session, marks pages ``no-store``, and answers an
unexpected exception with a 500 that names nothing (see :func:`myomap.web.errors.unexpected_error`).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from myomap.web.errors import unexpected_error
from myomap.web.guard import is_https
from myomap.web.security import SESSION_COOKIE, SESSION_MAX_AGE, new_csrf_token

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

    from myomap.web.security import CookieSigner

log = logging.getLogger("myomap.web")


class SessionCookie:
    """ASGI middleware; ``signer`` signs and checks the cookie's content."""

    def __init__(self, app: ASGIApp, *, signer: CookieSigner) -> None:
        self.app = app
        self.signer = signer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        data = self.signer.loads(request.cookies.get(SESSION_COOKIE))
        fresh = not data.get("csrf")
        if fresh:
            data = {"csrf": new_csrf_token()}
        state: dict[str, Any] = scope.setdefault("state", {})
        state["session"] = data
        state["session_dirty"] = fresh
        static = str(scope.get("path", "")).startswith("/static/")
        started = False

        async def send_with_cookie(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                if state.get("session_dirty"):
                    headers.append(self._cookie_header(scope, state["session"]))
                if not static and not any(bytes(k).lower() == b"cache-control" for k, _ in headers):
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_cookie)
        except Exception as exc:  # noqa: BLE001 - answered here so no traceback reaches the log
            if started:  # too late for an error page: the answer is cut short
                log.error("unexpected %s after the answer began", type(exc).__name__)
                return
            await unexpected_error(request, exc)(scope, receive, send_with_cookie)

    def _cookie_header(self, scope: Scope, session: dict[str, Any]) -> tuple[bytes, bytes]:
        holder = Response()
        holder.set_cookie(
            SESSION_COOKIE,
            self.signer.dumps(session),
            max_age=SESSION_MAX_AGE,
            httponly=True,
            samesite="strict",
            secure=is_https(scope),
            path="/",
        )
        return next((k, v) for k, v in holder.raw_headers if k == b"set-cookie")
