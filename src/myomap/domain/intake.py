"""The screening questionnaire and a client's answers to it (the intake).

Questions are data (``data/screening/questionnaire.json``); this module only knows answer types.
Parsing an intake checks every answer against its question and fails with a message that names
the field, says what it expects and shows what it got, so a therapist can fix the file. Values
are echoed only when short, so an error never carries more health data than that one field.
Pure: no I/O.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from myomap.domain.bodymap import BodyMap, Side
from myomap.domain.errors import UsageError

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
    # a follow-up: the condition it screens for and when it is asked (a rule condition in its
    # JSON form, compiled where the region vocabulary is known); None: always asked
    follow_up: Mapping[str, Any] | None = None

    @property
    def screens_for(self) -> str | None:
        return None if self.follow_up is None else str(self.follow_up["condition"])


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
        return [
            it.id
            for it in self.items
            if it.section in self.safety_sections and intake.get(it.id) is None
        ]

    def safety_answered(self, intake: Intake) -> bool:
        """Whether any safety question has an answer; none means the person was not screened."""
        return any(
            intake.get(it.id) is not None for it in self.items if it.section in self.safety_sections
        )

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
                id=str(entry["id"]),
                section=str(entry["section"]),
                type=str(entry["type"]),
                question=str(entry["question"]),
                sources=tuple(entry["sources"]),
                options=tuple(entry.get("options", ())),
                min=entry.get("min"),
                max=entry.get("max"),
                help=entry.get("help"),
                follow_up=entry.get("follow_up"),
            )
        except (KeyError, TypeError) as exc:
            raise ValueError(f"{where}: missing or invalid {exc}") from None
        if item.type not in ANSWER_TYPES:
            raise ValueError(f"{where}: type must be one of {', '.join(ANSWER_TYPES)}")
        if item.type == "choice" and not item.options:
            raise ValueError(f"{where}: a choice item needs options")
        if not item.sources:
            raise ValueError(f"{where}: every item needs a source")
        fu = item.follow_up
        if fu is not None and not (
            isinstance(fu, dict)
            and isinstance(fu.get("condition"), str)
            and isinstance(fu.get("asked_when"), dict)
        ):
            raise ValueError(
                f"{where}: follow_up needs a 'condition' name and an 'asked_when' condition"
            )
        if item.id in seen:
            raise ValueError(f"{where}: duplicate id {item.id!r}")
        seen.add(item.id)
        items.append(item)
    return Questionnaire(
        str(raw.get("version", "")),
        dict(raw.get("sections", {})),
        tuple(items),
        tuple(raw.get("safety_sections", ())),
    )


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
            raise UsageError(
                f"intake field {name!r}: not a screening question.{hint} "
                "Run 'myomap screen --template' to see every question."
            )
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
            raise _field_error(name, "one of " + ", ".join(f'"{o}"' for o in item.options), value)
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
        raise UsageError(
            f"intake field {name!r}: unknown region {rid!r}.{hint} "
            "Run 'myomap regions' to list region ids."
        ) from None
