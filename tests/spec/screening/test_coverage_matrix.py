"""The coverage matrix (data/screening/coverage.json) against the questions, rules, sources and
vignettes it names: a condition without a question, a rule or its vignettes fails here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from myomap.domain.coverage import Condition, CoverageFile
from myomap.knowledge.screening import bundled_rules, load_questionnaire
from tests.spec.screening.test_screening_vignettes import VIGNETTES
from tests.spec.screening.test_screening_vignettes_conditions import CONDITION_VIGNETTES
from tests.spec.screening.test_screening_vignettes_mimics import MIMICS

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "src" / "myomap" / "data" / "screening"
MATRIX = CoverageFile.model_validate_json((DATA / "coverage.json").read_text(encoding="utf-8"))
BY_ID = {v.id: v for v in [*VIGNETTES, *MIMICS, *CONDITION_VIGNETTES]}
SOURCES = json.loads((DATA / "sources.json").read_text(encoding="utf-8"))["sources"]


@pytest.mark.parametrize("c", MATRIX.conditions, ids=[c.id for c in MATRIX.conditions])
def test_condition_has_questions_rules_sources_and_vignettes(c: Condition) -> None:
    questions = set(load_questionnaire().ids)
    rules = {r.id: r for r in bundled_rules().rules}
    assert set(c.questions) <= questions, c.id
    assert set(c.rules) <= set(rules), c.id
    assert set(c.sources) <= set(SOURCES), c.id
    reached = {rules[r].severity for r in c.rules}
    assert reached & {"emergency", "refer"}, c.id
    assert set(c.decision.split(" or ")) <= reached, c.id
    # every rule reads at least one of the listed questions (the matrix says what is asked)
    for r in c.rules:
        assert rules[r].when.mentions() & set(c.questions), (c.id, r)
    for vid in c.vignettes.red_flags:
        assert vid in BY_ID, (c.id, vid)
        assert BY_ID[vid].decision in ("emergency", "refer"), (c.id, vid)
    for vid in c.vignettes.lookalikes:
        assert vid in BY_ID, (c.id, vid)
        assert BY_ID[vid].decision in ("proceed", "modify"), (c.id, vid)


def test_conditions_named_by_the_issue_are_covered_or_listed_as_gaps() -> None:
    named = {c.id for c in MATRIX.conditions} | {g.id for g in MATRIX.not_yet_covered}
    for must in (
        "acute_coronary_syndrome",
        "stable_angina",
        "pulmonary_embolism",
        "giant_cell_arteritis",
        "meningitis",
        "cauda_equina",
        "abdominal_aortic_aneurysm",
        "aortic_dissection",
        "septic_arthritis",
        "herpes_zoster",
        "pneumothorax",
        "pericarditis",
        "peptic_ulcer",
        "ectopic_pregnancy_and_pelvic_causes",
        "testicular_torsion",
        "spinal_cord_compression",
        "acute_limb_ischaemia",
        "compartment_syndrome",
        "inflammatory_back_pain",
        "polymyalgia_rheumatica",
        "cervical_myelopathy",
        "progressive_radiculopathy",
    ):
        assert must in named, must
    covered = {c.id for c in MATRIX.conditions}
    assert not covered & {g.id for g in MATRIX.not_yet_covered}
    assert len(covered) >= 34
    assert not MATRIX.not_yet_covered  # every condition the issue names has rules and vignettes


def test_docs_show_every_condition_of_the_matrix() -> None:
    docs = (ROOT / "docs" / "screening.md").read_text(encoding="utf-8")
    for c in MATRIX.conditions:
        row = next((line for line in docs.splitlines() if line.startswith(f"| {c.name} |")), None)
        assert row is not None, c.id
        for r in c.rules:
            assert f"`{r}`" in row, (c.id, r)
    for g in MATRIX.not_yet_covered:
        assert g.name in docs, g.id


def test_matrix_test_fails_on_a_condition_without_a_rule() -> None:
    c = MATRIX.conditions[0].model_copy(update={"rules": ["no_such_rule"]})
    with pytest.raises(AssertionError):
        test_condition_has_questions_rules_sources_and_vignettes(c)
