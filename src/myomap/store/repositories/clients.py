"""Queries over clients: by id within an actor's scope, by external reference, by name, and the
list with visit counts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from myomap.domain.actor import Actor, RecordNotFound
from myomap.store.orm import Client, Clinic, Visit


def get(session: Session, client_id: int) -> Client | None:
    """The client row whatever its clinic (the caller applies a scope), or None."""
    return session.get(Client, client_id)


def in_scope(session: Session, actor: Actor, client_id: int) -> Client:
    """The client if it is in the actor's scope, deleted or not. Another clinic's client, even a
    deleted one, raises the same :class:`RecordNotFound` as an id that does not exist."""
    row = session.get(Client, client_id)
    if row is None or not actor.sees(row.clinic_id):
        raise RecordNotFound("client", client_id)
    return row


def ids_in_scope(session: Session, actor: Actor) -> set[int]:
    """The ids of every client (deleted ones included) in the actor's scope."""
    query = select(Client.id)
    if not actor.every_clinic:
        query = query.where(
            Client.clinic_id.is_(None)
            if actor.clinic_id is None
            else Client.clinic_id == actor.clinic_id
        )
    return set(session.scalars(query))


def id_by_external_ref(session: Session, external_ref: str) -> int | None:
    return session.scalar(select(Client.id).where(Client.external_ref == external_ref))


def first_named(session: Session, display_name: str) -> int | None:
    """The oldest live client with exactly this display name, if any."""
    found = session.scalar(
        select(Client.id)
        .where(Client.display_name == display_name, Client.deleted_at.is_(None))
        .order_by(Client.id)
        .limit(1)
    )
    return None if found is None else int(found)


def with_visit_stats(
    session: Session, *, include_deleted: bool = False
) -> list[tuple[Client, int, datetime | None]]:
    """Clients by id, each with its count of live visits and the start of the latest one."""
    stats = (
        select(
            Visit.client_id,
            func.count(Visit.id).label("n"),
            func.max(Visit.started_at).label("last"),
        )
        .where(Visit.deleted_at.is_(None))
        .group_by(Visit.client_id)
        .subquery()
    )
    query = (
        select(Client, stats.c.n, stats.c.last)
        .outerjoin(stats, stats.c.client_id == Client.id)
        .order_by(Client.id)
    )
    if not include_deleted:
        query = query.where(Client.deleted_at.is_(None))
    return [(client, int(n or 0), last) for client, n, last in session.execute(query).all()]


def live_names(session: Session, client_ids: Iterable[int]) -> dict[int, str]:
    """Display names of the given clients that are not deleted."""
    return {
        int(cid): str(name)
        for cid, name in session.execute(
            select(Client.id, Client.display_name).where(
                Client.id.in_(set(client_ids)), Client.deleted_at.is_(None)
            )
        ).all()
    }


def count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Client)) or 0)


def clinic_name(session: Session, client: Client) -> str | None:
    """The name of the client's clinic, if it is kept for one."""
    clinic = session.get(Clinic, client.clinic_id) if client.clinic_id is not None else None
    return clinic.name if clinic is not None else None
