"""FHIR R4 export: a pure mapping from record views to a Bundle of FHIR resources.

Nothing here reads the database or files other than the package's own definitions;
:mod:`myomap.services.exports` gathers the records and validates the result with the
``fhir.resources`` models.
"""

from myomap.fhir.base import DrawingFacts, RecordSnapshot
from myomap.fhir.bundle import as_transaction, build_bundle, drawing_definition

__all__ = ["DrawingFacts", "RecordSnapshot", "as_transaction", "build_bundle", "drawing_definition"]
