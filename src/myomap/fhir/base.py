"""The shared part of the FHIR builder: ids, identifiers, narratives and the Observation shape.

Every resource gets three things from here, so a server can take it and a person can read it:
an id (``urn:uuid``) derived from the installation id and the record id, an identifier in the
installation's own system (the key of the transaction's conditional create) and a generated
narrative saying in words what the resource holds.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from typing import Any

from myomap.domain.outcomes import Catalogue
from myomap.domain.records import ClientDetail, VisitDetail
from myomap.fhir import codes

Resource = dict[str, Any]
# Resources whose R4 ``identifier`` is a single Identifier rather than a list.
SINGLE_IDENTIFIER = frozenset({"QuestionnaireResponse", "Composition", "Bundle"})


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
    installation: str
    region_labels: Mapping[str, str] = field(default_factory=dict)
    trp_labels: Mapping[str, str] = field(default_factory=dict)
    drawings: Mapping[int, DrawingFacts] = field(default_factory=dict)
    exported_at: datetime | None = None


def coding(system: str, code: str, display: str | None = None) -> dict[str, str]:
    out = {"system": system, "code": code}
    if display:
        out["display"] = display
    return out


def concept(system: str, code: str, text: str) -> dict[str, Any]:
    return {"coding": [coding(system, code)], "text": text}


def when(value: datetime) -> str:
    return value.isoformat()


def pretty(identifier: str) -> str:
    return identifier.replace("_", " ").replace(".", ", ")


def narrative(lines: Sequence[str]) -> dict[str, str]:
    """A generated narrative: the resource's summary lines as escaped XHTML paragraphs."""
    body = "".join(f"<p>{escape(line)}</p>" for line in lines if line)
    return {"status": "generated", "div": f'<div xmlns="{codes.NARRATIVE_NS}">{body}</div>'}


class BuilderBase:
    def __init__(self, snap: RecordSnapshot) -> None:
        self.snap = snap
        self.namespace = uuid.UUID(snap.installation)
        self.entries: list[Resource] = []
        self.patient_ref = self.ref("Patient", snap.client.id)

    def uuid(self, *parts: object) -> str:
        return str(uuid.uuid5(self.namespace, ":".join(map(str, parts))))

    def ref(self, kind: str, *ids: object) -> str:
        return f"urn:uuid:{self.uuid(kind, *ids)}"

    def identifier(self, kind: str, value: object) -> dict[str, str]:
        return {
            "system": codes.identifier_system(self.snap.installation, kind),
            "value": str(value),
        }

    def has(self, full_url: str) -> bool:
        return any(e["fullUrl"] == full_url for e in self.entries)

    def add(
        self,
        full_url: str,
        resource: Resource,
        key: tuple[str, object] | None,
        summary: Sequence[str],
    ) -> None:
        """Add one resource; ``key`` (record kind, record id) becomes its identifier."""
        resource["id"] = full_url.removeprefix("urn:uuid:")
        if key is not None:
            ident = self.identifier(*key)
            if resource["resourceType"] in SINGLE_IDENTIFIER:
                resource["identifier"] = ident
            else:
                resource["identifier"] = [ident, *resource.get("identifier", [])]
        resource["text"] = narrative(summary)
        ordered = {"resourceType": resource.pop("resourceType"), "id": resource.pop("id")}
        self.entries.append({"fullUrl": full_url, "resource": {**ordered, **resource}})

    def subject(self) -> dict[str, str]:
        return {"reference": self.patient_ref}

    def trp_label(self, trp: str) -> str:
        return self.snap.trp_labels.get(trp, pretty(trp))

    def laterality(self, side: str) -> list[dict[str, Any]]:
        """A laterality component: SNOMED's Laterality attribute with a SNOMED side value."""
        if side not in codes.LATERALITY:
            return []
        code, display = codes.LATERALITY[side]
        attr, attr_display = codes.LATERALITY_ATTRIBUTE
        return [
            {
                "code": {
                    "coding": [coding(codes.SNOMED, attr, attr_display)],
                    "text": attr_display,
                },
                "valueCodeableConcept": {
                    "coding": [coding(codes.SNOMED, code, display)],
                    "text": display,
                },
            }
        ]

    def observation(
        self,
        url: str,
        key: tuple[str, object],
        summary: Sequence[str],
        *,
        category: str,
        code: dict[str, Any],
        at: datetime,
        entered: datetime | None = None,
        encounter: str | None,
        **fields: Any,
    ) -> None:
        """An Observation dated at its clinical time ``at``; ``entered`` (when it was typed
        in) goes to ``issued`` when it differs."""
        resource: Resource = {
            "resourceType": "Observation",
            "status": "final",
            "category": [{"coding": [coding(codes.OBS_CATEGORY, category)]}],
            "code": code,
            "subject": self.subject(),
            "effectiveDateTime": when(at),
        }
        if entered is not None and entered != at:
            resource["issued"] = when(entered)
        if encounter:
            resource["encounter"] = {"reference": encounter}
        resource.update({k: v for k, v in fields.items() if v not in (None, [], {})})
        self.add(url, resource, key, summary)
