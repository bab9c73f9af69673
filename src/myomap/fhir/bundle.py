"""Map one client's record to a FHIR R4 Bundle (plain JSON-ready dicts).

Resource ids are UUIDs derived from the installation id and the record ids: exporting one
record twice gives the same references, and two record stores never give the same one.
Laterality travels as SNOMED codes: ``BodyStructure.locationQualifier`` for procedures (through
the ``procedure-targetBodyStructure`` extension) and a SNOMED "Laterality" component on
observations, because R4 ``bodySite`` has no laterality slot. Pain drawings keep their full
``myomap.drawing/1`` JSON in an extension whose StructureDefinition ships with the package
and travels in the Bundle.

``as_transaction`` turns the Bundle into the transaction a FHIR server's base endpoint takes:
every entry is a conditional create on its identifier, so sending it again creates nothing.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from importlib.resources import files
from typing import Any

from myomap.domain.errors import UsageError
from myomap.domain.outcomes import Instrument, score
from myomap.domain.records import MeasurementView, VisitDetail
from myomap.fhir import codes
from myomap.fhir.base import RecordSnapshot, Resource, coding, concept, pretty, when
from myomap.fhir.clinical import ClinicalBuilder

# Screening decisions that change nothing in care: exported as an Observation, never a Flag.
NO_ALERT_DECISIONS = frozenset({"proceed"})


@lru_cache(maxsize=1)
def drawing_definition() -> dict[str, Any]:
    """The StructureDefinition of the pain-drawing extension, as shipped in the package."""
    text = (
        files("myomap.fhir")
        .joinpath("definitions/StructureDefinition-pain-drawing.json")
        .read_text(encoding="utf-8")
    )
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def _band(inst: Instrument, answers: Sequence[float | None]) -> str | None:
    try:
        return score(inst, answers).band
    except UsageError:  # stored before a definition changed: export the total without a band
        return None


class _Builder(ClinicalBuilder):
    def patient(self) -> None:
        c = self.snap.client
        resource: Resource = {
            "resourceType": "Patient",
            "active": not c.deleted,
            "name": [{"text": c.display_name}],
        }
        if c.external_ref:
            resource["identifier"] = [self.identifier("external-ref", c.external_ref)]
        if c.sex:
            resource["gender"] = c.sex
        if c.birth_year:
            resource["birthDate"] = f"{c.birth_year:04d}"
        if c.contact:
            resource["telecom"] = [{"system": "other", "value": c.contact}]
        born = f", born {c.birth_year}" if c.birth_year else ""
        self.add(self.patient_ref, resource, ("client", c.id), [f"{c.display_name}{born}"])

    def screenings(self) -> None:
        """Every screening as an Observation; only decisions that change care as a Flag.

        A ``proceed`` means no rule fired on the answers given, not "all clear", and an
        active Flag is shown by an EHR as an alert, so it stays an Observation only.
        """
        for intake in self.snap.client.intakes:
            flags = intake.answers.get("red_flags") or []
            text = f"Safety screening: {intake.decision}"
            if isinstance(flags, list) and flags:
                text += "; red flags: " + ", ".join(str(f) for f in flags)
            decision = concept(codes.SCREENING, intake.decision, text)
            self.observation(
                self.ref("Observation", "screening", intake.id),
                ("screening", intake.id),
                [text, f"Recorded {intake.recorded_at:%Y-%m-%d} by {intake.recorded_by}"],
                category="survey",
                code=concept(codes.MEASURE, "safety-screening", "Safety screening decision"),
                at=intake.recorded_at,
                encounter=None,
                valueCodeableConcept=decision,
                performer=None,
            )
            if intake.decision in NO_ALERT_DECISIONS:
                continue
            self.add(
                self.ref("Flag", intake.id),
                {
                    "resourceType": "Flag",
                    "status": "active",
                    "category": [{"coding": [coding(codes.FLAG_CATEGORY, "safety", "Safety")]}],
                    "code": decision,
                    "subject": self.subject(),
                    "period": {"start": when(intake.recorded_at)},
                    "author": {"display": intake.recorded_by},
                },
                ("screening-flag", intake.id),
                [text],
            )

    def encounter(self, visit: VisitDetail) -> str:
        url = self.ref("Encounter", visit.id)
        resource: Resource = {
            "resourceType": "Encounter",
            "status": "finished" if visit.status == "signed" else "in-progress",
            "class": coding(codes.ACT_CODE, "AMB", "ambulatory"),
            "subject": self.subject(),
            "period": {"start": when(visit.started_at)},
        }
        if visit.practitioner:
            resource["participant"] = [{"individual": {"display": visit.practitioner}}]
        by = f" with {visit.practitioner}" if visit.practitioner else ""
        self.add(
            url,
            resource,
            ("visit", visit.id),
            [f"Visit of {visit.started_at:%Y-%m-%d %H:%M} UTC{by} ({visit.status})"],
        )
        return url

    def measurement(
        self, m: MeasurementView, visit: VisitDetail | None, encounter: str | None
    ) -> None:
        cat = self.snap.catalogue
        inst = cat.instruments.get(m.instrument)
        name = inst.name if inst else m.instrument
        coding_ = [coding(codes.INSTRUMENT, m.instrument, name)]
        if inst and inst.loinc:
            coding_.insert(0, coding(codes.LOINC, inst.loinc, name))
        at = visit.started_at if visit is not None else m.recorded_at
        derived: list[dict[str, str]] = []
        if len(m.answers) > 1:
            qr = self.ref("QuestionnaireResponse", m.id)
            self.questionnaire_response(qr, m, inst, at, encounter)
            derived.append({"reference": qr})
        value: dict[str, Any] | None = None
        band = None
        if m.total is not None:
            unit = inst.unit if inst else "points"
            value = {
                "value": m.total,
                "unit": unit,
                "system": codes.UCUM,
                "code": codes.UCUM_UNITS.get(unit, "{score}"),
            }
            band = _band(inst, m.answers) if inst else None
        total = f"{m.total:g}" if m.total is not None else "not scored"
        self.observation(
            self.ref("Observation", "measurement", m.id),
            ("measurement", m.id),
            [f"{name}: {total}" + (f" ({band})" if band else ""), f"Measured {at:%Y-%m-%d}"],
            category="survey",
            code={"coding": coding_, "text": name},
            at=at,
            entered=m.recorded_at,
            encounter=encounter,
            valueQuantity=value,
            dataAbsentReason=None if value else {"text": "not scored"},
            interpretation=[{"text": band}] if band else None,
            derivedFrom=derived,
        )

    def questionnaire(self, instrument: str, inst: Instrument | None) -> str:
        """The Questionnaire an instrument's answers follow (LOINC panel and item codes)."""
        version = self.snap.catalogue.version
        url = f"{codes.QUESTIONNAIRE}:{instrument}"
        full_url = self.ref("Questionnaire", instrument, version)
        if self.has(full_url):
            return f"{url}|{version}"
        count = inst.items.count if inst else 0
        item_codes = inst.loinc_items if inst else ()
        items = []
        for k in range(1, count + 1):
            item: dict[str, Any] = {
                "linkId": str(k),
                "text": f"Item {k}",
                "type": "decimal" if inst and not inst.items.integer else "integer",
            }
            if item_codes:
                item["code"] = [coding(codes.LOINC, item_codes[k - 1])]
            items.append(item)
        resource: Resource = {
            "resourceType": "Questionnaire",
            "url": url,
            "version": version,
            "name": instrument.upper(),
            "title": inst.name if inst else instrument,
            "status": "active",
            "subjectType": ["Patient"],
            "item": items,
        }
        if inst and inst.loinc_panel:
            resource["code"] = [coding(codes.LOINC, inst.loinc_panel, inst.name)]
        self.add(
            full_url,
            resource,
            None,
            [f"{resource['title']} ({count} items), definitions version {version}"],
        )
        return f"{url}|{version}"

    def questionnaire_response(
        self, url: str, m: MeasurementView, inst: Instrument | None, at: Any, encounter: str | None
    ) -> None:
        canonical = self.questionnaire(m.instrument, inst)
        items = []
        for k, answer in enumerate(m.answers, start=1):
            item: dict[str, Any] = {"linkId": str(k)}
            if answer is not None:
                key = "valueInteger" if float(answer).is_integer() else "valueDecimal"
                item["answer"] = [{key: int(answer) if key == "valueInteger" else answer}]
            items.append(item)
        resource: Resource = {
            "resourceType": "QuestionnaireResponse",
            "questionnaire": canonical,
            "status": "completed",
            "subject": self.subject(),
            "authored": when(at),
            "item": items,
        }
        if encounter:
            resource["encounter"] = {"reference": encounter}
        answers = ", ".join("-" if a is None else f"{a:g}" for a in m.answers)
        name = inst.name if inst else m.instrument
        self.add(url, resource, ("answers", m.id), [f"{name} answers: {answers}"])

    def definitions(self) -> None:
        """The pain-drawing extension's definition, when a drawing uses it."""
        if not any(v.drawings for v in self.snap.visits if not v.deleted):
            return
        sd = dict(drawing_definition())
        sd.pop("id", None)
        self.add(
            self.ref("StructureDefinition", "pain-drawing", sd["version"]),
            sd,
            None,
            [str(sd["title"]), str(sd["description"])],
        )


