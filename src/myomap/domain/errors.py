"""Errors that carry a message fit for an end user.

Adapters map these to an exit code or an HTTP 4xx; the message must say what is wrong and how to
fix it, and must never contain patient data.
"""

from __future__ import annotations


class MyomapError(Exception):
    """Base class for every error an adapter should show to a user instead of a traceback."""

    exit_code = 1


class UsageError(MyomapError):
    """Input the user can correct: unknown region, malformed file, out-of-range value."""

    exit_code = 2


class UnknownRegionError(UsageError):
    """Raised when words or ids do not match any region; carries suggestions to show."""

    def __init__(self, phrase: str, suggestions: list[str]) -> None:
        self.phrase = phrase
        self.suggestions = suggestions
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(
            f"Unknown body region {phrase!r}.{hint} Run 'myomap regions' to list all regions."
        )


class DataError(MyomapError):
    """Bundled or user-supplied clinical data failed validation."""

    exit_code = 3


class NotFoundError(UsageError):
    """A referenced record (client, visit, muscle) does not exist."""

    exit_code = 4


class ConflictError(UsageError):
    """The request clashes with the current state, e.g. editing a signed note."""

    exit_code = 5


class StaleError(ConflictError):
    """A write lost a race: the record changed between the caller's read and this write.

    Nothing was saved; the caller reloads and decides again (HTTP 409, exit code 5).
    """


class BusyError(MyomapError):
    """The record store stayed locked by another writer past the busy timeout; nothing saved.

    Not the caller's fault and worth retrying, so the web answers 503, the CLI exits 6.
    """

    exit_code = 6
