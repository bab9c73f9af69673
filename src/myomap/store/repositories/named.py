"""Rows that are found by their name and created on first use (clinics, practitioners).

Both are named in free text by whoever records (``--clinic``, ``--practitioner``), so the first
mention creates the row and later mentions reuse it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session


def id_named(session: Session, column: InstrumentedAttribute[str], name: str) -> int:
    """The id of the row whose ``column`` equals ``name``, created on first use."""
    model: Any = column.class_
    found = session.scalar(select(model.id).where(column == name))
    if found is not None:
        return int(found)
    row = model(**{column.key: name})
    session.add(row)
    session.flush()
    return int(row.id)
