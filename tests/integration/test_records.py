"""Clients, visits and the legal-record rules, on both back ends."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from myomap.cli import message_of as cli_message
from myomap.domain.actor import RecordNotFound
from myomap.domain.errors import ConflictError, NotFoundError, UnknownRegionError, UsageError
from myomap.knowledge.instruments import bundled_catalogue
from myomap.services import clients, examination, visits
from myomap.services.database import Store
from myomap.services.outcomes import record_measurement
from myomap.store.orm import AuditEntry, Visit
from myomap.web.errors import message_of as web_message


def _client(db: Store, name: str = "Test Person") -> int:
    with db.transaction() as s:
        return clients.add_client(s, display_name=name, birth_year=1980, sex="female").id


def _signed_visit(db: Store, client_id: int) -> int:
    with db.transaction() as s:
        vid = visits.start_visit(s, client_id, practitioner="Pat Therapist").id
        visits.write_note(s, vid, sections={"subjective": "neck ache", "assessment": "first"})
        visits.sign_visit(s, vid, signed_by="Pat Therapist")
    return vid


def test_client_roundtrip_and_listing(db: Store) -> None:
    a = _client(db, "Alpha")
    b = _client(db, "Beta")
    with db.transaction() as s:
        visits.start_visit(s, b, started_at=datetime(2026, 3, 1, 9, tzinfo=UTC))
        listed = clients.list_clients(s)
        detail = clients.get_client(s, b)
    assert [c.id for c in listed] == [a, b]
    assert [c.visit_count for c in listed] == [0, 1]
    assert listed[1].last_visit_at == datetime(2026, 3, 1, 9, tzinfo=UTC)
    assert detail.display_name == "Beta" and detail.birth_year == 1980
    assert detail.visits[0].status == "draft"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"display_name": "  "}, "display name"),
        ({"display_name": "X", "birth_year": 1850}, "birth year"),
        ({"display_name": "X", "sex": "unknown-value"}, "sex"),
    ],
)
def test_bad_client_values_name_the_field(db: Store, kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(UsageError, match=field), db.transaction() as s:
        clients.add_client(s, **kwargs)  # type: ignore[arg-type]
    with db.transaction() as s:
        assert clients.list_clients(s) == []


def test_unknown_ids_raise_not_found_with_a_hint(db: Store) -> None:
    """The use case names the record; each door adds where to look for it."""
    with pytest.raises(RecordNotFound) as client, db.transaction() as s:
        clients.get_client(s, 999)
    with pytest.raises(RecordNotFound) as visit, db.transaction() as s:
        visits.show_visit(s, 999)
    assert str(client.value) == "no client with id 999."
    assert str(visit.value) == "no visit with id 999."
    assert isinstance(client.value, NotFoundError)
    assert cli_message(client.value).endswith("Run 'myomap client list' to see client ids.")
    assert web_message(client.value).endswith("Open the client list to find it.")
    assert cli_message(visit.value).endswith("Run 'myomap client show CLIENT' to see its visits.")
    assert web_message(visit.value).endswith("Open the client to see its visits.")


def test_signed_visit_is_locked(db: Store) -> None:
    cid = _client(db)
    vid = _signed_visit(db, cid)
    attempts: list[Callable[[Session], object]] = [
        lambda s: visits.write_note(s, vid, sections={"plan": "changed"}),
        lambda s: visits.sign_visit(s, vid, signed_by="Someone"),
        lambda s: examination.add_treatment(s, vid, technique="ischemic_compression", side="left"),
        lambda s: examination.add_rom(
            s, vid, movement="cervical_rotation", side="left", degrees=70
        ),
    ]
    for attempt in attempts:
        with pytest.raises(ConflictError, match="visit amend"), db.transaction() as s:
            attempt(s)
    with db.transaction() as s:
        shown = visits.show_visit(s, vid)
    assert shown.soap["plan"].current == "" and shown.treatments == [] and shown.rom == []


def test_orm_guard_refuses_direct_edits_of_a_signed_note(db: Store) -> None:
    vid = _signed_visit(db, _client(db))
    with pytest.raises(ConflictError), db.transaction() as s:
        row = s.get(Visit, vid)
        assert row is not None
        row.assessment = "silently rewritten"
    with db.transaction() as s:
        assert visits.show_visit(s, vid).soap["assessment"].current == "first"


def test_amendment_keeps_the_original_readable(db: Store) -> None:
    vid = _signed_visit(db, _client(db))
    with db.transaction() as s:
        visits.amend_visit(
            s, vid, field="assessment", text="second", reason="typo", author="Pat Therapist"
        )
        visits.amend_visit(
            s, vid, field="assessment", text="third", reason="lab result", author="Sam Lead"
        )
    with db.transaction() as s:
        shown = visits.show_visit(s, vid)
    section = shown.soap["assessment"]
    assert (section.original, section.current, section.amended) == ("first", "third", True)
    assert [(a.old_value, a.new_value, a.author) for a in shown.amendments] == [
        ("first", "second", "Pat Therapist"),
        ("second", "third", "Sam Lead"),
    ]
    assert shown.soap["subjective"].amended is False
    assert shown.amendment_count == 2


def test_amending_a_draft_or_without_reason_is_refused(db: Store) -> None:
    cid = _client(db)
    with db.transaction() as s:
        draft = visits.start_visit(s, cid).id
    with pytest.raises(ConflictError, match="draft"), db.transaction() as s:
        visits.amend_visit(s, draft, field="plan", text="x", reason="r", author="a")
    signed = _signed_visit(db, cid)
    with pytest.raises(UsageError, match="reason"), db.transaction() as s:
        visits.amend_visit(s, signed, field="plan", text="x", reason=" ", author="a")
    with pytest.raises(UsageError, match="field"), db.transaction() as s:
        visits.amend_visit(s, signed, field="diagnosis", text="x", reason="r", author="a")


def test_signing_an_empty_note_is_refused(db: Store) -> None:
    cid = _client(db)
    with db.transaction() as s:
        vid = visits.start_visit(s, cid).id
    with pytest.raises(UsageError, match="empty note"), db.transaction() as s:
        visits.sign_visit(s, vid, signed_by="Pat")


def test_deletion_is_recorded_and_reversible(db: Store) -> None:
    cid = _client(db)
    vid = _signed_visit(db, cid)
    with db.transaction() as s:
        visits.delete_visit(s, vid, by="Pat", reason="entered for the wrong client")
        clients.delete_client(s, cid, by="Pat", reason="duplicate registration")
    with db.transaction() as s:
        assert clients.list_clients(s) == []
        assert [c.id for c in clients.list_clients(s, include_deleted=True)] == [cid]
    with pytest.raises(NotFoundError, match="client restore"), db.transaction() as s:
        visits.start_visit(s, cid)
    with db.transaction() as s:
        clients.restore_client(s, cid, by="Sam")
        visits.restore_visit(s, vid, by="Sam")
    with db.transaction() as s:
        detail = clients.get_client(s, cid)
        shown = visits.show_visit(s, vid)
    assert not detail.deleted and detail.visit_count == 1
    assert detail.deletions[0].reason == "duplicate registration"
    assert detail.deletions[0].restored_by == "Sam"
    assert shown.deletions[0].deleted_by == "Pat" and shown.soap["subjective"].current
    with pytest.raises(ConflictError, match="not deleted"), db.transaction() as s:
        clients.restore_client(s, cid, by="Sam")


def test_examination_findings_and_consensus(db: Store) -> None:
    cid = _client(db)
    with db.transaction() as s:
        vid = visits.start_visit(s, cid).id
        examination.add_finding(
            s,
            vid,
            trp="trapezius.tp1",
            side="left",
            taut_band=True,
            hypersensitive_spot=True,
            referred_pain=False,
        )
        examination.add_finding(
            s,
            vid,
            trp="trapezius.tp1",
            side="right",
            taut_band=True,
            hypersensitive_spot=False,
            referred_pain=False,
        )
        examination.add_ppt(s, vid, site="upper_trapezius", side="left", trials_kpa=[180, 200, 190])
        examination.add_drawing(
            s,
            vid,
            {
                "format": "myomap.drawing/1",
                "areas": [{"regions": ["temple_l", "neck_side_l"], "intensity": 6}],
            },
        )
    with db.transaction() as s:
        shown = visits.show_visit(s, vid)
    assert [f.confirmed for f in shown.findings] == [True, False]
    assert shown.ppt[0].mean_kpa == 190.0
    assert shown.drawings[0].drawing["areas"][0]["regions"] == ["temple_l", "neck_side_l"]
    with pytest.raises(UnknownRegionError), db.transaction() as s:
        examination.add_drawing(s, vid, {"areas": [{"regions": ["temple"], "intensity": 3}]})
    with pytest.raises(UsageError, match="trp"), db.transaction() as s:
        examination.add_finding(
            s,
            vid,
            trp="Trapezius!",
            side="left",
            taut_band=True,
            hypersensitive_spot=True,
            referred_pain=True,
        )


def test_repeat_last_treatment_copies_doses_not_responses(db: Store) -> None:
    cid = _client(db)
    t0 = datetime(2026, 1, 5, 10, tzinfo=UTC)
    with db.transaction() as s:
        first = visits.start_visit(s, cid, started_at=t0).id
        examination.add_treatment(
            s,
            first,
            technique="ischemic_compression",
            trp="trapezius.tp1",
            side="left",
            pressure=6,
            hold_seconds=60,
            repetitions=3,
            response="eased",
        )
        examination.add_treatment(
            s, first, technique="stretch", side="left", hold_seconds=30, repetitions=2
        )
        second = visits.start_visit(s, cid, started_at=t0 + timedelta(days=7)).id
        copied = examination.repeat_last_treatment(s, second)
    assert [
        (t.technique, t.trp_id, t.pressure, t.hold_seconds, t.repetitions, t.response)
        for t in copied
    ] == [
        ("ischemic_compression", "trapezius.tp1", 6.0, 60, 3, None),
        ("stretch", None, None, 30, 2, None),
    ]
    with pytest.raises(ConflictError, match="no earlier visit"), db.transaction() as s:
        examination.repeat_last_treatment(s, first)


def test_measurements_store_answers_and_a_total(db: Store) -> None:
    cid = _client(db)
    with db.transaction() as s:
        vid = visits.start_visit(s, cid).id
        m, _ = record_measurement(
            s,
            bundled_catalogue(),
            cid,
            instrument="GAD7",
            visit_id=vid,
            answers=[1, 2, 0, 3, 1, 0, 2],
        )
    assert (m.instrument, m.total, m.answers) == ("gad7", 9.0, [1, 2, 0, 3, 1, 0, 2])
    other = _client(db, "Other")
    with pytest.raises(UsageError, match="another client"), db.transaction() as s:
        record_measurement(
            s, bundled_catalogue(), other, instrument="nrs", answers=[3], visit_id=vid
        )


def test_audit_log_holds_ids_and_verbs_only(db: Store) -> None:
    sentinel = "Zebediah Sentinelname"
    cid = _client(db, sentinel)
    vid = _signed_visit(db, cid)
    with db.transaction() as s:
        entries = s.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        count = s.scalar(select(func.count()).select_from(AuditEntry))
    assert count == len(entries) >= 3
    assert [(e.action, e.record_type, e.record_id) for e in entries][:2] == [
        ("create", "client", cid),
        ("create", "visit", vid),
    ]
    for e in entries:
        assert sentinel not in f"{e.actor}{e.action}{e.record_type}"


def test_failed_action_saves_nothing(db: Store) -> None:
    cid = _client(db)
    with pytest.raises(UsageError), db.transaction() as s:
        vid = visits.start_visit(s, cid).id
        examination.add_rom(s, vid, movement="cervical_rotation", side="left", degrees=-5)
    with db.transaction() as s:
        assert clients.get_client(s, cid).visits == []


def test_database_rule_violations_do_not_leak_values(db: Store) -> None:
    with db.transaction() as s:
        clients.add_client(s, display_name="One", external_ref="ref-Sentinel-Value")
    with pytest.raises(ConflictError) as info, db.transaction() as s:
        clients.add_client(s, display_name="Two", external_ref="ref-Sentinel-Value")
    assert "Sentinel" not in str(info.value) and "nothing was saved" in str(info.value)
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_amendment_time_cannot_precede_the_signature(db: Store) -> None:
    vid = _signed_visit(db, _client(db))
    with pytest.raises(UsageError, match="follow the signature"), db.transaction() as s:
        visits.amend_visit(
            s,
            vid,
            field="plan",
            text="x",
            reason="r",
            author="a",
            created_at=datetime(2000, 1, 1, tzinfo=UTC),
        )


def test_orm_guard_refuses_unsigning_and_hard_deletes(db: Store) -> None:
    cid = _client(db)
    vid = _signed_visit(db, cid)
    with pytest.raises(ConflictError, match="cannot be withdrawn"), db.transaction() as s:
        row = s.get(Visit, vid)
        assert row is not None
        row.status, row.signed_at, row.signed_by = "draft", None, None
    with pytest.raises(ConflictError, match="never removed"), db.transaction() as s:
        row = s.get(Visit, vid)
        assert row is not None
        s.delete(row)
    with db.transaction() as s:
        assert visits.show_visit(s, vid).status == "signed"


def test_engine_never_shows_statement_parameters(db: Store) -> None:
    """SQL logging and driver errors must not carry client data."""
    assert db.engine.hide_parameters is True


def test_a_treatment_names_a_trigger_point_the_atlas_has(db: Store) -> None:
    """The one check of a charted trigger point, for treatments as for findings: an id the
    atlas does not have is refused and nothing is stored."""
    cid = _client(db)
    with db.transaction() as s:
        vid = visits.start_visit(s, cid).id
    unknown = "'infraspinatus.trp9' is not in the atlas"
    with pytest.raises(UsageError, match=unknown), db.transaction() as s:
        examination.add_treatment(
            s, vid, technique="pressure_release", side="right", trp="infraspinatus.trp9"
        )
    with db.transaction() as s:
        examination.add_treatment(
            s, vid, technique="pressure_release", side="right", trp="trapezius.tp1"
        )
        shown = visits.show_visit(s, vid)
    assert [t.trp_id for t in shown.treatments] == ["trapezius.tp1"]