def build_bundle(snap: RecordSnapshot) -> dict[str, Any]:
    """The ``collection`` Bundle as a dict; validate it before writing it out."""
    b = _Builder(snap)
    b.patient()
    b.screenings()
    b.definitions()
    by_visit: dict[int | None, list[MeasurementView]] = {}
    for m in snap.client.measurements:
        by_visit.setdefault(m.visit_id, []).append(m)
    for visit in (v for v in snap.visits if not v.deleted):
        enc = b.encounter(visit)
        b.soap_note(visit, enc)
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
        for h in visit.home_care:
            b.home_care(h, visit, enc)
        for m in by_visit.pop(visit.id, []):
            b.measurement(m, visit, enc)
    for m in by_visit.pop(None, []):
        b.measurement(m, None, None)
    tags = [
        coding(codes.ATLAS_VERSION, snap.atlas_version, "myomap atlas version"),
        coding(
            codes.INSTRUMENTS_VERSION,
            snap.catalogue.version,
            "myomap instrument definitions version",
        ),
    ]
    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        "id": b.uuid("Bundle", snap.client.id),
        "meta": {"tag": tags},
        "identifier": b.identifier("export", snap.client.id),
        "type": "collection",
        "entry": b.entries,
    }
    if snap.exported_at is not None:
        bundle["timestamp"] = when(snap.exported_at)
    return bundle


