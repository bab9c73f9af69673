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
CLIENT_ID = f"{LOCAL}:client"
EXTERNAL_REF = f"{LOCAL}:external-ref"
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
DRAWING_EXTENSION = f"{LOCAL}:extension:pain-drawing"

# SNOMED CT laterality qualifiers (HL7 bodystructure-laterality value set).
LATERALITY = {
    "left": ("7771000", "Left"),
    "right": ("24028007", "Right"),
}
# SNOMED CT 91251008 "Physical therapy procedure" (IPS free set); the technique is a local code.
PHYSICAL_THERAPY = ("91251008", "Physical therapy procedure")

UCUM_UNITS = {"points": "{score}", "answer": "{score}", "mm": "mm", "doses/day": "{doses}/d"}
