"""Web fixtures: an app on a fresh SQLite store, a TestClient, accounts in two clinics."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from myomap.config import load_settings
from myomap.services.database import Store, open_store

with warnings.catch_warnings():
    # Starlette's test client announces a future httpx package at import; not our concern.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

PASSWORD = "correct horse battery"
# The app answers loopback names only while no account exists; "testserver" is not one.
LOCAL = "http://127.0.0.1"


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sessions and login limits read a clock that stands still, so a 2 s login delay does not
    run out while Argon2 hashes on a busy machine; tests move time by ageing the rows."""
    from myomap.store.orm import utcnow
    from myomap.web import sessions

    now = utcnow()
    monkeypatch.setattr(sessions, "_now", lambda: now)


@dataclass
class World:
    """Records of two clinics: Alpha (clinic of alice/fred/rita/adam) and Beta (bob)."""

    store: Store
    alpha_client: int
    alpha_visit: int
    beta_client: int
    beta_visit: int


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(f"sqlite:///{tmp_path / 'web.sqlite3'}")
    yield s
    s.close()


def make_app(store: Store, tmp_path: Path, host: str = "127.0.0.1") -> Any:
    from myomap.web.app import create_app

    settings = load_settings(
        {
            "MYOMAP_DATA_DIR": str(tmp_path / "data"),
            "MYOMAP_HOST": host,
            "MYOMAP_DATABASE_URL": store.url,
        }
    )
    return create_app(settings, store=store)


@pytest.fixture
def open_client(store: Store, tmp_path: Path) -> TestClient:
    """No accounts, loopback: the open local mode."""
    return TestClient(make_app(store, tmp_path), base_url=LOCAL)


def csrf(client: TestClient) -> dict[str, str]:
    token = client.get("/api/session").json()["csrf_token"]
    return {"X-CSRF-Token": token}


def seed_world(store: Store) -> World:
    from myomap.services import clients, examination, visits
    from myomap.store.orm import Client
    from myomap.web.security import add_user

    with store.transaction() as session:
        for name, role, clinic in (
            ("alice", "practitioner", "Alpha"),
            ("fred", "front_desk", "Alpha"),
            ("rita", "researcher", "Alpha"),
            ("adam", "admin", "Alpha"),
            ("bob", "practitioner", "Beta"),
        ):
            add_user(session, username=name, role=role, password=PASSWORD, clinic=clinic)
        ids = {}
        for key, clinic_user in (("alpha", "alice"), ("beta", "bob")):
            from myomap.web.security import find_user

            user = find_user(session, clinic_user)
            assert user is not None
            cid = clients.add_client(
                session, display_name=f"Test {key.title()} Person", birth_year=1980
            ).id
            row = session.get(Client, cid)
            assert row is not None
            row.clinic_id = user.clinic_id
            vid = visits.start_visit(session, cid, practitioner=clinic_user).id
            examination.add_drawing(
                session, vid, {"areas": [{"regions": ["temple_r", "neck_back_r"], "intensity": 6}]}
            )
            ids[key] = (cid, vid)
    return World(store, ids["alpha"][0], ids["alpha"][1], ids["beta"][0], ids["beta"][1])


@pytest.fixture(scope="session")
def world_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, World]:
    """Seed once (Argon2 hashing is slow on purpose), then copy the file for each test."""
    path = tmp_path_factory.mktemp("world") / "world.sqlite3"
    template = open_store(f"sqlite:///{path}")
    seeded = seed_world(template)
    template.close()
    return path, seeded


@pytest.fixture
def world(store: Store, world_template: tuple[Path, World]) -> World:
    import shutil

    path, seeded = world_template
    store.close()
    target = Path(store.url.removeprefix("sqlite:///"))
    shutil.copyfile(path, target)
    return World(
        store, seeded.alpha_client, seeded.alpha_visit, seeded.beta_client, seeded.beta_visit
    )


@pytest.fixture
def login(store: Store, tmp_path: Path, world: World) -> Callable[[str], TestClient]:
    """A logged-in TestClient for one of the world's accounts (auth is on: accounts exist)."""
    app = make_app(store, tmp_path)

    def as_user(username: str) -> TestClient:
        client = TestClient(app, base_url=LOCAL)
        r = client.post(
            "/api/login", json={"username": username, "password": PASSWORD}, headers=csrf(client)
        )
        assert r.status_code == 200, r.text
        return client

    return as_user


@pytest.fixture
def anonymous(store: Store, tmp_path: Path, world: World) -> TestClient:
    return TestClient(make_app(store, tmp_path), base_url=LOCAL)
