"""The outermost layer of the web app: which Host names it answers, cross-origin writes, the
request body limit and the security headers, all decided before any route, session or CSRF
check runs and before a byte of the body is read.

- **Host**: with no accounts (open mode) only loopback names are answered, so a page on another
  site that rebinds its DNS name to 127.0.0.1 gets a 400 and nothing else (no CSRF token, no
  client list, no export). With accounts, the names in ``MYOMAP_ALLOWED_HOSTS`` are answered
  too; when none are configured, the bind address (any name on a wildcard bind, where the login
  is the gate).
- **Origin**: a state-changing request (anything but GET, HEAD, OPTIONS) whose ``Origin`` is not
  this server, or that the browser marks ``Sec-Fetch-Site: cross-site``, gets 403.
- **Body limit**: a declared ``Content-Length`` over ``MYOMAP_MAX_BODY_BYTES`` is refused with
  413 unread; a body without one is counted as it arrives and refused once it passes the limit.
- **Headers**: every answer, including these refusals and static files, carries the CSP and the
  other security headers.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LOOPBACK_NAMES = frozenset({"localhost", "ip6-localhost"})
WILDCARD_BINDS = frozenset({"0.0.0.0", "::", ""})

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; "
    "form-action 'self'; base-uri 'none'"
)
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
)

# Sent only on answers over HTTPS (directly or behind a proxy): it pins the name to HTTPS.
HSTS = (b"strict-transport-security", b"max-age=31536000")


def host_name(value: str) -> str:
    """The name part of a Host header or URL netloc: lower case, no port, no trailing dot."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1 : value.find("]")] if "]" in value else value
    if value.count(":") == 1:
        value = value.split(":", 1)[0]
    return value.rstrip(".")


def is_loopback_name(name: str) -> bool:
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return bytes(value).decode("latin-1")
    return None


def is_https(scope: Scope) -> bool:
    """Whether the browser spoke HTTPS: directly, or to a proxy that says so (uvicorn takes
    forwarded headers only from the proxy named at start)."""
    return scope.get("scheme") == "https" or _header(scope, b"x-forwarded-proto") == "https"


class Guard:
    """ASGI middleware; ``accounts_on`` tells (blocking, cached) whether logins are needed."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        bind_host: str,
        allowed: tuple[str, ...],
        max_body: int,
        accounts_on: Callable[[], bool],
    ) -> None:
        self.app = app
        self.bind_host = host_name(bind_host)
        self.allowed = frozenset(host_name(n) for n in allowed)
        self.max_body = max_body
        self.accounts_on = accounts_on

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        send = _with_headers(
            send,
            https=is_https(scope),
        )
        host = _header(scope, b"host") or ""
        if not await self.host_allowed(host_name(host)):
            await _refuse(
                scope,
                send,
                400,
                "this server does not answer to that host name; "
                "open it by an address it serves (an admin can add names with "
                "MYOMAP_ALLOWED_HOSTS)",
            )
            return
        method = scope.get("method", "GET")
        if method not in SAFE_METHODS and not self.same_origin(scope, host):
            await _refuse(
                scope,
                send,
                403,
                "cross-site request refused: state changes must come from this server's own pages",
            )
            return
        if (
            method not in SAFE_METHODS
            or _header(scope, b"content-length")
            or _header(scope, b"transfer-encoding")
        ):
            await self.limited(scope, receive, send)
            return
        await self.app(scope, receive, send)

    async def host_allowed(self, name: str) -> bool:
        if is_loopback_name(name):
            return True
        if not name:
            return False
        from starlette.concurrency import run_in_threadpool

        if not await run_in_threadpool(self.accounts_on):
            return False  # open mode: loopback names only, whatever is configured
        if self.allowed:
            return name in self.allowed
        return self.bind_host in WILDCARD_BINDS or name == self.bind_host

    def same_origin(self, scope: Scope, host: str) -> bool:
        origin = _header(scope, b"origin")
        fetch_site = (_header(scope, b"sec-fetch-site") or "").lower()
        if origin is None:
            # Browsers send Origin on every cross-site write; Sec-Fetch-Site backs it up.
            return fetch_site != "cross-site"
        if origin.strip() == "null" and fetch_site == "same-origin":
            # A form posted from our own page: under "Referrer-Policy: no-referrer" the
            # browser sends Origin: null, and Sec-Fetch-Site (which no page can set) says
            # where it came from.
            return True
        parts = urlsplit(origin.strip())
        if not parts.scheme or not parts.netloc:
            return False  # "null" (sandboxed frames, file: pages) and garbage
        if parts.netloc.lower() == host.strip().lower():
            return True
        return bool(self.allowed) and host_name(parts.netloc) in self.allowed

    async def limited(self, scope: Scope, receive: Receive, send: Send) -> None:
        declared = _header(scope, b"content-length")
        if declared is not None:
            try:
                size = int(declared)
            except ValueError:
                await _refuse(scope, send, 400, "Content-Length is not a number")
                return
            if size > self.max_body:
                await self.too_large(scope, send)
                return
            await self.app(scope, receive, send)  # the server never passes more than declared
            return
        # No length given (chunked): read up to the limit here, then hand the body on.
        chunks: list[bytes] = []
        total = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = bytes(message.get("body", b""))
            total += len(chunk)
            if total > self.max_body:
                await self.too_large(scope, send)
                return
            chunks.append(chunk)
            more = bool(message.get("more_body", False))
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def too_large(self, scope: Scope, send: Send) -> None:
        await _refuse(
            scope,
            send,
            413,
            f"request body too large: at most {self.max_body} bytes (MYOMAP_MAX_BODY_BYTES)",
        )


def _with_headers(send: Send, *, https: bool) -> Send:
    extra = SECURITY_HEADERS + ((HSTS,) if https else ())

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            present = {bytes(k).lower() for k, _ in headers}
            headers.extend((k, v) for k, v in extra if k not in present)
            message["headers"] = headers
        await send(message)

    return wrapped


async def _refuse(scope: Scope, send: Send, status: int, detail: str) -> None:
    """A JSON answer under /api/, plain text elsewhere; the connection is closed when a body
    was left unread, so the client cannot keep streaming into it."""
    path = str(scope.get("path", ""))
    if path == "/api" or path.startswith("/api/"):
        body, ctype = json.dumps({"detail": detail}).encode(), b"application/json"
    else:
        body, ctype = f"Error {status}: {detail}\n".encode(), b"text/plain; charset=utf-8"
    headers = [
        (b"content-type", ctype),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-store"),
    ]
    if status == 413:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
