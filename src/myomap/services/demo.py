"""Demo data: clearly fictional clients with plausible histories, seeded reproducibly.

The people and their courses are defined in ``data/demo/clients.json``; this module turns each
definition into visits (drawings, findings, measurements, treatments, notes) with a seeded
``random.Random``, so every run produces the same records. Seeding is idempotent: a client whose
``external_ref`` already exists is left alone.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from myomap.domain.outcomes import ItemSpec
from myomap.knowledge.instruments import bundled_catalogue
from myomap.knowledge.loader import data_root
from myomap.services import clients, examination, visits
from myomap.services.outcomes import record_measurement

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

ACTOR = "demo"
SIGNER = "Demo Practitioner (fictional)"


@dataclass
class DemoResult:
    created: list[int] = field(default_factory=list)
    existing: list[int] = field(default_factory=list)


def load_definition() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (data_root() / "demo" / "clients.json").read_text(encoding="utf-8")
    )
    return data


def seed(session: Session, definition: dict[str, Any] | None = None) -> DemoResult:
    """Create the demo clients that do not exist yet, in the caller's transaction."""
    spec = definition or load_definition()
    rng = random.Random(spec["seed"])
    start = datetime.fromisoformat(spec["start"])
    result = DemoResult()
    for index, person in enumerate(spec["clients"]):
        # One generator per client, derived in order, so adding a client keeps the others stable.
        person_rng = random.Random(rng.random())
        existing = clients.find_by_external_ref(session, person["key"])
        if existing is not None:
            result.existing.append(existing)
            continue
        first_day = start + timedelta(days=3 * index, hours=index % 3)
        result.created.append(_seed_client(session, person, spec, first_day, person_rng))
    return result


def _lerp(course: list[float], fraction: float) -> float:
    return course[0] + (course[1] - course[0]) * fraction


def _answers(rng: random.Random, items: ItemSpec, total: int) -> list[float | None]:
    """Item answers within the instrument's range whose *scored* total is ``total``.

    Item scores are drawn first; reverse-scored items (PSS items 4, 5, 7, 8) are then stored as
    the answer that scores that value, so the course in the demo file is the course users see.
    """
    count, low, high = items.count, int(items.min), int(items.max)
    total = max(count * low, min(count * high, total))
    scores = [low] * count
    while sum(scores) < total:
        k = rng.randrange(count)
        if scores[k] < high:
            scores[k] += 1
    return [float(low + high - v if k + 1 in items.reverse else v) for k, v in enumerate(scores)]


