"""What the clinic needs to know before a visit from the client's own pages.

The today list shows, for each client with a visit today or recent activity on their own pages,
whether they answered the intake themselves, whether their latest self-reported screening (the
intake or the safety questions sent with a diary entry) calls for a referral or emergency care,
and whether the current consent text is still unsigned. Only decisions and dates leave here:
no answers or diary text, so the list can sit on a screen at the front desk.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from myomap.store.orm import utcnow
from myomap.store.repositories import clients as client_repo
from myomap.store.repositories import intakes as intake_repo
from myomap.store.repositories import portal as portal_repo

# Activity on the client's own pages within this window puts the client on the today list.
RECENT = timedelta(days=3)
RED_FLAGS = ("refer", "emergency")


def client_status(
    session: Session, client_ids: Iterable[int], *, consent_version: str
) -> dict[int, dict[str, Any]]:
    """Per client: the latest self-reported screening, the consent state, the last activity."""
    ids = set(client_ids)
    out: dict[int, dict[str, Any]] = {
        cid: {
            "intake_by_client": None,
            "client_decision": None,
            "red_flag": False,
            "consent_missing": True,
            "last_activity": None,
        }
        for cid in ids
    }
    if not ids:
        return out

    def touch(cid: int, at: datetime) -> None:
        last = out[cid]["last_activity"]
        if last is None or at > last:
            out[cid]["last_activity"] = at

    for cid, decision, at in intake_repo.self_reported(session, ids):
        row = out[cid]
        row["intake_by_client"] = at
        row["client_decision"] = decision
        row["red_flag"] = decision in RED_FLAGS
        touch(cid, at)
    for cid, version, at in portal_repo.consent_versions(session, ids):
        if version == consent_version:
            out[cid]["consent_missing"] = False
        touch(cid, at)
    for cid, at in portal_repo.diary_times(session, ids):
        touch(cid, at)
    return out


def today_clients(
    session: Session,
    client_ids: set[int],
    visit_clients: set[int],
    *,
    consent_version: str,
    today: date | None = None,
) -> list[dict[str, Any]]:
    """Clients with a visit today or recent own-page activity, red flags first."""
    now = utcnow()
    day = today or now.date()
    status = client_status(session, client_ids, consent_version=consent_version)
    names = client_repo.live_names(session, client_ids)
    rows = []
    for cid, st in status.items():
        last = st["last_activity"]
        recent = last is not None and (last >= now - RECENT or last.date() == day)
        if cid not in names or not (cid in visit_clients or recent):
            continue
        rows.append(
            {
                "client_id": cid,
                "display_name": names[cid],
                "visit_today": cid in visit_clients,
                "intake_by_client": _iso(st["intake_by_client"]),
                "client_decision": st["client_decision"],
                "red_flag": st["red_flag"],
                "consent_missing": st["consent_missing"],
                "last_activity": _iso(last),
            }
        )
    rows.sort(key=lambda r: (not r["red_flag"], not r["visit_today"], r["display_name"]))
    return rows


def _iso(at: datetime | None) -> str | None:
    return at.isoformat() if at is not None else None
