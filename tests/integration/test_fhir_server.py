"""FHIR exports as a server sees them: checked by an independent validator and posted to an
in-memory FHIR server (Medplum's packages from npm, pinned in tests/fhir_node, run by Node.js),
plus the namespacing that keeps two record stores from ever sharing an id."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from myomap.config import load_settings
from myomap.knowledge.instruments import bundled_catalogue
from myomap.services import clients, demo, examination, exports, visits
from myomap.services.database import Store, open_store
from myomap.web.app import create_app

NODE_DIR = Path(__file__).resolve().parents[1] / "fhir_node"
T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def node() -> str:
    """Node.js with the pinned packages (installed with npm ci when missing)."""
    exe = shutil.which("node")
    assert exe, "Node.js is needed for the FHIR checks: scripts/lib.sh ensure_node_packages"
    if not (NODE_DIR / "node_modules" / "@medplum" / "mock").is_dir():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=NODE_DIR,
            check=True,
            capture_output=True,
            timeout=600,
        )
    return exe


def _check(node: str, paths: list[Path], *, one_server: bool = False) -> dict[str, Any]:
    args = [node, "check.mjs", *(["--one-server"] if one_server else []), *map(str, paths)]
    done = subprocess.run(
        args, cwd=NODE_DIR, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report: dict[str, Any] = json.loads(done.stdout)
    return report


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Store]:
    """One SQLite store: these checks are about the export, the back ends are covered by
    test_exports, and the independent checks are slow enough to run once."""
    store = open_store(f"sqlite:///{tmp_path / 'one.sqlite3'}")
    try:
        yield store
    finally:
        store.close()


@pytest.fixture
def two_stores(tmp_path: Path) -> Iterator[tuple[Store, Store]]:
    a = open_store(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    b = open_store(f"sqlite:///{tmp_path / 'b.sqlite3'}")
    try:
        yield a, b
    finally:
        a.close()
        b.close()


def _export(store: Store, cid: int, *, transaction: bool = False) -> dict[str, Any]:
    with store.transaction() as s:
        return exports.export_fhir(
            s, cid, bundled_catalogue(), exported_at=T0, transaction=transaction
        )


def _identifiers(bundle: dict[str, Any]) -> set[str]:
    out = set()
    for e in bundle["entry"]:
        ident = e["resource"].get("identifier", [])
        for i in [ident] if isinstance(ident, dict) else ident:
            out.add(f"{i['system']}|{i['value']}")
    return out


def _demo(store: Store) -> list[int]:
    with store.transaction() as s:
        return demo.seed(s).created


def test_two_stores_never_share_an_id_and_one_store_keeps_its_ids(
    two_stores: tuple[Store, Store],
) -> None:
    a, b = two_stores
    ids_a, ids_b = _demo(a), _demo(b)
    assert ids_a == ids_b  # same record ids in both stores: the collision the namespace stops
    first, other = _export(a, ids_a[0]), _export(b, ids_b[0])
    assert not {e["fullUrl"] for e in first["entry"]} & {e["fullUrl"] for e in other["entry"]}
    local = {i for i in _identifiers(first) if i.startswith("urn:myomap:")}
    assert local and not local & _identifiers(other)
    assert first == _export(a, ids_a[0])  # stable across exports of one store
    patient = first["entry"][0]["resource"]
    assert patient["resourceType"] == "Patient"
    assert patient["identifier"][0]["system"].startswith("urn:myomap:installation:")


def test_every_demo_export_validates_and_posts_as_a_transaction(
    node: str, db: Store, tmp_path: Path
) -> None:
    paths = []
    for cid in _demo(db):
        for transaction in (False, True):
            bundle = _export(db, cid, transaction=transaction)
            path = tmp_path / f"{cid}-{'t' if transaction else 'c'}.json"
            path.write_text(json.dumps(bundle), encoding="utf-8")
            paths.append(path)
    report = _check(node, paths)
    assert report["errors"] == []
    assert len(report["runs"]) == 4
    for run in report["runs"]:
        assert run["first"] == ["201"] * run["entries"]  # every entry created
        assert run["second"] == ["200"] * run["entries"]  # re-sent: nothing new


def test_a_longer_export_sent_later_creates_only_what_is_new(
    node: str, db: Store, tmp_path: Path
) -> None:
    cid = _demo(db)[0]
    with db.transaction() as s:
        vid = visits.start_visit(s, cid, practitioner="Pat", started_at=T0 + timedelta(days=90)).id
        examination.add_rom(s, vid, movement="cervical_rotation", side="left", degrees=70)
    before = _export(db, cid, transaction=True)
    with db.transaction() as s:
        examination.add_rom(s, vid, movement="cervical_rotation", side="right", degrees=72)
        visits.write_note(s, vid, sections={"plan": "Review in a month."})
        visits.sign_visit(s, vid, signed_by="Pat")
    after = _export(db, cid, transaction=True)
    (tmp_path / "before.json").write_text(json.dumps(before), encoding="utf-8")
    (tmp_path / "after.json").write_text(json.dumps(after), encoding="utf-8")
    report = _check(node, [tmp_path / "before.json", tmp_path / "after.json"], one_server=True)
    assert report["errors"] == []
    later = report["runs"][1]["first"]
    assert later.count("201") == len(after["entry"]) - len(before["entry"]) == 2  # ROM, note
    assert report["runs"][1]["encounter_status"] == ["finished"]  # updated, not duplicated
    requests = [e["request"] for e in after["entry"]]
    creates = [r["ifNoneExist"] for r in requests if r["method"] == "POST"]
    updates = [r["url"] for r in requests if r["method"] == "PUT"]
    assert len(set(creates)) == len(creates) and len(set(updates)) == len(updates)
    assert {u.split("?")[0] for u in updates} == {"Patient", "Encounter", "Composition"}


def _by_type(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_clinical_time_codes_narratives_and_note(db: Store) -> None:
    with db.transaction() as s:
        cid = clients.add_client(s, display_name="Fictional Person").id
        clients.record_intake(s, cid, answers={}, decision="proceed", recorded_by="Pat")
        vid = visits.start_visit(s, cid, practitioner="Pat", started_at=T0).id
        examination.add_drawing(
            s,
            vid,
            {"format": "myomap.drawing/1", "areas": [{"regions": ["neck_side_r"], "intensity": 5}]},
        )
        examination.add_treatment(
            s, vid, technique="ischemic_compression", side="right", trp="trapezius.tp1"
        )
        visits.write_note(
            s, vid, sections={"subjective": "Neck ache since May.", "plan": "Review in a week."}
        )
    bundle = _export(db, cid)
    (encounter,) = _by_type(bundle, "Encounter")
    (drawing,) = [
        o
        for o in _by_type(bundle, "Observation")
        if o["code"]["coding"][0]["code"] == "pain-drawing"
    ]
    assert drawing["effectiveDateTime"] == encounter["period"]["start"] == T0.isoformat()
    assert drawing["issued"] != drawing["effectiveDateTime"]  # typed in today, not in May
    (sd,) = _by_type(bundle, "StructureDefinition")
    assert drawing["extension"][0]["url"] == sd["url"] == exports_extension_url()
    assert not _by_type(bundle, "Flag")  # proceed is no alert
    screening = [
        o
        for o in _by_type(bundle, "Observation")
        if o["code"]["coding"][0]["code"] == "safety-screening"
    ]
    assert screening[0]["valueCodeableConcept"]["coding"][0]["code"] == "proceed"
    (note,) = _by_type(bundle, "Composition")
    assert [x["title"] for x in note["section"]] == ["Subjective", "Plan of care"]
    assert "Neck ache since May." in note["section"][0]["text"]["div"]
    (procedure,) = _by_type(bundle, "Procedure")
    assert "trapezius.tp1" not in procedure["bodySite"][0]["text"]
    assert "Upper trapezius" in procedure["bodySite"][0]["text"]
    for entry in bundle["entry"]:
        div = entry["resource"]["text"]["div"]
        assert div.startswith('<div xmlns="http://www.w3.org/1999/xhtml"><p>'), entry


def exports_extension_url() -> str:
    from myomap.fhir import drawing_definition

    return str(drawing_definition()["url"])


def test_questionnaires_carry_loinc_panel_and_item_codes(db: Store) -> None:
    from myomap.services.outcomes import record_measurement

    with db.transaction() as s:
        cid = clients.add_client(s, display_name="Fictional Person").id
        record_measurement(
            s, bundled_catalogue(), cid, instrument="phq9", answers=[1] * 9, recorded_at=T0
        )
        record_measurement(
            s, bundled_catalogue(), cid, instrument="pss10", answers=[2] * 10, recorded_at=T0
        )
    bundle = _export(db, cid)
    questionnaires = {q["url"]: q for q in _by_type(bundle, "Questionnaire")}
    phq9 = questionnaires["urn:myomap:questionnaire:phq9"]
    assert phq9["code"][0]["code"] == "44249-1"
    assert [i["code"][0]["code"] for i in phq9["item"]][:2] == ["44250-9", "44255-8"]
    responses = _by_type(bundle, "QuestionnaireResponse")
    assert {r["questionnaire"].split("|")[0] for r in responses} == set(questionnaires)
    totals = {
        c["code"]
        for o in _by_type(bundle, "Observation")
        for c in o["code"]["coding"]
        if c["system"] == "http://loinc.org"
    }
    assert {"44261-6", "106860-0"} <= totals


def test_the_web_export_gives_the_same_transaction_and_it_posts_cleanly(
    node: str, db: Store, tmp_path: Path
) -> None:
    """``GET /api/clients/{id}/fhir.json?transaction=true`` is what ``myomap export fhir CLIENT
    --transaction`` writes: validated, and every entry created when posted."""
    cid = _demo(db)[0]
    settings = load_settings(
        {
            "MYOMAP_DATA_DIR": str(tmp_path / "data"),
            "MYOMAP_HOST": "127.0.0.1",
            "MYOMAP_DATABASE_URL": db.url,
        }
    )
    web = TestClient(create_app(settings, store=db), base_url="http://127.0.0.1")
    got = web.get(f"/api/clients/{cid}/fhir.json", params={"transaction": "true"})
    assert got.status_code == 200, got.text
    assert got.headers["content-type"].startswith("application/fhir+json")
    assert f"myomap-client-{cid}-fhir-transaction.json" in got.headers["content-disposition"]
    bundle = got.json()
    expected = _export(db, cid, transaction=True)
    assert bundle["type"] == "transaction"
    assert [e["request"] for e in bundle["entry"]] == [e["request"] for e in expected["entry"]]
    assert [e["resource"] for e in bundle["entry"]] == [e["resource"] for e in expected["entry"]]
    plain = web.get(f"/api/clients/{cid}/fhir.json").json()
    assert plain["type"] == "collection" and "request" not in plain["entry"][0]
    assert web.get(f"/api/clients/{cid}/fhir.json?transaction=maybe").status_code == 422
    (tmp_path / "web.json").write_text(json.dumps(bundle), encoding="utf-8")
    report = _check(node, [tmp_path / "web.json"])
    assert report["errors"] == []
    (run,) = report["runs"]
    assert run["first"] == ["201"] * run["entries"]
    assert run["second"] == ["200"] * run["entries"]