def _seed_client(
    session: Session,
    person: dict[str, Any],
    spec: dict[str, Any],
    first_day: datetime,
    rng: random.Random,
) -> int:
    instruments = {i: bundled_catalogue().get(i).items for i in ("gad7", "phq9", "pss10")}
    cid = clients.add_client(
        session,
        display_name=person["display_name"],
        birth_year=person["birth_year"],
        sex=person["sex"],
        external_ref=person["key"],
        actor=ACTOR,
    ).id
    clients.record_intake(
        session,
        cid,
        answers={"red_flags": [], "source": "demo"},
        decision="proceed",
        recorded_by=spec["practitioner"],
        recorded_at=first_day - timedelta(minutes=20),
    )
    n = person["visits"]
    course = person["course"]
    for i in range(n):
        frac = i / (n - 1) if n > 1 else 1.0
        when = first_day + timedelta(
            days=i * person["interval_days"], minutes=rng.choice((0, 15, 30, 45))
        )
        vid = visits.start_visit(
            session, cid, practitioner=spec["practitioner"], started_at=when, actor=ACTOR
        ).id
        nrs = round(min(10, max(0, _lerp(course["nrs"], frac) + rng.uniform(-0.7, 0.7))))
        regions = person["complaint"]["regions"]
        kept = regions[: max(1, round(len(regions) * (1 - 0.5 * frac)))]
        examination.add_drawing(
            session,
            vid,
            {
                "format": "myomap.drawing/1",
                "areas": [
                    {
                        "regions": kept,
                        "intensity": nrs,
                        "quality": person["complaint"]["quality"],
                        "label": person["complaint"]["label"],
                    }
                ],
                "recorded_at": when.isoformat(),
            },
            recorded_at=when,
            actor=ACTOR,
        )
        for f in person["findings"]:
            examination.add_finding(
                session,
                vid,
                trp=f["trp"],
                side=f["side"],
                taut_band=True,
                hypersensitive_spot=rng.random() > 0.6 * frac,
                referred_pain=rng.random() > frac,
                recognised=rng.random() > frac * 0.8,
                actor=ACTOR,
            )
        for r in person["rom"]:
            degrees = round(_lerp(r["degrees"], frac) + rng.uniform(-2, 2))
            examination.add_rom(
                session,
                vid,
                movement=r["movement"],
                side=r["side"],
                degrees=max(0, degrees),
                actor=ACTOR,
            )
        for p in person["ppt"]:
            centre = _lerp(p["kpa"], frac)
            trials = [float(round(centre + rng.uniform(-15, 15))) for _ in range(3)]
            examination.add_ppt(
                session, vid, site=p["site"], side=p["side"], trials_kpa=trials, actor=ACTOR
            )
        if i == 0:
            for t in person["treatments"]:
                examination.add_treatment(
                    session,
                    vid,
                    actor=ACTOR,
                    response="tolerated well",
                    **{
                        k: t.get(k)
                        for k in (
                            "technique",
                            "trp",
                            "side",
                            "pressure",
                            "hold_seconds",
                            "repetitions",
                        )
                    },
                )
            examination.add_home_care(session, vid, person["home_care"], given_at=when, actor=ACTOR)
        else:
            examination.repeat_last_treatment(session, vid, actor=ACTOR)
        _measure(session, cid, vid, when, i, n, frac, course, person, instruments, rng, nrs)
        visits.write_note(session, vid, sections=_note(person, i, nrs), actor=ACTOR)
        if i < n - 1:  # the latest visit stays a draft, as after a real session
            visits.sign_visit(session, vid, signed_by=SIGNER, signed_at=when + timedelta(hours=1))
        if i == 0 and person["key"] == "demo:ada":
            visits.amend_visit(
                session,
                vid,
                field="assessment",
                reason="side recorded wrongly at first",
                text=person["soap"]["assessment"] + " Left side unaffected.",
                author=SIGNER,
                created_at=when + timedelta(days=1),
            )
    return cid


def _measure(
    session: Session,
    cid: int,
    vid: int,
    when: datetime,
    i: int,
    n: int,
    frac: float,
    course: dict[str, list[float]],
    person: dict[str, Any],
    instruments: dict[str, ItemSpec],
    rng: random.Random,
    nrs: int,
) -> None:
    def add(name: str, answers: list[float | None]) -> None:
        record_measurement(
            session,
            bundled_catalogue(),
            cid,
            instrument=name,
            answers=answers,
            visit_id=vid,
            recorded_at=when,
            actor=ACTOR,
        )

    add("nrs", [float(nrs)])
    sleep = round(_lerp(course["sleep"], frac) + rng.uniform(-1, 1))
    add("sleep", [float(max(0, min(10, sleep)))])
    if i in (0, n // 2, n - 1):  # questionnaires at start, middle and end of care
        for name in ("gad7", "phq9", "pss10"):
            target = round(_lerp(course[name], frac) + rng.uniform(-1, 1))
            add(name, _answers(rng, instruments[name], target))
    if i > 0:
        pgic = round(4 + (person["pgic_last"] - 4) * frac)
        add("pgic", [float(pgic)])


def _note(person: dict[str, Any], i: int, nrs: int) -> dict[str, str | None]:
    if i == 0:
        return dict(person["soap"])
    return {
        "subjective": f"Review visit. Reports pain {nrs}/10 at worst since the last visit.",
        "objective": "Re-palpated the previously found trigger points; see findings.",
        "assessment": "Progress reviewed against the baseline measures.",
        "plan": "Repeat the previous treatment; continue home care.",
    }
