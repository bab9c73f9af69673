"""Mapped classes of the record store.

The schema is the legal record of a practice, so it favours history over convenience: a signed
visit keeps its original SOAP text and changes live in ``amendment`` rows; deletions are rows in
``deletion`` plus a ``deleted_at`` mark, never a ``DELETE``. Constraint names follow one
convention so that Alembic batch migrations on SQLite can find them again.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    event,
    inspect,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

from myomap.domain.errors import ConflictError

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

VISIT_STATUSES = ("draft", "signed")
SOAP_FIELDS = ("subjective", "objective", "assessment", "plan")
SIDES = ("left", "right", "midline")
FINDING_KINDS = ("criteria", "confirmed", "absent")
_CRITERIA = ("taut_band", "hypersensitive_spot", "referred_pain")
FINDING_CRITERIA_SET = (
    "(kind = 'criteria' AND " + " AND ".join(f"{c} IS NOT NULL" for c in _CRITERIA) + ") OR "
    "(kind <> 'criteria' AND " + " AND ".join(f"{c} IS NULL" for c in _CRITERIA) + ")"
)
SEXES = ("female", "male", "other")
# Web app roles; what each may do is decided by the web adapter (myomap.web.security).
USER_ROLES = ("admin", "practitioner", "front_desk", "researcher")


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps stored as naive UTC and always returned timezone-aware.

    SQLite has no time zone type; normalising here keeps both back ends returning equal values.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use timezone-aware UTC")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime()}


class Clinic(Base):
    __tablename__ = "clinic"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Practitioner(Base):
    __tablename__ = "practitioner"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    clinic_id: Mapped[int | None] = mapped_column(ForeignKey("clinic.id"), index=True)
    display_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SoftDeleted:
    """Columns that mark a record as deleted; the who/when/why history lives in ``deletion``."""

    deleted_at: Mapped[datetime | None] = mapped_column(default=None)


class Client(SoftDeleted, Base):
    __tablename__ = "client"
    __table_args__ = (
        CheckConstraint(_in("sex", SEXES), name="sex"),
        CheckConstraint("birth_year BETWEEN 1900 AND 2100", name="birth_year"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    clinic_id: Mapped[int | None] = mapped_column(ForeignKey("clinic.id"), index=True)
    display_name: Mapped[str] = mapped_column(String(200))
    birth_year: Mapped[int | None] = mapped_column(Integer)
    sex: Mapped[str | None] = mapped_column(String(16))
    contact: Mapped[str | None] = mapped_column(String(500))
    # Stable key for records that come from outside (demo seed, CSV import): makes seeding
    # idempotent without matching on names.
    external_ref: Mapped[str | None] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    visits: Mapped[list[Visit]] = relationship(
        back_populates="client", order_by="Visit.started_at, Visit.id"
    )


class Intake(Base):
    __tablename__ = "intake"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"), index=True)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    decision: Mapped[str] = mapped_column(String(40))
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The pain drawing screened with these answers, when the client sent one with them.
    drawing: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)


class ScreeningOverride(Base):
    """A therapist's recorded reason to go on with pressure work against the screening gate
    (not screened yet, or charting pressure on a visit that screened refer or emergency)."""

    __tablename__ = "screening_override"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"), index=True)
    decision: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class Visit(SoftDeleted, Base):
    __tablename__ = "visit"
    __table_args__ = (
        CheckConstraint(_in("status", VISIT_STATUSES), name="status"),
        CheckConstraint(
            "(status = 'draft' AND signed_at IS NULL AND signed_by IS NULL) OR "
            "(status = 'signed' AND signed_at IS NOT NULL AND signed_by IS NOT NULL)",
            name="signature",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"), index=True)
    practitioner_id: Mapped[int | None] = mapped_column(ForeignKey("practitioner.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    # As written before signing; after signing these never change (see Amendment).
    subjective: Mapped[str] = mapped_column(Text, default="")
    objective: Mapped[str] = mapped_column(Text, default="")
    assessment: Mapped[str] = mapped_column(Text, default="")
    plan: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="draft")
    signed_at: Mapped[datetime | None] = mapped_column(default=None)
    signed_by: Mapped[str | None] = mapped_column(String(200), default=None)
    # Raised by every change to the visit or what belongs to it (note, findings, signature,
    # amendments): a client that sends the version it saw gets a conflict if it is stale.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    client: Mapped[Client] = relationship(back_populates="visits")
    practitioner: Mapped[Practitioner | None] = relationship()
    drawings: Mapped[list[PainDrawingRecord]] = relationship(order_by="PainDrawingRecord.id")
    findings: Mapped[list[TrPFinding]] = relationship(order_by="TrPFinding.id")
    rom: Mapped[list[RomMeasurement]] = relationship(order_by="RomMeasurement.id")
    ppt: Mapped[list[PptMeasurement]] = relationship(order_by="PptMeasurement.id")
    treatments: Mapped[list[Treatment]] = relationship(order_by="Treatment.id")
    home_care: Mapped[list[HomeCarePlan]] = relationship(order_by="HomeCarePlan.id")
    amendments: Mapped[list[Amendment]] = relationship(order_by="Amendment.id")


class PainDrawingRecord(Base):
    """A pain drawing in the ``myomap.drawing/1`` JSON format, as the client gave it."""

    __tablename__ = "pain_drawing"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"), index=True)
    drawing: Mapped[dict[str, Any]] = mapped_column(JSON)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class TrPFinding(Base):
    """A palpated trigger point, stored as observed.

    ``kind`` "criteria": the three essential criteria of the 2018 Delphi consensus were examined
    one by one (all three set). "confirmed" or "absent": a one-tap result; the criteria were not
    recorded and stay NULL, so the record never claims a band, spot or referral nobody entered.
    """

    __tablename__ = "trp_finding"
    __table_args__ = (
        CheckConstraint(_in("side", SIDES), name="side"),
        CheckConstraint(_in("kind", FINDING_KINDS), name="kind"),
        CheckConstraint(FINDING_CRITERIA_SET, name="criteria"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"), index=True)
    trp_id: Mapped[str] = mapped_column(String(96))
    side: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16), default="criteria", server_default="criteria")
    taut_band: Mapped[bool | None] = mapped_column(Boolean, default=None)
    hypersensitive_spot: Mapped[bool | None] = mapped_column(Boolean, default=None)
    referred_pain: Mapped[bool | None] = mapped_column(Boolean, default=None)
    # Active = reproduces a symptom the client recognises; None when not assessed.
    recognised: Mapped[bool | None] = mapped_column(Boolean, default=None)
    note: Mapped[str | None] = mapped_column(Text, default=None)


class RomMeasurement(Base):
    __tablename__ = "rom_measurement"
    __table_args__ = (
        CheckConstraint(_in("side", SIDES), name="side"),
        CheckConstraint("degrees >= 0 AND degrees <= 360", name="degrees"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"), index=True)
    movement: Mapped[str] = mapped_column(String(64))
    side: Mapped[str] = mapped_column(String(16))
    degrees: Mapped[float] = mapped_column(Float)


class PptMeasurement(Base):
    """Pressure pain threshold trials at one site, in kPa (usually three, averaged later)."""

    __tablename__ = "ppt_measurement"
    __table_args__ = (CheckConstraint(_in("side", SIDES), name="side"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"), index=True)
    site: Mapped[str] = mapped_column(String(96))
    side: Mapped[str] = mapped_column(String(16))
    trials_kpa: Mapped[list[float]] = mapped_column(JSON)


class Treatment(Base):
    __tablename__ = "treatment"
    __table_args__ = (
        CheckConstraint(_in("side", SIDES), name="side"),
        CheckConstraint("hold_seconds IS NULL OR hold_seconds >= 0", name="hold_seconds"),
        CheckConstraint("repetitions IS NULL OR repetitions >= 0", name="repetitions"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"), index=True)
    technique: Mapped[str] = mapped_column(String(64))
    trp_id: Mapped[str | None] = mapped_column(String(96))
    side: Mapped[str] = mapped_column(String(16))
    pressure: Mapped[float | None] = mapped_column(Float)  # 0-10 as reported by the client
    hold_seconds: Mapped[int | None] = mapped_column(Integer)
    repetitions: Mapped[int | None] = mapped_column(Integer)
    response: Mapped[str | None] = mapped_column(Text)


class HomeCarePlan(Base):
    __tablename__ = "home_care_plan"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"), index=True)
    plan: Mapped[dict[str, Any]] = mapped_column(JSON)
    given_at: Mapped[datetime] = mapped_column(default=utcnow)


class OutcomeMeasurement(Base):
    __tablename__ = "outcome_measurement"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"), index=True)
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visit.id"), index=True)
    instrument: Mapped[str] = mapped_column(String(40))
    answers: Mapped[list[float | None]] = mapped_column(JSON)
    total: Mapped[float | None] = mapped_column(Float)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class Amendment(Base):
    """A change to a signed note: the old and new text, why, who and when."""

    __tablename__ = "amendment"
    __table_args__ = (CheckConstraint(_in("field", SOAP_FIELDS), name="field"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"), index=True)
    field: Mapped[str] = mapped_column(String(32))
    old_value: Mapped[str] = mapped_column(Text)
    new_value: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Deletion(Base):
    """One deletion of a client or visit; ``restored_*`` is filled when it is undone."""

    __tablename__ = "deletion"
    __table_args__ = (CheckConstraint(_in("record_type", ("client", "visit")), name="record_type"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_type: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[int] = mapped_column(Integer)
    deleted_at: Mapped[datetime] = mapped_column(default=utcnow)
    deleted_by: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    restored_at: Mapped[datetime | None] = mapped_column(default=None)
    restored_by: Mapped[str | None] = mapped_column(String(200), default=None)


class AuditEntry(Base):
    """Who did what to which record, and when. Never holds health data: ids and verbs only."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    record_type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[int | None] = mapped_column(Integer)


