"""Client links, diary entries and signed consents.

Revision ID: 0004_client_portal
Revises: 0003_finding_kind
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004_client_portal"
down_revision: str | None = "0003_finding_kind"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "client_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("check_birth_year", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["client.id"], name=op.f("fk_client_link_client_id_client")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_link")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_client_link_token_hash")),
    )
    op.create_index(op.f("ix_client_link_client_id"), "client_link", ["client_id"])
    op.create_table(
        "diary_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("pain", sa.Integer(), nullable=False),
        sa.Column("sleep", sa.Integer(), nullable=True),
        sa.Column("stress", sa.Integer(), nullable=True),
        sa.Column("analgesic_doses", sa.Integer(), nullable=True),
        sa.Column("home_care_done", sa.JSON(), nullable=False),
        sa.Column("drawing", sa.JSON(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("entry_key", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("pain BETWEEN 0 AND 10", name=op.f("ck_diary_entry_pain")),
        sa.CheckConstraint(
            "sleep IS NULL OR sleep BETWEEN 0 AND 10", name=op.f("ck_diary_entry_sleep")
        ),
        sa.CheckConstraint(
            "stress IS NULL OR stress BETWEEN 0 AND 10", name=op.f("ck_diary_entry_stress")
        ),
        sa.CheckConstraint(
            "analgesic_doses IS NULL OR analgesic_doses BETWEEN 0 AND 50",
            name=op.f("ck_diary_entry_analgesic_doses"),
        ),
        sa.ForeignKeyConstraint(
            ["client_id"], ["client.id"], name=op.f("fk_diary_entry_client_id_client")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_diary_entry")),
        sa.UniqueConstraint("entry_key", name=op.f("uq_diary_entry_entry_key")),
    )
    op.create_index(op.f("ix_diary_entry_client_id"), "diary_entry", ["client_id"])
    op.create_index(op.f("ix_diary_entry_at"), "diary_entry", ["at"])
    op.create_table(
        "consent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("text_sha256", sa.String(length=64), nullable=False),
        sa.Column("typed_name", sa.String(length=200), nullable=False),
        sa.Column("signature", sa.JSON(), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["client.id"], name=op.f("fk_consent_client_id_client")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent")),
    )
    op.create_index(op.f("ix_consent_client_id"), "consent", ["client_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_consent_client_id"), table_name="consent")
    op.drop_table("consent")
    op.drop_index(op.f("ix_diary_entry_at"), table_name="diary_entry")
    op.drop_index(op.f("ix_diary_entry_client_id"), table_name="diary_entry")
    op.drop_table("diary_entry")
    op.drop_index(op.f("ix_client_link_client_id"), table_name="client_link")
    op.drop_table("client_link")
