"""Accounts, passwords, signed session cookies, CSRF tokens, roles and login rate limiting.

Everything here keeps its state in the database or in a signed cookie, never in the process, so
any number of workers or hosts can serve one database: the cookie signing key lives in the
``app_secret`` table, and sessions and login attempts in their own tables (see
:mod:`myomap.web.sessions`); the signed cookie holds the CSRF token and the session token.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from myomap.domain.errors import ConflictError, MyomapError, NotFoundError, UsageError
from myomap.store.engine import write_lock as write_lock
from myomap.web.sessions import RateLimitError as RateLimitError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from myomap.store.orm_accounts import User

ROLES = ("admin", "practitioner", "front_desk", "researcher")

# What each role may do. Front desk books and registers clients but reads no clinical notes;
# researchers read and never write.
PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": frozenset(
        {
            "clients.read",
            "clients.write",
            "clinical.read",
            "clinical.write",
            "measures.write",
            "audit.read",
            "users.read",
        }
    ),
    "practitioner": frozenset(
        {"clients.read", "clients.write", "clinical.read", "clinical.write", "measures.write"}
    ),
    "front_desk": frozenset({"clients.read", "clients.write", "measures.write"}),
    "researcher": frozenset({"clients.read", "clinical.read"}),
}

SESSION_COOKIE = "myomap_session"
SESSION_MAX_AGE = 12 * 3600
MIN_PASSWORD = 10
SECRET_NAME = "cookie_signing_key"
LOCAL_USER = "local"


class AuthError(MyomapError):
    """Not logged in (HTTP 401)."""

    exit_code = 3


class ForbiddenError(MyomapError):
    """Logged in but not allowed, or a missing/wrong CSRF token (HTTP 403)."""

    exit_code = 3


@dataclass(frozen=True)
class Principal:
    """Who is making a request. ``user_id`` is None in open (loopback, no accounts) mode."""

    username: str
    role: str
    clinic_id: int | None
    user_id: int | None = None

    def can(self, permission: str) -> bool:
        return permission in PERMISSIONS.get(self.role, frozenset())

    def require(self, permission: str) -> None:
        if not self.can(permission):
            raise ForbiddenError(
                f"your role ({self.role}) does not allow this; ask an admin for access"
            )


LOCAL = Principal(username=LOCAL_USER, role="admin", clinic_id=None)


# -- passwords ---------------------------------------------------------------------------------


def _hasher() -> Any:
    from argon2 import PasswordHasher

    return PasswordHasher()


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise UsageError(f"password is too short: use at least {MIN_PASSWORD} characters")
    if len(password) > 1024:
        raise UsageError("password is too long: at most 1024 characters")
    return str(_hasher().hash(password))


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Constant work whether or not the account exists, so timing does not reveal usernames."""
    from argon2.exceptions import InvalidHashError, VerificationError

    hasher = _hasher()
    target = stored_hash or _dummy_hash()
    try:
        ok = bool(hasher.verify(target, password))
    except (VerificationError, InvalidHashError):
        return False
    return ok and stored_hash is not None


_DUMMY: list[str] = []


def _dummy_hash() -> str:
    if not _DUMMY:
        _DUMMY.append(str(_hasher().hash(secrets.token_urlsafe(16))))
    return _DUMMY[0]


# -- accounts ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class UserView:
    id: int
    username: str
    role: str
    clinic: str | None
    disabled: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "username": self.username,
            "role": self.role,
            "clinic": self.clinic,
            "disabled": self.disabled,
        }


def _username(value: str) -> str:
    cleaned = value.strip().lower()
    if not cleaned or len(cleaned) > 100 or not all(c.isalnum() or c in "._-@" for c in cleaned):
        raise UsageError("username must be 1 to 100 letters, digits or . _ - @ (no spaces)")
    return cleaned


def _role(value: str) -> str:
    role = value.strip().lower().replace("-", "_")
    if role not in ROLES:
        raise UsageError(f"role must be one of: {', '.join(ROLES)}")
    return role


def _clinic_id(session: Session, name: str | None) -> int | None:
    from sqlalchemy import select

    from myomap.store.orm import Clinic

    if name is None or not name.strip():
        return None
    cleaned = name.strip()[:200]
    found = session.scalar(select(Clinic.id).where(Clinic.name == cleaned))
    if found is not None:
        return found
    row = Clinic(name=cleaned)
    session.add(row)
    session.flush()
    return row.id


def _view(session: Session, row: User) -> UserView:
    from myomap.store.orm import Clinic

    clinic = session.get(Clinic, row.clinic_id) if row.clinic_id is not None else None
    return UserView(
        row.id, row.username, row.role, clinic.name if clinic else None, row.disabled_at is not None
    )


def add_user(
    session: Session,
    *,
    username: str,
    role: str,
    password: str,
    clinic: str | None = None,
    actor: str = "cli",
) -> UserView:
    """Create an account; the clinic (by name) is created on first use."""
    from sqlalchemy import select

    from myomap.services import audit
    from myomap.store.orm_accounts import User

    name = _username(username)
    if session.scalar(select(User.id).where(User.username == name)) is not None:
        raise ConflictError(f"user {name!r} already exists; use 'myomap user passwd' to reset")
    row = User(
        username=name,
        role=_role(role),
        password_hash=hash_password(password),
        clinic_id=_clinic_id(session, clinic),
    )
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="create", record_type="user", record_id=row.id)
    return _view(session, row)


