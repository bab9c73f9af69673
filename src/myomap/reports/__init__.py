"""Documents for people: handouts and reports rendered from domain objects (HTML, PDF).

The clinician reports (a one-page summary and a longer progress report) are Jinja2 templates in
``reports/templates`` filled from the progress view of :mod:`myomap.services.progress`; the web
app renders the same templates to HTML.
"""
