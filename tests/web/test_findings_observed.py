"""A finding stores what was observed: a one-tap result is not three palpation criteria.

Regression: one tap "confirmed" on the visit page used to store taut band, hypersensitive spot
and referred pain as true, so the legal record claimed criteria nobody entered.
"""

from __future__ import annotations

from typing import Any

from myomap.services import examination, visits
from myomap.store.orm import TrPFinding
from tests.web.conftest import World, csrf


def _finding(client: Any, visit_id: int, **body: Any) -> Any:
    return client.post(
        f"/api/visits/{visit_id}/findings",
        headers=csrf(client),
        json={"trp": "trapezius.tp1", "side": "right", **body},
    )


def test_one_tap_confirmed_is_stored_as_a_result(login: Any, world: World) -> None:
    alice = login("alice")
    r = _finding(alice, world.alpha_visit, result="confirmed")
    assert r.status_code == 201, r.text
    made = r.json()
    assert made["kind"] == "confirmed" and made["confirmed"] is True
    assert (made["taut_band"], made["hypersensitive_spot"], made["referred_pain"]) == (
        None,
        None,
        None,
    )
    assert made["recognised"] is None  # a tap says nothing about the client's recognition
    with world.store.transaction() as s:
        row = s.get(TrPFinding, made["id"])
        assert row is not None
        assert (row.kind, row.taut_band, row.hypersensitive_spot, row.referred_pain) == (
            "confirmed",
            None,
            None,
            None,
        )
    shown = alice.get(f"/api/visits/{world.alpha_visit}").json()["findings"]
    assert [(f["kind"], f["confirmed"]) for f in shown] == [("confirmed", True)]
    screened = alice.post(
        f"/api/clients/{world.alpha_client}/intakes",
        headers=csrf(alice),
        json={"answers": {"fever": False, "pain_on_exertion": False}},
    )
    assert screened.status_code == 201, screened.text  # a plan needs a screened client
    plan = alice.get(f"/api/visits/{world.alpha_visit}/plan").json()
    treated = [s for s in plan["session"]["steps"] if s.get("trigger_point") == "trapezius.tp1"]
    assert treated and all(s["confirmed"] and not s["confirm_first"] for s in treated)


def test_one_tap_absent_and_criteria_are_kept_apart(login: Any, world: World) -> None:
    alice = login("alice")
    absent = _finding(alice, world.alpha_visit, result="absent").json()
    assert (absent["kind"], absent["confirmed"], absent["taut_band"]) == ("absent", False, None)
    criteria = _finding(
        alice,
        world.alpha_visit,
        side="left",
        taut_band=True,
        hypersensitive_spot=False,
        referred_pain=True,
    ).json()
    assert (criteria["kind"], criteria["confirmed"]) == ("criteria", True)
    assert (criteria["taut_band"], criteria["hypersensitive_spot"]) == (True, False)
    both = _finding(alice, world.alpha_visit, result="confirmed", taut_band=True)
    assert both.status_code == 400 and "not both" in both.json()["detail"]


def test_fhir_reads_a_one_tap_finding(login: Any, world: World) -> None:
    alice = login("alice")
    _finding(alice, world.alpha_visit, result="confirmed")
    bundle = alice.get(f"/api/clients/{world.alpha_client}/fhir.json").json()
    observations = [
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Observation"
        and e["resource"]["code"]["coding"][0]["code"] == "trigger-point-finding"
    ]
    assert observations and observations[0]["valueBoolean"] is True
    codes = {c["code"]["coding"][0]["code"] for c in observations[0].get("component", [])}
    assert not codes & {"taut-band", "hypersensitive-spot", "referred-pain"}


def test_the_service_refuses_an_unknown_trigger_point(world: World) -> None:
    """The atlas check lives in the use case, so the CLI gets it as well as the web."""
    import pytest

    from myomap.domain.errors import UsageError

    with pytest.raises(UsageError, match="not in the atlas"), world.store.transaction() as s:
        examination.add_finding(
            s, world.alpha_visit, trp="nosuch.tp1", side="left", result="confirmed"
        )
    with world.store.transaction() as s:
        assert visits.show_visit(s, world.alpha_visit).findings == []


def test_the_service_refuses_an_empty_drawing(world: World) -> None:
    """An empty drawing is refused by the use case, so `myomap visit drawing` refuses it too."""
    import pytest

    from myomap.domain.errors import UsageError

    with pytest.raises(UsageError, match="the drawing is empty"), world.store.transaction() as s:
        examination.add_drawing(s, world.alpha_visit, {"areas": []})
