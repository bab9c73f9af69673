"""Client use cases: register, list, show, record an intake, delete and restore.

Demographics are kept minimal on purpose (display name, year of birth, optional sex and contact).
Deleting a client is a recorded, reversible act: the rows stay, marked deleted, and a
``deletion`` row says who, when and why.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from myomap.domain.errors import NotFoundError, UsageError
from myomap.domain.records import (
    ClientDetail,
    ClientSummary,
    DeletionView,
    IntakeView,
    MeasurementView,
)
from myomap.services import audit, deletions, fields

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from myomap.store.orm import Client

LIST_HINT = "Run 'myomap client list' to see client ids."


def get_row(session: Session, client_id: int, *, include_deleted: bool = False) -> Client:
    """The client row, or NotFoundError with a hint (deleted clients only when asked for)."""
    from myomap.store.orm import Client

    row = session.get(Client, client_id)
    if row is None:
        raise NotFoundError(f"no client with id {client_id}. {LIST_HINT}")
    if row.deleted_at is not None and not include_deleted:
        raise NotFoundError(
            f"client {client_id} is deleted; restore it with 'myomap client restore "
            f"{client_id}' first."
        )
    return row


def add_client(
    session: Session,
    *,
    display_name: str,
    birth_year: int | None = None,
    sex: str | None = None,
    contact: str | None = None,
    external_ref: str | None = None,
    actor: str = "unknown",
) -> ClientSummary:
    from myomap.store.orm import SEXES, Client

    this_year = datetime.now(UTC).year
    row = Client(
        display_name=fields.required_text("display name", display_name, max_length=200),
        birth_year=fields.integer("birth year", birth_year, low=1900, high=this_year),
        sex=fields.choice("sex", sex, SEXES, required=False),
        contact=fields.text("contact", contact, max_length=500, required=False),
        external_ref=fields.text(
            "external reference", external_ref, max_length=100, required=False
        ),
    )
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="create", record_type="client", record_id=row.id)
    return _summary(session, row)


def find_by_external_ref(session: Session, external_ref: str) -> int | None:
    from sqlalchemy import select

    from myomap.store.orm import Client

    return session.scalar(select(Client.id).where(Client.external_ref == external_ref))


def list_clients(session: Session, *, include_deleted: bool = False) -> list[ClientSummary]:
    """Clients ordered by id, with visit counts (deleted visits not counted)."""
    from sqlalchemy import func, select

    from myomap.store.orm import Client, Visit

    stats = (
        select(
            Visit.client_id,
            func.count(Visit.id).label("n"),
            func.max(Visit.started_at).label("last"),
        )
        .where(Visit.deleted_at.is_(None))
        .group_by(Visit.client_id)
        .subquery()
    )
    query = (
        select(Client, stats.c.n, stats.c.last)
        .outerjoin(stats, stats.c.client_id == Client.id)
        .order_by(Client.id)
    )
    if not include_deleted:
        query = query.where(Client.deleted_at.is_(None))
    out = []
    for client, n, last in session.execute(query).all():
        out.append(_summary_values(client, n or 0, last))
    return out


def get_client(session: Session, client_id: int, *, include_deleted: bool = True) -> ClientDetail:
    from sqlalchemy import select

    from myomap.store.orm import Deletion, Intake, OutcomeMeasurement
    from myomap.store.queries import visit_summary

    row = get_row(session, client_id, include_deleted=include_deleted)
    visits = [visit_summary(v) for v in row.visits]
    live = [v for v in visits if not v.deleted]
    intakes = session.scalars(
        select(Intake).where(Intake.client_id == row.id).order_by(Intake.recorded_at, Intake.id)
    )
    measures = session.scalars(
        select(OutcomeMeasurement)
        .where(OutcomeMeasurement.client_id == row.id)
        .order_by(OutcomeMeasurement.recorded_at, OutcomeMeasurement.id)
    )
    deletions = session.scalars(
        select(Deletion)
        .where(Deletion.record_type == "client", Deletion.record_id == row.id)
        .order_by(Deletion.id)
    )
    return ClientDetail(
        **_summary_values(
            row, len(live), max((v.started_at for v in live), default=None)
        ).model_dump(),
        contact=row.contact,
        external_ref=row.external_ref,
        created_at=row.created_at,
        visits=visits,
        intakes=[IntakeView.model_validate(i) for i in intakes],
        measurements=[MeasurementView.model_validate(m) for m in measures],
        deletions=[DeletionView.model_validate(d) for d in deletions],
    )


def record_intake(
    session: Session,
    client_id: int,
    *,
    answers: dict[str, Any],
    decision: str,
    recorded_by: str,
    recorded_at: datetime | None = None,
    drawing: dict[str, Any] | None = None,
) -> IntakeView:
    """Store screening answers and the decision reached (the screening logic lives elsewhere),
    with the pain drawing screened alongside them when there is one."""
    from myomap.store.orm import Intake, utcnow

    get_row(session, client_id)
    if not isinstance(answers, dict):
        raise UsageError("intake answers must be a JSON object of question id to answer")
    row = Intake(
        client_id=client_id,
        answers=answers,
        decision=fields.required_text("decision", decision, max_length=40),
        recorded_by=fields.required_text("recorded by", recorded_by, max_length=200),
        recorded_at=recorded_at or utcnow(),
        drawing=drawing,
    )
    if row.recorded_at.tzinfo is None:
        raise UsageError("intake time must include a time zone")
    session.add(row)
    session.flush()
    audit.record(
        session, actor=recorded_by, action="create", record_type="intake", record_id=row.id
    )
    return IntakeView.model_validate(row)


def delete_client(session: Session, client_id: int, *, by: str, reason: str) -> DeletionView:
    return deletions.mark_deleted(
        session, get_row(session, client_id), "client", by=by, reason=reason
    )


def restore_client(session: Session, client_id: int, *, by: str) -> DeletionView:
    row = get_row(session, client_id, include_deleted=True)
    return deletions.mark_restored(session, row, "client", by=by)


def _summary(session: Session, row: Client) -> ClientSummary:
    live = [v for v in row.visits if v.deleted_at is None]
    return _summary_values(row, len(live), max((v.started_at for v in live), default=None))


def _summary_values(row: Client, n: int, last: datetime | None) -> ClientSummary:
    return ClientSummary(
        id=row.id,
        display_name=row.display_name,
        birth_year=row.birth_year,
        sex=row.sex,
        visit_count=n,
        last_visit_at=last,
        deleted=row.deleted_at is not None,
    )
