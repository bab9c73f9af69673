"""Charting in the treatment room: one-tap entries that chart once, removal of a draft's entries,
one open draft per client, and the vocabularies the pickers offer.

A double tap on a tablet sends the same request twice within a fraction of a second. The
duplicate window below answers the second request with the entry the first one made, so the
visit is charted once. Entries of a draft visit can be removed (audited); a signed visit refuses
through :func:`myomap.services.visits.draft_row` and is changed only by amendment.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from myomap.domain.actor import OPERATOR, Actor
from myomap.domain.errors import NotFoundError, UsageError
from myomap.domain.records import FindingView, TreatmentView
from myomap.knowledge.load import Knowledge
from myomap.services import audit, examination, portal
from myomap.services import today as own_pages
from myomap.services.visits import draft_row, finding_view
from myomap.store.orm import utcnow
from myomap.store.repositories import audit as audit_log
from myomap.store.repositories import exam as exam_repo
from myomap.store.repositories import visits as visit_repo

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

# Two identical one-tap entries this close together are one tap charted twice.
DUPLICATE_WINDOW = timedelta(seconds=5)

# The kinds of entry a draft can lose (each names its table and its audit action).
ENTRY_KINDS = tuple(exam_repo.ENTRY_TABLES)


def _recently_added(session: Session, visit_id: int, action: str, actor: str) -> bool:
    """Whether ``actor`` made an ``action`` entry on the visit within the duplicate window."""
    last = audit_log.last_at(
        session, record_type="visit", record_id=visit_id, action=action, actor=actor
    )
    if last is None:
        return False
    now = utcnow()
    if last.tzinfo is None and now.tzinfo is not None:
        now = now.replace(tzinfo=None)
    return now - last <= DUPLICATE_WINDOW


def chart_finding(
    session: Session,
    visit_id: int,
    *,
    trp: str,
    side: str,
    taut_band: bool | None = None,
    hypersensitive_spot: bool | None = None,
    referred_pain: bool | None = None,
    result: str | None = None,
    recognised: bool | None = None,
    note: str | None = None,
    knowledge: Knowledge | None = None,
    actor: str = "unknown",
    scope: Actor = OPERATOR,
) -> FindingView:
    """Add a finding unless the same one was just charted (then answer with that one). Whether
    the trigger point exists is checked once, by :func:`examination.add_finding`."""
    row = draft_row(session, visit_id, scope=scope)
    cleaned = examination.trp_id(trp)
    kind = result if result is not None else "criteria"
    if row.findings and _recently_added(session, row.id, "add_finding", actor):
        last = row.findings[-1]
        if (
            last.trp_id,
            last.side,
            last.kind,
            last.taut_band,
            last.hypersensitive_spot,
            last.referred_pain,
            last.recognised,
            last.note,
        ) == (cleaned, side, kind, taut_band, hypersensitive_spot, referred_pain, recognised, note):
            return finding_view(last)
    return examination.add_finding(
        session,
        visit_id,
        trp=str(cleaned),
        side=side,
        taut_band=taut_band,
        hypersensitive_spot=hypersensitive_spot,
        referred_pain=referred_pain,
        result=result,
        recognised=recognised,
        note=note,
        knowledge=knowledge,
        actor=actor,
        scope=scope,
    )


def chart_treatment(
    session: Session,
    visit_id: int,
    *,
    technique: str,
    side: str,
    trp: str | None = None,
    pressure: float | None = None,
    hold_seconds: int | None = None,
    repetitions: int | None = None,
    response: str | None = None,
    knowledge: Knowledge | None = None,
    actor: str = "unknown",
    scope: Actor = OPERATOR,
) -> TreatmentView:
    """Add a treatment unless the same one was just charted (then answer with that one).
    Whether its trigger point exists is checked once, by :func:`examination.add_treatment`."""
    row = draft_row(session, visit_id, scope=scope)
    cleaned = examination.trp_id(trp, required=False)
    if row.treatments and _recently_added(session, row.id, "add_treatment", actor):
        last = row.treatments[-1]
        same = (
            last.technique,
            last.trp_id,
            last.side,
            last.pressure,
            last.hold_seconds,
            last.repetitions,
            last.response,
        )
        given = (
            examination.identifier("technique", technique, example="pressure_release"),
            cleaned,
            side,
            pressure,
            hold_seconds,
            repetitions,
            response or None,
        )
        if same == given:
            return TreatmentView.model_validate(last)
    return examination.add_treatment(
        session,
        visit_id,
        technique=technique,
        side=side,
        trp=cleaned,
        pressure=pressure,
        hold_seconds=hold_seconds,
        repetitions=repetitions,
        response=response,
        knowledge=knowledge,
        actor=actor,
        scope=scope,
    )


def remove_entry(
    session: Session,
    visit_id: int,
    kind: str,
    entry_id: int,
    *,
    actor: str = "unknown",
    scope: Actor = OPERATOR,
) -> dict[str, Any]:
    """Remove one finding, treatment, ROM, PPT or measurement entry from a draft visit (audited)."""
    if kind not in ENTRY_KINDS:
        raise UsageError(f"entries to remove are one of: {', '.join(ENTRY_KINDS)}")
    row = draft_row(session, visit_id, scope=scope)
    entry = exam_repo.entry(session, kind, entry_id)
    if entry is None or entry.visit_id != row.id:
        raise NotFoundError(f"this visit has no such entry ({kind} {entry_id})")
    session.delete(entry)
    session.flush()
    session.expire(row)
    audit.record(
        session, actor=actor, action=f"remove_{kind}", record_type="visit", record_id=row.id
    )
    return {"removed": kind, "id": entry_id, "visit_id": row.id}


def open_draft(session: Session, client_id: int) -> int | None:
    """The client's most recent draft visit that is not deleted, if there is one."""
    return visit_repo.open_draft(session, client_id)


