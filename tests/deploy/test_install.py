"""Installs: floors are declared and tested, the lock files agree with them, the app installs
without the test toolchain or the PostgreSQL driver, and completion is on.

The floors themselves are exercised by scripts/check_floors.sh (a real install of the minimum
versions); these tests keep the files that script and the README rely on consistent.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from typer.testing import CliRunner

from myomap.domain.errors import UsageError

ROOT = Path(__file__).resolve().parents[2]


def _project() -> dict[str, object]:
    with (ROOT / "pyproject.toml").open("rb") as fh:
        project: dict[str, object] = tomllib.load(fh)["project"]
    return project


def _requirements(group: str) -> list[Requirement]:
    project = _project()
    if group == "runtime":
        return [Requirement(r) for r in project["dependencies"]]  # type: ignore[attr-defined]
    extras = project["optional-dependencies"]
    return [Requirement(r) for r in extras[group]]  # type: ignore[index]


def _lock(name: str) -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;]+)", line)
        if match:
            pins[canonicalize_name(match.group(1))] = match.group(2)
    return pins


def test_every_direct_dependency_has_a_floor() -> None:
    for group in ("runtime", "postgres"):
        for req in _requirements(group):
            floors = [s for s in req.specifier if s.operator == ">="]
            assert len(floors) == 1, f"{req} needs one '>=' floor that check_floors.sh installs"


# Versions that install but crash (or do not install at all) with today's transitive packages:
# typer up to 0.15.3 leaves click unbounded and breaks on click 8.2+ (every command, or --help),
# fhir.resources 7.x crashes the FHIR export, WeasyPrint 61-62 crash on PDFs, psycopg 3.2.0 asks
# for a psycopg-binary that was never published, fhir-core needs pydantic 2.7.4.
KNOWN_BROKEN = (
    ("typer", "0.12.0"),
    ("typer", "0.15.3"),
    ("fhir-resources", "7.1.0"),
    ("weasyprint", "62.3"),
    ("psycopg", "3.2.0"),
    ("pydantic", "2.7.3"),
)


@pytest.mark.parametrize(("name", "broken"), KNOWN_BROKEN)
def test_floors_are_above_the_versions_known_to_crash(name: str, broken: str) -> None:
    req = next(
        r
        for g in ("runtime", "postgres")
        for r in _requirements(g)
        if canonicalize_name(r.name) == name
    )
    assert not req.specifier.contains(broken), f"{name} {req.specifier} admits {broken}"


def test_postgresql_driver_is_an_extra_not_a_requirement() -> None:
    runtime = {canonicalize_name(r.name) for r in _requirements("runtime")}
    assert "psycopg" not in runtime and "psycopg-binary" not in runtime
    assert "psycopg" in {canonicalize_name(r.name) for r in _requirements("postgres")}


@pytest.mark.parametrize(
    ("lock", "groups"),
    [
        ("requirements.lock", ("runtime", "postgres")),
        ("requirements-dev.lock", ("runtime", "postgres", "dev")),
    ],
)
def test_lock_files_pin_every_direct_dependency_within_its_range(
    lock: str, groups: tuple[str, ...]
) -> None:
    pins = _lock(lock)
    for group in groups:
        for req in _requirements(group):
            name = canonicalize_name(req.name)
            if req.marker is not None and not req.marker.evaluate():
                continue
            assert name in pins, f"{lock} does not pin {name}; regenerate it (README, Install)"
            assert req.specifier.contains(pins[name], prereleases=True), (
                f"{lock} pins {name}=={pins[name]}, outside {req.specifier}; regenerate it"
            )


def test_app_lock_holds_no_test_toolchain() -> None:
    pins = _lock("requirements.lock")
    for tool in ("pytest", "playwright", "mypy", "ruff", "hypothesis"):
        assert tool not in pins, f"requirements.lock should not install {tool}"


def test_start_installs_the_app_alone_and_test_checks_the_floors() -> None:
    start = (ROOT / "scripts" / "start.sh").read_text(encoding="utf-8")
    assert re.search(r"^ensure_venv app$", start, re.M), "start.sh must install the app only"
    lib = (ROOT / "scripts" / "lib.sh").read_text(encoding="utf-8")
    assert "requirements.lock" in lib and "requirements-dev.lock" in lib
    test = (ROOT / "scripts" / "test.sh").read_text(encoding="utf-8")
    assert "scripts/check_floors.sh" in test


def test_shell_completion_is_on() -> None:
    from myomap.cli import app

    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "--install-completion" in result.output


def test_postgresql_url_without_the_driver_names_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from myomap.services.database import open_store

    for name in [m for m in sys.modules if m == "psycopg" or m.startswith("psycopg.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if it were not installed
    with pytest.raises(UsageError, match=r"myomap\[postgres\]"):
        open_store("postgresql+psycopg://clinic@127.0.0.1:1/none")


def test_no_deprecated_traversable_import() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "src").rglob("*.py")
        if "importlib.abc import Traversable" in p.read_text(encoding="utf-8")
    ]
    assert not offenders, f"importlib.abc.Traversable is deprecated (3.14 removes it): {offenders}"


def test_pg_dump_gets_the_connection_from_its_environment() -> None:
    from myomap.services.pgdump import _environment

    env, database, schema = _environment(
        "postgresql+psycopg://clinic:s3cret@db.internal:5433/records?options=-csearch_path%3Dnorth"
    )
    assert (database, schema) == ("records", "north")
    assert env["PGPASSWORD"] == "s3cret" and env["PGHOST"] == "db.internal"
    assert env["PGPORT"] == "5433" and env["PGUSER"] == "clinic"
    socket_env, _, none = _environment(
        "postgresql+psycopg://myomap@/myomap?host=/var/run/postgresql"
    )
    assert socket_env["PGHOST"] == "/var/run/postgresql" and none is None
