"""Staff side of the client's own loop: create and withdraw links, read the client's diary."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, Response
from pydantic import Field

from myomap.services import clients, consent, diary_progress, portal
from myomap.services.portal import DiaryView
from myomap.store.orm import utcnow
from myomap.web.api_models import STAFF_ERRORS, errors
from myomap.web.api_records import LinkOut, RevokedOut
from myomap.web.deps import Ctx, RecordId, context, writer
from myomap.web.inputs import ApiIn
from myomap.web.presenters import presenter

router = APIRouter(responses=STAFF_ERRORS)


class LinkIn(ApiIn):
    days: int = Field(default=14, ge=1, le=portal.MAX_LINK_DAYS)
    check_birth_year: bool = False


def base_url(ctx: Ctx) -> str:
    return str(ctx.request.base_url).rstrip("/")


@router.post(
    "/api/clients/{client_id}/link",
    tags=["client links"],
    status_code=201,
    response_model=LinkOut,
    responses=errors(404),
)
def api_create_link(
    client_id: RecordId, body: LinkIn, ctx: Ctx = Depends(writer)
) -> dict[str, Any]:
    """A new link for the client's own pages: ``{"url", "expires"}``; the token is shown once."""
    ctx.me.require("clients.write")
    with ctx.tx() as session:
        link = portal.create_link(
            session,
            client_id,
            days=body.days,
            actor=ctx.me.username,
            check_birth_year=body.check_birth_year,
            scope=ctx.me,
        )
    url = link.url(base_url(ctx))
    return {"url": url, "expires": link.expires.isoformat(), "qr": portal.qr_svg(url)}


@router.delete(
    "/api/clients/{client_id}/link",
    tags=["client links"],
    response_model=RevokedOut,
    responses=errors(404),
)
def api_revoke_links(client_id: RecordId, ctx: Ctx = Depends(writer)) -> dict[str, Any]:
    """Withdraw every link of the client; sessions opened with them end at once."""
    ctx.me.require("clients.write")
    with ctx.tx() as session:
        n = portal.revoke_links(session, client_id, actor=ctx.me.username, scope=ctx.me)
    return {"revoked": n}


@router.get(
    "/api/clients/{client_id}/diary",
    tags=["client links"],
    response_model=list[DiaryView],
    responses=errors(404),
)
def api_client_diary(client_id: RecordId, ctx: Ctx = Depends(context)) -> list[dict[str, Any]]:
    """The client's diary entries, newest first (the read is audited)."""
    ctx.me.require("clinical.read")
    with ctx.tx() as session:
        rows = portal.diary(session, client_id, scope=ctx.me)
        ctx.audit(session, "read", "diary", client_id)
    return [r.model_dump(mode="json") for r in rows]


@router.get("/clients/{client_id}/link", include_in_schema=False, response_class=HTMLResponse)
def link_page(client_id: RecordId, ctx: Ctx = Depends(context)) -> Response:
    """Where staff create a link, show its QR code, and see the client's diary trend."""
    ctx.me.require("clients.read")
    with ctx.tx() as session:
        row = clients.get_row(session, client_id, include_deleted=True, scope=ctx.me)
        name = row.display_name
        status = portal.link_status(session, client_id, scope=ctx.me)
        entries = (
            portal.diary(session, client_id, limit=60, scope=ctx.me)
            if ctx.me.can("clinical.read")
            else []
        )
        signed = consent.consents(session, client_id)
        last = max(
            (v.started_at for v in row.visits if v.deleted_at is None and v.started_at <= utcnow()),
            default=None,
        )
        trend = (
            diary_progress.trend_since(session, client_id, last)
            if ctx.me.can("clinical.read")
            else {"entries": 0}
        )
    return ctx.render(
        "client_link.html",
        title=f"Client link · {name}",
        nav="clients",
        client_id=client_id,
        client_name=name,
        status=status,
        entries=entries,
        where={e.id: presenter(ctx.request).drawing_places(e.drawing) for e in entries},
        consents=signed,
        trend=trend,
        last_visit=last,
    )
