"""Screening, plans and handouts as use cases shared by the CLI and the web app.

Bundled screening rules load strictly: a broken rule is a bug and raises
:class:`~myomap.domain.errors.DataError`. A clinic's rule file (``--rules FILE`` or the
``MYOMAP_SCREENING_RULES`` environment variable) loads in WARN mode: a rule that does not compile
is skipped and reported, the rest apply. The file can add rules, replace a bundled rule by
reusing its id, and disable bundled rules by id (see docs/screening.md).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from myomap.domain.bodymap import BodyMap, Side
from myomap.domain.careplan import Plan, build_plan
from myomap.domain.drawing import PainDrawing
from myomap.domain.errors import DataError, UsageError
from myomap.domain.findings import AnyFinding, Finding
from myomap.domain.planner import PlanningData, TrPCandidate
from myomap.domain.screening import (
    Condition,
    Context,
    Intake,
    Questionnaire,
    Rule,
    RuleProblem,
    RuleSet,
    Screening,
    SourceInfo,
    VisceralMatch,
    build_questionnaire,
    compile_condition,
    compile_rule,
    parse_intake,
    screen,
)
from myomap.services.jsonfiles import read_json_file

RULES_ENV = "MYOMAP_SCREENING_RULES"


@dataclass(frozen=True)
class LoadedRules:
    rules: RuleSet
    problems: tuple[str, ...]  # WARN-mode problems from a clinic's rule file


def _read(name: str) -> Any:
    from myomap.knowledge.loader import data_root, read_json

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
        sid: SourceInfo(label=str(s["label"]), citation=str(s["citation"]),
                        evidence=str(s.get("evidence", "")), url=s.get("url"))
        for sid, s in raw.items()
    }


@lru_cache(maxsize=1)
def bundled_rules() -> RuleSet:
    """The bundled rule set, compiled strictly."""
    from myomap.knowledge.loader import load_bodymap

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
            vd = compile_rule({"id": "visceral_default", "when": {"painful_regions_at_least": 1},
                               **raw["visceral_default"]}, q, sets, bodymap, sources)
        except RuleProblem as exc:
            problems.append(str(exc))
    if problems:
        raise DataError("invalid screening rules:\n  " + "\n  ".join(problems))
    return RuleSet(str(raw.get("version", "")), tuple(rules), sources, vd,
                   str(raw.get("no_drawing_message", "")), str(raw.get("no_intake_message", "")),
                   str(raw.get("unanswered_message", "")),
                   str(raw.get("not_screened_message", "")))


def load_rules(path: Path | None = None, environ: Mapping[str, str] | None = None,
               ) -> LoadedRules:
    """Bundled rules plus a clinic's file from ``path`` or ``MYOMAP_SCREENING_RULES``."""
    env = os.environ if environ is None else environ
    if path is None and env.get(RULES_ENV):
        path = Path(env[RULES_ENV])
    base = bundled_rules()
    if path is None:
        return LoadedRules(base, ())
    return merge_user_rules(base, path)


def merge_user_rules(base: RuleSet, path: Path) -> LoadedRules:
    """Apply a clinic's rule file to the bundled set in WARN mode."""
    from myomap.knowledge.loader import load_bodymap

    raw = read_json_file(path, "Rules", give="a rules JSON file",
                         not_found=f" (from --rules or {RULES_ENV})")
    if not isinstance(raw, dict):
        raise UsageError(f"Rules file {path.name!r} must be a JSON object with 'rules', "
                         "'disable', 'sources' or 'region_sets'.")
    problems: list[str] = []
    unknown = set(raw) - {"format", "version", "rules", "disable", "sources", "region_sets",
                          "statement"}
    problems += [f"{path.name}: ignored unknown key {k!r}" for k in sorted(unknown)]
    sources = dict(base.sources)
    try:
        sources.update(_sources(raw.get("sources", {})))
    except (KeyError, TypeError, AttributeError):
        problems.append(f"{path.name}: sources ignored (each needs a label and a citation)")
    bundled_sets = _read("screening/rules.json")["region_sets"]
    user_sets = raw.get("region_sets", {})
    if not isinstance(user_sets, dict):
        problems.append(f"{path.name}: 'region_sets' ignored (must be an object of name to "
                        "region list)")
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
            problems.append(f"{path.name}: rules[{n}] skipped: a field has the wrong type "
                            "(see docs/screening.md for the rule format)")
            continue
        if rule.id in rules and rules[rule.id].origin == "bundled":
            problems.append(f"{path.name}: rule {rule.id!r} replaces the bundled rule")
        rules[rule.id] = rule
    merged = replace(base, rules=tuple(rules.values()), sources=sources)
    return LoadedRules(merged, tuple(problems))


