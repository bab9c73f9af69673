"""Screening rules: conditions over answers, the pain drawing and visceral matches.

A rule is compiled from its JSON form against the questionnaire, the region vocabulary and the
sources, so that a typo in a clinic's rule file is caught when it loads (and skipped with a
warning there) instead of silently never firing. The grammar is documented in
docs/screening.md. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from myomap.domain.bodymap import BodyMap
from myomap.domain.intake import Answer, Intake, Questionnaire, expand_regions

Severity = Literal["emergency", "refer", "modify", "info"]
SEVERITIES: tuple[Severity, ...] = ("emergency", "refer", "modify", "info")
PRESSURE_LEVELS = ("light", "moderate")  # limits, lightest first


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
    value: Answer | None = None  # the answer test's value, or a visceral pattern or cluster id
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
            return isinstance(self.value, tuple) and got in self.value
        if self.test == "marked":
            return bool(got) is bool(self.value)
        if isinstance(got, bool) or not isinstance(got, int | float):
            return False
        if not isinstance(self.value, int | float):
            return False  # compile_rule gives numeric tests a number
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
    not_screened_message: str = ""

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)


class RuleProblem(ValueError):
    """A rule that cannot be compiled; the loader raises or warns depending on its mode."""


def _regions(
    refs: Any,
    where: str,
    sets: Mapping[str, Sequence[str]],
    bodymap: BodyMap,
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


def compile_condition(
    raw: Any,
    where: str,
    questionnaire: Questionnaire,
    sets: Mapping[str, Sequence[str]],
    bodymap: BodyMap,
) -> Condition:
    """Turn the JSON form of a condition into a checked tree; unknown ids are problems."""
    if not isinstance(raw, dict):
        raise RuleProblem(f"{where}: a condition must be an object")

    def sub(items: Any, key: str) -> tuple[Condition, ...]:
        if not isinstance(items, list) or not items:
            raise RuleProblem(f"{where}.{key}: expected a non-empty list of conditions")
        return tuple(
            compile_condition(c, f"{where}.{key}[{i}]", questionnaire, sets, bodymap)
            for i, c in enumerate(items)
        )

    if "all" in raw:
        return Condition("all", sub(raw["all"], "all"))
    if "any" in raw:
        return Condition("any", sub(raw["any"], "any"))
    if "not" in raw:
        return Condition(
            "not", (compile_condition(raw["not"], f"{where}.not", questionnaire, sets, bodymap),)
        )
    if "at_least" in raw:
        n = raw["at_least"]
        kids = sub(raw.get("of"), "of")
        if not isinstance(n, int) or not 1 <= n <= len(kids):
            raise RuleProblem(f"{where}.at_least: expected a count from 1 to {len(kids)}")
        return Condition("at_least", kids, count=n)
    if "pain_in" in raw:
        return Condition(
            "pain_in", regions=_regions(raw["pain_in"], f"{where}.pain_in", sets, bodymap)
        )
    if "painful_regions_at_least" in raw:
        return Condition("painful_regions", count=int(raw["painful_regions_at_least"]))
    if "visceral" in raw:
        return Condition("visceral", value=str(raw["visceral"]))
    if "visceral_cluster" in raw:
        return Condition("visceral_cluster", value=str(raw["visceral_cluster"]))
    if "answer" in raw:
        return _answer_condition(raw, where, questionnaire)
    raise RuleProblem(
        f"{where}: unknown condition (use all, any, not, at_least, answer, "
        "pain_in, painful_regions_at_least, visceral or visceral_cluster)"
    )


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
        (
            test == "is"
            and item.type in ("boolean", "choice")
            and (isinstance(value, bool) if item.type == "boolean" else value in item.options)
        )
        or (
            test == "in"
            and item.type == "choice"
            and isinstance(value, list)
            and all(v in item.options for v in value)
        )
        or (test == "marked" and item.type == "regions" and isinstance(value, bool))
        or (
            test in ("gte", "lte", "gt", "lt")
            and numeric
            and isinstance(value, int | float)
            and not isinstance(value, bool)
        )
    )
    if not ok:
        raise RuleProblem(
            f"{where}: test {test!r} with {value!r} does not fit question "
            f"{item_id!r} of type {item.type}"
        )
    return Condition(
        "answer", item=item_id, test=test, value=tuple(value) if isinstance(value, list) else value
    )


def compile_rule(
    raw: Any,
    questionnaire: Questionnaire,
    sets: Mapping[str, Sequence[str]],
    bodymap: BodyMap,
    sources: Mapping[str, SourceInfo],
    origin: str = "bundled",
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
    allowed = {
        "avoid_regions",
        "avoid_from_answer",
        "light_pressure_regions",
        "pressure",
        "position",
        "exclude_techniques",
        "no_self_pressure",
    }
    if not isinstance(ch, dict) or set(ch) - allowed:
        raise RuleProblem(f"{where}: changes may only hold {', '.join(sorted(allowed))}")
    if ch.get("pressure") not in (None, *PRESSURE_LEVELS):
        raise RuleProblem(f"{where}: pressure must be one of {', '.join(PRESSURE_LEVELS)}")
    ans = ch.get("avoid_from_answer")
    if ans is not None and (
        ans not in questionnaire.ids or questionnaire.item(ans).type != "regions"
    ):
        raise RuleProblem(f"{where}: avoid_from_answer must name a regions question")
    changes = Changes(
        avoid_regions=tuple(
            sorted(_regions(ch["avoid_regions"], f"{where}.avoid_regions", sets, bodymap))
        )
        if "avoid_regions" in ch
        else (),
        avoid_from_answer=ans,
        light_pressure_regions=tuple(
            sorted(
                _regions(
                    ch["light_pressure_regions"], f"{where}.light_pressure_regions", sets, bodymap
                )
            )
        )
        if "light_pressure_regions" in ch
        else (),
        pressure=ch.get("pressure"),
        position=ch.get("position"),
        exclude_techniques=tuple(ch.get("exclude_techniques", ())),
        no_self_pressure=bool(ch.get("no_self_pressure", False)),
    )
    return Rule(
        id=rid,
        cluster=str(raw.get("cluster", "other")),
        severity=raw["severity"],
        when=compile_condition(raw["when"], f"{where}.when", questionnaire, sets, bodymap),
        message=str(raw["message"]),
        sources=srcs,
        evidence=str(raw["evidence"]),
        changes=changes,
        origin=origin,
    )
