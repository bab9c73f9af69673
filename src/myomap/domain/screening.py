"""Safety screening: is it safe to press on this person's trigger points today, and how.

Rules are data (``data/screening/rules.json``), because sources disagree on which conditions are
contraindications (Batavia 2004 found 3 to 86 across 21 sources): a clinic can add or disable
rules without touching this module. Each rule combines questionnaire answers with the pain drawing
and the differential's visceral warnings, and has a severity. The worst severity decides::

    emergency > refer > modify > info (proceed)

Every firing rule is reported with its message and source, so the decision can be checked.
Regions a rule marks as contraindicated are collected in ``avoid_regions``; the planner removes
their trigger points from pressure work.

This module is pure: it never reads files and never logs answers (they are health data).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from myomap.domain.bodymap import BodyMap, Side
from myomap.domain.errors import UsageError

Severity = Literal["emergency", "refer", "modify", "info"]
Decision = Literal["emergency", "refer", "modify", "proceed"]
SEVERITIES: tuple[Severity, ...] = ("emergency", "refer", "modify", "info")
RANK: Mapping[str, int] = {"emergency": 3, "refer": 2, "modify": 1, "info": 0}
DECISION_OF: Mapping[str, Decision] = {
    "emergency": "emergency", "refer": "refer", "modify": "modify", "info": "proceed",
}
PRESSURE_LEVELS = ("light", "moderate")  # limits, lightest first
ANSWER_TYPES = ("boolean", "integer", "number", "choice", "regions")
INTAKE_FORMAT = "myomap.intake/1"
Answer = bool | int | float | str | tuple[str, ...]


# -- questionnaire -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One screening question; ``type`` fixes what an answer may be."""

    id: str
    section: str
    type: str
    question: str
    sources: tuple[str, ...]
    options: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    help: str | None = None


@dataclass(frozen=True)
class Questionnaire:
    version: str
    sections: Mapping[str, str]
    items: tuple[Item, ...]
    safety_sections: tuple[str, ...] = ()

    def item(self, item_id: str) -> Item:
        for it in self.items:
            if it.id == item_id:
                return it
        raise KeyError(item_id)

    @property
    def ids(self) -> list[str]:
        return [it.id for it in self.items]

    def unanswered_safety(self, intake: Intake) -> list[str]:
        """Safety questions the intake leaves unanswered (an empty answer is not a no)."""
        return [it.id for it in self.items
                if it.section in self.safety_sections and intake.get(it.id) is None]

    def template(self) -> dict[str, Any]:
        """An empty intake: every question present and unanswered (null)."""
        return {"format": INTAKE_FORMAT, "answers": {it.id: None for it in self.items}}


def build_questionnaire(raw: Mapping[str, Any]) -> Questionnaire:
    """Questionnaire from its JSON form; shape errors raise ``ValueError`` naming the item."""
    items: list[Item] = []
    seen: set[str] = set()
    for n, entry in enumerate(raw.get("items", ())):
        where = f"items[{n}]"
        try:
            item = Item(
                id=str(entry["id"]), section=str(entry["section"]), type=str(entry["type"]),
                question=str(entry["question"]), sources=tuple(entry["sources"]),
                options=tuple(entry.get("options", ())),
                min=entry.get("min"), max=entry.get("max"), help=entry.get("help"),
            )
        except (KeyError, TypeError) as exc:
            raise ValueError(f"{where}: missing or invalid {exc}") from None
        if item.type not in ANSWER_TYPES:
            raise ValueError(f"{where}: type must be one of {', '.join(ANSWER_TYPES)}")
        if item.type == "choice" and not item.options:
            raise ValueError(f"{where}: a choice item needs options")
        if not item.sources:
            raise ValueError(f"{where}: every item needs a source")
        if item.id in seen:
            raise ValueError(f"{where}: duplicate id {item.id!r}")
        seen.add(item.id)
        items.append(item)
    return Questionnaire(str(raw.get("version", "")), dict(raw.get("sections", {})), tuple(items),
                         tuple(raw.get("safety_sections", ())))


# -- intake ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Intake:
    """Answers by item id; unanswered items are absent."""

    answers: Mapping[str, Answer]

    def get(self, item_id: str) -> Answer | None:
        return self.answers.get(item_id)


def _field_error(name: str, expected: str, got: Any) -> UsageError:
    import json

    shown = json.dumps(got) if not isinstance(got, str) or len(got) < 40 else '"..."'
    return UsageError(f"intake field {name!r}: expected {expected}, got {shown}.")


