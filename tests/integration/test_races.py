"""Real concurrent requests against ``myomap serve --workers 2``, on SQLite and PostgreSQL.

Two practitioners of one clinic fire two requests at the same visit at the same moment, 30 times
per kind of race: a note edit against the signature, two signatures, two amendments. Every race
must end with exactly one winner, a 409 with a plain message for the loser, and a stored visit
that is what the winner's answer said (no signed note changed, no signer overwritten, no
amendment lost). The edit and amendments carry the version their author saw, as the visit page
does; the signatures carry none, so the row lock alone must refuse the second one.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.integration.conftest import postgres_schema
from tests.integration.servers import free_port, start_server, stop_server

pytestmark = pytest.mark.slow

RACES = 30
PASSWORD = "race-test-password-1"
USERS = ("alice", "bob")


@dataclass
class Server:
    base: str
    clients: dict[str, httpx.Client]


def _add_users(url: str) -> None:
    from myomap.services.database import open_store
    from myomap.web.security import add_user

    store = open_store(url)
    try:
        with store.transaction() as session:
            for name in USERS:
                add_user(
                    session,
                    username=name,
                    role="practitioner",
                    password=PASSWORD,
                    clinic="Race Clinic",
                )
    finally:
        store.close()


def _login(base: str, name: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=60, headers={"Origin": base})
    token = client.get("/api/session").json()["csrf_token"]
    answer = client.post(
        "/api/login", json={"username": name, "password": PASSWORD}, headers={"X-CSRF-Token": token}
    )
    assert answer.status_code == 200, answer.text
    client.headers["X-CSRF-Token"] = answer.json()["csrf_token"]
    return client


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """One server per back end for all races (starting one costs more than the races)."""
    tmp_path = tmp_path_factory.mktemp("races")
    with ExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path / 'races.sqlite3'}"
        else:
            url = stack.enter_context(postgres_schema())
        yield from _serve(url, tmp_path)


def _serve(url: str, tmp_path: Path) -> Iterator[Server]:
    env = {**os.environ, "MYOMAP_DATA_DIR": str(tmp_path / "data"), "MYOMAP_DATABASE_URL": url}
    _add_users(url)
    proc, base = start_server(env, free_port(), workers=2)
    clients: dict[str, httpx.Client] = {}
    try:
        for name in USERS:
            clients[name] = _login(base, name)
        yield Server(base, clients)
    finally:
        for client in clients.values():
            client.close()
        stop_server(proc)


def _draft(c: httpx.Client, k: int) -> tuple[int, int]:
    cid = c.post("/api/clients", json={"display_name": f"Race {k}"}).json()["id"]
    vid = c.post(f"/api/clients/{cid}/visits", json={}).json()["id"]
    answer = c.put(
        f"/api/visits/{vid}/note", json={"subjective": f"original {k}", "plan": f"plan {k}"}
    )
    assert answer.status_code == 200, answer.text
    return vid, int(answer.json()["version"])


def _at_once(*calls: Callable[[], httpx.Response]) -> list[httpx.Response]:
    """Run the calls in threads released together by a barrier."""
    barrier = threading.Barrier(len(calls))
    out: list[httpx.Response | None] = [None] * len(calls)

    def run(i: int) -> None:
        barrier.wait()
        out[i] = calls[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r is not None for r in out)
    return [r for r in out if r is not None]


def _one_winner(answers: list[httpx.Response]) -> int:
    """Index of the single 2xx answer; the other must be a 409 with a plain one-line message."""
    codes = [r.status_code for r in answers]
    winners = [i for i, c in enumerate(codes) if 200 <= c < 300]
    assert len(winners) == 1 and sorted(codes)[-1] == 409, codes
    loser = answers[1 - winners[0]].json()["detail"]
    assert isinstance(loser, str) and "\n" not in loser and "Traceback" not in loser
    return winners[0]


def _race_edit_vs_sign(s: Server, k: int) -> bool:
    alice, bob = s.clients["alice"], s.clients["bob"]
    vid, version = _draft(alice, k)
    answers = _at_once(
        lambda: alice.put(
            f"/api/visits/{vid}/note", json={"subjective": f"edited {k}", "version": version}
        ),
        lambda: bob.post(f"/api/visits/{vid}/sign", json={"version": version}),
    )
    won = _one_winner(answers)
    after = alice.get(f"/api/visits/{vid}").json()
    if won == 0:
        return bool(
            after["status"] == "draft" and after["soap"]["subjective"]["current"] == f"edited {k}"
        )
    return bool(
        after["status"] == "signed"
        and after["signed_by"] == "bob"
        and after["soap"]["subjective"]["original"] == f"original {k}"
        and not after["amendments"]
    )


def _race_sign_vs_sign(s: Server, k: int) -> bool:
    alice, bob = s.clients["alice"], s.clients["bob"]
    vid, _ = _draft(alice, k)
    answers = _at_once(
        lambda: alice.post(f"/api/visits/{vid}/sign", json={}),
        lambda: bob.post(f"/api/visits/{vid}/sign", json={}),
    )
    won = _one_winner(answers)
    after = alice.get(f"/api/visits/{vid}").json()
    signed: dict[str, Any] = answers[won].json()
    return bool(
        after["signed_by"] == USERS[won] == signed["signed_by"]
        and after["signed_at"] == signed["signed_at"]
    )


def _race_amend_vs_amend(s: Server, k: int) -> bool:
    alice, bob = s.clients["alice"], s.clients["bob"]
    vid, _ = _draft(alice, k)
    signed = alice.post(f"/api/visits/{vid}/sign", json={})
    assert signed.status_code == 200, signed.text
    version = signed.json()["version"]

    def amend(c: httpx.Client, who: str) -> Callable[[], httpx.Response]:
        return lambda: c.post(
            f"/api/visits/{vid}/amendments",
            json={"field": "plan", "text": f"{who} plan {k}", "reason": "race", "version": version},
        )

    won = _one_winner(_at_once(amend(alice, "alice"), amend(bob, "bob")))
    after = alice.get(f"/api/visits/{vid}").json()
    return bool(
        [(a["old_value"], a["new_value"], a["author"]) for a in after["amendments"]]
        == [(f"plan {k}", f"{USERS[won]} plan {k}", USERS[won])]
        and after["soap"]["plan"]["original"] == f"plan {k}"
    )


@pytest.mark.parametrize(
    "race",
    [_race_edit_vs_sign, _race_sign_vs_sign, _race_amend_vs_amend],
    ids=["edit-vs-sign", "sign-vs-sign", "amend-vs-amend"],
)
def test_concurrent_writes_have_one_winner_and_a_409_loser(
    server: Server, race: Callable[[Server, int], bool]
) -> None:
    started = time.monotonic()
    corrupted = [k for k in range(RACES) if not race(server, k)]
    assert corrupted == [], f"{len(corrupted)} of {RACES} races left a wrong record"
    assert time.monotonic() - started < 60
