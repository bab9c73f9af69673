"""Who acts on the record, and which clinic's records they may see.

Every use case that fetches a client or a visit by id is handed the acting user. A web user sees
the records of their own clinic (a user without a clinic sees the records kept without one); the
command line is the machine's local operator, who already holds the database file, so its scope
is every record. A record outside the scope is answered exactly like a record that does not
exist (:class:`RecordNotFound`), so ids cannot be probed across clinics.
"""

from __future__ import annotations

from dataclasses import dataclass

from myomap.domain.errors import NotFoundError


@dataclass(frozen=True)
class Actor:
    """The acting user. ``user_id`` is None for the local operator and the open local mode."""

    username: str
    role: str
    clinic_id: int | None
    user_id: int | None = None
    every_clinic: bool = False

    def sees(self, clinic_id: int | None) -> bool:
        """Whether a record kept for ``clinic_id`` is in this actor's scope."""
        return self.every_clinic or clinic_id == self.clinic_id


def operator(username: str = "cli") -> Actor:
    """The machine's local operator (the command line): every record is in scope."""
    return Actor(username=username, role="operator", clinic_id=None, every_clinic=True)


OPERATOR = operator()


class RecordNotFound(NotFoundError):
    """A client or visit id that does not exist or lies outside the actor's scope.

    The message names the thing only; each adapter adds where to look (see ``kind``).
    """

    def __init__(self, kind: str, record_id: int) -> None:
        self.kind = kind
        self.record_id = record_id
        super().__init__(f"no {kind} with id {record_id}.")
