"""Code systems used in the FHIR export.

External codes are limited to those safe to embed: LOINC totals from the instrument data,
SNOMED CT laterality qualifiers and one procedure code from the free IPS set. Everything that
has no verified external code (regions, trigger points, techniques, PPT, ROM, drawings) uses a
local code system under ``urn:myomap:``, so a receiver can tell local codes from standard ones.
"""

from __future__ import annotations

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
OBS_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category"
TARGET_BODY_STRUCTURE = "http://hl7.org/fhir/StructureDefinition/procedure-targetBodyStructure"

LOCAL = "urn:myomap"
INSTRUMENT = f"{LOCAL}:instrument"
QUESTIONNAIRE = f"{LOCAL}:questionnaire"
MEASURE = f"{LOCAL}:measure"
MOVEMENT = f"{LOCAL}:movement"
SITE = f"{LOCAL}:site"
REGION = f"{LOCAL}:region"
TRIGGER_POINT = f"{LOCAL}:trigger-point"
TECHNIQUE = f"{LOCAL}:technique"
CHOIR = f"{LOCAL}:choir-body-map"
SCREENING = f"{LOCAL}:screening-decision"
ATLAS_VERSION = f"{LOCAL}:atlas-version"
INSTRUMENTS_VERSION = f"{LOCAL}:instruments-version"
# The pain-drawing extension; its StructureDefinition ships in myomap/fhir/definitions/.
DRAWING_EXTENSION = f"{LOCAL}:StructureDefinition:pain-drawing"
NARRATIVE_NS = "http://www.w3.org/1999/xhtml"

# SNOMED CT 272741003 "Laterality" (the attribute), the code of a laterality component.
LATERALITY_ATTRIBUTE = ("272741003", "Laterality")
# SNOMED CT laterality qualifiers (HL7 bodystructure-laterality value set).
LATERALITY = {
    "left": ("7771000", "Left"),
    "right": ("24028007", "Right"),
}
# SNOMED CT 91251008 "Physical therapy procedure" (IPS free set); the technique is a local code.
PHYSICAL_THERAPY = ("91251008", "Physical therapy procedure")

# LOINC note and section codes of a SOAP progress note (as in C-CDA and the US Core notes).
PROGRESS_NOTE = ("11506-3", "Progress note")
SOAP_SECTIONS = {
    "subjective": ("61150-9", "Subjective"),
    "objective": ("61149-1", "Objective"),
    "assessment": ("51848-0", "Assessment"),
    "plan": ("18776-5", "Plan of care"),
}

UCUM_UNITS = {"points": "{score}", "answer": "{score}", "mm": "mm", "doses/day": "{doses}/d"}


def identifier_system(installation: str, kind: str) -> str:
    """The identifier system of one kind of record in one installation (one record store).

    Two stores never share a system, so pooled exports cannot merge two people; one store
    always uses the same, so a re-sent export matches what a server already holds.
    """
    return f"{LOCAL}:installation:{installation}:{kind}"