def list_users(session: Session) -> list[UserView]:
    from sqlalchemy import select

    from myomap.store.orm_accounts import User

    return [_view(session, u) for u in session.scalars(select(User).order_by(User.id))]


def set_password(session: Session, *, username: str, password: str, actor: str = "cli") -> None:
    """A new password; every open web session of the account ends."""
    from myomap.services import audit
    from myomap.web.sessions import end_user_sessions

    row = find_user(session, username)
    if row is None:
        raise NotFoundError(f"no user {username.strip()!r}; run 'myomap user list'")
    row.password_hash = hash_password(password)
    session.flush()
    end_user_sessions(session, row.id)
    audit.record(session, actor=actor, action="passwd", record_type="user", record_id=row.id)


def find_user(session: Session, username: str) -> User | None:
    from sqlalchemy import select

    from myomap.store.orm_accounts import User

    return session.scalar(select(User).where(User.username == username.strip().lower()))


def any_active_user(session: Session) -> bool:
    from sqlalchemy import select

    from myomap.store.orm_accounts import User

    return session.scalar(select(User.id).where(User.disabled_at.is_(None)).limit(1)) is not None


# -- login -------------------------------------------------------------------------------------


def authenticate(session: Session, username: str, password: str, address: str) -> User:
    """The user for these credentials, limited per name typed and per client address.

    While a limit applies the answer is RateLimitError whether or not the name is an account,
    and the password is not even checked; after the wait the right password works again.
    The caller must commit even when this raises, so that the failure is recorded.
    """
    from myomap.services import audit
    from myomap.web.sessions import attempt_keys, check_wait, lock_keys, record_attempt

    name = username.strip().lower()[:100]
    write_lock(session)
    keys = attempt_keys(signing_key(session), name, address)
    lock_keys(session, keys)
    check_wait(session, keys)
    row = find_user(session, name) if name else None
    ok = verify_password(row.password_hash if row else None, password)
    if row is None or not ok or row.disabled_at is not None:
        record_attempt(session, keys, ok=False)
        # A name that is no account is not recorded: people type passwords into that field.
        audit.record(
            session,
            actor=row.username if row else "?",
            action="login_failed",
            record_type="user",
            record_id=row.id if row else None,
        )
        raise AuthError("wrong username or password")
    record_attempt(session, keys, ok=True)
    audit.record(session, actor=row.username, action="login", record_type="user", record_id=row.id)
    return row


def principal_of(row: User) -> Principal:
    return Principal(username=row.username, role=row.role, clinic_id=row.clinic_id, user_id=row.id)


# -- cookies -----------------------------------------------------------------------------------


def signing_key(session: Session) -> str:
    """The cookie key, created once per database; a concurrent creator's key wins the race."""
    from myomap.store.orm_accounts import AppSecret

    write_lock(session)
    row = session.get(AppSecret, SECRET_NAME)
    if row is not None:
        return row.value
    value = secrets.token_urlsafe(48)
    nested = session.begin_nested()
    try:
        session.add(AppSecret(name=SECRET_NAME, value=value))
        session.flush()
        nested.commit()
    except Exception:
        nested.rollback()
        row = session.get(AppSecret, SECRET_NAME)
        if row is None:
            raise
        return row.value
    return value


class CookieSigner:
    """Signs and reads the session cookie: ``{"csrf": token, "sid": session token}`` (the
    ``sid`` only while logged in; see :mod:`myomap.web.sessions`)."""

    def __init__(self, key: str) -> None:
        from itsdangerous import URLSafeTimedSerializer

        self._serializer = URLSafeTimedSerializer(key, salt="myomap-session")

    def dumps(self, data: dict[str, Any]) -> str:
        return str(self._serializer.dumps(data))

    def loads(self, value: str | None) -> dict[str, Any]:
        from itsdangerous import BadSignature

        if not value:
            return {}
        try:
            data = self._serializer.loads(value, max_age=SESSION_MAX_AGE)
        except BadSignature:
            return {}
        return data if isinstance(data, dict) else {}


def new_csrf_token() -> str:
    return secrets.token_urlsafe(24)


def same_token(a: str | None, b: str | None) -> bool:
    """Constant-time equality; compared as UTF-8 bytes because ``compare_digest`` refuses str
    with non-ASCII characters, which a client can put in a header or form field."""
    if not a or not b:
        return False
    return secrets.compare_digest(
        str(a).encode("utf-8", "surrogatepass"), str(b).encode("utf-8", "surrogatepass")
    )


def is_loopback(host: str) -> bool:
    import ipaddress

    if host in ("localhost", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


# -- JSON inside HTML --------------------------------------------------------------------------

_SCRIPT_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def escape_script_json(text: str) -> str:
    """JSON text made safe inside ``<script type="application/json">``: ``<``, ``>``, ``&``
    and U+2028/U+2029 become ``\\uXXXX`` escapes, which mean the same to a JSON parser, so a
    label such as ``</script>`` or ``<!--<script>`` can neither end the element nor open an
    HTML comment that swallows the rest of the page."""
    for raw, escaped in _SCRIPT_ESCAPES.items():
        text = text.replace(raw, escaped)
    return text


def script_json(value: Any) -> str:
    """``value`` as JSON for embedding in a page (see :func:`escape_script_json`)."""
    import json

    return escape_script_json(json.dumps(value, separators=(",", ":")))
