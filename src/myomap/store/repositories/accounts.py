"""Queries over accounts, clinics, the cookie signing secret and the installation id."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from myomap.store.orm import Clinic
from myomap.store.orm_accounts import AppSecret, Installation, User
from myomap.store.repositories.named import id_named


def user_named(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


def user(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.id)))


def user_ids_of_clinic(session: Session, clinic_id: int | None) -> set[int]:
    """Ids of the accounts of a clinic (``None``: the accounts kept without one)."""
    query = select(User.id).where(
        User.clinic_id.is_(None) if clinic_id is None else User.clinic_id == clinic_id
    )
    return set(session.scalars(query))


def any_active_user(session: Session) -> bool:
    return session.scalar(select(User.id).where(User.disabled_at.is_(None)).limit(1)) is not None


def clinic_name(session: Session, clinic_id: int | None) -> str | None:
    clinic = session.get(Clinic, clinic_id) if clinic_id is not None else None
    return clinic.name if clinic is not None else None


def clinic_id_named(session: Session, name: str) -> int:
    """The clinic with this name, created on first use."""
    return id_named(session, Clinic.name, name)


def secret(session: Session, name: str) -> str | None:
    row = session.get(AppSecret, name)
    return row.value if row is not None else None


def add_secret_once(session: Session, name: str, value: str) -> str:
    """Store a secret unless a concurrent writer stored one first; the stored value wins."""
    nested = session.begin_nested()
    try:
        session.add(AppSecret(name=name, value=value))
        session.flush()
        nested.commit()
    except Exception:
        nested.rollback()
        found = secret(session, name)
        if found is None:
            raise
        return found
    return value


def installation_id(session: Session) -> str:
    """This store's installation UUID (the oldest row if a restore merged two); a store whose
    row went missing (a hand-edited database) gets a new one."""
    row = session.scalars(
        select(Installation).order_by(Installation.created_at, Installation.id).limit(1)
    ).first()
    if row is None:
        row = Installation(id=str(uuid.uuid4()))
        session.add(row)
        session.flush()
    return row.id
