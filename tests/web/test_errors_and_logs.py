"""Unexpected failures answer a bare 500 and leave only the exception type in the log."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from myomap.services.database import Store
from tests.web.conftest import LOCAL, make_app


def test_an_unexpected_error_is_a_500_without_details(
    store: Store, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app: FastAPI = make_app(store, tmp_path)

    @app.get("/api/explode")
    def explode() -> None:
        raise RuntimeError("Secret Person has pain 9/10")

    client = TestClient(app, base_url=LOCAL)
    with caplog.at_level(logging.DEBUG):
        r = client.get("/api/explode")
        page = client.get("/api/explode", headers={"Accept": "text/html"})
    assert r.status_code == 500 and page.status_code == 500
    assert "Secret" not in r.text
    assert r.json()["detail"].startswith("internal error")
    assert "RuntimeError" in caplog.text
    assert "Secret" not in caplog.text


def test_pages_and_assets_are_served_locally_with_safe_headers(open_client: TestClient) -> None:
    r = open_client.get("/bodymap")
    assert r.status_code == 200
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["cache-control"] == "no-store"
    import re

    refs = re.findall(r'(?:src|href)="([^"]+)"', r.text)
    assert refs and all(ref.startswith(("/", "#")) for ref in refs), refs
    for asset in ("/static/app.css", "/static/bodymap.js", "/static/forms.js"):
        a = open_client.get(asset)
        assert a.status_code == 200
        assert "http://" not in a.text.replace("http://www.w3.org/2000/svg", "")
        assert "https://" not in a.text


def test_regions_are_keyboard_and_screen_reader_ready(open_client: TestClient) -> None:
    """The chart names every region; the script adds tabindex/role/aria-pressed to each."""
    html = open_client.get("/bodymap").text
    assert html.count('class="region"') == 189
    assert "<title>Right temple</title>" in html
    js = open_client.get("/static/bodymap-chart.js").text
    assert "./bodymap-chart.js" in open_client.get("/static/bodymap.js").text
    for attr in ('"tabindex", "0"', '"role", "button"', '"aria-label"', '"aria-pressed"'):
        assert attr in js
