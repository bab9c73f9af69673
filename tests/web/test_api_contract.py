"""The API's published contract: every JSON route declares the model of its answer, and real
answers (successes and errors, 422 included) validate against the OpenAPI document the app
publishes at /api/openapi.json, so a client generated from that document reads what it gets."""

from __future__ import annotations

import functools
import importlib
import inspect
import pkgutil
from collections.abc import Callable
from typing import Any, get_args

import jsonschema_rs
from fastapi import FastAPI
from fastapi.datastructures import DefaultPlaceholder
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from pydantic import BaseModel

import myomap.web
import myomap.web.routes
from myomap.services.database import Store
from myomap.store.orm import OutcomeMeasurement
from tests.web.conftest import LOCAL, World, csrf
from tests.web.test_client_portal import make_link, open_as_client


def _is_model(annotation: Any) -> bool:
    """A Pydantic model, or a list of one (what a route may name as its response_model)."""
    if inspect.isclass(annotation) and issubclass(annotation, BaseModel):
        return True
    args = get_args(annotation)
    return len(args) == 1 and _is_model(args[0])


def undeclared(app: FastAPI) -> list[str]:
    """Routes that break the rules: a JSON answer without a model, a page in the API schema, a
    file download that does not say what it sends."""
    problems = []
    for found in iter_route_contexts(app.routes):
        route = found.original_route
        if not isinstance(route, APIRoute):
            continue
        name = f"{sorted(route.methods or ())} {found.path}"
        declared = route.response_class
        if isinstance(declared, DefaultPlaceholder):  # FastAPI's default: a JSON answer
            if not _is_model(route.response_model):
                problems.append(f"{name}: JSON without a response_model")
        elif issubclass(declared, HTMLResponse):
            if route.include_in_schema:
                problems.append(f"{name}: a page in the API schema")
        elif route.include_in_schema and route.status_code != 204:
            content = route.responses.get(200, {}).get("content", {})
            if not content or "application/json" in content:
                problems.append(f"{name}: a download that names no media type")
    return problems


def test_every_json_route_declares_its_answer(open_client: TestClient) -> None:
    assert undeclared(open_client.app) == []  # type: ignore[arg-type]


def test_the_check_finds_a_route_without_a_model() -> None:
    app = FastAPI()

    @app.get("/api/loose")
    def loose() -> dict[str, Any]:
        return {}

    @app.get("/page", response_class=HTMLResponse)
    def page() -> str:
        return ""

    assert undeclared(app) == [
        "['GET'] /api/loose: JSON without a response_model",
        "['GET'] /page: a page in the API schema",
    ]


def test_no_knowledge_is_cached_for_the_whole_process() -> None:
    """Page views of the knowledge live on each app's Presenter: no module of the web adapter
    keeps a functools cache, which would outlive the knowledge it was computed from."""
    names = [
        info.name
        for package in (myomap.web, myomap.web.routes)
        for info in pkgutil.iter_modules(package.__path__, package.__name__ + ".")
    ]
    assert "myomap.web.presenters" in names and "myomap.web.routes.atlas" in names
    cached = [
        f"{name}.{attribute}"
        for name in names
        for attribute, value in vars(importlib.import_module(name)).items()
        if isinstance(value, functools._lru_cache_wrapper) and value.__module__ == name
    ]
    assert cached == []


def test_each_app_has_its_own_presenter(open_client: TestClient, anonymous: TestClient) -> None:
    first = open_client.app.state.presenter  # type: ignore[attr-defined]
    second = anonymous.app.state.presenter  # type: ignore[attr-defined]
    assert first is not second
    assert first.known is open_client.app.state.myomap.knowledge  # type: ignore[attr-defined]


# -- real answers against the published document -----------------------------------------------


def _validator(doc: dict[str, Any], method: str, path: str, status: int) -> Any:
    """The JSON Schema the document publishes for this operation's answer with this status."""
    operation = doc["paths"][path][method.lower()]
    assert str(status) in operation["responses"], f"{method} {path} does not publish {status}"
    content = operation["responses"][str(status)]["content"]
    schema = content["application/json"]["schema"]
    return jsonschema_rs.validator_for({**schema, "components": doc["components"]})


def test_422_is_published_as_the_error_the_app_sends(open_client: TestClient) -> None:
    doc = open_client.get("/api/openapi.json").json()
    assert "HTTPValidationError" not in doc["components"]["schemas"]
    assert doc["components"]["schemas"]["ErrorOut"]["required"] == ["detail"]
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            for status, answer in operation["responses"].items():
                if status.startswith("4"):
                    ref = answer["content"]["application/json"]["schema"]["$ref"]
                    assert ref == "#/components/schemas/ErrorOut", (method, path, status)
            has_input = operation.get("parameters") or operation.get("requestBody")
            if has_input:
                assert "422" in operation["responses"], (method, path)


Call = tuple[str, str, str, Any, int]  # method, document path, real path, body, status


