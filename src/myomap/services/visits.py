"""Visit use cases: start, write the SOAP note, sign, amend, show, delete and restore.

A note is a legal record. It is a draft until signed; once signed it is locked and a change is an
amendment row (field, old text, new text, reason, author, time). The visit row keeps the text as
signed, so the original is always readable; the current text is the latest amendment's.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from myomap.domain.actor import OPERATOR, Actor
from myomap.domain.errors import ConflictError, NotFoundError, StaleError, UsageError
from myomap.domain.records import (
    AmendmentView,
    DeletionView,
    DrawingView,
    FindingView,
    HomeCareView,
    MeasurementView,
    PptView,
    RomView,
    SoapField,
    TreatmentView,
    VisitDetail,
    VisitSummary,
)
from myomap.services import audit, clients, deletions, fields
from myomap.store.engine import began_with_write_lock
from myomap.store.orm import Amendment, TrPFinding, Visit, utcnow
from myomap.store.repositories import audit as audit_log
from myomap.store.repositories import measurements as measurement_repo
from myomap.store.repositories import visits as repo
from myomap.store.repositories.visits import summary as summary_of

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

NOTE_MAX = 20_000
SOAP = ("subjective", "objective", "assessment", "plan")


def get_row(
    session: Session, visit_id: int, *, include_deleted: bool = False, scope: Actor = OPERATOR
) -> Visit:
    """The visit row if its client is in the acting user's scope; another clinic's visit is
    :class:`~myomap.domain.actor.RecordNotFound` exactly like a missing id."""
    row = repo.in_scope(session, scope, visit_id)
    if row.deleted_at is not None and not include_deleted:
        raise NotFoundError(
            f"visit {visit_id} is deleted; restore it with 'myomap visit restore {visit_id}'."
        )
    return row


def locked_row(
    session: Session,
    visit_id: int,
    *,
    version: int | None = None,
    include_deleted: bool = False,
    scope: Actor = OPERATOR,
) -> Visit:
    """The visit, locked until the transaction ends, for a change to it or what belongs to it.

    PostgreSQL: ``SELECT ... FOR UPDATE`` makes a concurrent writer of the same visit wait, then
    read the state this transaction leaves (so a second signature sees the first). SQLite: the
    transaction already holds the database's write lock (``BEGIN IMMEDIATE``). ``version`` is
    the version the caller based its change on; a stale one raises :class:`StaleError`. The
    version is raised here, so every change makes older versions stale.
    """
    row = get_row(session, visit_id, include_deleted=include_deleted, scope=scope)
    if not began_with_write_lock(session.connection()):  # SQLite's IMMEDIATE: already current
        row = repo.locked(session, visit_id) or row
    if version is not None and row.version != version:
        raise StaleError(
            f"visit {visit_id} was changed by someone else since you loaded it (version "
            f"{version}, now {row.version}); nothing was saved. Reload the visit and try again."
        )
    row.version = row.version + 1
    return row


def draft_row(
    session: Session, visit_id: int, *, version: int | None = None, scope: Actor = OPERATOR
) -> Visit:
    """The visit, locked, if it can still be edited; a signed visit raises ConflictError.

    A deleted client's visits are frozen too, as 'visit start' and 'measure add' already refuse
    a deleted client.
    """
    row = locked_row(session, visit_id, version=version, scope=scope)
    if row.deleted_at is not None:  # deleted by a writer this one waited for (PostgreSQL)
        raise NotFoundError(
            f"visit {visit_id} is deleted; restore it with 'myomap visit restore {visit_id}'."
        )
    with session.no_autoflush:  # the version is written with the change, in one UPDATE
        clients.get_row(session, row.client_id)
    if row.status == "signed":
        raise ConflictError(
            f"visit {visit_id} is signed and locked. Change the note with 'myomap visit amend "
            f"{visit_id} --field FIELD --text TEXT --reason WHY --author NAME'."
        )
    return row


def start_visit(
    session: Session,
    client_id: int,
    *,
    practitioner: str | None = None,
    started_at: datetime | None = None,
    actor: str = "unknown",
    scope: Actor = OPERATOR,
) -> VisitSummary:
    clients.get_row(session, client_id, scope=scope)
    if started_at is not None and started_at.tzinfo is None:
        raise UsageError("visit start time must include a time zone (e.g. 2026-03-01T09:00Z)")
    row = Visit(
        client_id=client_id,
        practitioner_id=_practitioner_id(session, practitioner),
        started_at=started_at or utcnow(),
        status="draft",
    )
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="create", record_type="visit", record_id=row.id)
    return summary_of(row)


def write_note(
    session: Session,
    visit_id: int,
    *,
    sections: dict[str, str | None],
    append: bool = False,
    actor: str = "unknown",
    version: int | None = None,
    scope: Actor = OPERATOR,
) -> VisitSummary:
    """Set (or append to) SOAP sections of a draft; sections given as None are left alone.

    The input is checked before the visit is locked, so the lock is held only for the write.
    """
    given = {k: v for k, v in sections.items() if v is not None}
    if not given:
        raise UsageError("give at least one of --subjective, --objective, --assessment, --plan")
    for name, value in given.items():
        if name not in SOAP:
            raise UsageError(f"unknown note section {name!r}; use one of: {', '.join(SOAP)}")
        if not append and len(value.strip()) > NOTE_MAX:
            raise UsageError(f"{name} is too long: at most {NOTE_MAX} characters")
    row = draft_row(session, visit_id, version=version, scope=scope)
    for name, value in given.items():
        current: str = getattr(row, name)
        new = f"{current}\n{value}".strip() if append and current else value.strip()
        if len(new) > NOTE_MAX:
            raise UsageError(f"{name} is too long: at most {NOTE_MAX} characters")
        setattr(row, name, new)
    # No flush here: the commit writes the note and the audit entry in one flush.
    audit.record(session, actor=actor, action="update", record_type="visit", record_id=row.id)
    return summary_of(row)


def sign_visit(
    session: Session,
    visit_id: int,
    *,
    signed_by: str,
    signed_at: datetime | None = None,
    version: int | None = None,
    scope: Actor = OPERATOR,
) -> VisitSummary:
    """Sign and lock a draft. ``signed_at`` is for imports of records signed elsewhere.

    With ``version``, the signature applies only to the note as the signer saw it: a note
    changed since is a :class:`StaleError`, never a signature over text nobody read.
    """
    row = draft_row(session, visit_id, version=version, scope=scope)
    if not any(getattr(row, name).strip() for name in SOAP):
        raise UsageError(
            f"visit {visit_id} has an empty note; write it with 'myomap visit note' before signing"
        )
    row.signed_by = fields.required_text("signed by", signed_by, max_length=200)
    if signed_at is not None and signed_at.tzinfo is None:
        raise UsageError("signed at must include a time zone")
    row.signed_at = signed_at or utcnow()
    row.status = "signed"
    session.flush()
    audit.record(session, actor=signed_by, action="sign", record_type="visit", record_id=row.id)
    return summary_of(row)


def amend_visit(
    session: Session,
    visit_id: int,
    *,
    field: str,
    text: str,
    reason: str,
    author: str,
    created_at: datetime | None = None,
    version: int | None = None,
    scope: Actor = OPERATOR,
) -> AmendmentView:
    """Record a change to a signed note; the signed text stays readable in the visit row.

    ``created_at`` is for imports of amendments made elsewhere; it cannot precede the signature.
    The visit is locked first, so two amendments at once are recorded one after the other,
    each with the text it replaced; with ``version`` the later one is a :class:`StaleError`.
    """
    get_row(session, visit_id, scope=scope)
    row = locked_row(session, visit_id, version=version, scope=scope)
    if row.status != "signed":
        raise ConflictError(
            f"visit {visit_id} is a draft; edit it with 'myomap visit note' (amendments are for "
            "signed notes)"
        )
    name = fields.choice("field", field, SOAP)
    assert name is not None
    new = fields.required_text("text", text, max_length=NOTE_MAX)
    old = current_text(row, name)
    if new == old:
        raise UsageError(f"the amended {name} is the same as the current text; nothing to amend")
    when = created_at or utcnow()
    if when.tzinfo is None or (row.signed_at is not None and when < row.signed_at):
        raise UsageError("amendment time must include a time zone and follow the signature")
    amendment = Amendment(
        visit_id=row.id,
        created_at=when,
        field=name,
        old_value=old,
        new_value=new,
        reason=fields.required_text("reason", reason, max_length=2000),
        author=fields.required_text("author", author, max_length=200),
    )
    session.add(amendment)
    session.flush()
    audit.record(session, actor=author, action="amend", record_type="visit", record_id=row.id)
    return AmendmentView.model_validate(amendment)


def current_text(row: Visit, name: str) -> str:
    latest = [a for a in row.amendments if a.field == name]
    return latest[-1].new_value if latest else str(getattr(row, name))


def show_visit(session: Session, visit_id: int, *, scope: Actor = OPERATOR) -> VisitDetail:
    row = get_row(session, visit_id, include_deleted=True, scope=scope)
    measures = measurement_repo.of_visit(session, row.id)
    deletions = audit_log.deletions_of(session, "visit", row.id)
    soap = {}
    for name in SOAP:
        now = current_text(row, name)
        original = str(getattr(row, name))
        soap[name] = SoapField(
            original=original,
            current=now,
            amended=now != original or any(a.field == name for a in row.amendments),
        )
    return VisitDetail(
        **summary_of(row).model_dump(),
        soap=soap,
        amendments=[AmendmentView.model_validate(a) for a in row.amendments],
        drawings=[DrawingView.model_validate(d) for d in row.drawings],
        findings=[finding_view(f) for f in row.findings],
        rom=[RomView.model_validate(r) for r in row.rom],
        ppt=[
            PptView(
                id=p.id,
                site=p.site,
                side=p.side,
                trials_kpa=list(p.trials_kpa),
                mean_kpa=round(sum(p.trials_kpa) / len(p.trials_kpa), 1),
            )
            for p in row.ppt
        ],
        treatments=[TreatmentView.model_validate(t) for t in row.treatments],
        home_care=[HomeCareView.model_validate(h) for h in row.home_care],
        measurements=[MeasurementView.model_validate(m) for m in measures],
        deletions=[DeletionView.model_validate(d) for d in deletions],
    )


def consensus_confirmed(taut_band: bool, spot: bool, referred: bool) -> bool:
    """2018 Delphi consensus: at least two of taut band, hypersensitive spot, referred pain."""
    return sum((taut_band, spot, referred)) >= 2


def finding_view(row: TrPFinding) -> FindingView:
    """The view of a stored finding: its kind, the criteria recorded, and whether it counts."""
    return FindingView(
        id=row.id,
        trp_id=row.trp_id,
        side=row.side,
        kind=row.kind,
        taut_band=row.taut_band,
        hypersensitive_spot=row.hypersensitive_spot,
        referred_pain=row.referred_pain,
        recognised=row.recognised,
        note=row.note,
        confirmed=finding_confirmed(row),
    )


def finding_confirmed(row: TrPFinding) -> bool:
    """Whether a stored finding counts as a confirmed trigger point: the one-tap result, or
    the consensus over the three criteria examined."""
    if row.kind != "criteria":
        return row.kind == "confirmed"
    return consensus_confirmed(
        bool(row.taut_band), bool(row.hypersensitive_spot), bool(row.referred_pain)
    )


def delete_visit(
    session: Session, visit_id: int, *, by: str, reason: str, scope: Actor = OPERATOR
) -> DeletionView:
    """Mark a visit deleted (signed ones too): the rows stay and the act is recorded."""
    get_row(session, visit_id, scope=scope)
    return deletions.mark_deleted(
        session, locked_row(session, visit_id, scope=scope), "visit", by=by, reason=reason
    )


def restore_visit(
    session: Session, visit_id: int, *, by: str, scope: Actor = OPERATOR
) -> DeletionView:
    row = locked_row(session, visit_id, include_deleted=True, scope=scope)
    return deletions.mark_restored(session, row, "visit", by=by)


def _practitioner_id(session: Session, name: str | None) -> int | None:
    """Find or create the practitioner by display name (one clinic per database for now)."""
    cleaned = fields.text("practitioner", name, max_length=200, required=False)
    if cleaned is None:
        return None
    return repo.practitioner_id(session, cleaned)
