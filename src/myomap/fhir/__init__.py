"""FHIR R4 export: a pure mapping from record views to a Bundle of FHIR resources.

Nothing here reads the database or files; :mod:`myomap.services.exports` gathers the records and
validates the result with the ``fhir.resources`` models.
"""

from myomap.fhir.bundle import DrawingFacts, RecordSnapshot, build_bundle

__all__ = ["DrawingFacts", "RecordSnapshot", "build_bundle"]
