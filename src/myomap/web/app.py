"""The web app: ``create_app(settings)`` builds a FastAPI application over one record store.

The app holds no state of its own beyond what it derives from the database at start (the cookie
signing key, read from the ``app_secret`` table): sessions are signed cookies and rate limits are
audit rows, so ``myomap serve --workers N`` and several hosts behind a load balancer agree.
Errors are JSON ``{"detail": "..."}`` under ``/api/`` and a plain error page elsewhere; health
data never reaches the server log.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from myomap import __version__
from myomap.domain.errors import (
    BusyError,
    ConflictError,
    DataError,
    MyomapError,
    NotFoundError,
    UsageError,
)
from myomap.web.security import (
    SESSION_COOKIE,
    SESSION_MAX_AGE,
    AuthError,
    CookieSigner,
    ForbiddenError,
    RateLimitError,
    new_csrf_token,
)

if TYPE_CHECKING:
    from myomap.config import Settings
    from myomap.services.database import Store

HERE = Path(__file__).parent
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

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
       "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
       "base-uri 'none'")


def status_of(exc: MyomapError) -> int:
    for cls, code in STATUS:
        if isinstance(exc, cls):
            return code
    return 400


def wants_json(request: Request) -> bool:
    path = request.url.path
    return path == "/api" or path.startswith("/api/")


def trp_name(trp_id: str | None) -> str:
    """The atlas name of a trigger point id, or the id itself when the atlas has none."""
    if not trp_id:
        return ""
    from myomap.knowledge.loader import load_atlas

    try:
        muscle, tp = load_atlas().trigger_point(trp_id)
    except KeyError:
        return trp_id
    return tp.name if muscle.name.split()[0].lower() in tp.name.lower() else \
        f"{muscle.name}: {tp.name}"


def templates() -> Jinja2Templates:
    tpl = Jinja2Templates(directory=str(HERE / "templates"))
    tpl.env.globals["version"] = __version__
    tpl.env.filters["zl"] = lambda key, labels: labels.get(key, key)
    tpl.env.filters["trp_name"] = trp_name
    return tpl


def create_app(settings: Settings, *, store: Store | None = None) -> FastAPI:
    """Build the app; migrations are applied when the store is opened here."""
    from myomap.services.database import open_from_settings
    from myomap.web.routes import ROUTERS
    from myomap.web.security import signing_key

    if store is None:
        store = open_from_settings(settings)
    with store.transaction() as session:
        key = signing_key(session)

    app = FastAPI(
        title="myomap",
        version=__version__,
        description="Body map, trigger point atlas, differential, safety screening, plans, "
        "records and outcomes for neuromuscular therapy. Supports a qualified person's "
        "judgement; does not diagnose. Errors are JSON objects {\"detail\": message}.",
        docs_url=None,  # the stock docs page loads scripts from a CDN; routes/admin.py serves one
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.settings = settings
    app.state.store = store
    app.state.signer = CookieSigner(key)
    app.state.templates = templates()
    app.state.auth_cache = (0.0, False)

    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    for router in ROUTERS:
        app.include_router(router)
    _install_handlers(app)
    _install_session_middleware(app)
    _document_errors(app)
    return app


def _document_errors(app: FastAPI) -> None:
    """The OpenAPI document names the error shape the app really sends: a 422 is
    ``{"detail": message}`` like every other error, not FastAPI's list of error objects."""
    stock = app.openapi

    def openapi() -> dict[str, Any]:
        doc = stock()
        schemas = doc.get("components", {}).get("schemas", {})
        if "HTTPValidationError" in schemas:
            schemas["HTTPValidationError"] = {
                "title": "HTTPValidationError", "type": "object", "required": ["detail"],
                "properties": {"detail": {"title": "Detail", "type": "string"}},
            }
        return doc

    app.openapi = openapi  # type: ignore[method-assign]


def factory() -> FastAPI:
    """Entry point for uvicorn workers: settings from the ``MYOMAP_*`` environment."""
    from myomap.config import load_settings

    return create_app(load_settings())


def _install_session_middleware(app: FastAPI) -> None:
    @app.middleware("http")
    async def session_cookie(request: Request, call_next: Any) -> Response:
        signer: CookieSigner = request.app.state.signer
        data = signer.loads(request.cookies.get(SESSION_COOKIE))
        fresh = not data.get("csrf")
        if fresh:
            data = {"csrf": new_csrf_token()}
        request.state.session = data
        request.state.session_dirty = fresh
        try:
            response: Response = await call_next(request)
        except Exception as exc:  # noqa: BLE001 - answered here so no traceback reaches the log
            response = unexpected_error(request, exc)
        if request.state.session_dirty:
            secure = request.url.scheme == "https" or \
                request.headers.get("x-forwarded-proto") == "https"
            response.set_cookie(
                SESSION_COOKIE, signer.dumps(request.state.session), max_age=SESSION_MAX_AGE,
                httponly=True, samesite="strict", secure=secure, path="/",
            )
        headers = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "no-referrer")
        headers.setdefault("Content-Security-Policy", CSP)
        if not request.url.path.startswith("/static/"):
            headers.setdefault("Cache-Control", "no-store")
        return response


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(MyomapError)
    async def myomap_error(request: Request, exc: MyomapError) -> Response:
        code = status_of(exc)
        if wants_json(request):
            return JSONResponse({"detail": str(exc)}, status_code=code)
        if isinstance(exc, AuthError):
            target = request.url.path
            if request.url.query:
                target += "?" + request.url.query
            from urllib.parse import quote

            return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
        return error_page(request, code, str(exc))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        message = validation_message(exc.errors())
        if wants_json(request):
            return JSONResponse({"detail": message}, status_code=422)
        return error_page(request, 422, message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        detail = str(exc.detail)
        if exc.status_code == 404:
            detail = f"nothing at {request.url.path}; see /api/docs for the API"
        elif exc.status_code == 405:
            detail = f"{request.method} is not allowed on {request.url.path}"
        elif exc.status_code == 400 and detail == BODY_UNREADABLE:
            detail = ("the request body could not be read: send one JSON object (nested at "
                      "most a few hundred levels deep) or a well-formed form")
        if wants_json(request):
            return JSONResponse({"detail": detail}, status_code=exc.status_code,
                                headers=getattr(exc, "headers", None))
        return error_page(request, exc.status_code, detail)



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
        request, "error.html",
        {"code": code, "message": message, "csrf": session.get("csrf", ""), "me": None,
         "title": f"Error {code}"},
        status_code=code,
    )
