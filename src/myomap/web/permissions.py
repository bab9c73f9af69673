"""Who is asking and what their role allows: the web's acting user and its permissions.

A :class:`Principal` is the domain's :class:`~myomap.domain.actor.Actor` with the web's roles on
top, so a route hands it straight to a use case, which applies the clinic scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from myomap.domain.actor import Actor
from myomap.domain.errors import MyomapError

if TYPE_CHECKING:
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

LOCAL_USER = "local"


class AuthError(MyomapError):
    """Not logged in (HTTP 401)."""

    exit_code = 3


class ForbiddenError(MyomapError):
    """Logged in but not allowed, or a missing/wrong CSRF token (HTTP 403)."""

    exit_code = 3


@dataclass(frozen=True)
class Principal(Actor):
    """Who is making a request. ``user_id`` is None in open (loopback, no accounts) mode; the
    clinic scope is the account's clinic (open mode: the records kept without one)."""

    def can(self, permission: str) -> bool:
        return permission in PERMISSIONS.get(self.role, frozenset())

    def require(self, permission: str) -> None:
        if not self.can(permission):
            raise ForbiddenError(
                f"your role ({self.role}) does not allow this; ask an admin for access"
            )


LOCAL = Principal(username=LOCAL_USER, role="admin", clinic_id=None)


def principal_of(row: User) -> Principal:
    return Principal(username=row.username, role=row.role, clinic_id=row.clinic_id, user_id=row.id)