def expand_regions(ids: Iterable[str], bodymap: BodyMap) -> list[str]:
    """Concrete region ids from concrete ids or base ids (a bilateral base means both sides)."""
    out: dict[str, None] = {}
    for rid in ids:
        if rid in bodymap:
            out[rid] = None
        elif rid in bodymap.bases():
            if bodymap.is_bilateral_base(rid):
                out[bodymap.on_side(rid, Side.LEFT)] = None
                out[bodymap.on_side(rid, Side.RIGHT)] = None
            else:
                out[bodymap.on_side(rid, Side.MIDLINE)] = None
        else:
            raise KeyError(rid)
    return list(out)


def parse_intake(raw: Any, questionnaire: Questionnaire, bodymap: BodyMap) -> Intake:
    """Validate an intake document; the error names the field, what it expects and what it got.

    Values are not echoed for free-text fields beyond a short length, so that a message never
    carries more health data than the user typed into that field.
    """
    if not isinstance(raw, dict):
        raise _field_error("(top level)", "a JSON object with 'answers'", type(raw).__name__)
    for key in raw:
        if key not in ("format", "answers", "note"):
            raise UsageError(
                f"intake field {key!r}: not part of an intake (allowed: format, answers, note)."
            )
    fmt = raw.get("format", INTAKE_FORMAT)
    if fmt != INTAKE_FORMAT:
        raise _field_error("format", f'"{INTAKE_FORMAT}"', fmt)
    if "note" in raw and raw["note"] is not None and not isinstance(raw["note"], str):
        raise _field_error("note", "text", raw["note"])
    answers_raw = raw.get("answers", {})
    if not isinstance(answers_raw, dict):
        raise _field_error("answers", "an object of question id to answer", answers_raw)
    known = set(questionnaire.ids)
    answers: dict[str, Answer] = {}
    for key, value in answers_raw.items():
        name = f"answers.{key}"
        if key not in known:
            close = difflib.get_close_matches(key, sorted(known), n=3, cutoff=0.6)
            hint = f" Did you mean: {', '.join(close)}?" if close else ""
            raise UsageError(f"intake field {name!r}: not a screening question.{hint} "
                             "Run 'myomap screen --template' to see every question.")
        if value is None:
            continue
        answers[key] = _parse_answer(name, questionnaire.item(key), value, bodymap)
    return Intake(answers)


def _parse_answer(name: str, item: Item, value: Any, bodymap: BodyMap) -> Answer:
    if item.type == "boolean":
        if not isinstance(value, bool):
            raise _field_error(name, "true/false", value)
        return value
    if item.type in ("integer", "number"):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if item.type == "integer":
            ok = ok and float(value).is_integer()
        lo, hi = item.min, item.max
        rng = f" from {lo:g} to {hi:g}" if lo is not None and hi is not None else ""
        expected = ("a whole number" if item.type == "integer" else "a number") + rng
        if not ok:
            raise _field_error(name, expected, value)
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            raise _field_error(name, expected, value)
        return int(value) if item.type == "integer" else float(value)
    if item.type == "choice":
        if not isinstance(value, str) or value not in item.options:
            raise _field_error(name, "one of " + ", ".join(f'"{o}"' for o in item.options),
                               value)
        return value
    # regions
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _field_error(name, "a list of region ids", value)
    try:
        return tuple(expand_regions(value, bodymap))
    except KeyError as exc:
        rid = str(exc.args[0])
        close = difflib.get_close_matches(rid, [*bodymap.regions, *bodymap.bases()], n=3)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise UsageError(f"intake field {name!r}: unknown region {rid!r}.{hint} "
                         "Run 'myomap regions' to list region ids.") from None


# -- rules -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """What the rules see besides the answers: painful regions and visceral matches."""

    painful: frozenset[str] = frozenset()
    visceral_patterns: frozenset[str] = frozenset()
    visceral_clusters: frozenset[str] = frozenset()
    has_drawing: bool = False


