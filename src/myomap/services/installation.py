"""The record store's installation id: the namespace of every identifier it exports.

The row is written by migration ``0007_installation``; a store whose row went missing (a
hand-edited database) gets a new one here rather than exporting ids that could collide.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from myomap.store.repositories import accounts

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def installation_id(session: Session) -> str:
    """This store's installation UUID (the oldest row if a restore merged two)."""
    return accounts.installation_id(session)
