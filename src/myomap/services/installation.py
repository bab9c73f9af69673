"""The record store's installation id: the namespace of every identifier it exports.

The row is written by migration ``0007_installation``; a store whose row went missing (a
hand-edited database) gets a new one here rather than exporting ids that could collide.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def installation_id(session: Session) -> str:
    """This store's installation UUID (the oldest row if a restore merged two)."""
    from sqlalchemy import select

    from myomap.store.orm_accounts import Installation

    row = session.scalars(
        select(Installation).order_by(Installation.created_at, Installation.id).limit(1)
    ).first()
    if row is None:
        row = Installation(id=str(uuid.uuid4()))
        session.add(row)
        session.flush()
    return row.id
