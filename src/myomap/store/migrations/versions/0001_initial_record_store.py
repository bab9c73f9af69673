"""Initial record store: every table of the clinical record.

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-25 17:42:39.816903
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("record_type", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)

    op.create_table(
        "clinic",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clinic")),
        sa.UniqueConstraint("name", name=op.f("uq_clinic_name")),
    )
    op.create_table(
        "deletion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_type", sa.String(length=32), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_by", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("restored_at", sa.DateTime(), nullable=True),
        sa.Column("restored_by", sa.String(length=200), nullable=True),
        sa.CheckConstraint(
            "record_type IN ('client', 'visit')", name=op.f("ck_deletion_record_type")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deletion")),
    )
    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=True),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("disabled_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "role IN ('admin', 'practitioner', 'reception')", name=op.f("ck_app_user_role")
        ),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinic.id"], name=op.f("fk_app_user_clinic_id_clinic")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_user")),
        sa.UniqueConstraint("username", name=op.f("uq_app_user_username")),
    )
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_app_user_clinic_id"), ["clinic_id"], unique=False)

    op.create_table(
        "client",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=True),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("sex", sa.String(length=16), nullable=True),
        sa.Column("contact", sa.String(length=500), nullable=True),
        sa.Column("external_ref", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("sex IN ('female', 'male', 'other')", name=op.f("ck_client_sex")),
        sa.CheckConstraint("birth_year BETWEEN 1900 AND 2100", name=op.f("ck_client_birth_year")),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinic.id"], name=op.f("fk_client_clinic_id_clinic")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client")),
        sa.UniqueConstraint("external_ref", name=op.f("uq_client_external_ref")),
    )
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_client_clinic_id"), ["clinic_id"], unique=False)

    op.create_table(
        "practitioner",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=True),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinic.id"], name=op.f("fk_practitioner_clinic_id_clinic")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practitioner")),
    )
    with op.batch_alter_table("practitioner", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_practitioner_clinic_id"), ["clinic_id"], unique=False)

    op.create_table(
        "intake",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("decision", sa.String(length=40), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["client.id"], name=op.f("fk_intake_client_id_client")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intake")),
    )
    with op.batch_alter_table("intake", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_intake_client_id"), ["client_id"], unique=False)

    op.create_table(
        "visit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("practitioner_id", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("subjective", sa.Text(), nullable=False),
        sa.Column("objective", sa.Text(), nullable=False),
        sa.Column("assessment", sa.Text(), nullable=False),
        sa.Column("plan", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=True),
        sa.Column("signed_by", sa.String(length=200), nullable=True),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "(status = 'draft' AND signed_at IS NULL AND signed_by IS NULL) OR "
            "(status = 'signed' AND signed_at IS NOT NULL AND signed_by IS NOT NULL)",
            name=op.f("ck_visit_signature"),
        ),
        sa.CheckConstraint("status IN ('draft', 'signed')", name=op.f("ck_visit_status")),
        sa.ForeignKeyConstraint(
            ["client_id"], ["client.id"], name=op.f("fk_visit_client_id_client")
        ),
        sa.ForeignKeyConstraint(
            ["practitioner_id"],
            ["practitioner.id"],
            name=op.f("fk_visit_practitioner_id_practitioner"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit")),
    )
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visit_client_id"), ["client_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_visit_practitioner_id"), ["practitioner_id"], unique=False
        )

    op.create_table(
        "amendment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=32), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=False),
        sa.Column("new_value", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "field IN ('subjective', 'objective', 'assessment', 'plan')",
            name=op.f("ck_amendment_field"),
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visit.id"], name=op.f("fk_amendment_visit_id_visit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_amendment")),
    )
    with op.batch_alter_table("amendment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_amendment_visit_id"), ["visit_id"], unique=False)

    op.create_table(
        "home_care_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("plan", sa.JSON(), nullable=False),
        sa.Column("given_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visit.id"], name=op.f("fk_home_care_plan_visit_id_visit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_home_care_plan")),
    )
    with op.batch_alter_table("home_care_plan", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_home_care_plan_visit_id"), ["visit_id"], unique=False)

    op.create_table(
        "outcome_measurement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=True),
        sa.Column("instrument", sa.String(length=40), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("total", sa.Float(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["client.id"], name=op.f("fk_outcome_measurement_client_id_client")
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visit.id"], name=op.f("fk_outcome_measurement_visit_id_visit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcome_measurement")),
    )
    with op.batch_alter_table("outcome_measurement", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outcome_measurement_client_id"), ["client_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_outcome_measurement_visit_id"), ["visit_id"], unique=False
        )

    op.create_table(
        "pain_drawing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("drawing", sa.JSON(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visit.id"], name=op.f("fk_pain_drawing_visit_id_visit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pain_drawing")),
    )
    with op.batch_alter_table("pain_drawing", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pain_drawing_visit_id"), ["visit_id"], unique=False)

    op.create_table(
        "ppt_measurement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("site", sa.String(length=96), nullable=False),
        sa.Column("side", sa.String(length=16), nullable=False),
        sa.Column("trials_kpa", sa.JSON(), nullable=False),
        sa.CheckConstraint(
            "side IN ('left', 'right', 'midline')", name=op.f("ck_ppt_measurement_side")
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visit.id"], name=op.f("fk_ppt_measurement_visit_id_visit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ppt_measurement")),
    )
    with op.batch_alter_table("ppt_measurement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ppt_measurement_visit_id"), ["visit_id"], unique=False)

    op.create_table(
        "rom_measurement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("movement", sa.String(length=64), nullable=False),
        sa.Column("side", sa.String(length=16), nullable=False),
        sa.Column("degrees", sa.Float(), nullable=False),
        sa.CheckConstraint(
            "side IN ('left', 'right', 'midline')", name=op.f("ck_rom_measurement_side")
        ),
        sa.CheckConstraint(
            "degrees >= 0 AND degrees <= 360", name=op.f("ck_rom_measurement_degrees")
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visit.id"], name=op.f("fk_rom_measurement_visit_id_visit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rom_measurement")),
    )
    with op.batch_alter_table("rom_measurement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rom_measurement_visit_id"), ["visit_id"], unique=False)

    op.create_table(
        "treatment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("technique", sa.String(length=64), nullable=False),
        sa.Column("trp_id", sa.String(length=96), nullable=True),
        sa.Column("side", sa.String(length=16), nullable=False),
        sa.Column("pressure", sa.Float(), nullable=True),
        sa.Column("hold_seconds", sa.Integer(), nullable=True),
        sa.Column("repetitions", sa.Integer(), nullable=True),
        sa.Column("response", sa.Text(), nullable=True),
        sa.CheckConstraint("side IN ('left', 'right', 'midline')", name=op.f("ck_treatment_side")),
        sa.CheckConstraint(
            "hold_seconds IS NULL OR hold_seconds >= 0", name=op.f("ck_treatment_hold_seconds")
        ),
        sa.CheckConstraint(
            "repetitions IS NULL OR repetitions >= 0", name=op.f("ck_treatment_repetitions")
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visit.id"], name=op.f("fk_treatment_visit_id_visit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_treatment")),
    )
    with op.batch_alter_table("treatment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_treatment_visit_id"), ["visit_id"], unique=False)

    op.create_table(
        "trp_finding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("trp_id", sa.String(length=96), nullable=False),
        sa.Column("side", sa.String(length=16), nullable=False),
        sa.Column("taut_band", sa.Boolean(), nullable=False),
        sa.Column("hypersensitive_spot", sa.Boolean(), nullable=False),
        sa.Column("referred_pain", sa.Boolean(), nullable=False),
        sa.Column("recognised", sa.Boolean(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "side IN ('left', 'right', 'midline')", name=op.f("ck_trp_finding_side")
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visit.id"], name=op.f("fk_trp_finding_visit_id_visit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trp_finding")),
    )
    with op.batch_alter_table("trp_finding", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_trp_finding_visit_id"), ["visit_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("trp_finding", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trp_finding_visit_id"))

    op.drop_table("trp_finding")
    with op.batch_alter_table("treatment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_treatment_visit_id"))

    op.drop_table("treatment")
    with op.batch_alter_table("rom_measurement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rom_measurement_visit_id"))

    op.drop_table("rom_measurement")
    with op.batch_alter_table("ppt_measurement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ppt_measurement_visit_id"))

    op.drop_table("ppt_measurement")
    with op.batch_alter_table("pain_drawing", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pain_drawing_visit_id"))

    op.drop_table("pain_drawing")
    with op.batch_alter_table("outcome_measurement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outcome_measurement_visit_id"))
        batch_op.drop_index(batch_op.f("ix_outcome_measurement_client_id"))

    op.drop_table("outcome_measurement")
    with op.batch_alter_table("home_care_plan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_home_care_plan_visit_id"))

    op.drop_table("home_care_plan")
    with op.batch_alter_table("amendment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_amendment_visit_id"))

    op.drop_table("amendment")
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_practitioner_id"))
        batch_op.drop_index(batch_op.f("ix_visit_client_id"))

    op.drop_table("visit")
    with op.batch_alter_table("intake", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_intake_client_id"))

    op.drop_table("intake")
    with op.batch_alter_table("practitioner", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_practitioner_clinic_id"))

    op.drop_table("practitioner")
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_client_clinic_id"))

    op.drop_table("client")
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_app_user_clinic_id"))

    op.drop_table("app_user")
    op.drop_table("deletion")
    op.drop_table("clinic")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))

    op.drop_table("audit_log")
