"""How an instrument is put to the person: the prompt, each item's words and the labelled
answer options, as printed by the instrument, kept with the catalogue entry where the licence
lets us show them. Pages read it to show the questionnaire as it is, not a string of numbers."""

from __future__ import annotations

from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field


class ItemRange(Protocol):
    """How many items an instrument has and the range of each answer (``outcomes.ItemSpec``)."""

    @property
    def count(self) -> int: ...
    @property
    def min(self) -> float: ...
    @property
    def max(self) -> float: ...


class AnswerOption(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    value: float
    label: str = Field(min_length=1)


class Wording(BaseModel):
    """``items`` is empty for a single-item instrument whose prompt is the question."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    prompt: str = Field(min_length=1)
    items: tuple[str, ...] = ()
    options: tuple[AnswerOption, ...] = ()
    source: tuple[str, ...] = Field(min_length=1)
    # When and against which published form the words were compared, and what was changed, so
    # a reader can tell checked wording from the application's own plain questions.
    checked: str | None = Field(default=None, min_length=1)

    def problems(self, spec: ItemRange) -> list[str]:
        """What does not fit the instrument's items (``ItemSpec``: count and answer range)."""
        count, low, high = spec.count, spec.min, spec.max
        out = []
        if self.items and len(self.items) != count:
            out.append(f"wording.items needs one text per item ({count})")
        if not self.items and count != 1:
            out.append("wording.items is needed for an instrument of several items")
        if any(not low <= o.value <= high for o in self.options):
            out.append(f"wording.options values must lie from {low:g} to {high:g}")
        return out
