"""Queries over server-side web sessions and login attempts (see :mod:`myomap.web.sessions`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, or_, select, text, update
from sqlalchemy.orm import Session

from myomap.store.orm_accounts import LoginAttempt, WebSession


def add(session: Session, session_id: str, user_id: int, now: datetime) -> None:
    session.add(WebSession(id=session_id, user_id=user_id, created_at=now, last_seen_at=now))
    session.flush()


def forget_old(session: Session, *, created_before: datetime, ended_before: datetime) -> None:
    """Remove sessions that can no longer be used."""
    session.execute(
        delete(WebSession).where(
            or_(WebSession.created_at < created_before, WebSession.ended_at < ended_before)
        )
    )


def get(session: Session, session_id: str) -> WebSession | None:
    return session.get(WebSession, session_id)


def end(session: Session, session_id: str, now: datetime) -> None:
    session.execute(
        update(WebSession)
        .where(WebSession.id == session_id, WebSession.ended_at.is_(None))
        .values(ended_at=now)
    )


def end_of_user(session: Session, user_id: int, now: datetime) -> None:
    session.execute(
        update(WebSession)
        .where(WebSession.user_id == user_id, WebSession.ended_at.is_(None))
        .values(ended_at=now)
    )


def touch(session: Session, session_id: str, now: datetime) -> None:
    session.execute(update(WebSession).where(WebSession.id == session_id).values(last_seen_at=now))


def last_success(session: Session, column: str, value: str, since: datetime) -> datetime | None:
    """When the last successful login for this key (``name_key`` or ``address_key``) was."""
    col = getattr(LoginAttempt, column)
    found = session.scalar(
        select(func.max(LoginAttempt.at)).where(
            col == value, LoginAttempt.ok.is_(True), LoginAttempt.at >= since
        )
    )
    return found if isinstance(found, datetime) else None


def failures(
    session: Session, column: str, value: str, since: datetime
) -> tuple[int, datetime | None]:
    """How many failed logins for this key since a time, and when the last one was."""
    col = getattr(LoginAttempt, column)
    n, last = session.execute(
        select(func.count(LoginAttempt.id), func.max(LoginAttempt.at)).where(
            col == value, LoginAttempt.ok.is_(False), LoginAttempt.at >= since
        )
    ).one()
    return int(n or 0), last


def lock_keys(session: Session, keys: tuple[str, ...]) -> None:
    """Serialise concurrent transactions on each key in order (PostgreSQL advisory locks;
    SQLite already serialises writers)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for key in keys:
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": int(key[:15], 16)})


def add_attempt(session: Session, keys: tuple[str, str], ok: bool, now: datetime) -> None:
    session.add(LoginAttempt(name_key=keys[0], address_key=keys[1], ok=ok, at=now))


def forget_attempts(session: Session, before: datetime) -> None:
    session.execute(delete(LoginAttempt).where(LoginAttempt.at < before))