@dataclass(frozen=True)
class Condition:
    """A node of a rule's condition tree (see docs/screening.md for the grammar)."""

    op: str
    children: tuple[Condition, ...] = ()
    item: str = ""
    test: str = ""
    value: Any = None
    regions: frozenset[str] = frozenset()
    count: int = 0

    def holds(self, intake: Intake, ctx: Context) -> bool:
        if self.op == "all":
            return all(c.holds(intake, ctx) for c in self.children)
        if self.op == "any":
            return any(c.holds(intake, ctx) for c in self.children)
        if self.op == "not":
            return not self.children[0].holds(intake, ctx)
        if self.op == "at_least":
            return sum(c.holds(intake, ctx) for c in self.children) >= self.count
        if self.op == "pain_in":
            return bool(self.regions & ctx.painful)
        if self.op == "painful_regions":
            return len(ctx.painful) >= self.count
        if self.op == "visceral":
            return self.value in ctx.visceral_patterns
        if self.op == "visceral_cluster":
            return self.value in ctx.visceral_clusters
        return self._answer(intake.get(self.item))

    def _answer(self, got: Answer | None) -> bool:
        if got is None:
            return False  # an unanswered question never fires a rule
        if self.test == "is":
            return bool(got == self.value)
        if self.test == "in":
            return got in self.value
        if self.test == "marked":
            return bool(got) is bool(self.value)
        if isinstance(got, bool) or not isinstance(got, int | float):
            return False
        limit = float(self.value)
        if self.test == "gte":
            return got >= limit
        if self.test == "lte":
            return got <= limit
        if self.test == "gt":
            return got > limit
        return got < limit  # "lt"

    def mentions(self) -> set[str]:
        """Answer ids the condition reads."""
        out = {self.item} if self.op == "answer" else set()
        for c in self.children:
            out |= c.mentions()
        return out


@dataclass(frozen=True)
class Changes:
    """What a firing rule changes in the plan."""

    avoid_regions: tuple[str, ...] = ()
    avoid_from_answer: str | None = None
    light_pressure_regions: tuple[str, ...] = ()
    pressure: str | None = None
    position: str | None = None
    exclude_techniques: tuple[str, ...] = ()
    no_self_pressure: bool = False


@dataclass(frozen=True)
class Rule:
    id: str
    cluster: str
    severity: Severity
    when: Condition
    message: str
    sources: tuple[str, ...]
    evidence: str
    changes: Changes = field(default_factory=Changes)
    origin: str = "bundled"


@dataclass(frozen=True)
class SourceInfo:
    label: str
    citation: str
    evidence: str = ""
    url: str | None = None


@dataclass(frozen=True)
class RuleSet:
    version: str
    rules: tuple[Rule, ...]
    sources: Mapping[str, SourceInfo]
    visceral_default: Rule | None = None
    no_drawing_message: str = ""
    no_intake_message: str = ""
    unanswered_message: str = ""

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)


class RuleProblem(ValueError):
    """A rule that cannot be compiled; the loader raises or warns depending on its mode."""


def _regions(refs: Any, where: str, sets: Mapping[str, Sequence[str]], bodymap: BodyMap,
             ) -> frozenset[str]:
    if isinstance(refs, str):
        refs = [refs]
    if not isinstance(refs, list) or not refs:
        raise RuleProblem(f"{where}: expected a list of region ids or 'set:NAME'")
    out: set[str] = set()
    for ref in refs:
        names: Sequence[str] = [ref]
        if isinstance(ref, str) and ref.startswith("set:"):
            if ref[4:] not in sets:
                raise RuleProblem(f"{where}: unknown region set {ref[4:]!r}")
            names = sets[ref[4:]]
        try:
            out.update(expand_regions(names, bodymap))
        except KeyError as exc:
            raise RuleProblem(f"{where}: unknown region {exc.args[0]!r}") from None
    return frozenset(out)


