"""Accounts, passwords, signed session cookies, CSRF tokens and the login check.

Roles and the acting user live in :mod:`myomap.web.permissions` (re-exported here), the session
rows and login limits in :mod:`myomap.web.sessions`, the queries in
:mod:`myomap.store.repositories`.

Everything here keeps its state in the database or in a signed cookie, never in the process, so
any number of workers or hosts can serve one database: the cookie signing key lives in the
``app_secret`` table, and sessions and login attempts in their own tables (see
:mod:`myomap.web.sessions`); the signed cookie holds the CSRF token and the session token.
"""

from __future__ import annotations

import ipaddress
import json
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from myomap.domain.errors import ConflictError, NotFoundError, UsageError
from myomap.services import audit
from myomap.store.engine import write_lock as write_lock
from myomap.store.orm_accounts import User
from myomap.store.repositories import accounts
from myomap.web.permissions import LOCAL as LOCAL
from myomap.web.permissions import LOCAL_USER as LOCAL_USER
from myomap.web.permissions import PERMISSIONS as PERMISSIONS
from myomap.web.permissions import ROLES
from myomap.web.permissions import AuthError as AuthError
from myomap.web.permissions import ForbiddenError as ForbiddenError
from myomap.web.permissions import Principal as Principal
from myomap.web.permissions import principal_of as principal_of
from myomap.web.sessions import RateLimitError as RateLimitError
from myomap.web.sessions import (
    attempt_keys,
    check_wait,
    end_user_sessions,
    lock_keys,
    record_attempt,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

SESSION_COOKIE = "myomap_session"
SESSION_MAX_AGE = 12 * 3600
MIN_PASSWORD = 10
SECRET_NAME = "cookie_signing_key"


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
    if name is None or not name.strip():
        return None
    return accounts.clinic_id_named(session, name.strip()[:200])


def _view(session: Session, row: User) -> UserView:
    clinic = accounts.clinic_name(session, row.clinic_id)
    return UserView(row.id, row.username, row.role, clinic, row.disabled_at is not None)


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
    name = _username(username)
    if accounts.user_named(session, name) is not None:
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
    return [_view(session, u) for u in accounts.users(session)]


def set_password(session: Session, *, username: str, password: str, actor: str = "cli") -> None:
    """A new password; every open web session of the account ends."""
    row = find_user(session, username)
    if row is None:
        raise NotFoundError(f"no user {username.strip()!r}; run 'myomap user list'")
    row.password_hash = hash_password(password)
    session.flush()
    end_user_sessions(session, row.id)
    audit.record(session, actor=actor, action="passwd", record_type="user", record_id=row.id)


def find_user(session: Session, username: str) -> User | None:
    return accounts.user_named(session, username.strip().lower())


def any_active_user(session: Session) -> bool:
    return accounts.any_active_user(session)


# -- login -------------------------------------------------------------------------------------


def authenticate(session: Session, username: str, password: str, address: str) -> User:
    """The user for these credentials, limited per name typed and per client address.

    While a limit applies the answer is RateLimitError whether or not the name is an account,
    and the password is not even checked; after the wait the right password works again.
    The caller must commit even when this raises, so that the failure is recorded.
    """
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


# -- cookies -----------------------------------------------------------------------------------


def signing_key(session: Session) -> str:
    """The cookie key, created once per database; a concurrent creator's key wins the race."""
    write_lock(session)
    found = accounts.secret(session, SECRET_NAME)
    if found is not None:
        return found
    return accounts.add_secret_once(session, SECRET_NAME, secrets.token_urlsafe(48))


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
    return escape_script_json(json.dumps(value, separators=(",", ":")))
