"""Admin views: the audit log (ids and verbs, never health data) and the account list."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse, Response

from myomap.store.repositories import accounts
from myomap.store.repositories import audit as audit_log
from myomap.web.api_models import STAFF_ERRORS
from myomap.web.api_records import AccountOut, AuditOut
from myomap.web.deps import Ctx, context
from myomap.web.security import list_users

router = APIRouter(responses=STAFF_ERRORS)


def audit_entries(ctx: Ctx, limit: int, actor: str | None) -> list[dict[str, Any]]:
    """Newest first, scoped like every other read (see
    :func:`myomap.store.repositories.audit.readable_by_admin`)."""
    ctx.me.require("audit.read")
    with ctx.tx() as session:
        rows = audit_log.entries_for_admin(
            session, ctx.me.clinic_id, limit=limit, actor=actor.strip().lower() if actor else None
        )
        return [
            {
                "id": r.id,
                "at": r.at.isoformat(),
                "actor": r.actor,
                "action": r.action,
                "record_type": r.record_type,
                "record_id": r.record_id,
            }
            for r in rows
        ]


@router.get("/api/audit", tags=["admin"], response_model=list[AuditOut])
def api_audit(
    limit: int = Query(default=200, ge=1, le=5000),
    actor: str | None = Query(default=None, max_length=200),
    ctx: Ctx = Depends(context),
) -> list[dict[str, Any]]:
    """Who read or changed which record, newest first (admins only)."""
    return audit_entries(ctx, limit, actor)


@router.get("/api/users", tags=["admin"], response_model=list[AccountOut])
def api_users(ctx: Ctx = Depends(context)) -> list[dict[str, Any]]:
    """Accounts of your clinic (no password hashes); add them with 'myomap user add'."""
    ctx.me.require("users.read")
    with ctx.tx() as session:
        mine = accounts.user_ids_of_clinic(session, ctx.me.clinic_id)
        return [u.to_json() for u in list_users(session) if u.id in mine]


@router.get("/admin/audit", include_in_schema=False, response_class=HTMLResponse)
def audit_page(
    actor: str | None = Query(default=None, max_length=200), ctx: Ctx = Depends(context)
) -> Response:
    rows = audit_entries(ctx, 300, actor)
    return ctx.render("audit.html", title="Audit log", nav="audit", rows=rows, actor=actor or "")


@router.get("/api/docs", include_in_schema=False, response_class=HTMLResponse)
def api_docs(ctx: Ctx = Depends(context)) -> Response:
    """The OpenAPI schema as a plain page (no third-party scripts)."""
    schema = ctx.request.app.openapi()
    rows = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            rows.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": (op.get("description") or "").split("\n\n")[0],
                    "tag": (op.get("tags") or [""])[0],
                }
            )
    return ctx.render("apidocs.html", title="API", rows=rows, version=schema["info"]["version"])