def vocabularies(knowledge: Knowledge | None = None) -> dict[str, list[tuple[str, str]]]:
    """(id, label) lists for the visit page pickers: techniques, movements, muscles, TrPs."""
    known = knowledge or Knowledge()
    atlas = known.atlas
    planning = known.planning
    return {
        "techniques": [(k, v.name) for k, v in planning.techniques.items()],
        "movements": [(m.id, m.label) for m in atlas.movements],
        "muscles": [(m.id, m.name) for m in atlas.muscles],
        "trigger_points": [(tp.id, f"{m.name} · {tp.name}") for m, tp in atlas.trigger_points()],
    }


def last_drawing(
    session: Session, client_id: int, before_visit: int
) -> tuple[dict[str, Any], str] | None:
    """The latest pain drawing of the client's other visits and its date, to offer again."""
    return exam_repo.latest_drawing_elsewhere(session, client_id, before_visit)


def worklist(
    session: Session, client_ids: set[int], *, today: date | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Today's visits and the unsigned drafts of the given clients, newest first.

    ``clients`` lists who has a visit today or recent activity on their own pages, with whether
    they answered the intake, reported a red flag or still owe the current consent.
    """
    day = today or utcnow().date()
    out: dict[str, list[dict[str, Any]]] = {"today": [], "drafts": []}
    for vid, started, status, cid, name in visit_repo.live_with_clients(session, client_ids):
        item = {
            "visit_id": vid,
            "started_at": started.isoformat(),
            "status": status,
            "client_id": cid,
            "display_name": name,
        }
        if started.date() == day:
            out["today"].append(item)
        if status == "draft":
            out["drafts"].append(item)
    out["clients"] = own_pages.today_clients(
        session,
        client_ids,
        {w["client_id"] for w in out["today"]},
        consent_version=portal.load_texts().consent_version,
        today=day,
    )
    return out
