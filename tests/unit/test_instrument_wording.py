"""The bundled questionnaires as they are published: each instrument's item count, answer range,
reverse-scored items and labelled answers match its source, every shown wording says where it was
checked, and an instrument whose wording may not be reproduced shows none (the clinic supplies
the licensed form)."""

from __future__ import annotations

import pytest

from myomap.domain.outcomes import Catalogue
from myomap.knowledge.instruments import bundled_catalogue

FREQUENCY = ["Not at all", "Several days", "More than half the days", "Nearly every day"]

# What each source publishes: items, answer range, reverse-scored items (1-based) and, where the
# source labels every answer, those labels in order. Kroenke 2001 and the Pfizer forms (PHQ-9,
# PHQ-2), Spitzer 2006 (GAD-7), Cohen's PSS scoring notes, Farrar 2001 (PI-NRS 0-10 and the
# seven-point PGIC, NINDS CDE), IMMPACT 2008 (VAS 0-100 mm) and Snyder 2018 (sleep 0-10).
PUBLISHED: dict[str, tuple[int, float, float, tuple[int, ...], list[str] | None]] = {
    "phq9": (9, 0, 3, (), FREQUENCY),
    "phq2": (2, 0, 3, (), FREQUENCY),
    "gad7": (7, 0, 3, (), FREQUENCY),
    "pss10": (10, 0, 4, (4, 5, 7, 8), None),
    "pss4": (4, 0, 4, (2, 3), None),
    "nrs": (1, 0, 10, (), None),
    "vas": (1, 0, 100, (), None),
    "pgic": (
        1,
        1,
        7,
        (),
        [
            "Very much improved",
            "Much improved",
            "Minimally improved",
            "No change",
            "Minimally worse",
            "Much worse",
            "Very much worse",
        ],
    ),
    "sleep": (1, 0, 10, (), None),
}


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return bundled_catalogue()


@pytest.mark.parametrize("instrument", sorted(PUBLISHED))
def test_items_and_answer_ranges_match_the_source(cat: Catalogue, instrument: str) -> None:
    count, low, high, reverse, labels = PUBLISHED[instrument]
    inst = cat.get(instrument)
    assert (inst.items.count, inst.items.min, inst.items.max) == (count, low, high)
    assert tuple(inst.items.reverse) == reverse
    if inst.wording is not None:
        if count > 1:
            assert len(inst.wording.items) == count
        if labels is not None:
            assert [o.value for o in inst.wording.options] == list(range(int(low), int(high) + 1))
            assert [o.label for o in inst.wording.options] == labels


def test_phq2_is_the_first_two_phq9_items_with_its_prompt(cat: Catalogue) -> None:
    phq9, phq2 = cat.get("phq9").wording, cat.get("phq2").wording
    assert phq9 is not None and phq2 is not None
    assert phq2.items == phq9.items[:2] and phq2.prompt == phq9.prompt


def test_items_corrected_against_the_published_forms(cat: Catalogue) -> None:
    gad7, phq9, nrs = (cat.get(i).wording for i in ("gad7", "phq9", "nrs"))
    assert gad7 is not None and phq9 is not None and nrs is not None
    assert gad7.prompt.endswith("bothered by the following problems?")
    assert phq9.prompt.endswith("bothered by any of the following problems?")
    assert phq9.items[7].startswith("Moving or speaking so slowly that other people could have")
    assert "noticed? Or the opposite" in phq9.items[7]
    assert (
        phq9.items[8]
        == "Thoughts that you would be better off dead or of hurting yourself in some way"
    )
    assert [o.label for o in nrs.options] == ["No pain", "Worst possible pain"]


def test_every_shown_wording_says_where_it_was_checked(cat: Catalogue) -> None:
    for inst in cat.instruments.values():
        if inst.wording is None:
            continue
        assert inst.wording.checked, inst.id
        for key in inst.wording.source:
            assert key in cat.sources, (inst.id, key)


@pytest.mark.parametrize("instrument", ["pss10", "pss4"])
def test_wording_not_cleared_for_software_is_not_reproduced(
    cat: Catalogue, instrument: str
) -> None:
    inst = cat.get(instrument)
    assert inst.wording is None
    assert inst.wording_note is not None and "licensed copy" in inst.wording_note
