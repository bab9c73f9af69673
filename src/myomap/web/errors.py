"""How errors reach a browser or an API client: one status per error class, one wording.

Errors are JSON ``{"detail": "..."}`` under ``/api/`` and a plain error page elsewhere. The
table and the renderers live here, apart from the app factory, so that routes (the login form)
and the factory share them without importing each other. Health data never reaches the log.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from fastapi.templating import Jinja2Templates

from myomap.domain.actor import RecordNotFound
from myomap.domain.errors import (
    BusyError,
    ConflictError,
    DataError,
    MyomapError,
    NotFoundError,
    UsageError,
)
from myomap.web.permissions import AuthError, ForbiddenError
from myomap.web.sessions import RateLimitError

log = logging.getLogger("myomap.web")

STATUS: tuple[tuple[type[MyomapError], int], ...] = (
    (AuthError, 401),
    (ForbiddenError, 403),
    (RateLimitError, 429),
    (NotFoundError, 404),
    (ConflictError, 409),
    (UsageError, 400),
    (DataError, 500),
    (BusyError, 503),
)

# What FastAPI answers when a body fails to parse for a reason other than bad JSON syntax
# (JSON nested deeper than the parser allows, a malformed multipart form).
BODY_UNREADABLE = "There was an error parsing the body"


# Where a browser user finds a record whose id was not found (or not theirs: the same answer).
WHERE_TO_LOOK = {
    "client": "Open the client list to find it.",
    "visit": "Open the client to see its visits.",
}


def message_of(exc: MyomapError) -> str:
    """The error's message as the web app words it: a record not found says where to look."""
    if isinstance(exc, RecordNotFound) and exc.kind in WHERE_TO_LOOK:
        return f"{exc} {WHERE_TO_LOOK[exc.kind]}"
    return str(exc)


def status_of(exc: MyomapError) -> int:
    for cls, code in STATUS:
        if isinstance(exc, cls):
            return code
    return 400


def wants_json(request: Request) -> bool:
    path = request.url.path
    return path == "/api" or path.startswith("/api/")


def unexpected_error(request: Request, exc: Exception) -> Response:
    """A 500 that names no detail: driver and library messages can quote health data, and
    tracebacks show SQL parameters, so only the exception type reaches the log."""
    log.error("unexpected %s on %s %s", type(exc).__name__, request.method, request.url.path)
    message = "internal error; nothing was saved. Try again or report it to the admin."
    if wants_json(request):
        return JSONResponse({"detail": message}, status_code=500)
    return error_page(request, 500, message)


def validation_message(errors: Any) -> str:
    """One readable sentence from FastAPI's validation errors (field path and what is wrong)."""
    parts = []
    for err in list(errors)[:3]:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "form")]
        where = ".".join(loc) or "request body"
        msg = str(err.get("msg", "is not valid")).rstrip(".")
        if err.get("type") == "missing":
            msg = "is required"
        elif err.get("type") == "json_invalid":
            msg = "is not valid JSON"
            where = "request body"
        parts.append(f"{where}: {msg}")
    more = len(list(errors)) - 3
    tail = f" (and {more} more)" if more > 0 else ""
    return "; ".join(parts) + tail


def error_page(request: Request, code: int, message: str) -> Response:
    tpl: Jinja2Templates = request.app.state.templates
    session = getattr(request.state, "session", {}) or {}
    return tpl.TemplateResponse(
        request,
        "error.html",
        {
            "code": code,
            "message": message,
            "csrf": session.get("csrf", ""),
            "me": None,
            "title": f"Error {code}",
        },
        status_code=code,
    )
