"""Routes by noun; each module exposes ``router`` with its pages and its ``/api/`` twins."""

from fastapi import APIRouter

from myomap.web.routes import admin, atlas, auth, bodymap, clients, outcomes, visits

ROUTERS: tuple[APIRouter, ...] = (
    auth.router,
    bodymap.router,
    atlas.router,
    clients.router,
    visits.router,
    outcomes.router,
    admin.router,
)
