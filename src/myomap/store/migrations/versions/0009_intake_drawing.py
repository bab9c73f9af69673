"""The pain drawing a client sends with their own intake, kept with the answers it was screened
with (the screening reads the drawing too, so the two belong together).

Revision ID: 0009_intake_drawing
Revises: 0008_record_locks
Create Date: 2026-12-07 19:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_intake_drawing"
down_revision: str | None = "0008_record_locks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN (no table copy), so the record-lock triggers on visit are untouched.
    op.add_column("intake", sa.Column("drawing", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("intake", schema=None) as batch_op:
        batch_op.drop_column("drawing")
