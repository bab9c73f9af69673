"""Examination findings that update the differential, and the grammar used to type them.

A palpation finding is written ``TRP[:SIDE]=RESULT``:

- ``TRP`` is an atlas trigger point id, ``<muscle>.<tag>`` (e.g. ``trapezius.upper_1``);
- ``SIDE`` is ``left`` or ``right`` (also ``l``/``r``); without it the finding applies to every
  side the trigger point exists on (both sides for a bilateral muscle);
- ``RESULT`` is ``confirmed`` (palpated and at least two of the three 2018 consensus criteria
  found: taut band, hypersensitive spot, recognised referred pain) or ``absent`` (palpated,
  criteria not met). ``present``/``positive``/``yes`` and ``negative``/``no`` are accepted too.

A movement finding is written ``movement:MOVEMENT[:SIDE]=RESULT``:

- ``MOVEMENT`` is a movement vocabulary id (``neck_rotation``) or one of its synonyms;
- ``SIDE`` is ``left`` or ``right``: the limb moved, or the direction of a head, jaw or trunk
  movement (``neck_rotation:left`` is turning the head to the left); without it the finding
  applies to either side;
- ``RESULT`` is ``restricted``, ``painful`` or ``normal``.

Parsing is pure; whether the trigger point or movement exists is checked against the compiled
model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from myomap.domain.bodymap import Side
from myomap.domain.errors import UsageError

FINDING_RE = re.compile(
    r"^\s*(?P<trp>[a-z][a-z0-9_]*\.[a-z0-9_]+)\s*(?::\s*(?P<side>[a-z]+))?\s*=\s*(?P<result>[a-z]+)\s*$"
)
_RESULTS = {
    "confirmed": True,
    "present": True,
    "positive": True,
    "yes": True,
    "absent": False,
    "negative": False,
    "no": False,
    "ruled_out": False,
}
_SIDES = {"left": Side.LEFT, "l": Side.LEFT, "right": Side.RIGHT, "r": Side.RIGHT}
MOVEMENT_RE = re.compile(
    r"^\s*movement\s*:\s*(?P<name>[a-z][a-z0-9_ \-]*?)\s*(?::\s*(?P<side>[a-z]+))?\s*=\s*"
    r"(?P<result>[a-z]+)\s*$"
)
MOVEMENT_RESULTS = {
    "restricted": "restricted",
    "limited": "restricted",
    "stiff": "restricted",
    "painful": "painful",
    "pain": "painful",
    "hurts": "painful",
    "normal": "normal",
    "full": "normal",
    "free": "normal",
}


@dataclass(frozen=True)
class Finding:
    """One palpation result. ``side`` None means every side the trigger point exists on."""

    trigger_point: str
    side: Side | None
    confirmed: bool

    def label(self) -> str:
        side = f":{self.side.value}" if self.side else ""
        return f"{self.trigger_point}{side}={'confirmed' if self.confirmed else 'absent'}"


def _side(side_text: str | None, text: str) -> Side | None:
    """The optional ``:left``/``:right`` part shared by both finding grammars."""
    if side_text is None:
        return None
    if side_text not in _SIDES:
        raise UsageError(f"Unknown side {side_text!r} in finding {text!r}: use left or right.")
    return _SIDES[side_text]


def parse_finding(text: str) -> Finding:
    """Parse ``TRP[:left|right]=confirmed|absent``; the error message shows the grammar."""
    m = FINDING_RE.match(text.lower())
    hint = (
        " Write a finding as TRP=confirmed or TRP:left=absent, where TRP is an atlas trigger point"
        " id such as trapezius.upper_1 (see 'myomap show MUSCLE')."
    )
    if not m:
        raise UsageError(f"Cannot read the finding {text!r}.{hint}")
    side = _side(m.group("side"), text)
    result = m.group("result")
    if result not in _RESULTS:
        raise UsageError(f"Unknown result {result!r} in finding {text!r}: use confirmed or absent.")
    return Finding(m.group("trp"), side, _RESULTS[result])


@dataclass(frozen=True)
class MovementFinding:
    """One examined movement. ``side`` None means either side (or a movement without sides);
    ``result`` is ``restricted``, ``painful`` or ``normal``."""

    movement: str
    side: Side | None
    result: str

    def label(self) -> str:
        side = f":{self.side.value}" if self.side else ""
        return f"movement:{self.movement}{side}={self.result}"


AnyFinding = Finding | MovementFinding


def parse_movement_finding(text: str) -> MovementFinding:
    """Parse ``movement:MOVEMENT[:left|right]=restricted|painful|normal``."""
    hint = (
        " Write a movement finding as movement:MOVEMENT=RESULT or movement:MOVEMENT:left=RESULT,"
        " where MOVEMENT is a movement id such as neck_rotation and RESULT is restricted,"
        " painful or normal."
    )
    m = MOVEMENT_RE.match(text.lower())
    if not m:
        raise UsageError(f"Cannot read the finding {text!r}.{hint}")
    side = _side(m.group("side"), text)
    result = m.group("result")
    if result not in MOVEMENT_RESULTS:
        raise UsageError(
            f"Unknown result {result!r} in finding {text!r}: use restricted, painful or normal."
        )
    name = re.sub(r"[\s\-]+", "_", m.group("name").strip())
    return MovementFinding(name, side, MOVEMENT_RESULTS[result])


def parse_any_finding(text: str) -> AnyFinding:
    """A palpation finding, or a movement finding when the text starts with ``movement:``."""
    if text.strip().lower().startswith("movement:"):
        return parse_movement_finding(text)
    return parse_finding(text)
