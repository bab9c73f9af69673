"""What a referring physician reads first: complaint, screening, findings, who treats where,
the next step and the latest note, gathered for the one-page report.

Names, never ids: trigger points carry their atlas names, so a reader never meets
``trapezius.tp1``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from myomap.domain.careplan import HEADLINES
from myomap.services.exports import trp_labels
from myomap.store.repositories import clients as client_repo

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from myomap.domain.records import ClientDetail, VisitDetail


def trp_name(trp_id: str | None) -> str:
    if not trp_id:
        return ""
    return trp_labels().get(trp_id, trp_id.replace("_", " ").replace(".", ", "))


def treatment_name(technique: str, trp_id: str | None, side: str | None) -> str:
    """``Ischemic compression: Upper trapezius TrP1 (...), right``."""
    what = technique.replace("_", " ").capitalize()
    where = ", ".join(x for x in (trp_name(trp_id), side) if x)
    return f"{what}: {where}" if where else what


def _note(visit: VisitDetail) -> dict[str, str]:
    return {name: field.current for name, field in visit.soap.items() if field.current.strip()}


def _clinic(session: Session, client_id: int) -> str | None:
    row = client_repo.get(session, client_id)
    return client_repo.clinic_name(session, row) if row is not None else None


def referral_summary(
    session: Session, client: ClientDetail, visits: Sequence[VisitDetail]
) -> dict[str, Any]:
    """The referrer's facts in time order of the record (visits sorted oldest first)."""
    complaint = next(
        (
            v.soap["subjective"].current
            for v in visits
            if "subjective" in v.soap and v.soap["subjective"].current.strip()
        ),
        None,
    )
    intake = max(client.intakes, key=lambda i: (i.recorded_at, i.id), default=None)
    screening = None
    if intake is not None:
        flags = intake.answers.get("red_flags") or []
        screening = {
            "decision": intake.decision,
            "at": intake.recorded_at.isoformat(),
            "meaning": HEADLINES.get(intake.decision, ""),
            "red_flags": [str(f) for f in flags] if isinstance(flags, list) else [],
        }
    findings: dict[tuple[str, str], dict[str, Any]] = {}
    for v in visits:
        for f in v.findings:
            if f.confirmed:
                findings[(f.trp_id, f.side)] = {
                    "name": trp_name(f.trp_id),
                    "side": f.side,
                    "at": v.started_at.isoformat(),
                }
    latest = visits[-1] if visits else None
    with_note = [v for v in visits if _note(v)]
    last_note = with_note[-1] if with_note else None
    plan = last_note.soap["plan"].current if last_note and "plan" in last_note.soap else ""
    return {
        "complaint": complaint,
        "screening": screening,
        "findings": sorted(findings.values(), key=lambda f: (f["name"], f["side"])),
        "practitioner": (latest.practitioner or latest.signed_by) if latest else None,
        "clinic": _clinic(session, client.id),
        "next_step": plan.strip() or None,
        "note": None
        if last_note is None
        else {
            "at": last_note.started_at.isoformat(),
            "status": last_note.status,
            "signed_by": last_note.signed_by,
            "sections": _note(last_note),
        },
    }