def _staff_calls(world: World) -> list[Call]:
    a, b, va = world.alpha_client, world.beta_client, world.alpha_visit
    drawing = {"areas": [{"regions": ["temple_r", "neck_back_r"], "intensity": 6}]}
    cid, vid = "/api/clients/{client_id}", "/api/visits/{visit_id}"
    return [
        ("GET", "/api/session", "/api/session", None, 200),
        ("POST", "/api/locate", "/api/locate", {"regions": ["temple_r"], "top": 3}, 200),
        ("POST", "/api/locate", "/api/locate", {"regions": ["templ_r"]}, 400),
        ("POST", "/api/locate", "/api/locate", {"regions": ["temple_r"], "top": 0}, 422),
        ("POST", "/api/locate", "/api/locate", [1, 2], 422),
        ("GET", "/api/regions", "/api/regions", None, 200),
        ("GET", "/api/atlas/muscles/{muscle_id}", "/api/atlas/muscles/trapezius", None, 200),
        ("GET", "/api/atlas/muscles/{muscle_id}", "/api/atlas/muscles/nope", None, 404),
        ("GET", "/api/clients", "/api/clients", None, 200),
        ("POST", "/api/clients", "/api/clients", {"display_name": ""}, 422),
        ("GET", cid, f"/api/clients/{a}", None, 200),
        ("GET", cid, f"/api/clients/{b}", None, 404),
        ("POST", "/api/screen", "/api/screen", {"answers": {"age": 40, "fever": False}}, 200),
        ("POST", "/api/plan", "/api/plan", {"drawing": drawing}, 200),
        ("GET", "/api/screen/questionnaire", "/api/screen/questionnaire", None, 200),
        ("POST", f"{cid}/intakes", f"/api/clients/{a}/intakes", {"answers": {"age": 40}}, 201),
        (
            "POST",
            f"{vid}/findings",
            f"/api/visits/{va}/findings",
            {"trp": "trapezius.tp1", "side": "right", "result": "confirmed"},
            201,
        ),
        (
            "POST",
            f"{vid}/rom",
            f"/api/visits/{va}/rom",
            {"movement": "cervical_rotation", "side": "left", "degrees": 60},
            201,
        ),
        ("GET", f"{vid}/plan", f"/api/visits/{va}/plan", None, 200),
        ("PUT", f"{vid}/note", f"/api/visits/{va}/note", {"subjective": "neck pain"}, 200),
        ("POST", f"{vid}/sign", f"/api/visits/{va}/sign", {"confirm": True}, 200),
        ("PUT", f"{vid}/note", f"/api/visits/{va}/note", {"subjective": "later"}, 409),
        ("GET", vid, f"/api/visits/{va}", None, 200),
        (
            "POST",
            "/api/instruments/{instrument}/score",
            "/api/instruments/nrs/score",
            {"answers": [3]},
            200,
        ),
        (
            "POST",
            f"{cid}/measurements",
            f"/api/clients/{a}/measurements",
            {"instrument": "nrs", "answers": [6]},
            201,
        ),
        ("GET", f"{cid}/progress", f"/api/clients/{a}/progress", None, 200),
        ("POST", f"{cid}/link", f"/api/clients/{a}/link", {"days": 3}, 201),
        ("GET", f"{cid}/diary", f"/api/clients/{a}/diary", None, 200),
    ]


def _check(client: TestClient, doc: dict[str, Any], calls: list[Call], headers: Any) -> None:
    for method, template, path, body, status in calls:
        r = client.request(method, path, json=body, headers=headers())
        assert r.status_code == status, (method, path, r.text)
        errors = list(_validator(doc, method, template, status).iter_errors(r.json()))
        assert errors == [], (method, path, [str(e) for e in errors])


def test_staff_answers_match_the_published_schema(
    login: Callable[[str], TestClient], anonymous: TestClient, world: World
) -> None:
    alice = login("alice")
    doc = alice.get("/api/openapi.json").json()
    _check(alice, doc, _staff_calls(world), lambda: csrf(alice))
    _check(anonymous, doc, [("GET", "/api/clients", "/api/clients", None, 401)], dict)
    users = [("GET", "/api/users", "/api/users", None, 200)]
    _check(login("adam"), doc, users, dict)
    _check(alice, doc, [("GET", "/api/users", "/api/users", None, 403)], dict)


def test_client_answers_match_the_published_schema(
    login: Callable[[str], TestClient], anonymous: TestClient, world: World
) -> None:
    alice = login("alice")
    headers = open_as_client(anonymous, make_link(alice, world.alpha_client))
    doc = anonymous.get("/api/openapi.json").json()
    entry = {"pain": 4, "entry_key": "contract-1", "answers": {"age": 40, "fever": False}}
    calls: list[Call] = [
        ("GET", "/api/me", "/api/me", None, 200),
        ("POST", "/api/me/intake", "/api/me/intake", {"answers": {"age": 40}}, 201),
        ("POST", "/api/me/intake", "/api/me/intake", {"answers": "none"}, 422),
        ("POST", "/api/me/diary", "/api/me/diary", entry, 201),
        ("POST", "/api/me/diary", "/api/me/diary", entry, 200),
        ("POST", "/api/me/diary", "/api/me/diary", {"pain": 11}, 422),
    ]
    _check(anonymous, doc, calls, lambda: headers)
    _check(
        TestClient(anonymous.app, base_url=LOCAL),
        doc,
        [("GET", "/api/me", "/api/me", None, 403)],
        dict,
    )


def test_progress_of_an_instrument_no_longer_in_the_catalogue(
    open_client: TestClient, store: Store
) -> None:
    """A clinic that removes an instrument file keeps its clients' scores: they are still
    charted, without the instrument's MCID (the key is left out, as before the models)."""
    headers = csrf(open_client)
    made = open_client.post("/api/clients", json={"display_name": "Old Scores"}, headers=headers)
    assert made.status_code == 201
    cid = made.json()["id"]
    with store.transaction() as session:
        for total in (7.0, 4.0):
            session.add(
                OutcomeMeasurement(
                    client_id=cid, instrument="retired", answers=[total], total=total
                )
            )
    r = open_client.get(f"/api/clients/{cid}/progress")
    assert r.status_code == 200, r.text
    retired = r.json()["measures"][0]
    assert retired["instrument"] == "retired" and "mcid" not in retired
    assert [p["total"] for p in retired["points"]] == [7.0, 4.0]
    doc = open_client.get("/api/openapi.json").json()
    validator = _validator(doc, "GET", "/api/clients/{client_id}/progress", 200)
    assert list(validator.iter_errors(r.json())) == []
