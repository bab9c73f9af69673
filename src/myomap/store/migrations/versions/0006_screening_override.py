"""Screening overrides: a therapist's reason to plan or chart pressure work against the gate.

Revision ID: 0006_screening_override
Revises: 0005_sessions
Create Date: 2026-12-07 16:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_screening_override"
down_revision: str | None = "0005_sessions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "screening_override",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visit.id"], name=op.f("fk_screening_override_visit_id_visit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_override")),
    )
    with op.batch_alter_table("screening_override", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_screening_override_visit_id"), ["visit_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("screening_override", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_screening_override_visit_id"))
    op.drop_table("screening_override")
