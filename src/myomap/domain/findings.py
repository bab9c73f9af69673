"""Examination findings that update the differential, and the grammar used to type them.

A finding is written ``TRP[:SIDE]=RESULT``:

- ``TRP`` is an atlas trigger point id, ``<muscle>.<tag>`` (e.g. ``trapezius.upper_1``);
- ``SIDE`` is ``left`` or ``right`` (also ``l``/``r``); without it the finding applies to every
  side the trigger point exists on (both sides for a bilateral muscle);
- ``RESULT`` is ``confirmed`` (palpated and at least two of the three 2018 consensus criteria
  found: taut band, hypersensitive spot, recognised referred pain) or ``absent`` (palpated,
  criteria not met). ``present``/``positive``/``yes`` and ``negative``/``no`` are accepted too.

Parsing is pure; whether the trigger point exists is checked against the compiled model.
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
    "confirmed": True, "present": True, "positive": True, "yes": True,
    "absent": False, "negative": False, "no": False, "ruled_out": False,
}
_SIDES = {"left": Side.LEFT, "l": Side.LEFT, "right": Side.RIGHT, "r": Side.RIGHT}


@dataclass(frozen=True)
class Finding:
    """One palpation result. ``side`` None means every side the trigger point exists on."""

    trigger_point: str
    side: Side | None
    confirmed: bool

    def label(self) -> str:
        side = f":{self.side.value}" if self.side else ""
        return f"{self.trigger_point}{side}={'confirmed' if self.confirmed else 'absent'}"


def parse_finding(text: str) -> Finding:
    """Parse ``TRP[:left|right]=confirmed|absent``; the error message shows the grammar."""
    m = FINDING_RE.match(text.lower())
    hint = (
        " Write a finding as TRP=confirmed or TRP:left=absent, where TRP is an atlas trigger point"
        " id such as trapezius.upper_1 (see 'myomap show MUSCLE')."
    )
    if not m:
        raise UsageError(f"Cannot read the finding {text!r}.{hint}")
    side_text = m.group("side")
    side: Side | None = None
    if side_text is not None:
        if side_text not in _SIDES:
            raise UsageError(f"Unknown side {side_text!r} in finding {text!r}: use left or right.")
        side = _SIDES[side_text]
    result = m.group("result")
    if result not in _RESULTS:
        raise UsageError(
            f"Unknown result {result!r} in finding {text!r}: use confirmed or absent."
        )
    return Finding(m.group("trp"), side, _RESULTS[result])