# -- intake and drawing --------------------------------------------------------------------------


def intake_template() -> dict[str, Any]:
    return load_questionnaire().template()


def intake_from_mapping(raw: Any, bodymap: BodyMap | None = None) -> Intake:
    from myomap.knowledge.loader import load_bodymap

    return parse_intake(raw, load_questionnaire(), bodymap or load_bodymap())


def read_intake(path: Path) -> Intake:
    """An intake file, with errors that name the field and never echo long answers."""
    raw = read_json_file(path, "Intake",
                         give="an intake JSON file (see 'myomap screen --template')",
                         not_found=". Create one with 'myomap screen --template > intake.json'")
    return intake_from_mapping(raw)


@dataclass(frozen=True)
class DrawingFacts:
    """What screening and planning need from a drawing: painful regions, warnings, candidates."""

    painful: tuple[str, ...]
    visceral: tuple[VisceralMatch, ...]
    candidates: tuple[TrPCandidate, ...]


def drawing_facts(drawing: PainDrawing | None, findings: Sequence[AnyFinding | str] = (),
                  top: int | None = None) -> DrawingFacts:
    """Run the differential once; findings re-weight it and TrPs palpated absent drop out.

    Movement findings only re-weight the ranking; palpation findings also decide which TrPs
    count as confirmed for the plan.
    """
    if drawing is None:
        return DrawingFacts((), (), ())
    from myomap.domain.findings import parse_any_finding
    from myomap.services.differential import default_differential, locate

    data = load_planning()
    every = [parse_any_finding(f) if isinstance(f, str) else f for f in findings]
    fs = [f for f in every if isinstance(f, Finding)]
    diff = default_differential()
    ranking = locate(drawing, findings=every, differential=diff,
                     top=top or int(data.doses["selection"]["top_candidates"]))
    absent = {(f.trigger_point, f.side) for f in fs if not f.confirmed}
    confirmed = {(f.trigger_point, f.side) for f in fs if f.confirmed}

    def matches(pairs: set[tuple[str, Side | None]], tp: str, side: Side) -> bool:
        return (tp, side) in pairs or (tp, None) in pairs

    cands: list[TrPCandidate] = []
    seen: set[tuple[str, Side]] = set()
    for c in ranking.candidates:
        if matches(absent, c.trigger_point, c.side):
            continue
        cands.append(TrPCandidate(c.trigger_point, c.muscle, c.side, c.probability,
                                  matches(confirmed, c.trigger_point, c.side)))
        seen.add((c.trigger_point, c.side))
    model = diff.model
    for f in fs:  # a confirmed TrP outside the top candidates is still treated
        if not f.confirmed:
            continue
        for idx in model.finding_targets(f):
            inst = model.instances[idx]
            if (inst.trigger_point, inst.side) not in seen:
                cands.append(TrPCandidate(inst.trigger_point, inst.muscle, inst.side, 0.0, True))
                seen.add((inst.trigger_point, inst.side))
    visceral = tuple(VisceralMatch(w.pattern, w.cluster, w.message) for w in ranking.warnings)
    return DrawingFacts(tuple(ranking.regions), visceral, tuple(cands))


@lru_cache(maxsize=1)
def follow_up_conditions() -> dict[str, Condition]:
    """When each follow-up question is asked, compiled against the region vocabulary."""
    from myomap.knowledge.loader import load_bodymap

    q = load_questionnaire()
    sets = _read("screening/rules.json")["region_sets"]
    out: dict[str, Condition] = {}
    for it in q.items:
        if it.follow_up is None:
            continue
        try:
            out[it.id] = compile_condition(it.follow_up["asked_when"], f"item {it.id!r}", q, sets,
                                           load_bodymap())
        except RuleProblem as exc:
            raise DataError(f"screening/questionnaire.json: {exc}") from None
    return out


