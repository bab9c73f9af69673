"""What every JSON request body and query string must satisfy before a route sees it.

PostgreSQL text and JSONB cannot hold the NUL character (U+0000) while SQLite can, so a NUL
sent in any field would fail only on one back end, deep in the driver, as a 500. It is refused
here instead, with the place where it was found; no real name, note or answer contains one.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, model_validator
from pydantic_core import PydanticCustomError

from myomap.domain.errors import UsageError

NUL = "\x00"


def nul_at(value: Any) -> str | None:
    """Where a NUL sits in decoded JSON (``answers.note``, ``areas[0].regions[1]``), or None.

    Iterative, so a deeply nested body cannot exhaust the stack.
    """
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            if NUL in item:
                return where or "the body"
        elif isinstance(item, dict):
            for key, inner in item.items():
                name = str(key)
                if NUL in name:
                    return f"a key of {where}" if where else "a key of the body"
                stack.append((f"{where}.{name}" if where else name, inner))
        elif isinstance(item, list | tuple):
            stack.extend((f"{where}[{i}]", inner) for i, inner in enumerate(item))
    return None


class ApiIn(BaseModel):
    """Base of the API's request bodies: refuses NUL characters anywhere in the body."""

    @model_validator(mode="before")
    @classmethod
    def _no_nul(cls, data: Any) -> Any:
        where = nul_at(data)
        if where is not None:
            raise PydanticCustomError(
                "nul_character",
                "{where} contains the NUL character (U+0000), which cannot be stored; "
                "remove it and send again",
                {"where": where},
            )
        return data


def check_query(params: Any) -> None:
    """Refuse a NUL in any query parameter (name or value), as for bodies."""
    for name, value in params.multi_items():
        if NUL in name or NUL in value:
            shown = name.replace(NUL, "") or "?"
            raise UsageError(
                f"query parameter {shown!r} contains the NUL character (U+0000), which cannot "
                "be stored or searched; remove it and send again"
            )
