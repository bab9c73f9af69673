"""The shipped clinic-server files are valid for the tools that load them.

``systemd-analyze verify`` checks the units under deploy/ (every key known, the calendar
parseable, the commands executable: the venv path is pointed at this environment's ``myomap``
first, as an install would put it at /opt/myomap/venv). ``caddy validate`` checks the Caddyfile
with the settings the drop-in gives it. The units must run what docs/deploy.md describes.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
VENV_BIN = "/opt/myomap/venv/bin/myomap"


def _tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed; scripts/lib.sh installs Debian's {package}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def _myomap_executable(tmp_path: Path) -> Path:
    found = Path(sys.executable).parent / "myomap"
    if found.is_file():
        return found
    wrapper = tmp_path / "myomap"  # a source checkout run with PYTHONPATH: a stand-in launcher
    wrapper.write_text(f'#!/bin/sh\nexec {sys.executable} -m myomap "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    return wrapper


def test_systemd_units_verify_clean(tmp_path: Path) -> None:
    analyze = _tool("systemd-analyze", "systemd")
    exe = _myomap_executable(tmp_path)
    units = sorted(p.name for p in DEPLOY.iterdir() if p.suffix in (".service", ".timer"))
    assert units == ["myomap-backup.service", "myomap-backup.timer", "myomap.service"]
    for name in units:
        text = (DEPLOY / name).read_text(encoding="utf-8")
        (tmp_path / name).write_text(text.replace(VENV_BIN, str(exe)), encoding="utf-8")
    done = subprocess.run(
        [analyze, "verify", *(f"./{n}" for n in units)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    problems = [
        line
        for line in done.stderr.splitlines()
        if str(tmp_path) in line or any(line.startswith(n) for n in units)
    ]
    assert not problems, problems


def test_verify_would_catch_a_broken_unit(tmp_path: Path) -> None:
    analyze = _tool("systemd-analyze", "systemd")
    text = (DEPLOY / "myomap-backup.timer").read_text(encoding="utf-8")
    (tmp_path / "myomap-backup.timer").write_text(
        text.replace("OnCalendar=*-*-* 02:30:00", "OnCalendar=every night"), encoding="utf-8"
    )
    done = subprocess.run(
        [analyze, "verify", "./myomap-backup.timer"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0 or "calendar" in done.stderr.lower()


def test_units_run_what_the_docs_describe() -> None:
    web = (DEPLOY / "myomap.service").read_text(encoding="utf-8")
    start = re.search(r"^ExecStart=(.*)$", web, re.M)
    assert start is not None
    assert "serve --host 127.0.0.1" in start.group(1), "the app must stay behind the proxy"
    assert "--workers ${MYOMAP_WORKERS}" in start.group(1) and "--proxy-headers" in start.group(1)
    backup = (DEPLOY / "myomap-backup.service").read_text(encoding="utf-8")
    assert re.search(r"^ExecStart=.*myomap backup ", backup, re.M)
    assert "EnvironmentFile=/etc/myomap/myomap.env" in web and "EnvironmentFile" in backup
    timer = (DEPLOY / "myomap-backup.timer").read_text(encoding="utf-8")
    assert "Unit=myomap-backup.service" in timer and "Persistent=true" in timer
    env = (DEPLOY / "myomap.env").read_text(encoding="utf-8")
    assert re.search(r"^MYOMAP_DATABASE_URL=postgresql://", env, re.M)
    docs = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    for name in ("myomap.service", "myomap-backup.timer", "Caddyfile", "myomap.env"):
        assert f"deploy/{name}" in docs, f"docs/deploy.md does not install deploy/{name}"


def test_caddyfile_validates_with_the_drop_in_settings(tmp_path: Path) -> None:
    caddy = _tool("caddy", "caddy")
    drop_in = (DEPLOY / "caddy.service.d" / "myomap.conf").read_text(encoding="utf-8")
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path),
    }
    env.update(dict(re.findall(r"^Environment=(\w+)=(.*)$", drop_in, re.M)))
    assert env.get("MYOMAP_SITE") and env.get("MYOMAP_TLS") == "internal"
    adapted = subprocess.run(
        [caddy, "adapt", "--config", str(DEPLOY / "Caddyfile"), "--adapter", "caddyfile"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert adapted.returncode == 0, adapted.stderr
    assert env["MYOMAP_SITE"] in adapted.stdout and "127.0.0.1:8000" in adapted.stdout
    assert '"internal"' in adapted.stdout


def test_no_container_image_is_shipped_and_the_docs_say_why() -> None:
    """An image definition only if one could be built and run here; none could, so the docs
    say so and the tree holds none (a file added later must come with its tested story)."""
    files = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    images = [
        f
        for f in files
        if Path(f).name.lower()
        in {"containerfile", "dockerfile", "compose.yaml", "compose.yml", "docker-compose.yml"}
    ]
    assert images == []
    docs = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    section = docs.split("## Containers", 1)[1].split("\n## ", 1)[0]
    assert "No container image is shipped" in section and "podman" in section
