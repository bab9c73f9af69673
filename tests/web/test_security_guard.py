"""The outer layer: Host names answered, Origin of writes, the body limit and security headers."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from myomap.config import load_settings
from myomap.services.database import Store
from tests.web.conftest import LOCAL, World, csrf, make_app

FOREIGN = "http://rebound.example"


def _app(store: Store, tmp_path: Path, **env: str) -> Any:
    from myomap.web.app import create_app

    values = {
        "MYOMAP_DATA_DIR": str(tmp_path / "data"),
        "MYOMAP_DATABASE_URL": store.url,
        **{f"MYOMAP_{k.upper()}": v for k, v in env.items()},
    }
    return create_app(load_settings(values), store=store)


def _client_count(store: Store) -> int:
    from myomap.store.orm import Client

    with store.transaction() as session:
        return session.query(Client).count()


# -- Host ------------------------------------------------------------------------------------


def test_open_mode_gives_a_foreign_host_nothing(store: Store, tmp_path: Path) -> None:
    """What a DNS-rebinding page would need: token, client list, exports, writes. None of it."""
    local = TestClient(make_app(store, tmp_path), base_url=LOCAL)
    h = csrf(local)
    cid = local.post("/api/clients", json={"display_name": "Open Mode"}, headers=h).json()["id"]
    before = _client_count(store)
    rebound = TestClient(make_app(store, tmp_path), base_url=FOREIGN)
    r = rebound.get("/api/session")
    assert r.status_code == 400
    assert "csrf_token" not in r.text and "set-cookie" not in r.headers
    for path in (
        "/api/clients",
        f"/api/clients/{cid}",
        f"/api/clients/{cid}/fhir.json",
        "/api/export/csv.zip",
        "/clients",
        "/",
    ):
        r = rebound.get(path)
        assert r.status_code == 400, path
        assert "Open Mode" not in r.text
    # a write with a token stolen any other way still does not land
    rebound.cookies.update(local.cookies)
    r = rebound.post("/api/clients", json={"display_name": "Rebound"}, headers=h)
    assert r.status_code == 400
    assert _client_count(store) == before


@pytest.mark.parametrize(
    "host",
    ["localhost", "localhost:8000", "127.0.0.1:8000", "[::1]:8000", "127.0.0.2", "LOCALHOST."],
)
def test_open_mode_answers_loopback_names(store: Store, tmp_path: Path, host: str) -> None:
    client = TestClient(make_app(store, tmp_path), base_url=LOCAL)
    assert client.get("/api/session", headers={"Host": host}).status_code == 200


def test_open_mode_ignores_configured_names(store: Store, tmp_path: Path) -> None:
    client = TestClient(
        _app(store, tmp_path, allowed_hosts="myomap.clinic.lan"),
        base_url="http://myomap.clinic.lan",
    )
    assert client.get("/api/session").status_code == 400


def test_with_accounts_configured_names_are_answered(
    store: Store, tmp_path: Path, world: World
) -> None:
    app = _app(store, tmp_path, allowed_hosts="myomap.clinic.lan, other.lan")
    assert (
        TestClient(app, base_url="http://myomap.clinic.lan:8000")
        .get("/api/session")
        .json()["login_required"]
        is True
    )
    assert TestClient(app, base_url=LOCAL).get("/api/session").status_code == 200
    assert TestClient(app, base_url=FOREIGN).get("/api/session").status_code == 400


def test_with_accounts_and_no_names_the_bind_address_is_answered(
    store: Store, tmp_path: Path, world: World
) -> None:
    loopback = _app(store, tmp_path)
    assert TestClient(loopback, base_url=FOREIGN).get("/api/session").status_code == 400
    lan = _app(store, tmp_path, host="192.168.1.10")
    assert (
        TestClient(lan, base_url="http://192.168.1.10:8000").get("/api/session").status_code == 200
    )
    assert TestClient(lan, base_url=FOREIGN).get("/api/session").status_code == 400
    # a wildcard bind answers any name; the login is the gate there
    wildcard = TestClient(_app(store, tmp_path, host="0.0.0.0"), base_url=FOREIGN)
    assert wildcard.get("/api/session").status_code == 200
    assert wildcard.get("/api/clients").status_code == 401


def test_a_bad_allowed_hosts_setting_names_the_variable() -> None:
    from myomap.domain.errors import UsageError

    with pytest.raises(UsageError, match="MYOMAP_ALLOWED_HOSTS"):
        load_settings({"MYOMAP_ALLOWED_HOSTS": "ok.lan, bad host/"})


# -- Origin ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Origin": "null", "Sec-Fetch-Site": "cross-site"},
        {"Origin": "http://127.0.0.1:9999"},
        {"Origin": "http://evil.example", "Sec-Fetch-Site": "same-origin"},
        {"Sec-Fetch-Site": "cross-site"},
    ],
)
def test_cross_origin_writes_are_refused_even_with_the_token(
    open_client: TestClient, store: Store, headers: dict[str, str]
) -> None:
    h = csrf(open_client)
    before = _client_count(store)
    r = open_client.post("/api/clients", json={"display_name": "Cross"}, headers=h | headers)
    assert r.status_code == 403
    assert "cross-site" in r.json()["detail"]
    assert _client_count(store) == before


def test_same_origin_writes_pass(open_client: TestClient) -> None:
    h = csrf(open_client)
    # a form posted from our own page under no-referrer: Origin null, Sec-Fetch-Site same-origin
    for extra in (
        {"Origin": "http://127.0.0.1"},
        {"Sec-Fetch-Site": "same-origin"},
        {},
        {"Origin": "null", "Sec-Fetch-Site": "same-origin"},
    ):
        r = open_client.post("/api/clients", json={"display_name": "Same"}, headers=h | extra)
        assert r.status_code == 201, extra


# -- body limit ------------------------------------------------------------------------------


def _asgi(
    app: Any, headers: list[tuple[bytes, bytes]], chunks: int, chunk: bytes = b"x" * 65536
) -> tuple[int, int]:
    """Drive the app directly; returns (status, body bytes the app pulled from the client)."""
    pulled = 0
    calls = 0
    status = 0

    async def receive() -> dict[str, Any]:
        nonlocal pulled, calls
        calls += 1
        if calls > chunks:
            return {"type": "http.disconnect"}
        pulled += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": calls < chunks}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/login",
        "raw_path": b"/api/login",
        "query_string": b"",
        "root_path": "",
        "client": ("10.1.1.1", 5000),
        "server": ("127.0.0.1", 8000),
        "headers": [(b"host", b"127.0.0.1:8000"), (b"content-type", b"application/json"), *headers],
    }
    # A fresh thread has no event loop of its own; the browser tests' driver may have left one
    # running in this thread when the whole suite runs in one process.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    return status, pulled


def test_a_large_unauthenticated_post_is_refused_unread(
    store: Store, tmp_path: Path, world: World
) -> None:
    app = _app(store, tmp_path)
    size = 200 * 1024 * 1024
    status, pulled = _asgi(app, [(b"content-length", str(size).encode())], chunks=3200)
    assert status == 413
    assert pulled == 0


def test_a_large_body_without_length_is_cut_at_the_limit(
    store: Store, tmp_path: Path, world: World
) -> None:
    app = _app(store, tmp_path, max_body_bytes="1048576")
    status, pulled = _asgi(app, [(b"transfer-encoding", b"chunked")], chunks=3200)
    assert status == 413
    assert pulled <= 1048576 + 65536


def test_a_body_within_the_limit_without_length_reaches_the_route(
    store: Store, tmp_path: Path
) -> None:
    app = _app(store, tmp_path)
    status, _ = _asgi(app, [(b"transfer-encoding", b"chunked")], chunks=1, chunk=b"{}")
    assert status == 403  # the CSRF check ran on the replayed body


def test_413_comes_before_login_and_csrf(store: Store, tmp_path: Path, world: World) -> None:
    client = TestClient(_app(store, tmp_path, max_body_bytes="4096"), base_url=LOCAL)
    r = client.post(
        "/api/clients",
        content=b"{" + b" " * 5000 + b"}",
        headers={"Content-Type": "application/json"},
    )
    assert r.status_code == 413
    assert "MYOMAP_MAX_BODY_BYTES" in r.json()["detail"]
    r = client.post(
        "/login", content=b"a" * 5000, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert r.status_code == 413


# -- headers ---------------------------------------------------------------------------------


def test_every_answer_carries_the_security_headers(
    store: Store, tmp_path: Path, world: World
) -> None:
    app = _app(store, tmp_path, max_body_bytes="4096")
    client = TestClient(app, base_url=LOCAL, follow_redirects=False)
    answers = {
        "page": client.get("/login"),
        "api": client.get("/api/session"),
        "401": client.get("/api/clients"),
        "redirect": client.get("/clients"),
        "404": client.get("/no/such/page"),
        "static": client.get("/static/app.css"),
        "403 csrf": client.post("/api/logout"),
        "403 origin": client.post("/api/logout", headers={"Origin": "http://evil.example"}),
        "413": client.post("/api/login", content=b"x" * 5000),
        "400 host": TestClient(app, base_url=FOREIGN).get("/api/session"),
        "422": client.get("/api/audit?limit=0"),
    }
    for name, r in answers.items():
        h = r.headers
        csp = h.get("content-security-policy", "")
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp, name
        assert "default-src 'self'" in csp and "object-src 'none'" in csp, name
        assert h.get("x-content-type-options") == "nosniff", name
        assert h.get("referrer-policy") == "no-referrer", name
        assert h.get("x-frame-options") == "DENY", name
        assert h.get("cross-origin-opener-policy") == "same-origin", name
        assert "camera=()" in h.get("permissions-policy", ""), name
    assert answers["api"].headers["cache-control"] == "no-store"
    assert "strict-transport-security" not in answers["api"].headers
    https = client.get("/api/session", headers={"X-Forwarded-Proto": "https"})
    assert https.headers["strict-transport-security"].startswith("max-age=")
