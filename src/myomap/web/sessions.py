"""Server-side web sessions and the login limits, both kept in the database.

A login creates a ``web_session`` row; the cookie carries a random token whose SHA-256 digest is
the row's id. Logout, a password change and disabling an account end the rows, and a session
idle for longer than ``MYOMAP_SESSION_IDLE_MINUTES`` is refused, so a copied cookie stops
working. Login attempts are ``login_attempt`` rows keyed by a keyed digest of the name typed and
of the client address: every worker and host sees the same counts, the answer is the same for
names that are accounts and names that are not, and failures cost a growing delay instead of
locking the right password out.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from myomap.domain.errors import MyomapError
from myomap.store.orm import utcnow
from myomap.store.orm_accounts import User
from myomap.store.repositories import accounts
from myomap.store.repositories import web_sessions as rows

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

SESSION_LIFETIME = timedelta(hours=12)
# last_seen_at is written at most this often, so reading pages does not write on every request.
TOUCH_EVERY = timedelta(seconds=60)

ATTEMPT_WINDOW = timedelta(hours=1)
# Failures allowed without any wait, per account name and per client address.
FREE_PER_NAME = 3
FREE_PER_ADDRESS = 10
FIRST_DELAY_SECONDS = 2.0
MAX_DELAY_SECONDS = 15 * 60.0


class RateLimitError(MyomapError):
    """Too many failed logins for one name or from one address: wait (HTTP 429)."""

    exit_code = 3

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def _now() -> datetime:
    return utcnow()


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# -- sessions ----------------------------------------------------------------------------------


def start_session(session: Session, user_id: int) -> str:
    """A new session for this account; the token returned goes into the signed cookie."""
    token = secrets.token_urlsafe(32)
    now = _now()
    if secrets.randbelow(20) == 0:  # now and then, forget sessions that can no longer be used
        rows.forget_old(
            session,
            created_before=now - SESSION_LIFETIME,
            ended_before=now - timedelta(days=1),
        )
    rows.add(session, _digest(token), user_id, now)
    return token


def end_session(session: Session, token: str | None) -> None:
    if not token or not isinstance(token, str):
        return
    rows.end(session, _digest(token), _now())


def end_user_sessions(session: Session, user_id: int) -> None:
    """Every open session of one account (password change, account disabled)."""
    rows.end_of_user(session, user_id, _now())


@dataclass(frozen=True)
class Live:
    """A session that is still valid: its account, and whether last_seen_at is due a write."""

    user: User
    needs_touch: bool


def live_session(session: Session, token: object, idle: timedelta) -> Live | None:
    """The account of a session that is open, not idle too long and not too old, else None."""
    if not isinstance(token, str) or not token or len(token) > 200:
        return None
    row = rows.get(session, _digest(token))
    now = _now()
    if row is None or row.ended_at is not None:
        return None
    if now - row.last_seen_at > idle or now - row.created_at > SESSION_LIFETIME:
        return None
    user = accounts.user(session, row.user_id)
    if user is None or user.disabled_at is not None:
        return None
    return Live(user, now - row.last_seen_at > min(TOUCH_EVERY, idle / 4))


def touch_session(session: Session, token: str) -> None:
    rows.touch(session, _digest(token), _now())


# -- login limits ------------------------------------------------------------------------------


def attempt_keys(key: str, name: str, address: str) -> tuple[str, str]:
    """Keyed digests of the name typed and the client address (never stored in clear)."""
    secret = key.encode()
    return (
        hmac.new(secret, b"name:" + name.encode("utf-8", "replace"), "sha256").hexdigest(),
        hmac.new(secret, b"addr:" + address.encode("utf-8", "replace"), "sha256").hexdigest(),
    )


def delay_after(failures: int, free: int) -> float:
    """Seconds to wait after the last failure: none for the first ``free`` failures, then
    doubling from FIRST_DELAY_SECONDS up to MAX_DELAY_SECONDS."""
    if failures < free:
        return 0.0
    return float(min(FIRST_DELAY_SECONDS * 2 ** min(failures - free, 30), MAX_DELAY_SECONDS))


def _wait(session: Session, column: str, value: str, free: int, *, since_success: bool) -> float:
    since = _now() - ATTEMPT_WINDOW
    if since_success:
        last_ok = rows.last_success(session, column, value, since)
        if last_ok is not None:
            since = last_ok
    count, last = rows.failures(session, column, value, since)
    if not count or last is None:
        return 0.0
    remaining = delay_after(int(count), free) - (_now() - last).total_seconds()
    return float(max(remaining, 0.0))


def lock_keys(session: Session, keys: tuple[str, str]) -> None:
    """Serialise concurrent attempts for one address, then one name, on PostgreSQL (SQLite
    already serialises writers), so parallel guesses cannot all pass before the count grows.
    Always address first, then name: no two transactions wait for each other in a cycle."""
    rows.lock_keys(session, (keys[1], keys[0]))


def check_wait(session: Session, keys: tuple[str, str]) -> None:
    """Raise RateLimitError while the name or the address must still wait; the same answer
    whether or not the name is an account."""
    wait = max(
        _wait(session, "name_key", keys[0], FREE_PER_NAME, since_success=True),
        _wait(session, "address_key", keys[1], FREE_PER_ADDRESS, since_success=False),
    )
    if wait > 0:
        seconds = math.ceil(wait)
        raise RateLimitError(
            f"too many failed logins; wait {seconds} seconds and try again", seconds
        )


def record_attempt(session: Session, keys: tuple[str, str], ok: bool) -> None:
    rows.add_attempt(session, keys, ok, _now())
    if secrets.randbelow(50) == 0:  # now and then, forget attempts older than any window
        rows.forget_attempts(session, _now() - 2 * ATTEMPT_WINDOW)
    session.flush()
