"""Queries over the client's own records: links, diary entries, consents and the drawings the
client sent with an intake or a diary entry."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import String, cast, select, update
from sqlalchemy.orm import Session

from myomap.store.orm import Intake, utcnow
from myomap.store.orm_portal import ClientLink, Consent, DiaryEntry


def link(session: Session, link_id: int) -> ClientLink | None:
    return session.get(ClientLink, link_id)


def link_by_hash(session: Session, token_hash: str) -> ClientLink | None:
    return session.scalar(select(ClientLink).where(ClientLink.token_hash == token_hash))


def links_of(session: Session, client_id: int) -> list[ClientLink]:
    return list(session.scalars(select(ClientLink).where(ClientLink.client_id == client_id)))


def revoke_links(session: Session, client_id: int) -> int:
    """Mark every open link of the client revoked now; how many there were."""
    result = session.execute(
        update(ClientLink)
        .where(ClientLink.client_id == client_id, ClientLink.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return int(getattr(result, "rowcount", 0) or 0)


def diary_by_key(session: Session, entry_key: str) -> DiaryEntry | None:
    return session.scalar(select(DiaryEntry).where(DiaryEntry.entry_key == entry_key))


def diary(
    session: Session, client_id: int, *, limit: int, since: datetime | None = None
) -> list[DiaryEntry]:
    """The client's entries, newest first."""
    query = select(DiaryEntry).where(DiaryEntry.client_id == client_id)
    if since is not None:
        query = query.where(DiaryEntry.at >= since)
    query = query.order_by(DiaryEntry.at.desc(), DiaryEntry.id.desc()).limit(limit)
    return list(session.scalars(query))


def diary_times(session: Session, client_ids: Iterable[int]) -> list[tuple[int, datetime]]:
    """(client id, creation time) of every diary entry of the given clients."""
    return [
        (int(cid), at)
        for cid, at in session.execute(
            select(DiaryEntry.client_id, DiaryEntry.created_at).where(
                DiaryEntry.client_id.in_(set(client_ids))
            )
        ).all()
    ]


def consents(session: Session, client_id: int) -> list[Consent]:
    """The client's consents, newest first."""
    return list(
        session.scalars(
            select(Consent)
            .where(Consent.client_id == client_id)
            .order_by(Consent.signed_at.desc(), Consent.id.desc())
        )
    )


def consent_versions(
    session: Session, client_ids: Iterable[int]
) -> list[tuple[int, str, datetime]]:
    """(client id, version, signing time) of every consent of the given clients."""
    return [
        (int(cid), str(version), at)
        for cid, version, at in session.execute(
            select(Consent.client_id, Consent.version, Consent.signed_at).where(
                Consent.client_id.in_(set(client_ids))
            )
        ).all()
    ]


def latest_client_drawing(
    session: Session, client_id: int
) -> tuple[dict[str, Any], datetime, str] | None:
    """The newest drawing the client sent from their own pages (with an intake or a diary
    entry): the document, when, and ``"intake"`` or ``"diary"``; None when there is none.

    A diary entry without a drawing may hold JSON ``null`` rather than SQL NULL, so both are
    excluded (the text cast works the same on SQLite and PostgreSQL).
    """
    found: list[tuple[dict[str, Any], datetime, str]] = []
    for column, when, source, owner in (
        (Intake.drawing, Intake.recorded_at, "intake", Intake.client_id),
        (DiaryEntry.drawing, DiaryEntry.at, "diary", DiaryEntry.client_id),
    ):
        row = session.execute(
            select(column, when)
            .where(owner == client_id, column.is_not(None), cast(column, String) != "null")
            .order_by(when.desc())
            .limit(1)
        ).first()
        if row is not None and isinstance(row[0], dict):
            found.append((dict(row[0]), row[1], source))
    return max(found, key=lambda f: f[1], default=None)
