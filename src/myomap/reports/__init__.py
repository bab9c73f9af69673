"""Documents for people: handouts and reports rendered from domain objects (HTML, PDF)."""
