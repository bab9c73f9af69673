"""Instrument scoring against published scoring rules and thresholds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from myomap.domain.errors import UsageError
from myomap.domain.exam_measures import percent_of_norm, ppt_mean, side_difference, to_kpa
from myomap.domain.outcomes import (
    NOT_ENOUGH_DATA,
    Catalogue,
    classify_change,
    score,
)
from myomap.domain.trend import trend
from myomap.knowledge.instruments import bundled_catalogue, load_catalogue
from myomap.services.outcomes import parse_answer


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return bundled_catalogue()


def test_bundled_ids_are_the_issue_contract(cat: Catalogue) -> None:
    assert {"nrs", "vas", "pgic", "gad7", "phq2", "phq9", "pss10", "pss4", "sleep"} <= set(
        cat.instruments
    )


def test_pss10_reverses_items_4_5_7_8(cat: Catalogue) -> None:
    # Cohen's scoring notes: reverse the four positively stated items (0=4, 1=3 ...), then sum.
    all_never = score(cat.get("pss10"), [0] * 10)
    assert all_never.total == 16
    assert all_never.items == (0, 0, 0, 4, 4, 0, 4, 4, 0, 0)
    assert score(cat.get("pss10"), [4] * 10).total == 24
    mixed = score(cat.get("pss10"), [3, 2, 3, 1, 0, 2, 1, 1, 3, 2])
    assert mixed.total == 3 + 2 + 3 + 3 + 4 + 2 + 3 + 3 + 3 + 2
    assert mixed.band == "high"


def test_pss4_reverses_items_2_and_3(cat: Catalogue) -> None:
    result = score(cat.get("pss4"), [1, 1, 1, 1])
    assert result.items == (1, 3, 3, 1) and result.total == 8


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "moderately severe"),
        (19, "moderately severe"),
        (20, "severe"),
        (27, "severe"),
    ],
)
def test_phq9_bands_at_kroenke_cut_points(cat: Catalogue, total: int, band: str) -> None:
    answers = [min(3, max(0, total - 3 * k)) for k in range(9)]
    result = score(cat.get("phq9"), answers)
    assert (result.total, result.band) == (total, band)


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "severe"),
        (21, "severe"),
    ],
)
def test_gad7_bands_5_10_15(cat: Catalogue, total: int, band: str) -> None:
    answers = [min(3, max(0, total - 3 * k)) for k in range(7)]
    assert score(cat.get("gad7"), answers).band == band


def test_phq2_screen_at_3(cat: Catalogue) -> None:
    assert score(cat.get("phq2"), [1, 1]).band == "below screening cut-point"
    assert score(cat.get("phq2"), [2, 1]).band == "positive screen"


def test_out_of_range_names_the_item_not_the_value(cat: Catalogue) -> None:
    with pytest.raises(UsageError, match=r"gad7 item 4: .*0 to 3") as info:
        score(cat.get("gad7"), [1, 2, 0, 7, 1, 0, 2])
    assert "7" not in str(info.value).replace("gad7", "")
    with pytest.raises(UsageError, match="whole numbers"):
        score(cat.get("phq9"), [1.5] + [0] * 8)
    with pytest.raises(UsageError, match="9 item"):
        score(cat.get("phq9"), [1, 2, 3])


def test_bundled_questionnaires_need_every_item(cat: Catalogue) -> None:
    with pytest.raises(UsageError, match="1 item.*unanswered.*every item"):
        score(cat.get("phq9"), [1, None, 0, 0, 0, 0, 0, 0, 0])


def test_vas_accepts_decimals_and_pgic_bands_are_answer_labels(cat: Catalogue) -> None:
    assert score(cat.get("vas"), [37.5]).total == 37.5
    assert score(cat.get("pgic"), [2]).band == "much improved"


@pytest.mark.parametrize(
    ("baseline", "latest", "category", "responder"),
    [
        (8, 4, "substantial improvement", True),  # 50 %
        (10, 7, "moderate improvement", True),  # 30 %
        (10, 8, "minimal improvement", True),  # 20 %, but 2 points (Farrar 2001)
        (6, 5, "minimal improvement", False),  # 17 %, 1 point
        (5, 5, "no important change", False),
        (4, 6, "worse", False),
    ],
)
def test_nrs_immpact_categories_and_two_point_rule(
    cat: Catalogue, baseline: int, latest: int, category: str, responder: bool
) -> None:
    change = classify_change(cat.get("nrs"), baseline, latest)
    assert (change.category, change.responder) == (category, responder)


def test_nrs_criteria_list_what_was_met(cat: Catalogue) -> None:
    change = classify_change(cat.get("nrs"), 8, 4)
    assert set(change.criteria) == {"IMMPACT 30 %", "IMMPACT 50 %", "MCID 2 points"}
    assert change.percent == 50


def test_gad7_mcid_is_four_points(cat: Catalogue) -> None:
    assert classify_change(cat.get("gad7"), 12, 8).category == "improved beyond the MCID"
    small = classify_change(cat.get("gad7"), 12, 10)
    assert small.category == "change below the MCID" and small.below_mcid is True
    assert classify_change(cat.get("gad7"), 6, 11).category == "worse beyond the MCID"


def test_sleep_quality_improves_upwards(cat: Catalogue) -> None:
    change = classify_change(cat.get("sleep"), 3, 7)
    assert change.improvement == 4 and change.responder is None


def test_pgic_responder_is_much_or_very_much_improved(cat: Catalogue) -> None:
    assert classify_change(cat.get("pgic"), 4, 2).responder is True
    assert classify_change(cat.get("pgic"), 4, 3).responder is False


def test_change_within_measurement_error_is_flagged(cat: Catalogue) -> None:
    ndi = cat.get("nrs").model_copy(update={"mdc": 3.0})
    assert classify_change(ndi, 6, 4).within_error is True
    assert classify_change(ndi, 6, 2).within_error is False
    assert classify_change(cat.get("nrs"), 6, 4).within_error is None


def test_trend_needs_three_points() -> None:
    assert trend("lower_is_better", [(0, 7), (7, 5)], 2).status == NOT_ENOUGH_DATA
    falling = trend("lower_is_better", [(0, 7), (7, 5), (14, 3)], 2)
    assert falling.status == "improving" and falling.slope_per_week == pytest.approx(-2)
    assert trend("lower_is_better", [(0, 5), (7, 5), (14, 6)], 2).status == "stable"
    assert trend("higher_is_better", [(0, 7), (7, 5), (14, 3)], 2).status == "worsening"


def test_examination_helpers() -> None:
    assert ppt_mean([150, 160, 170]) == 160
    assert to_kpa(2.0, "kg/cm2", 98.0665) == pytest.approx(196.133)
    assert side_difference(180.0, 150.0) == 30 and side_difference(None, 150.0) is None
    assert percent_of_norm(60, 80) == 75


def test_parse_answer() -> None:
    assert parse_answer("3") == 3 and parse_answer("-") is None and parse_answer("NA") is None
    with pytest.raises(UsageError, match="numbers"):
        parse_answer("three")


def _clinic_file(tmp_path: Path, instruments: list[dict[str, object]]) -> Path:
    folder = tmp_path / "instruments"
    folder.mkdir()
    (folder / "clinic.json").write_text(
        json.dumps({"format": "myomap.instruments/1", "instruments": instruments}), encoding="utf-8"
    )
    return tmp_path


NDI = {
    "id": "ndi",
    "name": "Neck Disability Index",
    "short": "NDI",
    "items": {"count": 10, "min": 0, "max": 5},
    "missing": {"rule": "mean_impute", "max_missing": 2},
    "bands": [
        {"min": 0, "max": 4, "label": "none"},
        {"min": 5, "max": 14, "label": "mild"},
        {"min": 15, "max": 24, "label": "moderate"},
        {"min": 25, "max": 34, "label": "severe"},
        {"min": 35, "max": 50, "label": "complete"},
    ],
    "mcid": {"points": 5},
    "mdc": 5,
    "licence": "Used under the clinic's licence.",
}


def test_clinic_instrument_with_mean_imputation(tmp_path: Path) -> None:
    cat = load_catalogue(_clinic_file(tmp_path, [NDI]))
    ndi = cat.get("ndi")
    assert ndi.licensed
    result = score(ndi, [2, 2, 1, 1, None, 2, 2, 1, 1, 2])
    assert result.total == pytest.approx(14 / 9 * 10, abs=1e-3) and result.imputed
    with pytest.raises(UsageError, match="at most 2"):
        score(ndi, [None, None, None, 1, 1, 2, 2, 1, 1, 2])
    assert classify_change(ndi, 20, 17).within_error is True


def test_clinic_file_loads_in_warn_mode(tmp_path: Path) -> None:
    odi: dict[str, object] = {
        "id": "odi",
        "name": "Oswestry Disability Index",
        "short": "ODI",
        "items": {"count": 10, "min": 0, "max": 5},
        "scoring": "percent",
        "missing": {"rule": "answered_only", "max_missing": 1},
        "licence": "Clinic licence.",
    }
    broken: dict[str, object] = {
        "id": "bad",
        "name": "Broken",
        "short": "B",
        "items": {"count": 0, "min": 0, "max": 1},
        "licence": "x",
    }
    clash = dict(NDI, id="phq9")
    with pytest.warns(UserWarning) as caught:
        cat = load_catalogue(_clinic_file(tmp_path, [odi, broken, clash]))
    messages = " ".join(str(w.message) for w in caught)
    assert "bad" in messages and "phq9" in messages
    assert "bad" not in cat.instruments
    assert cat.get("phq9").licensed is False
    assert score(cat.get("odi"), [5, 5, 5, 5, 5, 0, 0, 0, 0, None]).total == pytest.approx(
        25 / 45 * 100, rel=1e-3
    )


@given(st.lists(st.integers(0, 4), min_size=10, max_size=10))
def test_pss10_total_stays_in_range_and_reverses_symmetrically(answers: list[int]) -> None:
    inst = bundled_catalogue().get("pss10")
    total = score(inst, answers).total
    assert total is not None and 0 <= total <= 40
    flipped = score(inst, [4 - a for a in answers]).total
    assert flipped == 40 - total


def test_bundled_wording_fits_each_instrument_and_names_known_sources() -> None:
    from myomap.knowledge.instruments import bundled_catalogue

    cat = bundled_catalogue()
    for inst in cat.instruments.values():
        assert inst.wording is not None or inst.wording_note, inst.id
        if inst.wording is not None:
            assert set(inst.wording.source) <= set(cat.sources), inst.id
    assert len(cat.instruments["gad7"].wording.items) == 7  # type: ignore[union-attr]


def test_wording_with_the_wrong_number_of_items_is_refused() -> None:
    from pydantic import ValidationError

    from myomap.domain.outcomes import Instrument

    entry = {
        "id": "two",
        "name": "Two items",
        "short": "T2",
        "items": {"count": 2, "min": 0, "max": 3},
        "licence": "test",
        "wording": {"prompt": "How often?", "items": ["only one"], "source": ["x"]},
    }
    with pytest.raises(ValidationError, match="one text per item"):
        Instrument.model_validate(entry)
