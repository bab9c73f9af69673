"""Client use cases: register, list, show, record an intake, delete and restore.

Demographics are kept minimal on purpose (display name, year of birth, optional sex and contact).
Deleting a client is a recorded, reversible act: the rows stay, marked deleted, and a
``deletion`` row says who, when and why.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from myomap.domain.actor import OPERATOR, Actor
from myomap.domain.errors import NotFoundError, UsageError
from myomap.domain.records import (
    ClientDetail,
    ClientSummary,
    DeletionView,
    IntakeView,
    MeasurementView,
)
from myomap.services import audit, deletions, fields
from myomap.store.orm import SEXES, Client, Intake, utcnow
from myomap.store.repositories import audit as audit_log
from myomap.store.repositories import clients as repo
from myomap.store.repositories import intakes as intake_repo
from myomap.store.repositories import measurements as measurement_repo
from myomap.store.repositories import visits as visit_repo

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def get_row(
    session: Session, client_id: int, *, include_deleted: bool = False, scope: Actor = OPERATOR
) -> Client:
    """The client row if it is in the acting user's scope (see :mod:`myomap.domain.actor`);
    deleted clients only when asked for. A client of another clinic, deleted or not, is
    :class:`~myomap.domain.actor.RecordNotFound` exactly like a missing id."""
    row = repo.in_scope(session, scope, client_id)
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
    clinic_id: int | None = None,
) -> ClientSummary:
    """Register a client, kept for ``clinic_id`` (None: the records kept without a clinic)."""
    this_year = datetime.now(UTC).year
    row = Client(
        display_name=fields.required_text("display name", display_name, max_length=200),
        birth_year=fields.integer("birth year", birth_year, low=1900, high=this_year),
        sex=fields.choice("sex", sex, SEXES, required=False),
        contact=fields.text("contact", contact, max_length=500, required=False),
        external_ref=fields.text(
            "external reference", external_ref, max_length=100, required=False
        ),
        clinic_id=clinic_id,
    )
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="create", record_type="client", record_id=row.id)
    return _summary(session, row)


def find_by_external_ref(session: Session, external_ref: str) -> int | None:
    return repo.id_by_external_ref(session, external_ref)


def list_clients(
    session: Session, *, include_deleted: bool = False, scope: Actor = OPERATOR
) -> list[ClientSummary]:
    """The clients in the acting user's scope by id, with visit counts (deleted visits not
    counted)."""
    allowed = None if scope.every_clinic else repo.ids_in_scope(session, scope)
    return [
        _summary_values(client, n, last)
        for client, n, last in repo.with_visit_stats(session, include_deleted=include_deleted)
        if allowed is None or client.id in allowed
    ]


def client_ids(session: Session, *, scope: Actor) -> set[int]:
    """The ids of every client in the acting user's scope (deleted ones included)."""
    return repo.ids_in_scope(session, scope)


def get_client(
    session: Session, client_id: int, *, include_deleted: bool = True, scope: Actor = OPERATOR
) -> ClientDetail:
    row = get_row(session, client_id, include_deleted=include_deleted, scope=scope)
    visits = [visit_repo.summary(v) for v in row.visits]
    live = [v for v in visits if not v.deleted]
    intakes = intake_repo.of_client(session, row.id)
    measures = measurement_repo.of_client(session, row.id)
    deletions = audit_log.deletions_of(session, "client", row.id)
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
    scope: Actor = OPERATOR,
) -> IntakeView:
    """Store screening answers and the decision reached (the screening logic lives elsewhere),
    with the pain drawing screened alongside them when there is one."""
    get_row(session, client_id, scope=scope)
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


def delete_client(
    session: Session, client_id: int, *, by: str, reason: str, scope: Actor = OPERATOR
) -> DeletionView:
    return deletions.mark_deleted(
        session, get_row(session, client_id, scope=scope), "client", by=by, reason=reason
    )


def restore_client(
    session: Session, client_id: int, *, by: str, scope: Actor = OPERATOR
) -> DeletionView:
    row = get_row(session, client_id, include_deleted=True, scope=scope)
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
