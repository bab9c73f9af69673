"""Clinic scoping in the use cases: a user of one clinic asking for another clinic's client or
visit gets exactly the answer of an id that does not exist, on every use case that fetches a
record by id; the command line's operator sees every record."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy.orm import Session

from myomap.domain.actor import OPERATOR, Actor, RecordNotFound
from myomap.domain.errors import NotFoundError
from myomap.domain.outcomes import Catalogue
from myomap.knowledge.instruments import bundled_catalogue
from myomap.knowledge.load import Knowledge
from myomap.services import (
    charting,
    clients,
    examination,
    exports,
    frontdesk,
    outcomes,
    portal,
    progress,
    visit_plan,
    visits,
)
from myomap.services.database import Store
from myomap.store.repositories import accounts

MISSING = 987_654


@dataclass(frozen=True)
class Two:
    alpha: Actor
    beta: Actor
    alpha_client: int
    alpha_visit: int
    beta_client: int


def _two_clinics(db: Store) -> Two:
    with db.transaction() as s:
        a = accounts.clinic_id_named(s, "Alpha clinic")
        b = accounts.clinic_id_named(s, "Beta clinic")
        ac = clients.add_client(s, display_name="Alpha client", clinic_id=a).id
        av = visits.start_visit(s, ac, actor="alice").id
        bc = clients.add_client(s, display_name="Beta client", clinic_id=b).id
    return Two(
        alpha=Actor("alice", "practitioner", a, user_id=1),
        beta=Actor("bob", "practitioner", b, user_id=2),
        alpha_client=ac,
        alpha_visit=av,
        beta_client=bc,
    )


def _answer(db: Store, call: Callable[[Session], Any]) -> str:
    """The message of the RecordNotFound the call raises (and nothing is written)."""
    with pytest.raises(RecordNotFound) as caught, db.transaction() as s:
        call(s)
    return str(caught.value)


CLIENT_USES: dict[str, Callable[[Session, int, Actor, Catalogue], Any]] = {
    "get_row": lambda s, cid, me, cat: clients.get_row(s, cid, scope=me),
    "get_client": lambda s, cid, me, cat: clients.get_client(s, cid, scope=me),
    "record_intake": lambda s, cid, me, cat: clients.record_intake(
        s, cid, answers={}, decision="proceed", recorded_by=me.username, scope=me
    ),
    "delete_client": lambda s, cid, me, cat: clients.delete_client(
        s, cid, by=me.username, reason="r", scope=me
    ),
    "start_visit": lambda s, cid, me, cat: visits.start_visit(s, cid, scope=me),
    "edit_client": lambda s, cid, me, cat: frontdesk.edit_client(
        s, cid, {"contact": "x"}, scope=me
    ),
    "record_measurement": lambda s, cid, me, cat: outcomes.record_measurement(
        s, cat, cid, instrument="nrs", answers=[5], scope=me
    ),
    "client_progress": lambda s, cid, me, cat: progress.client_progress(s, cid, cat, scope=me),
    "export_fhir": lambda s, cid, me, cat: exports.export_fhir(s, cid, cat, scope=me),
    "create_link": lambda s, cid, me, cat: portal.create_link(
        s, cid, days=7, actor=me.username, scope=me
    ),
    "diary": lambda s, cid, me, cat: portal.diary(s, cid, scope=me),
}

VISIT_USES: dict[str, Callable[[Session, int, Actor], Any]] = {
    "show_visit": lambda s, vid, me: visits.show_visit(s, vid, scope=me),
    "write_note": lambda s, vid, me: visits.write_note(
        s, vid, sections={"subjective": "x"}, scope=me
    ),
    "sign_visit": lambda s, vid, me: visits.sign_visit(s, vid, signed_by="bob", scope=me),
    "delete_visit": lambda s, vid, me: visits.delete_visit(s, vid, by="bob", reason="r", scope=me),
    "add_rom": lambda s, vid, me: examination.add_rom(
        s, vid, movement="cervical_rotation", side="left", degrees=40, scope=me
    ),
    "chart_finding": lambda s, vid, me: charting.chart_finding(
        s, vid, trp="trapezius.tp1", side="left", result="confirmed", scope=me
    ),
    "remove_entry": lambda s, vid, me: charting.remove_entry(s, vid, "rom", 1, scope=me),
    "plan_for_visit": lambda s, vid, me: visit_plan.plan_for_visit(s, Knowledge(), vid, scope=me),
}


@pytest.mark.parametrize("use", sorted(CLIENT_USES))
def test_another_clinics_client_reads_like_a_missing_id(db: Store, use: str) -> None:
    two = _two_clinics(db)
    cat = bundled_catalogue()
    call = CLIENT_USES[use]
    theirs = _answer(db, lambda s: call(s, two.alpha_client, two.beta, cat))
    missing = _answer(db, lambda s: call(s, MISSING, two.beta, cat))
    assert theirs == f"no client with id {two.alpha_client}."
    assert missing == f"no client with id {MISSING}."


@pytest.mark.parametrize("use", sorted(VISIT_USES))
def test_another_clinics_visit_reads_like_a_missing_id(db: Store, use: str) -> None:
    two = _two_clinics(db)
    call = VISIT_USES[use]
    theirs = _answer(db, lambda s: call(s, two.alpha_visit, two.beta))
    missing = _answer(db, lambda s: call(s, MISSING, two.beta))
    assert theirs == f"no visit with id {two.alpha_visit}."
    assert missing == f"no visit with id {MISSING}."
    with db.transaction() as s:  # nothing of the other clinic's visit changed
        shown = visits.show_visit(s, two.alpha_visit)
    assert shown.status == "draft" and not shown.deleted and not shown.rom


def test_a_deleted_client_of_another_clinic_reads_like_a_missing_id(db: Store) -> None:
    two = _two_clinics(db)
    with db.transaction() as s:
        clients.delete_client(s, two.alpha_client, by="alice", reason="test", scope=two.alpha)
    theirs = _answer(db, lambda s: clients.get_row(s, two.alpha_client, scope=two.beta))
    assert theirs == f"no client with id {two.alpha_client}."
    # its own clinic is told it is deleted, not that it is missing
    with pytest.raises(NotFoundError, match="is deleted") as own, db.transaction() as s:
        clients.get_row(s, two.alpha_client, scope=two.alpha)
    assert not isinstance(own.value, RecordNotFound)


def test_a_measurement_naming_another_clinics_visit_is_a_missing_visit(db: Store) -> None:
    two = _two_clinics(db)
    cat = bundled_catalogue()

    def measure(visit_id: int) -> Callable[[Session], Any]:
        return lambda s: outcomes.record_measurement(
            s,
            cat,
            two.beta_client,
            instrument="nrs",
            answers=[5],
            visit_id=visit_id,
            scope=two.beta,
        )

    assert _answer(db, measure(two.alpha_visit)) == f"no visit with id {two.alpha_visit}."
    assert _answer(db, measure(MISSING)) == f"no visit with id {MISSING}."


def test_each_clinic_lists_only_its_clients_and_the_operator_sees_all(db: Store) -> None:
    two = _two_clinics(db)
    with db.transaction() as s:
        loose = clients.add_client(s, display_name="No clinic").id
        seen = {
            name: {c.id for c in clients.list_clients(s, scope=me)}
            for name, me in (("alpha", two.alpha), ("beta", two.beta), ("cli", OPERATOR))
        }
        no_clinic = Actor("local", "admin", None)
        seen["none"] = {c.id for c in clients.list_clients(s, scope=no_clinic)}
        ids = {name: clients.client_ids(s, scope=me) for name, me in (("alpha", two.alpha),)}
        assert clients.get_client(s, two.alpha_client, scope=OPERATOR).id == two.alpha_client
        assert visits.show_visit(s, two.alpha_visit, scope=OPERATOR).id == two.alpha_visit
    assert seen["alpha"] == {two.alpha_client} == ids["alpha"]
    assert seen["beta"] == {two.beta_client}
    assert seen["none"] == {loose}
    assert seen["cli"] == {two.alpha_client, two.beta_client, loose}


def test_the_owning_clinic_reads_and_writes_its_own_records(db: Store) -> None:
    two = _two_clinics(db)
    with db.transaction() as s:
        visits.write_note(s, two.alpha_visit, sections={"subjective": "neck"}, scope=two.alpha)
        examination.add_rom(
            s,
            two.alpha_visit,
            movement="cervical_rotation",
            side="left",
            degrees=40,
            scope=two.alpha,
        )
        shown = visits.show_visit(s, two.alpha_visit, scope=two.alpha)
    assert shown.soap["subjective"].current == "neck" and len(shown.rom) == 1
