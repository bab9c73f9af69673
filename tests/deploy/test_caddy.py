"""The clinic server as docs/deploy.md sets it up: Caddy with TLS in front of ``myomap serve``.

Debian's Caddy (installed by scripts/lib.sh) runs the shipped deploy/Caddyfile with ``tls
internal`` on free ports, in front of ``myomap serve --workers 2 --proxy-headers`` on a free
loopback port. Over HTTPS, verified against Caddy's own root certificate, the test logs in and
writes a client, and checks what a clinic relies on: the session cookie is Secure, plain HTTP is
redirected, and a request for another host name never reaches myomap.
"""

from __future__ import annotations

import os
import shutil
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE = "localhost"
PASSWORD = "correct horse battery staple"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait(
    check: object, what: str, proc: subprocess.Popen[bytes], log: Path, seconds: float = 60
) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out = log.read_text(encoding="utf-8", errors="replace")
            pytest.fail(f"{what} exited with {proc.returncode}: {out[-2000:]}")
        try:
            if check():  # type: ignore[operator]
                return
        except (OSError, httpx.HTTPError):
            pass
        time.sleep(0.3)
    pytest.fail(f"{what} did not come up within {seconds} s")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


@dataclass
class Server:
    https: str
    http_port: int
    https_port: int
    root_cert: Path
    app_port: int


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    caddy = shutil.which("caddy")
    if caddy is None:
        message = "caddy is not installed; scripts/lib.sh (ensure_system_packages) installs it"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    tmp = tmp_path_factory.mktemp("clinic")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MYOMAP_")}
    env["MYOMAP_DATA_DIR"] = str(tmp / "data")
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])
    subprocess.run(
        [
            sys.executable,
            "-m",
            "myomap",
            "user",
            "add",
            "alice",
            "--role",
            "admin",
            "--clinic",
            "Example Clinic",
            "--password-stdin",
        ],
        env=env,
        check=True,
        input=f"{PASSWORD}\n".encode(),
        capture_output=True,
        timeout=120,
    )

    app_port, http_port, https_port = _free_port(), _free_port(), _free_port()
    app_log, proxy_log = tmp / "myomap.log", tmp / "caddy.log"
    app_out, proxy_out = app_log.open("wb"), proxy_log.open("wb")
    app = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "myomap",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(app_port),
            "--workers",
            "2",
            "--proxy-headers",
            "--forwarded-allow-ips",
            "127.0.0.1",
        ],
        env=env,
        stdout=app_out,
        stderr=subprocess.STDOUT,
    )
    # The shipped Caddyfile, with test-only global options: free ports, a private storage
    # folder, no admin endpoint and no change to the machine's trust store.
    config = tmp / "Caddyfile"
    config.write_text(
        "{\n\tadmin off\n\tskip_install_trust\n"
        f"\tstorage file_system {tmp / 'caddy'}\n"
        f"\thttp_port {http_port}\n\thttps_port {https_port}\n}}\n"
        f"import {ROOT / 'deploy' / 'Caddyfile'}\n",
        encoding="utf-8",
    )
    caddy_env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp),
        "XDG_DATA_HOME": str(tmp / "xdg-data"),
        "XDG_CONFIG_HOME": str(tmp / "xdg-config"),
        "MYOMAP_SITE": SITE,
        "MYOMAP_TLS": "internal",
        "MYOMAP_UPSTREAM": f"127.0.0.1:{app_port}",
    }
    proxy = subprocess.Popen(
        [caddy, "run", "--config", str(config), "--adapter", "caddyfile"],
        env=caddy_env,
        stdout=proxy_out,
        stderr=subprocess.STDOUT,
    )
    root_cert = tmp / "caddy" / "pki" / "authorities" / "local" / "root.crt"
    try:
        _wait(
            lambda: httpx.get(f"http://127.0.0.1:{app_port}/api/session").is_success,
            "myomap serve",
            app,
            app_log,
        )
        _wait(root_cert.is_file, "Caddy's internal certificate authority", proxy, proxy_log)
        url = f"https://{SITE}:{https_port}"
        ctx = ssl.create_default_context(cafile=str(root_cert))
        _wait(
            lambda: httpx.get(url + "/api/session", verify=ctx).is_success,
            "Caddy",
            proxy,
            proxy_log,
        )
        yield Server(url, http_port, https_port, root_cert, app_port)
    finally:
        _stop(proxy)
        _stop(app)
        app_out.close()
        proxy_out.close()


def _client(server: Server) -> httpx.Client:
    ctx = ssl.create_default_context(cafile=str(server.root_cert))
    return httpx.Client(base_url=server.https, verify=ctx, timeout=30)


def test_login_and_a_write_over_https_with_secure_cookies(server: Server) -> None:
    with _client(server) as web:
        first = web.get("/api/session")
        assert first.status_code == 200 and first.json()["login_required"] is True
        cookie = first.headers["set-cookie"].lower()
        assert "; secure" in cookie and "httponly" in cookie, cookie
        assert first.headers["strict-transport-security"].startswith("max-age=")

        anonymous = web.post(
            "/api/clients",
            json={"display_name": "Nobody"},
            headers={"X-CSRF-Token": first.json()["csrf_token"]},
        )
        assert anonymous.status_code == 401

        login = web.post(
            "/api/login",
            json={"username": "alice", "password": PASSWORD},
            headers={"X-CSRF-Token": first.json()["csrf_token"]},
        )
        assert login.status_code == 200, login.text
        assert "; secure" in login.headers["set-cookie"].lower()
        token = login.json()["csrf_token"]

        created = web.post(
            "/api/clients",
            json={"display_name": "Caddy Test Client"},
            headers={"X-CSRF-Token": token},
        )
        assert created.status_code == 201, created.text
        client_id = created.json()["id"]
        listed = web.get("/api/clients")
        assert listed.status_code == 200
        assert client_id in [c["id"] for c in listed.json()]


def test_the_certificate_is_checked(server: Server) -> None:
    with pytest.raises(httpx.ConnectError):  # the system trust store does not know Caddy's CA
        httpx.get(server.https + "/api/session", timeout=10)


def test_plain_http_is_redirected_to_https(server: Server) -> None:
    answer = httpx.get(f"http://{SITE}:{server.http_port}/login", timeout=10)
    assert answer.status_code in (301, 302, 307, 308)
    assert answer.headers["location"].startswith(f"https://{SITE}")


def test_another_host_name_never_reaches_myomap(server: Server) -> None:
    ctx = ssl.create_default_context(cafile=str(server.root_cert))
    with httpx.Client(verify=ctx, timeout=10) as web:
        # Right certificate (SNI localhost), wrong Host header: Caddy has no site for it.
        wrong = web.get(server.https + "/api/session", headers={"Host": "evil.example"})
        assert "csrf_token" not in wrong.text
        assert "set-cookie" not in wrong.headers
        right = web.get(server.https + "/api/session")
        assert "csrf_token" in right.text