_LOCKED_COLUMNS = (*SOAP_FIELDS, "signed_at", "signed_by", "client_id", "started_at")
_NEVER_DELETED = (Client, Visit, Amendment, Deletion, AuditEntry, Intake, ScreeningOverride)


@event.listens_for(Session, "before_flush")
def _refuse_changes_to_signed_visits(session: Session, _context: Any, _instances: Any) -> None:
    """Last line of defence behind the services: a signed note's columns never change in place,
    and clinical records, amendments and the audit trail are never removed from the database.
    """
    for obj in session.deleted:
        if isinstance(obj, _NEVER_DELETED):
            raise ConflictError(
                f"{type(obj).__tablename__} rows are never removed; a deletion is recorded "
                "instead (e.g. 'myomap client delete' or 'myomap visit delete')"
            )
    for obj in session.dirty:
        if not isinstance(obj, Visit):
            continue
        state = inspect(obj)
        status = state.attrs.status.history
        was_signed = (status.deleted[0] if status.deleted else obj.status) == "signed"
        if was_signed and obj.status != "signed":
            raise ConflictError(f"visit {obj.id} is signed; a signature cannot be withdrawn")
        if was_signed and any(state.attrs[c].history.has_changes() for c in _LOCKED_COLUMNS):
            raise ConflictError(
                f"visit {obj.id} is signed and locked; record a change with 'myomap visit amend'"
            )
