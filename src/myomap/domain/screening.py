"""Safety screening: is it safe to press on this person's trigger points today, and how.

Rules are data (``data/screening/rules.json``), because sources disagree on which conditions are
contraindications (Batavia 2004 found 3 to 86 across 21 sources): a clinic can add or disable
rules without touching this module. Each rule combines questionnaire answers with the pain drawing
and the differential's visceral warnings, and has a severity. The worst severity decides::

    emergency > refer > modify > info (proceed)

A person whose safety questions were never asked is not "all clear": with no intake, or with no
answer in any safety section, a decision that would otherwise be ``modify`` or ``proceed`` becomes
``not_screened``, which holds pressure work like ``refer`` until the questions are answered or a
therapist overrides it with a reason (:meth:`Screening.with_override`). An override never lifts
``refer`` or ``emergency`` from a plan; it is recorded so that the record shows who chose to go on
and why.

Every firing rule is reported with its message and source, so the decision can be checked.
Regions a rule marks as contraindicated are collected in ``avoid_regions``; the planner removes
their trigger points from pressure work.

This module is pure: it never reads files and never logs answers (they are health data).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from myomap.domain.intake import (
    INTAKE_FORMAT,
    Answer,
    Intake,
    Item,
    Questionnaire,
    build_questionnaire,
    expand_regions,
    parse_intake,
)
from myomap.domain.rules import (
    PRESSURE_LEVELS,
    SEVERITIES,
    Changes,
    Condition,
    Context,
    Rule,
    RuleProblem,
    RuleSet,
    Severity,
    SourceInfo,
    compile_condition,
    compile_rule,
)

__all__ = [
    "INTAKE_FORMAT",
    "PRESSURE_LEVELS",
    "SEVERITIES",
    "Answer",
    "Changes",
    "Condition",
    "Context",
    "DECISIONS",
    "DECISION_RANK",
    "Decision",
    "Intake",
    "Item",
    "Modification",
    "Questionnaire",
    "Reason",
    "Rule",
    "RuleProblem",
    "RuleSet",
    "Screening",
    "Severity",
    "SourceInfo",
    "VisceralMatch",
    "build_questionnaire",
    "compile_condition",
    "compile_rule",
    "expand_regions",
    "parse_intake",
    "screen",
]

Decision = Literal["emergency", "refer", "not_screened", "modify", "proceed"]
DECISIONS: tuple[Decision, ...] = ("emergency", "refer", "not_screened", "modify", "proceed")
RANK: Mapping[str, int] = {"emergency": 3, "refer": 2, "modify": 1, "info": 0}
# how far a decision holds treatment back (not_screened holds pressure work like refer, but a rule
# that fires on an answer outranks it)
DECISION_RANK: Mapping[str, int] = {
    "emergency": 4,
    "refer": 3,
    "not_screened": 2,
    "modify": 1,
    "proceed": 0,
}
DECISION_OF: Mapping[str, Decision] = {
    "emergency": "emergency",
    "refer": "refer",
    "modify": "modify",
    "info": "proceed",
}


# -- evaluation ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    rule: str
    severity: Severity
    message: str
    source: str
    cluster: str = ""
    evidence: str = ""

    def to_dict(self) -> dict[str, str]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "source": self.source,
        }


# a pressure level, a position or a technique id; regions; or True (no self-pressure)
ModificationValue = str | bool | tuple[str, ...]


@dataclass(frozen=True)
class Modification:
    """One change to the plan: ``change`` is pressure, avoid_regions, light_pressure_regions,
    position, exclude_technique or no_self_pressure."""

    rule: str
    change: str
    value: ModificationValue

    def to_dict(self) -> dict[str, Any]:
        value = list(self.value) if isinstance(self.value, tuple) else self.value
        return {"rule": self.rule, "change": self.change, "value": value}


@dataclass(frozen=True)
class Screening:
    decision: Decision
    reasons: tuple[Reason, ...]
    avoid_regions: tuple[str, ...]
    modifications: tuple[Modification, ...]
    override: str | None = None  # the therapist's reason to go on without screening

    @property
    def stops_pressure_work(self) -> bool:
        if self.decision == "not_screened":
            return self.override is None
        return self.decision in ("emergency", "refer")

    @property
    def override_applies(self) -> bool:
        """An override lifts only ``not_screened``; refer and emergency stay in force."""
        return self.override is not None and self.decision == "not_screened"

    def with_override(self, reason: str | None) -> Screening:
        """The same screening with a therapist's override reason recorded (blank: none)."""
        text = (reason or "").strip()
        return replace(self, override=text or None)

    @property
    def pressure_limit(self) -> str | None:
        levels = [m.value for m in self.modifications if m.change == "pressure"]
        for level in PRESSURE_LEVELS:  # lightest wins
            if level in levels:
                return level
        return None

    @property
    def excluded_techniques(self) -> frozenset[str]:
        return frozenset(
            m.value
            for m in self.modifications
            if m.change == "exclude_technique" and isinstance(m.value, str)
        )

    @property
    def light_pressure_regions(self) -> frozenset[str]:
        out: set[str] = set()
        for m in self.modifications:
            if m.change == "light_pressure_regions" and isinstance(m.value, tuple):
                out.update(m.value)
        return frozenset(out)

    @property
    def positions(self) -> list[str]:
        return [
            m.value
            for m in self.modifications
            if m.change == "position" and isinstance(m.value, str)
        ]

    @property
    def self_pressure_allowed(self) -> bool:
        return not any(m.change == "no_self_pressure" for m in self.modifications)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``myomap screen --json`` (docs/screening.md)."""
        return {
            "decision": self.decision,
            "reasons": [r.to_dict() for r in self.reasons],
            "avoid_regions": list(self.avoid_regions),
            "modifications": [m.to_dict() for m in self.modifications],
            "override": None
            if self.override is None
            else {"reason": self.override, "applied": self.override_applies},
        }


@dataclass(frozen=True)
class VisceralMatch:
    """The part of a differential warning the rules need (kept apart from the engine)."""

    pattern: str
    cluster: str
    message: str


def screen(
    intake: Intake,
    rules: RuleSet,
    *,
    painful: Iterable[str] = (),
    visceral: Sequence[VisceralMatch] = (),
    has_drawing: bool = False,
    unanswered: Sequence[str] = (),
    screened: bool | None = None,
) -> Screening:
    """Apply every rule; the decision is the worst severity among the rules that fire.

    ``unanswered`` lists safety questions left blank; they are reported (severity info) because
    no rule can fire on them, so a ``proceed`` must not be read as "all clear". ``screened`` says
    whether any safety question was answered (default: whether the intake holds any answer);
    when it is false a ``modify`` or ``proceed`` becomes ``not_screened``.
    """
    if screened is None:
        screened = bool(intake.answers)
    ctx = Context(
        painful=frozenset(painful),
        visceral_patterns=frozenset(v.pattern for v in visceral),
        visceral_clusters=frozenset(v.cluster for v in visceral),
        has_drawing=has_drawing,
    )
    fired = [r for r in rules.rules if r.when.holds(intake, ctx)]
    reasons: list[Reason] = [_reason(r, r.message, rules) for r in fired]
    if rules.visceral_default is not None:
        vd = rules.visceral_default
        for v in visceral:
            reasons.append(
                _reason(
                    vd,
                    vd.message.replace("{message}", v.message),
                    rules,
                    rule_id=f"visceral:{v.pattern}",
                    cluster=v.cluster,
                )
            )
    if not has_drawing and rules.no_drawing_message:
        reasons.append(Reason("no_drawing", "info", rules.no_drawing_message, "myomap"))
    if not intake.answers and rules.no_intake_message:
        reasons.append(Reason("no_intake", "info", rules.no_intake_message, "myomap"))
    elif unanswered and rules.unanswered_message:
        shown = ", ".join(unanswered[:6]) + (", ..." if len(unanswered) > 6 else "")
        text = rules.unanswered_message.replace("{n}", str(len(unanswered))).replace("{ids}", shown)
        reasons.append(Reason("unanswered", "info", text, "myomap"))
    reasons.sort(key=lambda r: -RANK[r.severity])  # stable: rule order within a severity
    worst = max((RANK[r.severity] for r in reasons), default=0)
    decision = DECISION_OF[SEVERITIES[len(SEVERITIES) - 1 - worst]]
    if not screened and decision in ("modify", "proceed"):
        decision = "not_screened"
        if intake.answers and rules.not_screened_message:
            first_info = next(
                (n for n, r in enumerate(reasons) if r.severity == "info"), len(reasons)
            )  # first among its severity: it decided
            reasons.insert(
                first_info, Reason("not_screened", "info", rules.not_screened_message, "myomap")
            )
    mods: list[Modification] = []
    avoid: dict[str, None] = {}
    for r in fired:
        ch = r.changes
        regions = list(ch.avoid_regions)
        if ch.avoid_from_answer:
            got = intake.get(ch.avoid_from_answer)
            regions += list(got) if isinstance(got, tuple) else []
        if regions:
            avoid.update(dict.fromkeys(regions))
            mods.append(Modification(r.id, "avoid_regions", tuple(sorted(set(regions)))))
        if ch.light_pressure_regions:
            mods.append(Modification(r.id, "light_pressure_regions", ch.light_pressure_regions))
        if ch.pressure:
            mods.append(Modification(r.id, "pressure", ch.pressure))
        if ch.position:
            mods.append(Modification(r.id, "position", ch.position))
        mods.extend(Modification(r.id, "exclude_technique", t) for t in ch.exclude_techniques)
        if ch.no_self_pressure:
            mods.append(Modification(r.id, "no_self_pressure", True))
    return Screening(decision, tuple(reasons), tuple(sorted(avoid)), tuple(mods))


def _reason(
    rule: Rule, message: str, rules: RuleSet, rule_id: str | None = None, cluster: str | None = None
) -> Reason:
    labels = [rules.sources[s].label for s in rule.sources if s in rules.sources]
    return Reason(
        rule_id or rule.id,
        rule.severity,
        message,
        "; ".join(labels) or "myomap",
        cluster if cluster is not None else rule.cluster,
        rule.evidence,
    )