def compile_condition(raw: Any, where: str, questionnaire: Questionnaire,
                      sets: Mapping[str, Sequence[str]], bodymap: BodyMap) -> Condition:
    """Turn the JSON form of a condition into a checked tree; unknown ids are problems."""
    if not isinstance(raw, dict):
        raise RuleProblem(f"{where}: a condition must be an object")

    def sub(items: Any, key: str) -> tuple[Condition, ...]:
        if not isinstance(items, list) or not items:
            raise RuleProblem(f"{where}.{key}: expected a non-empty list of conditions")
        return tuple(compile_condition(c, f"{where}.{key}[{i}]", questionnaire, sets, bodymap)
                     for i, c in enumerate(items))

    if "all" in raw:
        return Condition("all", sub(raw["all"], "all"))
    if "any" in raw:
        return Condition("any", sub(raw["any"], "any"))
    if "not" in raw:
        return Condition("not", (compile_condition(raw["not"], f"{where}.not", questionnaire,
                                                   sets, bodymap),))
    if "at_least" in raw:
        n = raw["at_least"]
        kids = sub(raw.get("of"), "of")
        if not isinstance(n, int) or not 1 <= n <= len(kids):
            raise RuleProblem(f"{where}.at_least: expected a count from 1 to {len(kids)}")
        return Condition("at_least", kids, count=n)
    if "pain_in" in raw:
        return Condition("pain_in", regions=_regions(raw["pain_in"], f"{where}.pain_in", sets,
                                                     bodymap))
    if "painful_regions_at_least" in raw:
        return Condition("painful_regions", count=int(raw["painful_regions_at_least"]))
    if "visceral" in raw:
        return Condition("visceral", value=str(raw["visceral"]))
    if "visceral_cluster" in raw:
        return Condition("visceral_cluster", value=str(raw["visceral_cluster"]))
    if "answer" in raw:
        return _answer_condition(raw, where, questionnaire)
    raise RuleProblem(f"{where}: unknown condition (use all, any, not, at_least, answer, "
                      "pain_in, painful_regions_at_least, visceral or visceral_cluster)")


def _answer_condition(raw: Mapping[str, Any], where: str, q: Questionnaire) -> Condition:
    item_id = raw["answer"]
    try:
        item = q.item(item_id)
    except KeyError:
        raise RuleProblem(f"{where}: unknown question {item_id!r}") from None
    tests = [k for k in raw if k != "answer"]
    if len(tests) != 1:
        raise RuleProblem(f"{where}: give exactly one test (is, in, marked, gte, lte, gt, lt)")
    test = tests[0]
    value = raw[test]
    numeric = item.type in ("integer", "number")
    ok = (
        (test == "is" and item.type in ("boolean", "choice")
         and (isinstance(value, bool) if item.type == "boolean" else value in item.options))
        or (test == "in" and item.type == "choice" and isinstance(value, list)
            and all(v in item.options for v in value))
        or (test == "marked" and item.type == "regions" and isinstance(value, bool))
        or (test in ("gte", "lte", "gt", "lt") and numeric
            and isinstance(value, int | float) and not isinstance(value, bool))
    )
    if not ok:
        raise RuleProblem(f"{where}: test {test!r} with {value!r} does not fit question "
                          f"{item_id!r} of type {item.type}")
    return Condition("answer", item=item_id, test=test,
                     value=tuple(value) if isinstance(value, list) else value)


def compile_rule(raw: Any, questionnaire: Questionnaire, sets: Mapping[str, Sequence[str]],
                 bodymap: BodyMap, sources: Mapping[str, SourceInfo], origin: str = "bundled",
                 ) -> Rule:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        raise RuleProblem("a rule must be an object with an 'id'")
    rid = raw["id"]
    where = f"rule {rid!r}"
    missing = [k for k in ("severity", "when", "message", "sources", "evidence") if k not in raw]
    if missing:
        raise RuleProblem(f"{where}: missing {', '.join(missing)}")
    if raw["severity"] not in SEVERITIES:
        raise RuleProblem(f"{where}: severity must be one of {', '.join(SEVERITIES)}")
    srcs = tuple(raw["sources"])
    if not srcs or any(s not in sources for s in srcs):
        raise RuleProblem(f"{where}: every rule needs sources that exist in the sources list")
    ch = raw.get("changes", {})
    allowed = {"avoid_regions", "avoid_from_answer", "light_pressure_regions", "pressure",
               "position", "exclude_techniques", "no_self_pressure"}
    if not isinstance(ch, dict) or set(ch) - allowed:
        raise RuleProblem(f"{where}: changes may only hold {', '.join(sorted(allowed))}")
    if ch.get("pressure") not in (None, *PRESSURE_LEVELS):
        raise RuleProblem(f"{where}: pressure must be one of {', '.join(PRESSURE_LEVELS)}")
    ans = ch.get("avoid_from_answer")
    if ans is not None and (ans not in questionnaire.ids
                            or questionnaire.item(ans).type != "regions"):
        raise RuleProblem(f"{where}: avoid_from_answer must name a regions question")
    changes = Changes(
        avoid_regions=tuple(sorted(_regions(ch["avoid_regions"], f"{where}.avoid_regions",
                                            sets, bodymap))) if "avoid_regions" in ch else (),
        avoid_from_answer=ans,
        light_pressure_regions=tuple(sorted(_regions(
            ch["light_pressure_regions"], f"{where}.light_pressure_regions", sets, bodymap)))
        if "light_pressure_regions" in ch else (),
        pressure=ch.get("pressure"),
        position=ch.get("position"),
        exclude_techniques=tuple(ch.get("exclude_techniques", ())),
        no_self_pressure=bool(ch.get("no_self_pressure", False)),
    )
    return Rule(
        id=rid, cluster=str(raw.get("cluster", "other")), severity=raw["severity"],
        when=compile_condition(raw["when"], f"{where}.when", questionnaire, sets, bodymap),
        message=str(raw["message"]), sources=srcs, evidence=str(raw["evidence"]),
        changes=changes, origin=origin,
    )


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
        return {"rule": self.rule, "severity": self.severity, "message": self.message,
                "source": self.source}


