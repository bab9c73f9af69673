"""Browser fixtures: the real server (``python -m myomap serve``) on a free port over a temp
SQLite database with demo data, and Debian's Chromium driven by Playwright's sync API.

A failing test leaves a screenshot of its page in ``artifacts/``.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TABLET = {"width": 1024, "height": 768}
PHONE = {"width": 390, "height": 844}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, proc: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "/api/session", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not answer in time")


class Server:
    def __init__(self, base: str, env: dict[str, str], log: Path) -> None:
        self.base = base
        self.env = env
        self.log = log

    def cli(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "myomap", *args],
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )


def start_server(
    tmp: Path,
    *,
    demo: bool,
    workers: int = 1,
    users: Sequence[tuple[str, str, str]] = (),
    password: str = "",
    extra_env: dict[str, str] | None = None,
) -> Iterator[Server]:
    """Start ``python -m myomap serve`` on a free port; ``users`` are (name, role, clinic)."""
    env = {
        **os.environ,
        "MYOMAP_DATA_DIR": str(tmp / "data"),
        "MYOMAP_DATABASE_URL": f"sqlite:///{tmp / 'browser.sqlite3'}",
    }
    env.pop("MYOMAP_HOST", None)
    env.update(extra_env or {})
    if demo:
        subprocess.run(
            [sys.executable, "-m", "myomap", "demo"],
            env=env,
            check=True,
            capture_output=True,
            timeout=120,
        )
    for name, role, clinic in users:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "myomap",
                "user",
                "add",
                name,
                "--role",
                role,
                "--clinic",
                clinic,
                "--password-stdin",
            ],
            env=env,
            check=True,
            input=password + "\n",
            capture_output=True,
            text=True,
            timeout=60,
        )
    port = free_port()
    log_path = tmp / "server.log"
    log = log_path.open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "myomap", "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, proc)
        yield Server(base, env, log_path)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from start_server(tmp_path_factory.mktemp("server"), demo=True)


@pytest.fixture(scope="session")
def chrome() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield b
        b.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


class Pages:
    """Opens pages in fresh contexts; remembers them for failure screenshots."""

    def __init__(self, browser: Any, base: str) -> None:
        self.browser = browser
        self.base = base
        self.opened: list[Any] = []
        self.errors: list[str] = []
        self.requests: list[str] = []

    def new(self, viewport: dict[str, int] = TABLET) -> Any:
        context = self.browser.new_context(viewport=viewport, accept_downloads=True)
        page = context.new_page()
        # Generous: the first ranking compiles the atlas model, slow on a loaded 2-core runner.
        page.set_default_timeout(30_000)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("request", lambda r: self.requests.append(r.url))
        self.opened.append(page)
        return page


@pytest.fixture
def pages(chrome: Any, server: Server, request: pytest.FixtureRequest) -> Iterator[Pages]:
    made = Pages(chrome, server.base)
    yield made
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        for n, page in enumerate(made.opened):
            with contextlib.suppress(Exception):  # a closed page has nothing to show
                page.screenshot(
                    path=str(ARTIFACTS / f"{request.node.name}-{n}.png"), full_page=True
                )
    for page in made.opened:
        page.context.close()
