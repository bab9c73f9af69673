"""FHIR Bundle export and CSV round trip, on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import csv
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from myomap.domain.crosswalk import Target
from myomap.domain.drawing import PainDrawing
from myomap.domain.errors import UsageError
from myomap.knowledge.instruments import bundled_catalogue
from myomap.knowledge.loader import atlas_version, load_crosswalk
from myomap.services import clients, csv_format, examination, exports, visits
from myomap.services.database import Store, open_store
from myomap.services.outcomes import record_measurement
from myomap.store.orm import OutcomeMeasurement

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
STROKE_DRAWING: dict[str, Any] = {
    "format": "myomap.drawing/1",
    "areas": [
        {"regions": ["neck_side_r", "shoulder_top_r"], "intensity": 6, "quality": "aching"},
        {
            "strokes": [{"view": "back", "points": [[310.5, 180.25], [322.0, 196.0]], "width": 10}],
            "intensity": 3,
        },
    ],
    "not_painful": ["temple_l"],
}


def _record(store: Store) -> int:
    """One client: a signed visit with everything, a draft visit, a deleted visit."""
    cat = bundled_catalogue()
    with store.transaction() as s:
        cid = clients.add_client(
            s, display_name="Fictional Person", birth_year=1979, sex="male", external_ref="test:fp"
        ).id
        clients.record_intake(
            s, cid, answers={"red_flags": ["night pain"]}, decision="refer_first", recorded_by="Pat"
        )
        v1 = visits.start_visit(s, cid, practitioner="Pat", started_at=T0).id
        examination.add_drawing(s, v1, STROKE_DRAWING)
        examination.add_finding(
            s,
            v1,
            trp="trapezius.tp1",
            side="right",
            taut_band=True,
            hypersensitive_spot=True,
            referred_pain=False,
            recognised=True,
        )
        examination.add_ppt(
            s, v1, site="upper_trapezius", side="right", trials_kpa=[150.5, 162.0, 158.25]
        )
        examination.add_rom(s, v1, movement="cervical_rotation", side="left", degrees=61.5)
        examination.add_treatment(
            s,
            v1,
            technique="ischemic_compression",
            side="right",
            trp="trapezius.tp1",
            pressure=6,
            hold_seconds=60,
            repetitions=3,
            response="eased",
        )
        for name, answers in (
            ("nrs", [7.0]),
            ("phq9", [1, 2, 0, 1, 1, 0, 2, 1, 0]),
            ("pss10", [3, 2, 3, 1, 0, 2, 1, 1, 3, 2]),
            ("vas", [62.5]),
        ):
            record_measurement(
                s, cat, cid, instrument=name, answers=list(answers), visit_id=v1, recorded_at=T0
            )
        visits.write_note(s, v1, sections={"subjective": 'neck, "quoted", and\nnew line'})
        visits.sign_visit(s, v1, signed_by="Pat", signed_at=T0.replace(hour=11))
        v2 = visits.start_visit(s, cid, started_at=T0.replace(day=9)).id
        record_measurement(
            s, cat, cid, instrument="nrs", answers=[4.0], visit_id=v2, recorded_at=T0.replace(day=9)
        )
        record_measurement(
            s, cat, cid, instrument="sleep", answers=[6.0], recorded_at=T0.replace(day=12)
        )
        v3 = visits.start_visit(s, cid, started_at=T0.replace(day=5)).id
        record_measurement(
            s, cat, cid, instrument="nrs", answers=[9.0], visit_id=v3, recorded_at=T0.replace(day=5)
        )
        visits.delete_visit(s, v3, by="Pat", reason="entered for the wrong client")
    return cid


@pytest.fixture
def sqlite_source(tmp_path: Path) -> Iterator[Store]:
    store = open_store(f"sqlite:///{tmp_path / 'source.sqlite3'}")
    try:
        yield store
    finally:
        store.close()


def _resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_fhir_bundle_validates_and_keeps_codes_and_coordinates(db: Store) -> None:
    from fhir.resources.R4B.bundle import Bundle

    cid = _record(db)
    with db.transaction() as s:
        bundle = exports.export_fhir(s, cid, bundled_catalogue(), exported_at=T0)
    Bundle.model_validate(bundle)  # raises if any resource is malformed
    assert bundle["type"] == "collection"
    tags = {t["system"]: t["code"] for t in bundle["meta"]["tag"]}
    assert tags["urn:myomap:atlas-version"] == atlas_version()

    encounters = _resources(bundle, "Encounter")
    assert sorted(e["status"] for e in encounters) == ["finished", "in-progress"]  # not deleted
    assert all(e["class"]["code"] == "AMB" for e in encounters)

    obs = _resources(bundle, "Observation")
    by_code = {c["code"]: o for o in obs for c in o["code"]["coding"]}
    phq9 = by_code["44261-6"]
    assert phq9["valueQuantity"]["value"] == 8 and phq9["interpretation"][0]["text"] == "mild"
    assert phq9["category"][0]["coding"][0]["code"] == "survey"
    qr_ref = phq9["derivedFrom"][0]["reference"]
    qrs = {f"urn:uuid:{q['id']}": q for q in _resources(bundle, "QuestionnaireResponse")}
    assert [i["answer"][0]["valueInteger"] for i in qrs[qr_ref]["item"]] == [
        1,
        2,
        0,
        1,
        1,
        0,
        2,
        1,
        0,
    ]
    assert "72514-3" in by_code and "38214-3" in by_code
    nrs_values = sorted(
        o["valueQuantity"]["value"]
        for o in obs
        if any(c["code"] == "72514-3" for c in o["code"]["coding"])
    )
    assert nrs_values == [4, 7]  # the deleted visit's 9 is left out
    pss = by_code["106860-0"]  # LOINC PSS-10 total, not the local code alone
    assert pss["valueQuantity"]["value"] == 3 + 2 + 3 + 3 + 4 + 2 + 3 + 3 + 3 + 2

    ppt = by_code["ppt"]
    assert ppt["bodySite"]["coding"][0]["code"] == "upper_trapezius"
    laterality = [
        c
        for c in ppt["component"]
        if c["code"]["coding"][0]
        == {"system": "http://snomed.info/sct", "code": "272741003", "display": "Laterality"}
    ]
    assert laterality[0]["valueCodeableConcept"]["coding"][0] == {
        "system": "http://snomed.info/sct",
        "code": "24028007",
        "display": "Right",
    }
    rom = by_code["cervical_rotation"]
    assert rom["valueQuantity"]["code"] == "deg" and rom["valueQuantity"]["value"] == 61.5

    drawing = by_code["pain-drawing"]
    stored = json.loads(base64.b64decode(drawing["extension"][0]["valueAttachment"]["data"]))
    assert stored["areas"][1]["strokes"][0]["points"] == [[310.5, 180.25], [322.0, 196.0]]
    choir = {
        c["code"]["coding"][0]["code"]
        for c in drawing["component"]
        if c["code"]["coding"][0]["system"] == "urn:myomap:choir-body-map"
    }
    expected = load_crosswalk().export_drawing(
        PainDrawing.model_validate(STROKE_DRAWING), Target.CHOIR
    )
    assert choir == {str(i) for i in expected} and choir
    assert 0 < drawing["valueQuantity"]["value"] < 100

    (procedure,) = _resources(bundle, "Procedure")
    assert procedure["code"]["coding"][0]["code"] == "91251008"
    target = procedure["extension"][0]["valueReference"]["reference"]
    (structure,) = _resources(bundle, "BodyStructure")
    assert target == f"urn:uuid:{structure['id']}"
    assert structure["locationQualifier"][0]["coding"][0]["code"] == "24028007"
    assert "hold 60 s" in procedure["note"][0]["text"]

    (flag,) = _resources(bundle, "Flag")
    assert flag["category"][0]["coding"][0]["code"] == "safety"
    assert "refer_first" in flag["code"]["text"] and "night pain" in flag["code"]["text"]
    (patient,) = _resources(bundle, "Patient")
    assert patient["birthDate"] == "1979" and patient["gender"] == "male"
    refs = {e["fullUrl"] for e in bundle["entry"]}
    assert all(o["subject"]["reference"] in refs for o in obs)


def test_fhir_export_is_reproducible(db: Store) -> None:
    cid = _record(db)
    with db.transaction() as s:
        first = exports.export_fhir(s, cid, bundled_catalogue(), exported_at=T0)
        second = exports.export_fhir(s, cid, bundled_catalogue(), exported_at=T0)
    assert first == second


def _read_csv(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_csv_round_trips_losslessly(db: Store, sqlite_source: Store, tmp_path: Path) -> None:
    from myomap.services import demo

    _record(sqlite_source)
    with sqlite_source.transaction() as s:
        demo.seed(s)
        exports.export_csv(s, tmp_path / "a", bundled_catalogue())
    with db.transaction() as s:
        summary = exports.import_csv(s, tmp_path / "a", bundled_catalogue())
    assert len(summary.created_clients) == 5 and not summary.skipped_clients
    with db.transaction() as s:
        exports.export_csv(s, tmp_path / "b", bundled_catalogue())
    for name in csv_format.FILES:
        a = (tmp_path / "a" / name).read_bytes()
        assert a == (tmp_path / "b" / name).read_bytes(), name
    rows = _read_csv(tmp_path / "a", "drawings.csv")
    crosswalk = load_crosswalk()
    for row in rows:
        drawing = PainDrawing.model_validate(json.loads(row["drawing_json"]))
        ids = [int(i) for i in row["choir_ids"].split(",") if i]  # CHOIR tools read commas
        assert ids and ids == crosswalk.export_drawing(drawing, Target.CHOIR)
    measures = _read_csv(tmp_path / "a", "measurements.csv")
    assert not any(
        m["answers"] == "9" and m["instrument"] == "nrs"
        for m in measures
        if m["client_ref"] == "test:fp"
    )  # deleted visit left out
    visit_less = [m for m in measures if m["instrument"] == "sleep" and not m["visit_ref"]]
    assert len(visit_less) == 1
    with db.transaction() as s:
        again = exports.import_csv(s, tmp_path / "a", bundled_catalogue())
    assert not again.created_clients and len(again.skipped_clients) == 5


def test_csv_import_refuses_a_bad_row_and_saves_nothing(
    db: Store, sqlite_source: Store, tmp_path: Path
) -> None:
    _record(sqlite_source)
    with sqlite_source.transaction() as s:
        exports.export_csv(s, tmp_path / "a", bundled_catalogue())
    path = tmp_path / "a" / "measurements.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    bad_line = next(i for i, line in enumerate(lines) if ",phq9," in line)
    lines[bad_line] = lines[bad_line].replace("1,2,0,1,1,0,2,1,0", "1,2,0,7,1,0,2,1,0")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected = rf"measurements.csv line {bad_line + 1}: phq9 item 4"
    with pytest.raises(UsageError, match=expected), db.transaction() as s:
        exports.import_csv(s, tmp_path / "a", bundled_catalogue())
    with db.transaction() as s:
        assert clients.list_clients(s) == []
        assert s.scalar(select(func.count(OutcomeMeasurement.id))) == 0


def test_csv_export_refuses_to_overwrite(db: Store, tmp_path: Path) -> None:
    _record(db)
    with db.transaction() as s:
        exports.export_csv(s, tmp_path / "out", bundled_catalogue())
    with pytest.raises(UsageError, match="--overwrite"), db.transaction() as s:
        exports.export_csv(s, tmp_path / "out", bundled_catalogue())
