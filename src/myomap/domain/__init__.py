"""The pure clinical core: standard library only, no I/O, never logs patient data.

Everything here is deterministic so that the same input always gives the same ranking, plan or
score; adapters (store, CLI, web, reports, FHIR) wrap it.
"""
