"""Routes by noun; each module exposes ``router`` with its pages and its ``/api/`` twins."""

from fastapi import APIRouter

from myomap.web.routes.admin import router as admin_router
from myomap.web.routes.atlas import router as atlas_router
from myomap.web.routes.auth import router as auth_router
from myomap.web.routes.bodymap import router as bodymap_router
from myomap.web.routes.client_entry import router as client_entry_router
from myomap.web.routes.client_links import router as client_links_router
from myomap.web.routes.clients import router as clients_router
from myomap.web.routes.me import router as me_router
from myomap.web.routes.outcomes import router as outcomes_router
from myomap.web.routes.personal import router as personal_router
from myomap.web.routes.visit_exam import router as visit_exam_router
from myomap.web.routes.visits import router as visits_router

ROUTERS: tuple[APIRouter, ...] = (
    auth_router,
    bodymap_router,
    atlas_router,
    clients_router,
    visits_router,
    visit_exam_router,
    outcomes_router,
    admin_router,
    client_links_router,
    me_router,
    client_entry_router,
    personal_router,
)
