"""``myomap validate``: the differential's validation report (docs/validation.md)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from myomap.domain.errors import UsageError


def register(app: typer.Typer) -> None:
    @app.command()
    def validate(
        as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
        output: Path | None = typer.Option(
            None,
            "-o",
            "--output",
            help="Write the report to FILE: .html for a page, .md for Markdown.",
        ),
        patients: int = typer.Option(
            5000, "--patients", min=100, max=20000, help="Simulated patients."
        ),
    ) -> None:
        """Measure the differential: simulated patients, condition vignettes, calibration."""
        from myomap.services.validation import default_report
        from myomap.services.validation_render import to_html, to_markdown

        if output is not None and output.suffix.lower() not in (".html", ".htm", ".md"):
            raise UsageError(f"-o must name a .html or .md file, not {output.name!r}.")
        report = default_report(patients)
        if output is not None:
            text = to_markdown(report) if output.suffix.lower() == ".md" else to_html(report)
            try:
                output.write_text(text, encoding="utf-8")
            except OSError as exc:
                raise UsageError(f"Cannot write {output}: {exc.strerror}.") from None
            typer.echo(f"wrote {output}")
        if as_json:
            typer.echo(json.dumps(report.to_dict(), indent=1))
        elif output is None:
            typer.echo(to_markdown(report))
