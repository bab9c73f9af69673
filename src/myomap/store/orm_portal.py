"""Mapped classes for what a client writes through their own link: links, diary, consent.

Kept apart from :mod:`myomap.store.orm` because these rows come from outside the treatment room
and follow their own rules: a link is stored only as a hash of its token, a signed consent is
never changed, and a diary entry is the client's own account, never edited by staff.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Integer, String, Text, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from myomap.domain.errors import ConflictError
from myomap.store.orm import Base, utcnow


class ClientLink(Base):
    """A link that opens one client's own pages; only the SHA-256 of its token is kept."""

    __tablename__ = "client_link"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    created_by: Mapped[str] = mapped_column(String(200))
    check_birth_year: Mapped[bool] = mapped_column(Boolean, default=False)


class DiaryEntry(Base):
    """One entry of the client's diary, dated when the client says it happened."""

    __tablename__ = "diary_entry"
    __table_args__ = (
        CheckConstraint("pain BETWEEN 0 AND 10", name="pain"),
        CheckConstraint("sleep IS NULL OR sleep BETWEEN 0 AND 10", name="sleep"),
        CheckConstraint("stress IS NULL OR stress BETWEEN 0 AND 10", name="stress"),
        CheckConstraint(
            "analgesic_doses IS NULL OR analgesic_doses BETWEEN 0 AND 50", name="analgesic_doses"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"), index=True)
    at: Mapped[datetime] = mapped_column(index=True)
    pain: Mapped[int] = mapped_column(Integer)
    sleep: Mapped[int | None] = mapped_column(Integer, default=None)
    stress: Mapped[int | None] = mapped_column(Integer, default=None)
    analgesic_doses: Mapped[int | None] = mapped_column(Integer, default=None)
    home_care_done: Mapped[list[str]] = mapped_column(JSON, default=list)
    drawing: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    note: Mapped[str] = mapped_column(Text, default="")
    # A client-made key so that an entry sent twice (offline queue, double tap) is stored once.
    entry_key: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Consent(Base):
    """A signed consent: the text's version and digest, the typed name and the drawn signature."""

    __tablename__ = "consent"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"), index=True)
    version: Mapped[str] = mapped_column(String(40))
    text_sha256: Mapped[str] = mapped_column(String(64))
    typed_name: Mapped[str] = mapped_column(String(200))
    signature: Mapped[list[list[list[float]]]] = mapped_column(JSON)
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)


@event.listens_for(Session, "before_flush")
def _refuse_changes_to_client_records(session: Session, _context: Any, _instances: Any) -> None:
    """A signed consent and a diary entry are the client's own words: never edited or removed."""
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, Consent | DiaryEntry) and (
            obj in session.deleted or session.is_modified(obj)
        ):
            raise ConflictError(f"{type(obj).__tablename__} rows are never changed or removed")
