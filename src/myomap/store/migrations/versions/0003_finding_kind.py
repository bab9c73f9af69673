"""Findings store what was observed: a one-tap result is its own kind, not three criteria.

Before, one tap "confirmed" on the visit page was saved as taut band, hypersensitive spot and
referred pain all true (and "absent" as all false), so the record claimed criteria nobody
entered. ``kind`` says which it is; the criteria columns are NULL for a one-tap result. Rows
already stored cannot be told apart and stay "criteria" as they were written.

Revision ID: 0003_finding_kind
Revises: 0002
Create Date: 2026-12-07 17:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_finding_kind"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CRITERIA = ("taut_band", "hypersensitive_spot", "referred_pain")
KINDS = "kind IN ('criteria', 'confirmed', 'absent')"
CRITERIA_SET = (
    "(kind = 'criteria' AND " + " AND ".join(f"{c} IS NOT NULL" for c in CRITERIA) + ") OR "
    "(kind <> 'criteria' AND " + " AND ".join(f"{c} IS NULL" for c in CRITERIA) + ")"
)


def upgrade() -> None:
    with op.batch_alter_table("trp_finding", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=16), nullable=False, server_default="criteria")
        )
        for column in CRITERIA:
            batch_op.alter_column(column, existing_type=sa.Boolean(), nullable=True)
    with op.batch_alter_table("trp_finding", schema=None) as batch_op:
        batch_op.create_check_constraint("kind", KINDS)
        batch_op.create_check_constraint("criteria", CRITERIA_SET)


def downgrade() -> None:
    # The old schema can only say a result through the criteria: write it the way it was
    # written before this revision (all three for confirmed, none for absent).
    with op.batch_alter_table("trp_finding", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_trp_finding_criteria"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_trp_finding_kind"), type_="check")
    for column in CRITERIA:
        op.execute(
            f"UPDATE trp_finding SET {column} = (kind = 'confirmed') WHERE kind <> 'criteria'"
        )
    with op.batch_alter_table("trp_finding", schema=None) as batch_op:
        for column in CRITERIA:
            batch_op.alter_column(column, existing_type=sa.Boolean(), nullable=False)
        batch_op.drop_column("kind")
