"""The threat model in docs/web.md names tests that exist, so the table cannot drift away."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _threat_rows() -> list[list[str]]:
    text = (ROOT / "docs" / "web.md").read_text(encoding="utf-8")
    section = text.split("### Threat model", 1)[1].split("\n## ", 1)[0]
    rows = [
        [c.strip() for c in line.strip("|").split("|")]
        for line in section.splitlines()
        if line.startswith("| ") and not line.startswith("| Threat")
    ]
    return rows


def test_every_web_threat_names_a_defence_and_existing_tests() -> None:
    rows = _threat_rows()
    assert len(rows) >= 15
    for threat, defence, proof in rows:
        assert threat and defence and proof, threat
        if "tests/web/" not in proof:
            continue  # the record store's rows point at the other suites
        for names, path in re.findall(r"((?:`\w+`(?:, )?)+) \((tests/web/[\w/]+\.py)", proof):
            source = (ROOT / path).read_text(encoding="utf-8")
            for name in re.findall(r"`(\w+)`", names):
                assert f"def {name}(" in source, f"{threat}: {name} is not in {path}"
        for path in re.findall(r"tests/web/[\w/]+\.py", proof):
            assert (ROOT / path).is_file(), path
