"""The threat model in docs/web.md: every threat of the security review has a row, every row a
defence and tests, and every test it names exists in the file it names, so the table cannot
drift away from the suite."""

from __future__ import annotations

import re
from pathlib import Path

# One phrase per threat the review found (issue 12); the table must keep a row for each.
REVIEWED = (
    "signed note",  # PostgreSQL let signed notes change, signers and amendments be lost
    "DNS rebinding",  # open mode answered any Host name
    "after logout",  # a copied cookie kept working
    "shared tablet",  # no idle timeout
    "usernames exist",  # the login limit told who exists
    "Locking the owner out",  # five wrong passwords locked the right one out
    "one address, many names",
    "backup",  # restore accepted damaged backups
    "Hostile input",  # tracebacks from fuzzed CLI input
    "drawing label",  # `<!--<script>` broke the visit page
    "huge unauthenticated body",
    "Probing another clinic's ids",
    "audit trail",  # a clinic-less admin read every clinic's audit rows
    "crash during concurrent writes",
    "busy web app",  # the CLI beside the web app on SQLite
    "Clickjacking",  # CSP and the other headers
)
TEST_NAMES = re.compile(r"((?:`test_\w+`(?:, )?)+) \((tests/[\w/]+\.py)")


def _threat_rows(root: Path) -> list[list[str]]:
    text = (root / "docs" / "web.md").read_text(encoding="utf-8")
    section = text.split("### Threat model", 1)[1].split("\n## ", 1)[0]
    return [
        [c.strip() for c in line.strip("|").split("|")]
        for line in section.splitlines()
        if line.startswith("| ") and not line.startswith("| Threat")
    ]


def test_every_reviewed_threat_has_a_row(root: Path) -> None:
    threats = [row[0] for row in _threat_rows(root)]
    missing = [p for p in REVIEWED if not any(p.lower() in t.lower() for t in threats)]
    assert missing == []


def test_every_row_names_a_defence_and_tests_that_exist(root: Path) -> None:
    rows = _threat_rows(root)
    assert len(rows) >= len(REVIEWED)
    for threat, defence, proof in rows:
        assert threat and defence, threat
        named = TEST_NAMES.findall(proof)
        assert named, f"{threat}: name the tests as `test_name` (tests/path.py)"
        for names, path in named:
            file = root / path
            assert file.is_file(), f"{threat}: {path} does not exist"
            source = file.read_text(encoding="utf-8")
            for name in re.findall(r"`(test_\w+)`", names):
                assert f"def {name}(" in source, f"{threat}: {name} is not in {path}"
        # Every test named in the cell belongs to one of the (file) groups: none is left over.
        assert len(re.findall(r"`test_\w+`", proof)) == sum(
            len(re.findall(r"`test_\w+`", names)) for names, _ in named
        ), threat
