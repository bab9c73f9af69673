"""Hostile input to the API: schemathesis generates requests from the app's own OpenAPI document
and checks that none is a server error and that every answer has a documented status, media type
and body schema (errors and 422 included), on SQLite and on PostgreSQL. Bounded to a few examples
per operation to keep CI short."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from myomap.services.database import open_store

with warnings.catch_warnings():
    # Starlette's test client announces a future httpx package at import; not our concern.
    warnings.simplefilter("ignore")
    import schemathesis
    from fastapi.testclient import TestClient
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

EXAMPLES = 4
# Set by the fixture: the open-mode session cookie and its CSRF token, sent with every call.
AUTH: dict[str, Any] = {}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def api_schema(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    from myomap.config import load_settings
    from myomap.web.app import create_app

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'fuzz.sqlite3'}"
    else:
        url = request.getfixturevalue("fresh_postgres_url")
    store = open_store(url)
    settings_ = load_settings(
        {"MYOMAP_DATA_DIR": str(tmp_path / "data"), "MYOMAP_DATABASE_URL": url}
    )
    app = create_app(settings_, store=store)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        client.post(
            "/api/clients",
            json={"display_name": "Fuzz Target"},
            headers={"X-CSRF-Token": client.get("/api/session").json()["csrf_token"]},
        )
        # The app answers loopback host names only (no accounts): the generated requests say so.
        AUTH["headers"] = {
            "X-CSRF-Token": client.get("/api/session").json()["csrf_token"],
            "Host": "127.0.0.1",
        }
        AUTH["cookies"] = dict(client.cookies)
        # Built once and kept by the app: a busy machine then never hits the loader's timeout.
        assert client.get("/api/openapi.json").status_code == 200
    try:
        yield schemathesis.openapi.from_asgi(
            "/api/openapi.json", app, headers={"Host": "127.0.0.1"}
        )
    finally:
        store.close()


def _exercise(operation: Any) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def run(case: Any) -> None:
        response = case.call(headers=AUTH["headers"], cookies=AUTH["cookies"])
        case.validate_response(
            response,
            checks=[
                not_a_server_error,
                status_code_conformance,
                content_type_conformance,
                response_schema_conformance,
            ],
        )

    run()


@pytest.mark.slow
def test_generated_requests_get_documented_answers_never_a_500(api_schema: Any) -> None:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 20
    for operation in operations:
        _exercise(operation)
