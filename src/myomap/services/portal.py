"""The client's own loop: links that open one client's pages, the diary, consent, reminders.

A link is a random token given once to the client; only its SHA-256 is stored, so a copy of the
database cannot open anyone's pages. Every session opened with a link is checked against the
link row on each request, so revoking the link (or its expiry) ends those sessions at once.
Nothing here reaches notes, other clients, the audit trail or exports: the web adapter hands
these functions a client id taken from the link, never from the request.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from myomap.chart.pose_svg import pose_svg
from myomap.domain.actor import OPERATOR, Actor
from myomap.domain.errors import NotFoundError, UsageError
from myomap.knowledge.poses import PoseLibrary
from myomap.services import audit
from myomap.services.clients import get_row
from myomap.store.orm import utcnow
from myomap.store.orm_portal import ClientLink, DiaryEntry
from myomap.store.repositories import portal as repo
from myomap.store.repositories import visits as visit_repo

MAX_LINK_DAYS = 365
DEAD_LINK = (
    "this link is not valid: it has expired or was withdrawn. Ask your clinic for a new one."
)


@dataclass(frozen=True)
class ClientTexts:
    """Consent wording and the plain-language advice for each screening decision."""

    consent_version: str
    consent_title: str
    consent_paragraphs: tuple[str, ...]
    advice: dict[str, str]
    monitoring_notice: str

    @property
    def consent_sha256(self) -> str:
        body = "\n".join((self.consent_title, *self.consent_paragraphs))
        return hashlib.sha256(body.encode()).hexdigest()


def load_texts() -> ClientTexts:
    raw = json.loads(
        resources.files("myomap.data")
        .joinpath("portal/client_texts.json")
        .read_text(encoding="utf-8")
    )
    consent = raw["consent"]
    return ClientTexts(
        str(consent["version"]),
        str(consent["title"]),
        tuple(str(p) for p in consent["paragraphs"]),
        {str(k): str(v) for k, v in raw["advice"].items()},
        str(raw["monitoring_notice"]),
    )


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


# -- links -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewLink:
    token: str
    expires: datetime
    link_id: int

    def url(self, base_url: str) -> str:
        return f"{base_url.rstrip('/')}/c/{self.token}"


def create_link(
    session: Session,
    client_id: int,
    *,
    days: int,
    actor: str,
    check_birth_year: bool = False,
    scope: Actor = OPERATOR,
) -> NewLink:
    """A new link for one client; the token is returned once and stored only as a hash."""
    if not 1 <= days <= MAX_LINK_DAYS:
        raise UsageError(f"a link lasts 1 to {MAX_LINK_DAYS} days")
    client = get_row(session, client_id, scope=scope)
    if check_birth_year and client.birth_year is None:
        raise UsageError(
            "this client has no year of birth on record to check; add it first "
            "or create the link without the check"
        )
    token = secrets.token_urlsafe(32)
    row = ClientLink(
        client_id=client.id,
        token_hash=token_hash(token),
        expires_at=utcnow() + timedelta(days=days),
        created_by=actor[:200],
        check_birth_year=check_birth_year,
    )
    session.add(row)
    session.flush()
    audit.record(
        session, actor=actor, action="create_link", record_type="client", record_id=client.id
    )
    return NewLink(token, row.expires_at, row.id)


def revoke_links(session: Session, client_id: int, *, actor: str, scope: Actor = OPERATOR) -> int:
    """End every link of the client, and with them every session they opened."""
    get_row(session, client_id, include_deleted=True, scope=scope)
    revoked = repo.revoke_links(session, client_id)
    audit.record(
        session, actor=actor, action="revoke_links", record_type="client", record_id=client_id
    )
    return revoked


def _usable(session: Session, row: ClientLink | None) -> ClientLink:
    if row is None or row.revoked_at is not None or row.expires_at <= utcnow():
        raise NotFoundError(DEAD_LINK)
    client = get_row(session, row.client_id, include_deleted=True)
    if client.deleted_at is not None:
        raise NotFoundError(DEAD_LINK)
    return row


def find_link(session: Session, token: str) -> ClientLink:
    """The live link for a token, or NotFoundError with one wording for every failure."""
    if not token or len(token) > 200:
        raise NotFoundError(DEAD_LINK)
    return _usable(session, repo.link_by_hash(session, token_hash(token)))


def open_link(session: Session, token: str, birth_year: int | None) -> ClientLink:
    """Check the link (and the year of birth when the clinic asks for it) and audit the visit."""
    row = find_link(session, token)
    if row.check_birth_year:
        client = get_row(session, row.client_id)
        if birth_year is None or client.birth_year != birth_year:
            audit.record(
                session,
                actor="client",
                action="link_check_failed",
                record_type="client",
                record_id=None,
            )
            raise UsageError("the year of birth does not match our record")
    audit.record(
        session, actor="client", action="open_link", record_type="client", record_id=row.client_id
    )
    return row


def live_link(session: Session, link_id: int, client_id: int) -> ClientLink:
    """The link a client session was opened with, if it still stands."""
    row = repo.link(session, link_id)
    if row is None or row.client_id != client_id:
        raise NotFoundError(DEAD_LINK)
    return _usable(session, row)


def link_status(session: Session, client_id: int, *, scope: Actor = OPERATOR) -> dict[str, Any]:
    get_row(session, client_id, include_deleted=True, scope=scope)
    rows = repo.links_of(session, client_id)
    now = utcnow()
    live = [r for r in rows if r.revoked_at is None and r.expires_at > now]
    return {"active_links": len(live), "expires": max((r.expires_at for r in live), default=None)}


# -- diary -------------------------------------------------------------------------------------


class DiaryIn(BaseModel):
    """One diary entry as the client sends it (``POST /api/me/diary``)."""

    model_config = ConfigDict(extra="forbid")

    pain: int = Field(ge=0, le=10)
    sleep: int | None = Field(default=None, ge=0, le=10)
    stress: int | None = Field(default=None, ge=0, le=10)
    analgesic_doses: int | None = Field(default=None, ge=0, le=50)
    home_care_done: list[str] = Field(default_factory=list, max_length=50)
    drawing: dict[str, Any] | None = None
    note: str = Field(default="", max_length=4000)
    at: datetime | None = None
    # Safety answers the client gives with the entry (question id to answer, as in the intake);
    # a red flag among them gets the same immediate advice as the intake.
    answers: dict[str, Any] | None = Field(default=None, max_length=100)
    entry_key: str | None = Field(
        default=None, min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$"
    )


class DiaryView(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    pain: int
    sleep: int | None
    stress: int | None
    analgesic_doses: int | None
    home_care_done: list[str]
    drawing: dict[str, Any] | None
    note: str


def add_diary(
    session: Session,
    client_id: int,
    entry: DiaryIn,
    *,
    actor: str,
    drawing: dict[str, Any] | None = None,
) -> tuple[DiaryView, bool]:
    """Store an entry; an entry sent again with the same key is answered, not stored twice."""
    get_row(session, client_id)
    if entry.entry_key:
        same = repo.diary_by_key(session, entry.entry_key)
        if same is not None:
            if same.client_id != client_id:
                raise UsageError("entry_key is already used; send a new random key")
            return DiaryView.model_validate(same), False
    now = utcnow()
    at = entry.at or now
    if at.tzinfo is None:
        raise UsageError("at: give the time with a time zone (for example 2026-12-07T08:00Z)")
    if at > now + timedelta(days=1) or at < now - timedelta(days=400):
        raise UsageError("at: the entry's time must be within the last 400 days")
    known = {e.id for e in exercises(session, client_id)}
    unknown = [x for x in entry.home_care_done if x not in known]
    if unknown:
        raise UsageError("home_care_done: not an exercise of your plan: " + ", ".join(unknown[:3]))
    row = DiaryEntry(
        client_id=client_id,
        at=at,
        pain=entry.pain,
        sleep=entry.sleep,
        stress=entry.stress,
        analgesic_doses=entry.analgesic_doses,
        home_care_done=list(dict.fromkeys(entry.home_care_done)),
        drawing=drawing,
        note=entry.note.strip(),
        entry_key=entry.entry_key,
    )
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="create", record_type="diary_entry", record_id=row.id)
    return DiaryView.model_validate(row), True


def diary(
    session: Session,
    client_id: int,
    *,
    limit: int = 200,
    since: datetime | None = None,
    scope: Actor = OPERATOR,
) -> list[DiaryView]:
    """Entries newest first (of a client in the acting user's scope, deleted or not)."""
    get_row(session, client_id, include_deleted=True, scope=scope)
    return [
        DiaryView.model_validate(r)
        for r in repo.diary(session, client_id, limit=limit, since=since)
    ]


# -- home care ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Exercise:
    id: str
    title: str
    how: str
    cautions: tuple[str, ...] = field(default=())
    name: str = ""  # the atlas exercise name, which picks its picture

    def picture(self, library: PoseLibrary) -> str | None:
        """The exercise's picture as SVG markup, when its pose is known."""
        pose = library.for_exercise(self.name or self.how)
        return pose_svg(pose, width=160) if pose else None


def latest_plan(session: Session, client_id: int) -> tuple[dict[str, Any], datetime] | None:
    return visit_repo.latest_home_care(session, client_id)


def exercises(session: Session, client_id: int) -> list[Exercise]:
    """The exercises of the client's latest home-care plan, each with a stable id."""
    found = latest_plan(session, client_id)
    return exercises_of(found[0]) if found else []


def exercises_of(plan: dict[str, Any]) -> list[Exercise]:
    out: list[Exercise] = []
    muscles = plan.get("muscles")
    if isinstance(muscles, list):
        for m in muscles:
            if not isinstance(m, dict):
                continue
            mid, name = str(m.get("muscle", "")), str(m.get("name", m.get("muscle", "")))
            cautions = tuple(str(c) for c in m.get("cautions", []) if isinstance(c, str))
            for key, label in (
                ("self_pressure", "self-pressure"),
                ("stretch", "stretch"),
                ("rom_exercise", "movement"),
            ):
                part = m.get(key)
                if isinstance(part, dict) and part:
                    how = "; ".join(
                        f"{v}" for k, v in part.items() if k != "name" and isinstance(v, str | int)
                    )
                    title = str(part.get("name") or f"{name}: {label}")
                    out.append(
                        Exercise(f"{mid}.{key}", title, how, cautions, str(part.get("name", "")))
                    )
        return out
    for key, value in plan.items():
        if isinstance(value, str) and value.strip():
            out.append(Exercise(str(key), str(key).replace("_", " ").capitalize(), value))
    return out


def next_visit(session: Session, client_id: int) -> datetime | None:
    """The earliest visit booked after now, if the clinic has entered one."""
    return visit_repo.next_booked(session, client_id)


def qr_png(url: str, path: Path) -> None:
    """Write the link as a QR code image, for the client to scan in the treatment room."""
    import segno

    segno.make(url, error="m").save(str(path), kind="png", scale=8, border=4)


def qr_svg(url: str) -> str:
    import segno

    return str(segno.make(url, error="m").svg_data_uri(scale=6, border=4))