def questions_to_ask(intake: Intake, painful: Sequence[str] = ()) -> list[str]:
    """The questions for this person: every base question, and each follow-up whose drawing
    regions or earlier answers call for it (asked again as answers come in)."""
    ctx = Context(painful=frozenset(painful), has_drawing=bool(painful))
    when = follow_up_conditions()
    return [it.id for it in load_questionnaire().items
            if it.id not in when or when[it.id].holds(intake, ctx)]


def screen_intake(intake: Intake, drawing: PainDrawing | None = None, *,
                  rules: RuleSet | None = None, facts: DrawingFacts | None = None) -> Screening:
    """The screening decision for an intake, combined with the drawing when there is one.

    Follow-up questions the drawing or the answers call for count as unanswered safety
    questions until they are answered; the others are not asked, so they are not reported.
    """
    facts = facts or drawing_facts(drawing)
    q = load_questionnaire()
    asked = set(questions_to_ask(intake, facts.painful))
    missing = q.unanswered_safety(intake) + [
        i for i in follow_up_conditions() if i in asked and intake.get(i) is None]
    return screen(intake, rules or bundled_rules(), painful=facts.painful,
                  visceral=facts.visceral, has_drawing=drawing is not None,
                  unanswered=missing, screened=q.safety_answered(intake))


# -- planning ------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def load_planning() -> PlanningData:
    tech = _read("planning/techniques.json")
    doses = _read("planning/doses.json")
    data = PlanningData(
        techniques=tech["techniques"], adjuncts=tech["adjuncts"], signals=tech["signals"],
        default_technique=str(tech["default"]), benefits=_read("planning/benefits.json")[
            "benefits"], doses=doses, sources=_read("planning/sources.json")["sources"],
    )
    missing = sorted({s for t in [*data.techniques.values(), *data.adjuncts.values()]
                      for s in t["evidence"]["sources"] if s not in data.sources}
                     | {s for b in data.benefits for s in b["sources"] if s not in data.sources})
    if missing:
        raise DataError(f"planning data: unknown sources {', '.join(missing)}")
    return data


def check_minutes(minutes: int) -> int:
    lo, hi = load_planning().doses["minutes_allowed"]
    if not lo <= minutes <= hi:
        raise UsageError(f"--minutes must be between {lo} and {hi} (a session is typically "
                         f"30, 60 or 90 minutes), not {minutes}.")
    return minutes


OVERRIDE_MAX = 500


def check_override(reason: str) -> str:
    """An override reason is a sentence a colleague can read later: not blank, not an essay."""
    text = reason.strip()
    if not text:
        raise UsageError("--override-screening needs a reason (for example 'screened by phone "
                         "today, all answers no'), not an empty text.")
    if len(text) > OVERRIDE_MAX or "\x00" in text:
        raise UsageError(f"--override-screening: give a reason of at most {OVERRIDE_MAX} "
                         "characters without NUL characters.")
    return text


def make_plan(drawing: PainDrawing, intake: Intake | None = None, *,
              findings: Sequence[AnyFinding | str] = (), minutes: int = 60,
              rules: RuleSet | None = None, override_screening: str | None = None) -> Plan:
    """Screen, rank, choose techniques and build the session and home-care plan.

    ``override_screening`` is the therapist's reason to plan pressure work for a person who was
    not screened; it is recorded in the plan and never lifts ``refer`` or ``emergency``.
    """
    from myomap.knowledge.loader import load_atlas, load_bodymap

    check_minutes(minutes)
    intake = intake or Intake({})
    facts = drawing_facts(drawing, findings)
    screening = screen_intake(intake, drawing, rules=rules, facts=facts)
    if override_screening is not None:
        screening = screening.with_override(check_override(override_screening))
    return build_plan(atlas=load_atlas(), bodymap=load_bodymap(), data=load_planning(),
                      screening=screening, intake=intake, candidates=facts.candidates,
                      painful=facts.painful, minutes=minutes)