def _condition(resource: Resource) -> str:
    if resource["resourceType"] in ("StructureDefinition", "Questionnaire"):
        return f"url={resource['url']}&version={resource['version']}"
    ident = resource["identifier"]
    first = ident if isinstance(ident, dict) else ident[0]
    return f"identifier={first['system']}|{first['value']}"


# Resources whose content changes after they are first sent (a draft visit is signed, a note
# amended, a client's details corrected): sent as conditional updates on the same identifier.
MUTABLE = frozenset({"Patient", "Encounter", "Composition"})


def as_transaction(bundle: dict[str, Any]) -> dict[str, Any]:
    """The Bundle as a ``transaction``: conditional creates (``ifNoneExist`` on the
    identifier) for what never changes once charted, conditional updates
    (``PUT Type?identifier=...``) for the client, visits and notes.

    A server creates what it does not hold yet, updates what changed and never duplicates a
    record, however often an export (or a later, longer one) is sent. References stay
    ``urn:uuid`` full URLs, which the server rewrites to the ids it assigns.
    """
    entries = []
    for entry in bundle["entry"]:
        resource = {k: v for k, v in entry["resource"].items() if k != "id"}
        kind, condition = resource["resourceType"], _condition(resource)
        request = (
            {"method": "PUT", "url": f"{kind}?{condition}"}
            if kind in MUTABLE
            else {"method": "POST", "url": kind, "ifNoneExist": condition}
        )
        entries.append({"fullUrl": entry["fullUrl"], "resource": resource, "request": request})
    out = {k: v for k, v in bundle.items() if k not in ("entry", "timestamp", "identifier")}
    out.update(type="transaction", entry=entries)
    return out


__all__ = ["as_transaction", "build_bundle", "drawing_definition", "pretty"]
