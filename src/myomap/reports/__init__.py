"""Clinician reports: a one-page summary and a longer progress report, as HTML and PDF.

Both are Jinja2 templates in ``reports/templates`` filled from the progress view of
:mod:`myomap.services.progress`; the web app renders the same templates to HTML.
"""
