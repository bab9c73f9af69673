"""Mapped classes of the web app's accounts and of the store's identity.

Accounts, login sessions and attempts are not clinical records: they are kept apart from
:mod:`myomap.store.orm`, while sharing its metadata (one schema, one migration history). The
installation row names this store, so exports from two stores never share an identifier.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from myomap.store.orm import USER_ROLES, Base, _in, utcnow


class User(Base):
    """A login for the web app; authentication logic lives in the web adapter."""

    __tablename__ = "app_user"
    __table_args__ = (CheckConstraint(_in("role", USER_ROLES), name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(32))
    clinic_id: Mapped[int | None] = mapped_column(ForeignKey("clinic.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    disabled_at: Mapped[datetime | None] = mapped_column(default=None)


class AppSecret(Base):
    """A server-wide secret (the cookie signing key), kept in the database so that every worker
    and host serving one database signs and checks cookies with the same key."""

    __tablename__ = "app_secret"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class WebSession(Base):
    """A web login, kept on the server so that logout, a password change and an idle timeout
    end it. The cookie carries a random token; only its SHA-256 digest is stored here."""

    __tablename__ = "web_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(default=None)


class LoginAttempt(Base):
    """One login attempt, for the limits per account name and per client address. Both are
    keyed digests (the username field sometimes holds a password; addresses are personal)."""

    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    name_key: Mapped[str] = mapped_column(String(64), index=True)
    address_key: Mapped[str] = mapped_column(String(64), index=True)
    ok: Mapped[bool] = mapped_column(Boolean, default=False)


class Installation(Base):
    """The one row naming this record store: a random UUID made when the store is created.

    Exports derive every identifier and ``urn:uuid`` from it, so records of two stores never
    collide when pooled, while repeated exports of one store keep the same ids.
    """

    __tablename__ = "installation"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
