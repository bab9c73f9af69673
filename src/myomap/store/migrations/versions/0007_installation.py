"""Installation id: one random UUID per record store, the namespace of its FHIR identifiers.

Two stores (two clinics, or a clinic and a research copy) must never export the same
identifier for different people, so every exported id is derived from this value. It is made
once, when the store is created or first upgraded, and never changes; a backup restored
elsewhere carries it along, which keeps re-sent exports matching what a server already holds.

Revision ID: 0007_installation
Revises: 0006_screening_override
Create Date: 2026-12-07 16:30:00
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0007_installation"
down_revision: str | None = "0006_screening_override"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    table = op.create_table(
        "installation",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_installation")),
    )
    op.bulk_insert(
        table, [{"id": str(uuid.uuid4()), "created_at": datetime.now(UTC).replace(tzinfo=None)}]
    )


def downgrade() -> None:
    op.drop_table("installation")
