"""The clinical core must not drag in adapters: it has to stay usable without I/O libraries."""

import subprocess
import sys


def test_domain_imports_no_adapter_libraries() -> None:
    code = (
        "import sys, importlib, pkgutil, myomap.domain as d\n"
        "for m in pkgutil.iter_modules(d.__path__):\n"
        "    importlib.import_module('myomap.domain.' + m.name)\n"
        "bad = [n for n in ('sqlalchemy', 'fastapi', 'typer', 'matplotlib', 'weasyprint')"
        " if n in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
