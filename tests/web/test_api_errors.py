"""Bad input to the JSON API: always a 4xx with a {"detail": message} that says what is wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.integration.conftest import fresh_postgres_url  # noqa: F401 - fixture
from tests.web.conftest import LOCAL, World, csrf, make_app, seed_world

# (method, path template, JSON body, expected status, words the message must contain)
CASES: list[tuple[str, str, Any, int, tuple[str, ...]]] = [
    ("POST", "/api/locate", {"regions": ["templ_r"]}, 400, ("templ_r", "temple_r")),
    ("POST", "/api/locate", {"regions": ["temple_r"], "top": 0}, 422, ("top",)),
    (
        "POST",
        "/api/locate",
        {"drawing": {"areas": [{"regions": ["temple_r"], "intensity": 11}]}},
        400,
        ("intensity",),
    ),
    (
        "POST",
        "/api/locate",
        {"drawing": {"areas": [{"regions": ["nowhere_x"], "intensity": 3}]}},
        400,
        ("nowhere_x",),
    ),
    (
        "POST",
        "/api/locate",
        {"regions": ["temple_r"], "findings": ["temporalis=maybe"]},
        400,
        ("maybe",),
    ),
    ("POST", "/api/locate", {"regions": ["temple_r"], "drawing": {"areas": []}}, 400, ("either",)),
    ("POST", "/api/locate", [1, 2], 422, ("request body",)),
    ("POST", "/api/clients", {"display_name": ""}, 422, ("display_name",)),
    ("POST", "/api/clients", {"display_name": "X", "birth_year": 1700}, 422, ("birth_year",)),
    ("POST", "/api/clients", {"display_name": "X", "sex": "unknown"}, 422, ("sex",)),
    ("GET", "/api/clients/999999", None, 404, ("999999",)),
    ("GET", "/api/visits/999999", None, 404, ("999999",)),
    ("GET", "/api/clients/abc", None, 422, ("client_id",)),
    ("POST", "/api/clients/{c}/intakes", {"answers": {"fever": "maybe"}}, 400, ("fever",)),
    (
        "POST",
        "/api/clients/{c}/intakes",
        {"answers": {"no_such_question": True}},
        400,
        ("no_such_question",),
    ),
    (
        "POST",
        "/api/visits/{v}/findings",
        {"trp": "nosuch.tp1", "side": "left", "result": "confirmed"},
        400,
        ("nosuch.tp1",),
    ),
    (
        "POST",
        "/api/visits/{v}/findings",
        {"trp": "trapezius.tp1", "side": "up", "result": "confirmed"},
        422,
        ("side",),
    ),
    (
        "POST",
        "/api/visits/{v}/findings",
        {"trp": "trapezius.tp1", "side": "left"},
        400,
        ("result",),
    ),
    (
        "POST",
        "/api/visits/{v}/rom",
        {"movement": "cervical_rotation", "side": "left", "degrees": 400},
        400,
        ("degrees",),
    ),
    (
        "POST",
        "/api/visits/{v}/ppt",
        {"site": "upper_trapezius", "side": "left", "trials_kpa": [1, 2, 3, 4, 5, 6]},
        422,
        ("trials_kpa",),
    ),
    (
        "POST",
        "/api/visits/{v}/treatments",
        {"technique": "pressure_release", "side": "left", "pressure": 14},
        400,
        ("pressure",),
    ),
    ("POST", "/api/visits/{v}/drawings", {"drawing": {"areas": []}}, 400, ("empty",)),
    ("POST", "/api/visits/{v}/sign", {}, 400, ("empty note",)),
    (
        "POST",
        "/api/visits/{v}/amendments",
        {"field": "assessment", "text": "x", "reason": "y"},
        409,
        ("draft",),
    ),
    ("PUT", "/api/visits/{v}/note", {"summary": "x"}, 400, ("at least one",)),
    (
        "POST",
        "/api/clients/{c}/measurements",
        {"instrument": "nope", "answers": [1]},
        400,
        ("nope", "nrs"),
    ),
    (
        "POST",
        "/api/clients/{c}/measurements",
        {"instrument": "nrs", "answers": [42]},
        400,
        ("nrs",),
    ),
    (
        "POST",
        "/api/plan",
        {"drawing": {"areas": [{"regions": ["temple_r"], "intensity": 5}]}, "minutes": 5},
        400,
        ("minutes",),
    ),
    ("GET", "/api/atlas/muscles/trapezious", None, 404, ("trapezius",)),
    ("GET", "/api/nothing-here", None, 404, ("/api/nothing-here",)),
    ("DELETE", "/api/locate", None, 405, ("DELETE",)),
    ("GET", "/api", None, 404, ("/api",)),  # the API root itself was an HTML error page
    ("OPTIONS", "/api/locate", None, 405, ("OPTIONS",)),
    # ids beyond what the database can store: the drivers overflowed (500) before a lookup
    ("GET", "/api/visits/80684155017867544231936", None, 422, ("visit_id", "2147483647")),
    ("GET", "/api/visits/0", None, 422, ("visit_id", "greater than or equal to 1")),
    ("GET", "/api/clients/-3", None, 422, ("client_id", "greater than or equal to 1")),
    ("POST", "/api/clients/1044761950249272737792/visits", {}, 422, ("client_id",)),
    (
        "GET",
        "/api/clients/367535150090870593623278276912873472/fhir.json",
        None,
        422,
        ("client_id",),
    ),
    ("GET", "/api/clients/221942577452084608630784/report.pdf", None, 422, ("client_id",)),
    ("GET", "/api/clients/8750524249812162637201408/progress", None, 422, ("client_id",)),
    ("POST", "/api/visits/14258690721174362521600/treatments/repeat", None, 422, ("visit_id",)),
    (
        "POST",
        "/api/visits/2678824855246422228020116065076903936/home-care",
        None,
        422,
        ("visit_id",),
    ),
    ("PUT", "/api/visits/182878000000000000000000/note", {"subjective": "x"}, 422, ("visit_id",)),
    (
        "POST",
        "/api/clients/{c}/measurements",
        {"instrument": "nrs", "answers": [5], "visit_id": 99999999999999999999999},
        422,
        ("visit_id", "2147483647"),
    ),
    (
        "POST",
        "/api/clients/{c}/measurements",
        {"instrument": "nrs", "answers": [5], "visit_id": 999999},
        404,
        ("999999",),
    ),
    # region answers holding lists or objects: an unhashable item broke de-duplication (500)
    (
        "POST",
        "/api/clients/{c}/intakes",
        {"answers": {"skin_regions": [[1]]}},
        400,
        ("skin_regions", "list of region ids"),
    ),
    (
        "POST",
        "/api/screen",
        {"answers": {"varicose_regions": ["calf_l", {"a": 1}]}},
        400,
        ("varicose_regions", "list of region ids"),
    ),
    (
        "POST",
        "/api/plan",
        {
            "drawing": {"areas": [{"regions": ["temple_r"], "intensity": 5}]},
            "intake": {"inflamed_regions": [["temple_r"]]},
        },
        400,
        ("inflamed_regions",),
    ),
    # NUL characters: PostgreSQL cannot store or compare them (a driver error and a 500 there)
    ("POST", "/api/clients", {"display_name": "A\x00B"}, 422, ("display_name", "U+0000")),
    ("POST", "/api/clients", {"display_name": "X", "contact": "\x00"}, 422, ("contact",)),
    ("POST", "/api/login", {"username": "\x00", "password": "x"}, 422, ("username", "NUL")),
    ("PUT", "/api/visits/{v}/note", {"subjective": "pain\x00"}, 422, ("subjective", "NUL")),
    (
        "POST",
        "/api/clients/{c}/intakes",
        {"answers": {"notes": "\x00"}},
        422,
        ("answers.notes", "NUL"),
    ),
    (
        "POST",
        "/api/visits/{v}/drawings",
        {"drawing": {"areas": [{"regions": ["temple_r\x00"], "intensity": 3}]}},
        422,
        ("drawing.areas[0].regions[0]", "NUL"),
    ),
    (
        "POST",
        "/api/visits/{v}/amendments",
        {"field": "plan", "text": "x", "reason": "y", "\x00": 1},
        422,
        ("a key of the body",),
    ),
    (
        "POST",
        "/api/locate",
        {"regions": ["temple_r"], "findings": ["\x00"]},
        422,
        ("findings[0]", "NUL"),
    ),
    ("GET", "/api/clients?q=%00", None, 400, ("'q'", "NUL")),
    ("GET", "/api/audit?actor=a%00", None, 400, ("'actor'", "NUL")),
    ("GET", "/api/visits/{v}/plan?minutes=60&x%00=1", None, 400, ("'x'", "NUL")),
]


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from myomap.services.database import open_store
    from myomap.store.orm_accounts import User

    tmp = tmp_path_factory.mktemp("api")
    store = open_store(f"sqlite:///{tmp / 'api.sqlite3'}")
    world: World = seed_world(store)
    with store.transaction() as session:  # open mode for this module: no accounts
        for u in session.query(User).all():
            session.delete(u)
        from myomap.store.orm import Client

        for c in session.query(Client).all():
            c.clinic_id = None
    client = TestClient(make_app(store, tmp), base_url=LOCAL)
    yield client, world
    store.close()


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "words"),
    CASES,
    ids=[f"{c[0]} {c[1]} {i}" for i, c in enumerate(CASES)],
)
def test_bad_input_gets_a_json_4xx_with_a_message(
    setup: Any, method: str, path: str, body: Any, status: int, words: tuple[str, ...]
) -> None:
    client, world = setup
    url = path.format(c=world.alpha_client, v=world.alpha_visit)
    r = client.request(method, url, json=body, headers=csrf(client))
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    detail = r.json()["detail"]
    assert isinstance(detail, str) and len(detail) > 10
    for word in words:
        assert word in detail, (word, detail)


def test_malformed_json_body_is_a_422_naming_the_body(setup: Any) -> None:
    client, _ = setup
    r = client.post(
        "/api/locate",
        content=b"{not json",
        headers={**csrf(client), "Content-Type": "application/json"},
    )
    assert r.status_code == 422
    assert "not valid JSON" in r.json()["detail"]


def test_a_good_locate_ranks_and_carries_overlays(setup: Any) -> None:
    client, _ = setup
    r = client.post("/api/locate", json={"regions": ["temple_r"], "top": 3}, headers=csrf(client))
    assert r.status_code == 200
    data = r.json()
    assert len(data["candidates"]) == 3
    first = data["candidates"][0]
    assert "temple_r" in first["zones"]["essential"] + first["zones"]["spillover"]
    assert first["mark"]["view"] in ("front", "back")
    assert first["muscle_name"]
    probs = [c["probability"] for c in data["candidates"]]
    assert probs == sorted(probs, reverse=True)


def test_visceral_warnings_come_with_the_ranking(setup: Any) -> None:
    client, _ = setup
    r = client.post(
        "/api/locate",
        json={"regions": ["chest_upper_l", "arm_inner_l", "jaw_l"]},
        headers=csrf(client),
    )
    assert r.status_code == 200
    assert any(w["cluster"] == "cardiac" for w in r.json()["warnings"])


def test_openapi_documents_the_api(setup: Any) -> None:
    client, _ = setup
    schema = client.get("/api/openapi.json").json()
    for path in (
        "/api/locate",
        "/api/screen",
        "/api/plan",
        "/api/clients",
        "/api/clients/{client_id}/visits",
        "/api/visits/{visit_id}/sign",
        "/api/clients/{client_id}/measurements",
        "/api/clients/{client_id}/fhir.json",
    ):
        assert path in schema["paths"], path
    assert not any(p.startswith("/clients") for p in schema["paths"])  # pages stay out


def test_an_id_too_large_for_the_database_is_an_error_page_not_a_500(setup: Any) -> None:
    client, _ = setup
    r = client.get("/visits/80684155017867544231936")
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("text/html")
    assert "visit_id" in r.text


@pytest.mark.parametrize("token", [b"\xe9", b"token-with-\xff-byte"])
def test_a_non_ascii_csrf_header_is_a_403_not_a_500(setup: Any, token: bytes) -> None:
    client, _ = setup
    r = client.post("/api/locate", json={"regions": ["temple_r"]}, headers={"X-CSRF-Token": token})
    assert r.status_code == 403, r.text
    assert "CSRF" in r.json()["detail"]


def test_a_non_ascii_csrf_form_field_is_a_403_page_not_a_500(setup: Any) -> None:
    client, _ = setup
    r = client.post("/login", data={"csrf_token": "é", "username": "a", "password": "b"})
    assert r.status_code == 403
    assert "CSRF" in r.text


@pytest.mark.parametrize(
    "body", [b"[" * 100_000 + b"]" * 100_000, b'{"regions": ' + b"[" * 5000 + b"]" * 5000 + b"}"]
)
def test_json_nested_too_deeply_is_a_400_that_says_so(setup: Any, body: bytes) -> None:
    client, _ = setup
    r = client.post(
        "/api/locate", content=body, headers={**csrf(client), "Content-Type": "application/json"}
    )
    assert r.status_code == 400
    assert "nested at most" in r.json()["detail"]


def test_a_nul_in_a_login_form_is_a_wrong_login_not_a_500(setup: Any) -> None:
    client, _ = setup
    token = csrf(client)["X-CSRF-Token"]
    r = client.post(
        "/login", data={"csrf_token": token, "username": "a\x00b", "password": "whatever-long"}
    )
    assert r.status_code == 401
    assert "wrong username or password" in r.text


def test_a_deeply_nested_body_cannot_exhaust_the_nul_check() -> None:
    from myomap.web.inputs import nul_at

    deep: Any = "x\x00"
    for i in range(5000):
        deep = [deep] if i % 2 else {"k": deep}
    where = nul_at(deep)
    assert where is not None and where.startswith("[0].k[0].k") and where.endswith("].k")
    assert nul_at({"a": ["b", {"c": 1.5, "d": None}]}) is None


@pytest.mark.postgres
def test_nul_characters_are_4xx_on_postgresql_too(
    fresh_postgres_url: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    from myomap.services.database import open_store

    store = open_store(fresh_postgres_url)
    try:
        client = TestClient(make_app(store, tmp_path), base_url=LOCAL)
        headers = csrf(client)
        r = client.post("/api/clients", json={"display_name": "A\x00B"}, headers=headers)
        assert r.status_code == 422, r.text
        r = client.post("/api/login", json={"username": "a\x00", "password": "x"}, headers=headers)
        assert r.status_code == 422, r.text
        r = client.get("/api/audit?actor=%00")
        assert r.status_code == 400, r.text
        r = client.post("/api/clients", json={"display_name": "A B"}, headers=headers)
        assert r.status_code == 201, r.text  # the store is still usable afterwards
    finally:
        store.close()
