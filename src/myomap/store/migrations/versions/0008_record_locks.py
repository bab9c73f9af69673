"""Record locks: a version number on every visit and triggers that keep signed notes unchanged.

The version lets a client say which state of a visit it based a change on (a stale one is a
conflict, not a silent overwrite). The triggers make the database itself refuse an update of a
signed visit's note, signature or identity and any change to an amendment, so no code path (nor
a hand-written SQL statement) can alter a signed record.

Revision ID: 0008_record_locks
Revises: 0007_installation
Create Date: 2026-12-07 16:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from myomap.store.locks import create_lock_triggers, drop_lock_triggers

revision: str = "0008_record_locks"
down_revision: str | None = "0007_installation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    create_lock_triggers(op.get_bind())


def downgrade() -> None:
    drop_lock_triggers(op.get_bind())
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_column("version")
