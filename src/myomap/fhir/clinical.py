"""Examination and treatment resources of one visit: findings, PPT, ROM, drawings, procedures,
home care and the SOAP note.

Everything charted on a visit is dated at the visit's time (its clinical time), never at the
moment it was typed in; that moment travels as ``issued`` where FHIR has a place for it.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from myomap.domain.records import (
    DrawingView,
    FindingView,
    HomeCareView,
    PptView,
    RomView,
    TreatmentView,
    VisitDetail,
)
from myomap.fhir import codes
from myomap.fhir.base import BuilderBase, Resource, coding, concept, pretty, when


class ClinicalBuilder(BuilderBase):
    def ppt(self, p: PptView, visit: VisitDetail, encounter: str) -> None:
        trials = [
            {
                "code": concept(codes.MEASURE, "ppt-trial", f"Trial {k}"),
                "valueQuantity": {"value": v, "unit": "kPa", "system": codes.UCUM, "code": "kPa"},
            }
            for k, v in enumerate(p.trials_kpa, start=1)
        ]
        site = f"{pretty(p.site)}, {p.side}"
        self.observation(
            self.ref("Observation", "ppt", p.id),
            ("ppt", p.id),
            [
                f"Pressure pain threshold at {site}: {p.mean_kpa:g} kPa (mean of "
                f"{len(p.trials_kpa)} trials)",
                f"Visit of {visit.started_at:%Y-%m-%d}",
            ],
            category="exam",
            code=concept(codes.MEASURE, "ppt", "Pressure pain threshold (mean of trials)"),
            at=visit.started_at,
            encounter=encounter,
            bodySite=concept(codes.SITE, p.site, site),
            valueQuantity={"value": p.mean_kpa, "unit": "kPa", "system": codes.UCUM, "code": "kPa"},
            component=trials + self.laterality(p.side),
        )

    def rom(self, r: RomView, visit: VisitDetail, encounter: str) -> None:
        norm = self.snap.catalogue.rom_norm(r.movement)
        name = f"Range of motion: {pretty(r.movement)}"
        self.observation(
            self.ref("Observation", "rom", r.id),
            ("rom", r.id),
            [
                f"{name}, {r.side}: {r.degrees:g} degrees"
                + (f" (adult norm {norm:g})" if norm else ""),
                f"Visit of {visit.started_at:%Y-%m-%d}",
            ],
            category="exam",
            code=concept(codes.MOVEMENT, r.movement, name),
            at=visit.started_at,
            encounter=encounter,
            valueQuantity={
                "value": r.degrees,
                "unit": "degrees",
                "system": codes.UCUM,
                "code": "deg",
            },
            referenceRange=[{"text": f"adult norm {norm:g} degrees"}] if norm else None,
            component=self.laterality(r.side),
        )

    def finding(self, f: FindingView, visit: VisitDetail, encounter: str) -> None:
        criteria = [
            ("taut-band", "Taut band", f.taut_band),
            ("hypersensitive-spot", "Hypersensitive spot", f.hypersensitive_spot),
            ("referred-pain", "Referred pain", f.referred_pain),
            ("recognised", "Symptom recognised by the client", f.recognised),
        ]
        components = [
            {"code": concept(codes.MEASURE, key, text), "valueBoolean": value}
            for key, text, value in criteria
            if value is not None
        ]
        present = [text.lower() for _, text, value in criteria if value]
        name = self.trp_label(f.trp_id)
        self.observation(
            self.ref("Observation", "finding", f.id),
            ("finding", f.id),
            [
                f"Trigger point {name}, {f.side}: "
                + ("confirmed" if f.confirmed else "not confirmed")
                + (f" ({', '.join(present)})" if present else ""),
                f"Visit of {visit.started_at:%Y-%m-%d}",
            ],
            category="exam",
            code=concept(
                codes.MEASURE,
                "trigger-point-finding",
                "Trigger point palpation (2018 consensus criteria)",
            ),
            at=visit.started_at,
            encounter=encounter,
            bodySite=concept(codes.TRIGGER_POINT, f.trp_id, f"{name}, {f.side}"),
            valueBoolean=f.confirmed,
            component=components + self.laterality(f.side),
            note=[{"text": f.note}] if f.note else None,
        )

    def drawing(self, d: DrawingView, visit: VisitDetail, encounter: str) -> None:
        labels = self.snap.region_labels
        components: list[dict[str, Any]] = []
        painted: list[str] = []
        for area in d.drawing.get("areas", []):
            for rid in area.get("regions", []):
                label = labels.get(rid, pretty(rid))
                painted.append(f"{label} {int(area.get('intensity', 0))}/10")
                components.append(
                    {
                        "code": concept(codes.REGION, rid, label),
                        "valueInteger": int(area.get("intensity", 0)),
                    }
                )
        facts = self.snap.drawings.get(d.id)
        if facts is not None:
            components += [
                {"code": concept(codes.CHOIR, str(i), f"CHOIR body map {i}"), "valueBoolean": True}
                for i in facts.choir_ids
            ]
        payload = json.dumps(d.drawing, sort_keys=True, ensure_ascii=False).encode("utf-8")
        value = None
        extent = "extent not computed"
        if facts is not None and facts.extent_percent is not None:
            value = {
                "value": round(facts.extent_percent, 2),
                "unit": "%",
                "system": codes.UCUM,
                "code": "%",
            }
            extent = f"{facts.extent_percent:.1f} % of the body area"
        self.observation(
            self.ref("Observation", "drawing", d.id),
            ("drawing", d.id),
            [
                f"Pain drawing: {extent}",
                "Painted: " + (", ".join(painted) or "strokes only"),
                f"Visit of {visit.started_at:%Y-%m-%d}",
            ],
            category="survey",
            code=concept(codes.MEASURE, "pain-drawing", "Pain drawing: extent of body area"),
            at=visit.started_at,
            entered=d.recorded_at,
            encounter=encounter,
            valueQuantity=value,
            dataAbsentReason=None if value else {"text": "extent not computed"},
            component=components,
            extension=[
                {
                    "url": codes.DRAWING_EXTENSION,
                    "valueAttachment": {
                        "contentType": "application/json",
                        "data": base64.b64encode(payload).decode("ascii"),
                        "title": "myomap.drawing/1",
                    },
                }
            ],
        )

    def procedure(self, t: TreatmentView, visit: VisitDetail, encounter: str) -> None:
        code, display = codes.PHYSICAL_THERAPY
        dose = [
            f"pressure {t.pressure:g}/10" if t.pressure is not None else None,
            f"hold {t.hold_seconds} s" if t.hold_seconds is not None else None,
            f"{t.repetitions} repetition(s)" if t.repetitions is not None else None,
        ]
        technique = pretty(t.technique)
        target = f"{self.trp_label(t.trp_id)}, {t.side}" if t.trp_id else t.side
        resource: Resource = {
            "resourceType": "Procedure",
            "status": "completed",
            "code": {
                "coding": [
                    coding(codes.SNOMED, code, display),
                    coding(codes.TECHNIQUE, t.technique),
                ],
                "text": technique,
            },
            "subject": self.subject(),
            "encounter": {"reference": encounter},
            "performedDateTime": when(visit.started_at),
        }
        if visit.practitioner:
            resource["performer"] = [{"actor": {"display": visit.practitioner}}]
        if t.trp_id:
            resource["bodySite"] = [concept(codes.TRIGGER_POINT, t.trp_id, target)]
            if t.side in codes.LATERALITY:
                structure = self.body_structure(t.trp_id, t.side)
                resource["extension"] = [
                    {"url": codes.TARGET_BODY_STRUCTURE, "valueReference": {"reference": structure}}
                ]
        given = "; ".join(x for x in dose if x)
        if given:
            resource["note"] = [{"text": given}]
        if t.response:
            resource["outcome"] = {"text": t.response}
        self.add(
            self.ref("Procedure", t.id),
            resource,
            ("treatment", t.id),
            [
                f"{technique.capitalize()}: {target}" + (f" ({given})" if given else ""),
                f"Response: {t.response}" if t.response else "",
                f"Visit of {visit.started_at:%Y-%m-%d}",
            ],
        )

    def body_structure(self, trp: str, side: str) -> str:
        url = self.ref("BodyStructure", trp, side)
        if self.has(url):
            return url
        code, display = codes.LATERALITY[side]
        self.add(
            url,
            {
                "resourceType": "BodyStructure",
                "location": concept(codes.TRIGGER_POINT, trp, self.trp_label(trp)),
                "locationQualifier": [
                    {"coding": [coding(codes.SNOMED, code, display)], "text": display}
                ],
                "patient": self.subject(),
            },
            ("body-structure", f"{trp}:{side}"),
            [f"{self.trp_label(trp)}, {side} side"],
        )
        return url

    def home_care(self, h: HomeCareView, visit: VisitDetail, encounter: str) -> None:
        """The home-care plan given at a visit, dated at the visit it belongs to."""
        lines = [
            f"{pretty(str(k)).capitalize()}: {v}"
            for k, v in h.plan.items()
            if isinstance(v, str | int | float)
        ]
        activities = [{"detail": {"status": "not-started", "description": line}} for line in lines]
        self.add(
            self.ref("CarePlan", h.id),
            {
                "resourceType": "CarePlan",
                "status": "active",
                "intent": "plan",
                "title": "Home care",
                "subject": self.subject(),
                "encounter": {"reference": encounter},
                "period": {"start": when(visit.started_at)},
                "created": when(visit.started_at),
                "activity": activities,
            },
            ("home-care", h.id),
            [f"Home care given at the visit of {visit.started_at:%Y-%m-%d}", *lines],
        )

    def soap_note(self, visit: VisitDetail, encounter: str) -> None:
        """The visit's SOAP note as a Composition (R4 Encounter has no note)."""
        sections = []
        summary = [f"SOAP note of the visit of {visit.started_at:%Y-%m-%d}"]
        for name, (code, display) in codes.SOAP_SECTIONS.items():
            field = visit.soap.get(name)
            if field is None or not field.current.strip():
                continue
            text = field.current + (" (amended)" if field.amended else "")
            summary.append(f"{display}: {text}")
            sections.append(
                {
                    "title": display,
                    "code": {"coding": [coding(codes.LOINC, code, display)]},
                    "text": {"status": "additional", "div": _div(text)},
                }
            )
        if not sections:
            return
        code, display = codes.PROGRESS_NOTE
        status = (
            "preliminary"
            if visit.status != "signed"
            else ("amended" if visit.amendments else "final")
        )
        author = visit.signed_by or visit.practitioner or "unknown"
        resource: Resource = {
            "resourceType": "Composition",
            "status": status,
            "type": {"coding": [coding(codes.LOINC, code, display)], "text": display},
            "subject": self.subject(),
            "encounter": {"reference": encounter},
            "date": when(visit.signed_at or visit.started_at),
            "author": [{"display": author}],
            "title": f"SOAP note, {visit.started_at:%Y-%m-%d}",
            "section": sections,
        }
        if visit.signed_at and visit.signed_by:
            resource["attester"] = [
                {
                    "mode": "legal",
                    "time": when(visit.signed_at),
                    "party": {"display": visit.signed_by},
                }
            ]
        self.add(self.ref("Composition", visit.id), resource, ("soap-note", visit.id), summary)


def _div(text: str) -> str:
    from html import escape

    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n") if p.strip())
    return f'<div xmlns="{codes.NARRATIVE_NS}">{paragraphs}</div>'
