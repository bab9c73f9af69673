"""Web accounts: the four roles of the web app and the shared cookie signing secret.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 18:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_ROLES = "role IN ('admin', 'practitioner', 'front_desk', 'researcher')"
OLD_ROLES = "role IN ('admin', 'practitioner', 'reception')"


def upgrade() -> None:
    op.create_table(
        "app_secret",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_app_secret")),
    )
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_app_user_role"), type_="check")
    op.execute("UPDATE app_user SET role = 'front_desk' WHERE role = 'reception'")
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.create_check_constraint("role", NEW_ROLES)


def downgrade() -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_app_user_role"), type_="check")
    op.execute("UPDATE app_user SET role = 'reception' WHERE role = 'front_desk'")
    op.execute("DELETE FROM app_user WHERE role = 'researcher'")
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.create_check_constraint("role", OLD_ROLES)
    op.drop_table("app_secret")
