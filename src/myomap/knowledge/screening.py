"""The screening questionnaire and rules: the bundled set, and a clinic's rule file on top.

Bundled screening rules load strictly: a broken rule is a bug and raises
:class:`~myomap.domain.errors.DataError`. A clinic's rule file (``--rules FILE`` or the
``screening_rules`` setting, ``MYOMAP_SCREENING_RULES``) loads in WARN mode: a rule that does
not compile is skipped and reported, the rest apply. The file can add rules, replace a bundled
rule by reusing its id, and disable bundled rules by id (see docs/screening.md). The bundled
files are immutable package data, so their parse is memoised; the clinic's file is read only by
:class:`~myomap.knowledge.load.Knowledge`, once per application.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from myomap.domain.errors import DataError, UsageError
from myomap.domain.screening import (
    Condition,
    Questionnaire,
    Rule,
    RuleProblem,
    RuleSet,
    SourceInfo,
    build_questionnaire,
    compile_condition,
    compile_rule,
)
from myomap.knowledge.loader import data_root, load_bodymap, read_json
from myomap.knowledge.userfiles import read_json_file

RULES_ENV = "MYOMAP_SCREENING_RULES"


@dataclass(frozen=True)
class LoadedRules:
    rules: RuleSet
    problems: tuple[str, ...]  # WARN-mode problems from a clinic's rule file


def _read(name: str) -> Any:
    parts = name.split("/")
    node = data_root()
    for p in parts:
        node = node / p
    return read_json(node)


@lru_cache(maxsize=1)
def load_questionnaire() -> Questionnaire:
    try:
        return build_questionnaire(_read("screening/questionnaire.json"))
    except ValueError as exc:
        raise DataError(f"screening/questionnaire.json: {exc}") from None


def _sources(raw: Mapping[str, Any]) -> dict[str, SourceInfo]:
    return {
        sid: SourceInfo(
            label=str(s["label"]),
            citation=str(s["citation"]),
            evidence=str(s.get("evidence", "")),
            url=s.get("url"),
        )
        for sid, s in raw.items()
    }


@lru_cache(maxsize=1)
def bundled_rules() -> RuleSet:
    """The bundled rule set, compiled strictly (package data, so memoised per process)."""
    raw = _read("screening/rules.json")
    sources = _sources(_read("screening/sources.json")["sources"])
    q = load_questionnaire()
    bodymap = load_bodymap()
    sets = raw["region_sets"]
    problems: list[str] = []
    rules: list[Rule] = []
    seen: set[str] = set()
    for entry in raw["rules"]:
        try:
            rule = compile_rule(entry, q, sets, bodymap, sources)
        except RuleProblem as exc:
            problems.append(str(exc))
            continue
        if rule.id in seen:
            problems.append(f"rule {rule.id!r}: duplicate id")
        seen.add(rule.id)
        rules.append(rule)
    vd = None
    if "visceral_default" in raw:
        try:
            vd = compile_rule(
                {
                    "id": "visceral_default",
                    "when": {"painful_regions_at_least": 1},
                    **raw["visceral_default"],
                },
                q,
                sets,
                bodymap,
                sources,
            )
        except RuleProblem as exc:
            problems.append(str(exc))
    if problems:
        raise DataError("invalid screening rules:\n  " + "\n  ".join(problems))
    return RuleSet(
        str(raw.get("version", "")),
        tuple(rules),
        sources,
        vd,
        str(raw.get("no_drawing_message", "")),
        str(raw.get("no_intake_message", "")),
        str(raw.get("unanswered_message", "")),
        str(raw.get("not_screened_message", "")),
    )


def load_rules(path: Path | None = None) -> LoadedRules:
    """Bundled rules plus a clinic's file (``--rules`` or the ``screening_rules`` setting)."""
    base = bundled_rules()
    if path is None:
        return LoadedRules(base, ())
    return merge_user_rules(base, path)


def merge_user_rules(base: RuleSet, path: Path) -> LoadedRules:
    """Apply a clinic's rule file to the bundled set in WARN mode."""
    raw = read_json_file(
        path, "Rules", give="a rules JSON file", not_found=f" (from --rules or {RULES_ENV})"
    )
    if not isinstance(raw, dict):
        raise UsageError(
            f"Rules file {path.name!r} must be a JSON object with 'rules', "
            "'disable', 'sources' or 'region_sets'."
        )
    problems: list[str] = []
    unknown = set(raw) - {
        "format",
        "version",
        "rules",
        "disable",
        "sources",
        "region_sets",
        "statement",
    }
    problems += [f"{path.name}: ignored unknown key {k!r}" for k in sorted(unknown)]
    sources = dict(base.sources)
    try:
        sources.update(_sources(raw.get("sources", {})))
    except (KeyError, TypeError, AttributeError):
        problems.append(f"{path.name}: sources ignored (each needs a label and a citation)")
    bundled_sets = _read("screening/rules.json")["region_sets"]
    user_sets = raw.get("region_sets", {})
    if not isinstance(user_sets, dict):
        problems.append(
            f"{path.name}: 'region_sets' ignored (must be an object of name to region list)"
        )
        user_sets = {}
    sets = {**bundled_sets, **user_sets}
    rules = {r.id: r for r in base.rules}
    disable = raw.get("disable", [])
    if not isinstance(disable, list):
        problems.append(f"{path.name}: 'disable' must be a list of rule ids")
        disable = []
    for rid in disable:
        if rid not in rules:
            problems.append(f"{path.name}: cannot disable unknown rule {rid!r}")
            continue
        if rules[rid].severity == "emergency":
            problems.append(f"{path.name}: disabled rule {rid!r}, which reaches emergency")
        del rules[rid]
    q = load_questionnaire()
    bodymap = load_bodymap()
    entries = raw.get("rules", [])
    if not isinstance(entries, list):
        problems.append(f"{path.name}: 'rules' ignored (must be a list of rule objects)")
        entries = []
    for n, entry in enumerate(entries):
        try:
            rule = compile_rule(entry, q, sets, bodymap, sources, origin=path.name)
        except RuleProblem as exc:
            problems.append(f"{path.name}: rules[{n}] skipped: {exc}")
            continue
        except (TypeError, ValueError, KeyError, AttributeError):
            problems.append(
                f"{path.name}: rules[{n}] skipped: a field has the wrong type "
                "(see docs/screening.md for the rule format)"
            )
            continue
        if rule.id in rules and rules[rule.id].origin == "bundled":
            problems.append(f"{path.name}: rule {rule.id!r} replaces the bundled rule")
        rules[rule.id] = rule
    merged = replace(base, rules=tuple(rules.values()), sources=sources)
    return LoadedRules(merged, tuple(problems))


@lru_cache(maxsize=1)
def follow_up_conditions() -> dict[str, Condition]:
    """When each follow-up question is asked, compiled against the region vocabulary."""
    q = load_questionnaire()
    sets = _read("screening/rules.json")["region_sets"]
    out: dict[str, Condition] = {}
    for it in q.items:
        if it.follow_up is None:
            continue
        try:
            out[it.id] = compile_condition(
                it.follow_up["asked_when"], f"item {it.id!r}", q, sets, load_bodymap()
            )
        except RuleProblem as exc:
            raise DataError(f"screening/questionnaire.json: {exc}") from None
    return out
