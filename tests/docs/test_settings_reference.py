"""docs/settings.md documents every setting of myomap.config and every MYOMAP_* variable read."""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType

from myomap.config import PREFIX, Settings, load_settings


def _table_rows(text: str, heading: str) -> dict[str, str]:
    """First-column variable -> whole row, for the table under ``## heading``."""
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"docs/settings.md has no '## {heading}' section"
    rows = {}
    for line in match.group(1).splitlines():
        cell = re.match(r"^\| `(MYOMAP_[A-Z0-9_]+)` \|", line)
        if cell:
            rows[cell.group(1)] = line
    return rows


def test_settings_reference_is_current(settings_docs: ModuleType, root: Path) -> None:
    current = (root / "docs" / "settings.md").read_text(encoding="utf-8")
    assert current == settings_docs.render(), "run python tools/gen_settings_docs.py"


def test_every_setting_is_documented_with_its_default(root: Path) -> None:
    rows = _table_rows((root / "docs" / "settings.md").read_text(encoding="utf-8"), "Settings")
    fields = Settings.model_fields
    assert set(rows) == {PREFIX + name.upper() for name in fields}
    for name, field in fields.items():
        row = rows[PREFIX + name.upper()]
        if field.description:
            assert " ".join(field.description.split()) in row
        if field.default_factory is None and field.default not in ("", None):
            assert f"`{field.default}`" in row


def test_documented_variables_are_the_ones_the_code_reads(root: Path) -> None:
    """Every MYOMAP_* name in the source is documented, and the settings really are read."""
    text = (root / "docs" / "settings.md").read_text(encoding="utf-8")
    documented = set(_table_rows(text, "Settings")) | set(
        _table_rows(text, "Other environment variables")
    )
    in_source: set[str] = set()
    for path in (root / "src" / "myomap").rglob("*.py"):
        in_source.update(
            re.findall(r"\bMYOMAP_[A-Z][A-Z0-9_]*[A-Z0-9]\b", path.read_text(encoding="utf-8"))
        )
    assert in_source, "the scan found no variables at all"
    assert in_source <= documented, f"undocumented: {sorted(in_source - documented)}"
    # The documented names are the ones load_settings honours (a typo in the table would not be).
    settings = load_settings({"MYOMAP_HOST": "10.0.0.5", "MYOMAP_PORT": "8123"})
    assert (settings.host, settings.port) == ("10.0.0.5", 8123)
