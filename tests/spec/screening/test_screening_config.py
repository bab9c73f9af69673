"""The intake format, the rule grammar and a clinic's own rule file (WARN mode)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from myomap.config import load_settings
from myomap.domain.drawing import PainDrawing
from myomap.domain.errors import DataError, UsageError
from myomap.domain.screening import RuleProblem, compile_rule
from myomap.knowledge.load import Knowledge, KnowledgeSources, load
from myomap.knowledge.loader import load_bodymap
from myomap.knowledge.screening import bundled_rules, load_questionnaire, load_rules
from myomap.services.care import intake_from_mapping, intake_template, screen_intake


def _drawing(*regions: str) -> PainDrawing:
    return PainDrawing.model_validate({"areas": [{"regions": list(regions), "intensity": 5}]})


# -- questionnaire and intake --------------------------------------------------------------------


def test_questionnaire_items_have_sources_and_plain_questions() -> None:
    q = load_questionnaire()
    sources = bundled_rules().sources
    assert len(q.items) >= 60
    for item in q.items:
        assert item.sources and all(s in sources for s in item.sources), item.id
        assert item.question.endswith(("?", ".")), item.id
        assert item.section in q.sections, item.id


def test_questionnaire_covers_the_issue_list() -> None:
    ids = set(load_questionnaire().ids)
    for needed in (
        "fever",
        "infection",
        "blood_pressure_uncontrolled",
        "dvt_known",
        "inflamed_regions",
        "skin_regions",
        "surgery_regions",
        "fracture_regions",
        "varicose_regions",
        "tumour_regions",
        "anticoagulants",
        "bleeding_disorder",
        "osteoporosis",
        "pregnant",
        "neuropathy",
        "device_regions",
        "cancer_history",
        "dizziness",
        "diplopia",
        "dysarthria",
        "dysphagia",
        "drop_attacks",
        "nausea_vomiting",
        "nystagmus",
        "numbness_face",
        "ataxia",
    ):
        assert needed in ids


def test_template_is_a_valid_empty_intake() -> None:
    template = intake_template()
    assert set(template["answers"]) == set(load_questionnaire().ids)
    assert all(v is None for v in template["answers"].values())
    intake = intake_from_mapping(template)
    assert intake.answers == {}


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"fever": "maybe"}, "intake field 'answers.fever': expected true/false, got \"maybe\""),
        (
            {"age": 200},
            "intake field 'answers.age': expected a whole number from 0 to 120, got 200",
        ),
        ({"age": 41.5}, "intake field 'answers.age': expected a whole number"),
        ({"stress": "high"}, "intake field 'answers.stress': expected a number from 0 to 10"),
        ({"pregnant": "yes"}, "intake field 'answers.pregnant': expected one of \"no\""),
        ({"skin_regions": "shoulder"}, "intake field 'answers.skin_regions': expected a list"),
        ({"skin_regions": ["shouldr_top_r"]}, "unknown region 'shouldr_top_r'"),
        (
            {"fevre": True},
            "intake field 'answers.fevre': not a screening question. Did you mean: fever?",
        ),
    ],
)
def test_malformed_intake_names_the_field(answers: dict[str, Any], message: str) -> None:
    with pytest.raises(UsageError) as exc:
        intake_from_mapping({"answers": answers})
    assert message in str(exc.value)


def test_unknown_top_level_field_and_format() -> None:
    with pytest.raises(UsageError, match="intake field 'answer'"):
        intake_from_mapping({"answer": {}})
    with pytest.raises(UsageError, match="intake field 'format'"):
        intake_from_mapping({"format": "other/1", "answers": {}})


def test_base_region_in_an_answer_means_both_sides() -> None:
    intake = intake_from_mapping({"answers": {"varicose_regions": ["calf_upper"]}})
    assert set(intake.answers["varicose_regions"]) == {"calf_upper_l", "calf_upper_r"}  # type: ignore[arg-type]


# -- rules ---------------------------------------------------------------------------------------


def test_every_bundled_rule_has_source_and_evidence() -> None:
    rules = bundled_rules()
    assert len(rules.rules) >= 40
    for r in rules.rules:
        assert r.sources and r.evidence and r.message, r.id


def test_unanswered_question_never_fires_a_rule_but_is_reported() -> None:
    empty = screen_intake(intake_from_mapping({"answers": {}}), _drawing("lumbar_spine"))
    assert empty.decision == "not_screened"
    assert [r.rule for r in empty.reasons] == ["no_intake"]
    one = screen_intake(
        intake_from_mapping({"answers": {"fever": False}}), _drawing("lumbar_spine")
    )
    assert [r.rule for r in one.reasons] == ["unanswered"]
    safety = load_questionnaire().unanswered_safety(intake_from_mapping({"answers": {}}))
    assert f"{len(safety) - 1} safety questions are unanswered" in one.reasons[0].message
    full: dict[str, Any] = dict.fromkeys(safety, False)
    full.update({k: [] for k in safety if k.endswith("_regions")}, pregnant="no")
    complete = screen_intake(intake_from_mapping({"answers": full}), _drawing("lumbar_spine"))
    assert complete.reasons == ()


def test_no_drawing_is_reported_as_a_reason() -> None:
    result = screen_intake(intake_from_mapping({"answers": {"osteoporosis": True}}))
    assert result.decision == "modify"
    assert "no_drawing" in [r.rule for r in result.reasons]


def test_worst_severity_decides_and_every_reason_is_kept() -> None:
    intake = intake_from_mapping(
        {"answers": {"anticoagulants": True, "fever": True, "diplopia": True}}
    )
    result = screen_intake(intake, _drawing("neck_back_r"))
    assert result.decision == "emergency"
    severities = [r.severity for r in result.reasons]
    assert severities[0] == "emergency"
    assert {"refer", "modify"} <= set(severities)


def test_rule_grammar_problems_are_named() -> None:
    q, bm, sources = load_questionnaire(), load_bodymap(), bundled_rules().sources
    base = {
        "id": "x",
        "severity": "refer",
        "message": "m",
        "sources": ["nice_ng59"],
        "evidence": "e",
    }
    bad = [
        ({**base, "when": {"answer": "nope", "is": True}}, "unknown question 'nope'"),
        ({**base, "when": {"answer": "fever", "gte": 3}}, "does not fit question 'fever'"),
        ({**base, "when": {"pain_in": ["elbw"]}}, "unknown region 'elbw'"),
        ({**base, "when": {"pain_in": ["set:nothing"]}}, "unknown region set"),
        ({**base, "severity": "urgent", "when": {"answer": "fever", "is": True}}, "severity"),
        ({**base, "sources": ["made_up"], "when": {"answer": "fever", "is": True}}, "sources"),
        ({**base, "when": {"weird": 1}}, "unknown condition"),
    ]
    for raw, msg in bad:
        with pytest.raises(RuleProblem, match=msg):
            compile_rule(raw, q, {}, bm, sources)


# -- a clinic's rule file --------------------------------------------------------------------------


def _write(tmp_path: Path, doc: dict[str, Any]) -> Path:
    path = tmp_path / "clinic-rules.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_clinic_file_adds_disables_and_skips_bad_rules(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        {
            "sources": {"clinic_policy": {"label": "Clinic policy", "citation": "Our policy 2026"}},
            "disable": ["precaution_osteoporosis", "no_such_rule"],
            "rules": [
                {
                    "id": "clinic_over_80",
                    "severity": "modify",
                    "when": {"answer": "age", "gte": 80},
                    "message": "Over 80: light pressure.",
                    "sources": ["clinic_policy"],
                    "evidence": "Clinic policy.",
                    "changes": {"pressure": "light"},
                },
                {
                    "id": "broken",
                    "severity": "refer",
                    "when": {"answer": "nope", "is": True},
                    "message": "m",
                    "sources": ["clinic_policy"],
                    "evidence": "e",
                },
            ],
        },
    )
    loaded = load_rules(path)
    ids = [r.id for r in loaded.rules.rules]
    assert "clinic_over_80" in ids and "precaution_osteoporosis" not in ids
    assert "broken" not in ids
    text = "\n".join(loaded.problems)
    assert "no_such_rule" in text and "broken" not in ids and "rules[1] skipped" in text
    intake = intake_from_mapping({"answers": {"age": 84, "osteoporosis": True}})
    clinic = Knowledge(KnowledgeSources(screening_rules=path))
    result = screen_intake(intake, _drawing("mid_back_l"), knowledge=clinic)
    assert [r.rule for r in result.reasons if r.severity != "info"] == ["clinic_over_80"]
    assert result.pressure_limit == "light"


def test_clinic_file_from_environment_and_warning_on_disabling_emergency(
    tmp_path: Path,
) -> None:
    path = _write(tmp_path, {"disable": ["cad_sudden_headache"]})
    settings = load_settings({"MYOMAP_SCREENING_RULES": str(path)})
    loaded = load(settings).loaded_rules
    assert "cad_sudden_headache" not in [r.id for r in loaded.rules.rules]
    assert any("reaches emergency" in p for p in loaded.problems)
    assert load(load_settings({})).rules is bundled_rules()


def test_clinic_file_missing_or_not_json(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not found"):
        load_rules(tmp_path / "absent.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(UsageError, match="not valid JSON"):
        load_rules(bad)


def test_bundled_rules_are_strict(monkeypatch: pytest.MonkeyPatch) -> None:
    """A broken bundled rule is a bug: loading raises instead of skipping it."""
    from myomap.knowledge import screening

    real = screening._read

    def broken(name: str) -> Any:
        raw = real(name)
        if name == "screening/rules.json":
            raw = {**raw, "rules": [*raw["rules"], {"id": "bad", "severity": "refer"}]}
        return raw

    monkeypatch.setattr(screening, "_read", broken)
    with pytest.raises(DataError, match="rule 'bad': missing"):
        screening.bundled_rules.__wrapped__()


def test_every_question_and_rule_is_documented() -> None:
    docs = (Path(__file__).resolve().parents[3] / "docs" / "screening.md").read_text(
        encoding="utf-8"
    )
    missing = [f"question {i}" for i in load_questionnaire().ids if f"`{i}`" not in docs]
    missing += [f"rule {r.id}" for r in bundled_rules().rules if f"`{r.id}`" not in docs]
    assert missing == [], "regenerate the tables in docs/screening.md"
