"""The screening coverage matrix: which serious conditions the safety gate is built to catch.

For each condition that can present as muscle or referred pain, ``data/screening/coverage.json``
names its cardinal features, the questions that ask them, the rules that combine them with where
it hurts, the decision those rules reach, the clinical vignettes that check it, and the sources.
It is data so that a gap is visible (a condition with no question, rule or vignette fails a test)
and so that docs/screening.md shows the same table. Pure: no I/O.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Vignettes(BaseModel):
    model_config = ConfigDict(extra="forbid")

    red_flags: list[str] = Field(
        min_length=2,
        description="vignette ids that must reach "
        "refer or emergency: at least one typical and one atypical",
    )
    lookalikes: list[str] = Field(
        min_length=1, description="benign look-alike vignette ids that must stay proceed or modify"
    )


class Condition(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str = Field(min_length=3)
    cardinal_features: list[str] = Field(min_length=1)
    questions: list[str] = Field(min_length=1)
    rules: list[str] = Field(min_length=1)
    decision: Literal["emergency", "refer", "emergency or refer"]
    vignettes: Vignettes
    sources: list[str] = Field(min_length=1)


class Gap(BaseModel):
    """A condition named as in scope that has no rule yet: listed so it is not forgotten."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    sources: list[str] = Field(min_length=1)


class CoverageFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: Literal["myomap.screening-coverage/1"]
    version: str
    statement: str
    conditions: list[Condition] = Field(min_length=1)
    not_yet_covered: list[Gap] = Field(default_factory=list)
