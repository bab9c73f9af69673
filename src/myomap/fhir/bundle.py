"""Map one client's record to a FHIR R4 ``collection`` Bundle (plain JSON-ready dicts).

Resource ids are UUIDs derived from the record ids, so exporting the same record twice gives the
same references. Laterality travels as SNOMED qualifiers: in ``BodyStructure.locationQualifier``
for procedures (through the ``procedure-targetBodyStructure`` extension) and as a laterality
component on observations, because R4 ``bodySite`` has no laterality slot. Pain drawings keep
their full ``myomap.drawing/1`` JSON (stroke coordinates included) as an attachment extension.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from myomap.domain.errors import UsageError
from myomap.domain.outcomes import Catalogue, Instrument, score
from myomap.domain.records import (
    ClientDetail,
    DrawingView,
    FindingView,
    MeasurementView,
    PptView,
    RomView,
    TreatmentView,
    VisitDetail,
)
from myomap.fhir import codes

Resource = dict[str, Any]


@dataclass(frozen=True)
class DrawingFacts:
    """What the raster and crosswalk say about one stored drawing."""

    extent_percent: float | None
    choir_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class RecordSnapshot:
    client: ClientDetail
    visits: Sequence[VisitDetail]
    catalogue: Catalogue
    atlas_version: str
    region_labels: Mapping[str, str] = field(default_factory=dict)
    drawings: Mapping[int, DrawingFacts] = field(default_factory=dict)
    exported_at: datetime | None = None


def _uuid(*parts: object) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "urn:myomap:" + ":".join(map(str, parts))))


def _coding(system: str, code: str, display: str | None = None) -> dict[str, str]:
    out = {"system": system, "code": code}
    if display:
        out["display"] = display
    return out


def _concept(system: str, code: str, text: str) -> dict[str, Any]:
    return {"coding": [_coding(system, code)], "text": text}


def _band(inst: Instrument, answers: Sequence[float | None]) -> str | None:
    try:
        return score(inst, answers).band
    except UsageError:  # stored before a definition changed: export the total without a band
        return None


def _when(value: datetime) -> str:
    return value.isoformat()


def _pretty(identifier: str) -> str:
    return identifier.replace("_", " ").replace(".", ", ")


class _Builder:
    def __init__(self, snap: RecordSnapshot) -> None:
        self.snap = snap
        self.entries: list[Resource] = []
        self.patient_ref = self._ref("Patient", snap.client.id)

    def _ref(self, kind: str, *ids: object) -> str:
        return f"urn:uuid:{_uuid(self.snap.client.id, kind, *ids)}"

    def add(self, full_url: str, resource: Resource) -> None:
        resource["id"] = full_url.removeprefix("urn:uuid:")
        self.entries.append({"fullUrl": full_url, "resource": resource})

    def subject(self) -> dict[str, str]:
        return {"reference": self.patient_ref}

    def laterality(self, side: str) -> list[dict[str, Any]]:
        if side not in codes.LATERALITY:
            return []
        code, display = codes.LATERALITY[side]
        return [{
            "code": _concept(codes.MEASURE, "laterality", "Laterality"),
            "valueCodeableConcept": {"coding": [_coding(codes.SNOMED, code, display)],
                                     "text": display},
        }]

    def observation(self, url: str, *, category: str, code: dict[str, Any], when: datetime,
                    encounter: str | None, **fields: Any) -> None:
        resource: Resource = {
            "resourceType": "Observation",
            "status": "final",
            "category": [{"coding": [_coding(codes.OBS_CATEGORY, category)]}],
            "code": code,
            "subject": self.subject(),
            "effectiveDateTime": _when(when),
        }
        if encounter:
            resource["encounter"] = {"reference": encounter}
        resource.update({k: v for k, v in fields.items() if v not in (None, [], {})})
        self.add(url, resource)

    # --- resources ---------------------------------------------------------------------------

    def patient(self) -> None:
        c = self.snap.client
        identifiers = [{"system": codes.CLIENT_ID, "value": str(c.id)}]
        if c.external_ref:
            identifiers.append({"system": codes.EXTERNAL_REF, "value": c.external_ref})
        resource: Resource = {
            "resourceType": "Patient",
            "identifier": identifiers,
            "active": not c.deleted,
            "name": [{"text": c.display_name}],
        }
        if c.sex:
            resource["gender"] = c.sex
        if c.birth_year:
            resource["birthDate"] = f"{c.birth_year:04d}"
        if c.contact:
            resource["telecom"] = [{"system": "other", "value": c.contact}]
        self.add(self.patient_ref, resource)

    def flags(self) -> None:
        for intake in self.snap.client.intakes:
            flags = intake.answers.get("red_flags") or []
            text = f"Safety screening: {intake.decision}"
            if isinstance(flags, list) and flags:
                text += "; red flags: " + ", ".join(str(f) for f in flags)
            self.add(self._ref("Flag", intake.id), {
                "resourceType": "Flag",
                "status": "active",
                "category": [{"coding": [_coding(codes.FLAG_CATEGORY, "safety", "Safety")]}],
                "code": {"coding": [_coding(codes.SCREENING, intake.decision)], "text": text},
                "subject": self.subject(),
                "period": {"start": _when(intake.recorded_at)},
                "author": {"display": intake.recorded_by},
            })

    def encounter(self, visit: VisitDetail) -> str:
        url = self._ref("Encounter", visit.id)
        resource: Resource = {
            "resourceType": "Encounter",
            "status": "finished" if visit.status == "signed" else "in-progress",
            "class": _coding(codes.ACT_CODE, "AMB", "ambulatory"),
            "subject": self.subject(),
            "period": {"start": _when(visit.started_at)},
        }
        if visit.practitioner:
            resource["participant"] = [{"individual": {"display": visit.practitioner}}]
        self.add(url, resource)
        return url

    def measurement(self, m: MeasurementView, encounter: str | None) -> None:
        cat = self.snap.catalogue
        inst = cat.instruments.get(m.instrument)
        name = inst.name if inst else m.instrument
        coding = [_coding(codes.INSTRUMENT, m.instrument, name)]
        if inst and inst.loinc:
            coding.insert(0, _coding(codes.LOINC, inst.loinc))
        derived: list[dict[str, str]] = []
        if len(m.answers) > 1:
            qr = self._ref("QuestionnaireResponse", m.id)
            self.questionnaire_response(qr, m, encounter)
            derived.append({"reference": qr})
        value: dict[str, Any] | None = None
        band = None
        if m.total is not None:
            unit = inst.unit if inst else "points"
            value = {"value": m.total, "unit": unit, "system": codes.UCUM,
                     "code": codes.UCUM_UNITS.get(unit, "{score}")}
            band = _band(inst, m.answers) if inst else None
        self.observation(
            self._ref("Observation", "measurement", m.id), category="survey",
            code={"coding": coding, "text": name}, when=m.recorded_at, encounter=encounter,
            valueQuantity=value,
            dataAbsentReason=None if value else {"text": "not scored"},
            interpretation=[{"text": band}] if band else None,
            derivedFrom=derived,
        )

    def questionnaire_response(self, url: str, m: MeasurementView,
                               encounter: str | None) -> None:
        items = []
        for k, answer in enumerate(m.answers, start=1):
            item: dict[str, Any] = {"linkId": str(k)}
            if answer is not None:
                key = "valueInteger" if float(answer).is_integer() else "valueDecimal"
                item["answer"] = [{key: int(answer) if key == "valueInteger" else answer}]
            items.append(item)
        resource: Resource = {
            "resourceType": "QuestionnaireResponse",
            "questionnaire": f"{codes.QUESTIONNAIRE}:{m.instrument}",
            "status": "completed",
            "subject": self.subject(),
            "authored": _when(m.recorded_at),
            "item": items,
        }
        if encounter:
            resource["encounter"] = {"reference": encounter}
        self.add(url, resource)

    def ppt(self, p: PptView, visit: VisitDetail, encounter: str) -> None:
        trials = [{
            "code": _concept(codes.MEASURE, "ppt-trial", f"Trial {k}"),
            "valueQuantity": {"value": v, "unit": "kPa", "system": codes.UCUM, "code": "kPa"},
        } for k, v in enumerate(p.trials_kpa, start=1)]
        self.observation(
            self._ref("Observation", "ppt", p.id), category="exam",
            code=_concept(codes.MEASURE, "ppt", "Pressure pain threshold (mean of trials)"),
            when=visit.started_at, encounter=encounter,
            bodySite=_concept(codes.SITE, p.site, f"{_pretty(p.site)}, {p.side}"),
            valueQuantity={"value": p.mean_kpa, "unit": "kPa", "system": codes.UCUM,
                           "code": "kPa"},
            component=trials + self.laterality(p.side),
        )

    def rom(self, r: RomView, visit: VisitDetail, encounter: str) -> None:
        norm = self.snap.catalogue.rom_norm(r.movement)
        self.observation(
            self._ref("Observation", "rom", r.id), category="exam",
            code=_concept(codes.MOVEMENT, r.movement, f"Range of motion: {_pretty(r.movement)}"),
            when=visit.started_at, encounter=encounter,
            valueQuantity={"value": r.degrees, "unit": "degrees", "system": codes.UCUM,
                           "code": "deg"},
            referenceRange=[{"text": f"adult norm {norm:g} degrees"}] if norm else None,
            component=self.laterality(r.side),
        )

    def finding(self, f: FindingView, visit: VisitDetail, encounter: str) -> None:
        criteria = [("taut-band", "Taut band", f.taut_band),
                    ("hypersensitive-spot", "Hypersensitive spot", f.hypersensitive_spot),
                    ("referred-pain", "Referred pain", f.referred_pain),
                    ("recognised", "Symptom recognised by the client", f.recognised)]
        components = [{"code": _concept(codes.MEASURE, key, text), "valueBoolean": value}
                      for key, text, value in criteria if value is not None]
        self.observation(
            self._ref("Observation", "finding", f.id), category="exam",
            code=_concept(codes.MEASURE, "trigger-point-finding",
                          "Trigger point palpation (2018 consensus criteria)"),
            when=visit.started_at, encounter=encounter,
            bodySite=_concept(codes.TRIGGER_POINT, f.trp_id, f"{_pretty(f.trp_id)}, {f.side}"),
            valueBoolean=f.confirmed,
            component=components + self.laterality(f.side),
            note=[{"text": f.note}] if f.note else None,
        )

    def drawing(self, d: DrawingView, visit: VisitDetail, encounter: str) -> None:
        labels = self.snap.region_labels
        components: list[dict[str, Any]] = []
        for area in d.drawing.get("areas", []):
            for rid in area.get("regions", []):
                components.append({
                    "code": _concept(codes.REGION, rid, labels.get(rid, _pretty(rid))),
                    "valueInteger": int(area.get("intensity", 0)),
                })
        facts = self.snap.drawings.get(d.id)
        if facts is not None:
            components += [{"code": _concept(codes.CHOIR, str(i), f"CHOIR body map {i}"),
                            "valueBoolean": True} for i in facts.choir_ids]
        payload = json.dumps(d.drawing, sort_keys=True, ensure_ascii=False).encode("utf-8")
        value = None
        if facts is not None and facts.extent_percent is not None:
            value = {"value": round(facts.extent_percent, 2), "unit": "%", "system": codes.UCUM,
                     "code": "%"}
        self.observation(
            self._ref("Observation", "drawing", d.id), category="survey",
            code=_concept(codes.MEASURE, "pain-drawing", "Pain drawing: extent of body area"),
            when=d.recorded_at, encounter=encounter, valueQuantity=value,
            dataAbsentReason=None if value else {"text": "extent not computed"},
            component=components,
            extension=[{"url": codes.DRAWING_EXTENSION, "valueAttachment": {
                "contentType": "application/json",
                "data": base64.b64encode(payload).decode("ascii"),
                "title": "myomap.drawing/1",
            }}],
        )

    def procedure(self, t: TreatmentView, visit: VisitDetail, encounter: str) -> None:
        code, display = codes.PHYSICAL_THERAPY
        dose = [f"pressure {t.pressure:g}/10" if t.pressure is not None else None,
                f"hold {t.hold_seconds} s" if t.hold_seconds is not None else None,
                f"{t.repetitions} repetition(s)" if t.repetitions is not None else None]
        resource: Resource = {
            "resourceType": "Procedure",
            "status": "completed",
            "code": {"coding": [_coding(codes.SNOMED, code, display),
                                _coding(codes.TECHNIQUE, t.technique)],
                     "text": _pretty(t.technique)},
            "subject": self.subject(),
            "encounter": {"reference": encounter},
            "performedDateTime": _when(visit.started_at),
        }
        if t.trp_id:
            resource["bodySite"] = [_concept(codes.TRIGGER_POINT, t.trp_id,
                                             f"{_pretty(t.trp_id)}, {t.side}")]
            if t.side in codes.LATERALITY:
                structure = self.body_structure(t.trp_id, t.side)
                resource["extension"] = [{"url": codes.TARGET_BODY_STRUCTURE,
                                          "valueReference": {"reference": structure}}]
        given = "; ".join(x for x in dose if x)
        if given:
            resource["note"] = [{"text": given}]
        if t.response:
            resource["outcome"] = {"text": t.response}
        self.add(self._ref("Procedure", t.id), resource)

    def body_structure(self, trp: str, side: str) -> str:
        url = self._ref("BodyStructure", trp, side)
        if any(e["fullUrl"] == url for e in self.entries):
            return url
        code, display = codes.LATERALITY[side]
        self.add(url, {
            "resourceType": "BodyStructure",
            "location": _concept(codes.TRIGGER_POINT, trp, _pretty(trp)),
            "locationQualifier": [{"coding": [_coding(codes.SNOMED, code, display)],
                                   "text": display}],
            "patient": self.subject(),
        })
        return url


def build_bundle(snap: RecordSnapshot) -> dict[str, Any]:
    """The Bundle as a dict; validate it with ``fhir.resources`` before writing it out."""
    b = _Builder(snap)
    b.patient()
    b.flags()
    by_visit: dict[int | None, list[MeasurementView]] = {}
    for m in snap.client.measurements:
        by_visit.setdefault(m.visit_id, []).append(m)
    live = [v for v in snap.visits if not v.deleted]
    for visit in live:
        enc = b.encounter(visit)
        for f in visit.findings:
            b.finding(f, visit, enc)
        for p in visit.ppt:
            b.ppt(p, visit, enc)
        for r in visit.rom:
            b.rom(r, visit, enc)
        for d in visit.drawings:
            b.drawing(d, visit, enc)
        for t in visit.treatments:
            b.procedure(t, visit, enc)
        for m in by_visit.pop(visit.id, []):
            b.measurement(m, enc)
    for m in by_visit.pop(None, []):
        b.measurement(m, None)
    tags = [_coding(codes.ATLAS_VERSION, snap.atlas_version, "myomap atlas version"),
            _coding(codes.INSTRUMENTS_VERSION, snap.catalogue.version,
                    "myomap instrument definitions version")]
    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        "id": _uuid(snap.client.id, "Bundle"),
        "meta": {"tag": tags},
        "identifier": {"system": f"{codes.LOCAL}:export", "value": _uuid(snap.client.id,
                                                                          "export")},
        "type": "collection",
        "entry": b.entries,
    }
    if snap.exported_at is not None:
        bundle["timestamp"] = _when(snap.exported_at)
    return bundle
