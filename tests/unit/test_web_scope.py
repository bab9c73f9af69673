"""Every web route that reaches a record through a use case passes the caller as its scope.

The use cases default to the command line's operator, who sees every clinic; a route that
forgot ``scope=ctx.me`` would read another clinic's records without any error. This scan makes
that omission a failing test instead of a silent leak.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import myomap.services
import myomap.web

WEB = Path(myomap.web.__file__).parent


def _scoped_use_cases() -> set[str]:
    """Names of the service functions that take a ``scope``."""
    names: set[str] = set()
    for info in pkgutil.iter_modules(myomap.services.__path__):
        module = importlib.import_module(f"myomap.services.{info.name}")
        for name, value in vars(module).items():
            if (
                inspect.isfunction(value)
                and value.__module__ == module.__name__
                and "scope" in inspect.signature(value).parameters
            ):
                names.add(name)
    return names


def _service_names(tree: ast.Module) -> tuple[set[str], set[str]]:
    """Local names bound to service modules, and to service functions, by this file's imports."""
    modules: set[str] = set()
    functions: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "myomap.services":
            modules.update(a.asname or a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
            "myomap.services."
        ):
            functions.update(a.asname or a.name for a in node.names)
    return modules, functions


def _unscoped_calls(source: str, scoped: set[str]) -> list[tuple[int, str]]:
    tree = ast.parse(source)
    modules, functions = _service_names(tree)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            name = func.attr if func.value.id in modules else None
        elif isinstance(func, ast.Name):
            name = func.id if func.id in functions else None
        else:
            name = None
        if name in scoped and not any(k.arg in ("scope", None) for k in node.keywords):
            found.append((node.lineno, name))
    return found


def test_the_scan_knows_the_scoped_use_cases() -> None:
    scoped = _scoped_use_cases()
    assert {"get_row", "sign_visit", "record_measurement", "export_fhir"} <= scoped


def test_the_scan_catches_a_call_without_scope() -> None:
    scoped = {"sign_visit"}
    head = "from myomap.services import visits\nfrom myomap.services.visits import sign_visit\n"
    assert _unscoped_calls(head + "visits.sign_visit(s, 1, by='x')", scoped) == [(3, "sign_visit")]
    assert _unscoped_calls(head + "sign_visit(s, 1, by='x')", scoped) == [(3, "sign_visit")]
    assert _unscoped_calls(head + "visits.sign_visit(s, 1, scope=me)", scoped) == []
    # a route's own helper of the same name is not a use case
    assert _unscoped_calls("def sign_visit(): ...\nsign_visit()", scoped) == []


def test_every_web_call_of_a_scoped_use_case_passes_the_caller() -> None:
    scoped = _scoped_use_cases()
    misses = [
        f"{path.relative_to(WEB)}:{line} {name}"
        for path in sorted(WEB.rglob("*.py"))
        for line, name in _unscoped_calls(path.read_text(encoding="utf-8"), scoped)
    ]
    assert misses == []
