"""Every query lives in the record store: outside ``myomap.store`` no module builds a SQLAlchemy
query or runs one through a session (the repositories in ``myomap.store.repositories`` do)."""

from __future__ import annotations

import ast
from pathlib import Path

import myomap

SRC = Path(myomap.__file__).parent

# What builds or runs a query. ``Session`` and engine types may be named anywhere (type hints,
# the unit of work); the query builders may not.
QUERY_BUILDERS = frozenset(
    {"select", "update", "delete", "insert", "func", "text", "exists", "or_", "and_", "not_"}
)
SESSION_QUERIES = frozenset({"execute", "scalar", "scalars", "query"})


def _receiver(call: ast.Call) -> str | None:
    """The name a method is called on: ``session`` in ``session.get(...)``, ``self.session``."""
    if not isinstance(call.func, ast.Attribute):
        return None
    target = call.func.value
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute):
        return target.attr
    return None


def _gets_a_row(call: ast.Call) -> bool:
    """``session.get(Model, id)``: a row by primary key (a web session's ``.get("csrf")`` is a
    dictionary read, not a query)."""
    if not isinstance(call.func, ast.Attribute) or call.func.attr != "get" or not call.args:
        return False
    model = call.args[0]
    name = model.attr if isinstance(model, ast.Attribute) else getattr(model, "id", "")
    return name[:1].isupper()


def violations(tree: ast.AST) -> list[str]:
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "sqlalchemy":
            built = sorted(a.name for a in node.names if a.name in QUERY_BUILDERS)
            if built:
                out.append(f"line {node.lineno}: imports {', '.join(built)} from {node.module}")
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "sqlalchemy":
                    out.append(f"line {node.lineno}: imports sqlalchemy")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            name = _receiver(node)
            if name is None or "session" not in name:
                continue
            if node.func.attr in SESSION_QUERIES or _gets_a_row(node):
                out.append(f"line {node.lineno}: {name}.{node.func.attr}(...)")
    return out


def _outside_store() -> list[Path]:
    return [
        p
        for p in sorted(SRC.rglob("*.py"))
        if p.relative_to(SRC).parts[0] != "store" and "migrations" not in p.parts
    ]


def test_no_module_outside_the_store_builds_or_runs_a_query() -> None:
    found = {
        str(p.relative_to(SRC)): v
        for p in _outside_store()
        if (v := violations(ast.parse(p.read_text(encoding="utf-8"))))
    }
    assert found == {}


def test_the_scan_finds_each_kind_of_query() -> None:
    """The scan above is only as good as what it recognises: each way a query was written
    before the repositories existed is caught."""
    samples = {
        "from sqlalchemy import select\n": 1,
        "from sqlalchemy import func, update\n": 1,
        "import sqlalchemy\n": 1,
        "row = session.get(Client, 3)\n": 1,
        "rows = session.scalars(q)\n": 1,
        "n = session.scalar(q)\n": 1,
        "session.execute(q)\n": 1,
        "ctx.session.query(User)\n": 1,
        "from sqlalchemy.orm import Session\n": 0,
        "row = self.session.get(orm.Visit, 3)\n": 1,
        "value = request.state.session.get('csrf')\n": 0,
        "value = headers.get('x')\n": 0,
        "db.execute('PRAGMA schema_version')\n": 0,
    }
    for text, expected in samples.items():
        assert len(violations(ast.parse(text))) == expected, text


def test_the_scan_covers_the_adapters_and_use_cases() -> None:
    parts = {p.relative_to(SRC).parts[0] for p in _outside_store()}
    assert {"services", "web", "cli", "domain", "knowledge", "app.py"} <= parts
