"""The web app on both record store back ends: the visit loop, the lock, shared login limits."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from myomap.services.database import open_store
from tests.integration.conftest import db_url, fresh_postgres_url  # noqa: F401 - fixtures
from tests.web.conftest import LOCAL, PASSWORD, csrf, make_app
from tests.web.test_security_login import age_attempts

pytestmark = pytest.mark.postgres


def test_visit_loop_and_login_limits_on_each_back_end(
    db_url: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    from myomap.web.security import add_user

    store = open_store(db_url)
    try:
        with store.transaction() as session:
            add_user(
                session, username="pat", role="practitioner", password=PASSWORD, clinic="Gamma"
            )
        first, second = (TestClient(make_app(store, tmp_path), base_url=LOCAL) for _ in range(2))
        for _ in range(3):
            r = first.post(
                "/api/login", json={"username": "pat", "password": "wrong!"}, headers=csrf(first)
            )
            assert r.status_code == 401
        r = second.post(
            "/api/login", json={"username": "pat", "password": PASSWORD}, headers=csrf(second)
        )
        assert r.status_code == 429
        age_attempts(store, 60)  # let the delay pass
        r = second.post(
            "/api/login", json={"username": "pat", "password": PASSWORD}, headers=csrf(second)
        )
        assert r.status_code == 200
        h = csrf(second)
        cid = second.post("/api/clients", json={"display_name": "Back End"}, headers=h).json()["id"]
        vid = second.post(f"/api/clients/{cid}/visits", json={}, headers=h).json()["id"]
        assert (
            second.post(
                f"/api/visits/{vid}/drawings",
                headers=h,
                json={"drawing": {"areas": [{"regions": ["temple_r"], "intensity": 5}]}},
            ).status_code
            == 201
        )
        assert (
            second.put(
                f"/api/visits/{vid}/note", json={"plan": "Review in a week."}, headers=h
            ).status_code
            == 200
        )
        assert second.post(f"/api/visits/{vid}/sign", json={}, headers=h).status_code == 200
        r = second.put(f"/api/visits/{vid}/note", json={"plan": "x"}, headers=h)
        assert r.status_code == 409
        assert second.get(f"/visits/{vid}").status_code == 200
    finally:
        store.close()
