"""docs/validation.md is what ``myomap validate`` reports today, and the README quotes it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from myomap.services.validation import default_report
from myomap.services.validation_render import to_html, to_markdown


def test_validation_page_is_current(root: Path) -> None:
    current = (root / "docs" / "validation.md").read_text(encoding="utf-8")
    assert to_markdown(default_report()) == current, "run: myomap validate -o docs/validation.md"


def test_readme_quotes_the_validation_numbers(root: Path) -> None:
    report = default_report()
    readme = (root / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Validation", 1)[1].split("\n## ", 1)[0]
    quoted = re.findall(r"\*\*(\d\.\d+)\*\*", section)
    assert quoted == [
        f"{report.simulated['myomap']['top3']:.3f}",
        f"{report.vignette_totals['with priors']:.2f}",
    ]
    assert f"{report.simulated['zone lookup']['top3']:.3f}" in section
    assert f"({report.vignette_totals['zone lookup']:.2f})" in section
    zones = report.zone_totals
    assert f"reach {zones['recall']:.2f} of the areas" in section
    assert f"and {zones['precision']:.2f} of the atlas regions" in section
    assert f"over {int(zones['muscles'])} muscles" in section


def test_html_report_has_every_section_and_a_reliability_diagram() -> None:
    html = to_html(default_report(200))
    for title in (
        "Simulated patients",
        "Condition vignettes",
        "Zone agreement",
        "Calibration",
        "Worst failures",
    ):
        assert title in html
    assert "<svg" in html and html.count("<circle") >= 3


def test_cli_writes_html_and_refuses_other_files(tmp_path: Path, call_cli: Any) -> None:
    out = tmp_path / "report.html"
    result = call_cli("validate", "--patients", "200", "-o", str(out))
    assert result.exit_code == 0 and out.read_text(encoding="utf-8").startswith("<!doctype html>")
    bad = call_cli("validate", "-o", str(tmp_path / "report.pdf"))
    assert bad.exit_code == 2 and "Traceback" not in bad.stderr
    as_json = call_cli("validate", "--patients", "200", "--json").json()
    assert set(as_json["simulated"]) == {"myomap", "zone lookup"}