@dataclass(frozen=True)
class Modification:
    """One change to the plan: ``change`` is pressure, avoid_regions, light_pressure_regions,
    position, exclude_technique or no_self_pressure."""

    rule: str
    change: str
    value: Any

    def to_dict(self) -> dict[str, Any]:
        value = list(self.value) if isinstance(self.value, tuple) else self.value
        return {"rule": self.rule, "change": self.change, "value": value}


@dataclass(frozen=True)
class Screening:
    decision: Decision
    reasons: tuple[Reason, ...]
    avoid_regions: tuple[str, ...]
    modifications: tuple[Modification, ...]

    @property
    def stops_pressure_work(self) -> bool:
        return self.decision in ("emergency", "refer")

    @property
    def pressure_limit(self) -> str | None:
        levels = [m.value for m in self.modifications if m.change == "pressure"]
        for level in PRESSURE_LEVELS:  # lightest wins
            if level in levels:
                return level
        return None

    @property
    def excluded_techniques(self) -> frozenset[str]:
        return frozenset(m.value for m in self.modifications if m.change == "exclude_technique")

    @property
    def light_pressure_regions(self) -> frozenset[str]:
        out: set[str] = set()
        for m in self.modifications:
            if m.change == "light_pressure_regions":
                out.update(m.value)
        return frozenset(out)

    @property
    def positions(self) -> list[str]:
        return [m.value for m in self.modifications if m.change == "position"]

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
        }


@dataclass(frozen=True)
class VisceralMatch:
    """The part of a differential warning the rules need (kept apart from the engine)."""

    pattern: str
    cluster: str
    message: str


def screen(intake: Intake, rules: RuleSet, *, painful: Iterable[str] = (),
           visceral: Sequence[VisceralMatch] = (), has_drawing: bool = False,
           unanswered: Sequence[str] = ()) -> Screening:
    """Apply every rule; the decision is the worst severity among the rules that fire.

    ``unanswered`` lists safety questions left blank; they are reported (severity info) because
    no rule can fire on them, so a ``proceed`` must not be read as "all clear".
    """
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
            reasons.append(_reason(vd, vd.message.replace("{message}", v.message), rules,
                                   rule_id=f"visceral:{v.pattern}", cluster=v.cluster))
    if not has_drawing and rules.no_drawing_message:
        reasons.append(Reason("no_drawing", "info", rules.no_drawing_message, "myomap"))
    if not intake.answers and rules.no_intake_message:
        reasons.append(Reason("no_intake", "info", rules.no_intake_message, "myomap"))
    elif unanswered and rules.unanswered_message:
        shown = ", ".join(unanswered[:6]) + (", ..." if len(unanswered) > 6 else "")
        text = rules.unanswered_message.replace("{n}", str(len(unanswered))).replace(
            "{ids}", shown)
        reasons.append(Reason("unanswered", "info", text, "myomap"))
    reasons.sort(key=lambda r: -RANK[r.severity])  # stable: rule order within a severity
    worst = max((RANK[r.severity] for r in reasons), default=0)
    decision = DECISION_OF[SEVERITIES[len(SEVERITIES) - 1 - worst]]
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


def _reason(rule: Rule, message: str, rules: RuleSet, rule_id: str | None = None,
            cluster: str | None = None) -> Reason:
    labels = [rules.sources[s].label for s in rule.sources if s in rules.sources]
    return Reason(rule_id or rule.id, rule.severity, message, "; ".join(labels) or "myomap",
                  cluster if cluster is not None else rule.cluster, rule.evidence)
