"""The web app: ``create_app(settings)`` builds a FastAPI application over one record store.

The app holds no state of its own beyond what it derives from the database at start (the cookie
signing key, read from the ``app_secret`` table): sessions and login attempts are rows of the
database, so ``myomap serve --workers N`` and several hosts behind a load balancer agree. The
outermost layer (:mod:`myomap.web.guard`) checks Host, Origin and the body size first.
Errors are JSON ``{"detail": "..."}`` under ``/api/`` and a plain error page elsewhere; health
data never reaches the server log.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from myomap import __version__
from myomap.app import Myomap
from myomap.config import load_settings
from myomap.domain.errors import MyomapError
from myomap.web import guard
from myomap.web.cookie_session import SessionCookie
from myomap.web.deps import accounts_on
from myomap.web.errors import (
    BODY_UNREADABLE,
    error_page,
    message_of,
    status_of,
    validation_message,
    wants_json,
)
from myomap.web.presenters import Presenter
from myomap.web.routes import ROUTERS
from myomap.web.security import (
    AuthError,
    CookieSigner,
    RateLimitError,
    script_json,
    signing_key,
)

if TYPE_CHECKING:
    from myomap.config import Settings
    from myomap.services.database import Store

HERE = Path(__file__).parent
log = logging.getLogger("myomap.web")

CSP = guard.CSP


def templates(presenter: Presenter) -> Jinja2Templates:
    """The page templates, naming trigger points from the app's own atlas."""
    tpl = Jinja2Templates(directory=str(HERE / "templates"))
    tpl.env.globals["version"] = __version__
    tpl.env.filters["zl"] = lambda key, labels: labels.get(key, key)
    tpl.env.filters["trp_name"] = presenter.trp_name
    tpl.env.filters["script_json"] = script_json
    return tpl


def create_app(
    settings: Settings, *, store: Store | None = None, application: Myomap | None = None
) -> FastAPI:
    """Build the app over one application object (knowledge and store, built here from the
    settings unless given); migrations are applied when the store is opened here."""
    if application is None:
        application = Myomap(settings, store=store)
    store = application.store
    known = application.knowledge
    if known.sources.screening_rules is not None:
        for problem in known.loaded_rules.problems:  # a missing file stops the start here
            log.warning("clinic screening rules: %s", problem)
    for problem in known.catalogue_problems:
        log.warning("clinic instruments: %s", problem)
    with store.transaction() as session:
        key = signing_key(session)

    app = FastAPI(
        title="myomap",
        version=__version__,
        description="Body map, trigger point atlas, differential, safety screening, plans, "
        "records and outcomes for neuromuscular therapy. Supports a qualified person's "
        'judgement; does not diagnose. Errors are JSON objects {"detail": message}.',
        docs_url=None,  # the stock docs page loads scripts from a CDN; routes/admin.py serves one
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.settings = application.settings
    app.state.myomap = application
    app.state.store = store
    app.state.signer = CookieSigner(key)
    app.state.presenter = Presenter(known)
    app.state.templates = templates(app.state.presenter)
    app.state.auth_cache = (0.0, False)

    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    for router in ROUTERS:
        app.include_router(router)
    _install_handlers(app)
    app.add_middleware(SessionCookie, signer=app.state.signer)
    # Added last, so it runs first: Host, Origin and the body limit come before everything.
    app.add_middleware(
        guard.Guard,
        bind_host=settings.host,
        allowed=settings.host_names,
        max_body=settings.max_body_bytes,
        accounts_on=lambda: accounts_on(app),
    )
    return app


def factory() -> FastAPI:
    """Entry point for uvicorn workers: settings from the ``MYOMAP_*`` environment."""
    return create_app(load_settings())


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(MyomapError)
    async def myomap_error(request: Request, exc: MyomapError) -> Response:
        code = status_of(exc)
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimitError) else None
        if wants_json(request):
            return JSONResponse({"detail": message_of(exc)}, status_code=code, headers=headers)
        if isinstance(exc, AuthError):
            target = request.url.path
            if request.url.query:
                target += "?" + request.url.query
            return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
        return error_page(request, code, message_of(exc))

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
            detail = (
                "the request body could not be read: send one JSON object (nested at "
                "most a few hundred levels deep) or a well-formed form"
            )
        if wants_json(request):
            return JSONResponse(
                {"detail": detail},
                status_code=exc.status_code,
                headers=getattr(exc, "headers", None),
            )
        return error_page(request, exc.status_code, detail)
