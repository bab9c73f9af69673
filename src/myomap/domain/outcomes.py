"""Outcome instruments: scoring, responder classification and trends.

Instruments are data (``data/outcomes/instruments.json``, plus files a clinic supplies for
licensed instruments); this module only applies their rules. Scores describe change for a
qualified person to judge; a band or a responder label is never a diagnosis.

Error messages name the instrument, the item and the allowed range, never the answer given:
answers are health data.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from myomap.domain.errors import UsageError
from myomap.domain.exam_measures import Measure
from myomap.domain.instrument_wording import Wording

NOT_ENOUGH_DATA = "not enough data yet"
MIN_TREND_POINTS = 3
IMMPACT_MINIMAL, IMMPACT_MODERATE, IMMPACT_SUBSTANTIAL = 10.0, 30.0, 50.0
Direction = Literal["lower_is_better", "higher_is_better", "global_change"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class ItemSpec(_Model):
    count: int = Field(ge=1, le=200)
    min: float
    max: float
    integer: bool = True
    reverse: tuple[int, ...] = ()  # 1-based item numbers scored as (min + max - answer)

    @model_validator(mode="after")
    def _check(self) -> ItemSpec:
        if self.max <= self.min:
            raise ValueError("items.max must be above items.min")
        bad = [k for k in self.reverse if not 1 <= k <= self.count]
        if bad:
            raise ValueError(f"reverse item numbers must be 1 to {self.count}")
        return self


class MissingRule(_Model):
    """How unanswered items are handled: ``none`` needs every item; ``mean_impute`` fills up to
    ``max_missing`` items with the mean of the answered ones; ``answered_only`` scores the
    answered items (for ``mean`` and ``percent`` scoring, whose scale does not depend on the
    number of items)."""

    rule: Literal["none", "mean_impute", "answered_only"] = "none"
    max_missing: int = Field(default=0, ge=0)


class Band(_Model):
    min: float
    max: float
    label: str = Field(min_length=1, max_length=80)


class Mcid(_Model):
    points: float | None = Field(default=None, gt=0)
    percent: float | None = Field(default=None, gt=0, le=100)
    source: tuple[str, ...] = ()
    note: str | None = None


class Instrument(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")
    name: str
    short: str
    unit: str = "points"
    items: ItemSpec
    scoring: Literal["sum", "mean", "percent"] = "sum"
    missing: MissingRule = MissingRule()
    direction: Direction = "lower_is_better"
    bands: tuple[Band, ...] = ()
    bands_source: tuple[str, ...] = ()
    bands_note: str | None = None
    mcid: Mcid | None = None
    mdc: float | None = Field(default=None, gt=0)  # smallest change beyond measurement error
    mdc_source: tuple[str, ...] = ()
    pain_scale: bool = False  # IMMPACT percent categories apply
    responder_max: int | None = None  # global-change scales: answers up to this count
    responder_source: tuple[str, ...] = ()
    screen_at: float | None = None
    loinc: str | None = Field(default=None, pattern=r"^\d{1,7}-\d$")
    # LOINC panel (the questionnaire) and one code per item, in item order, where they exist.
    loinc_panel: str | None = Field(default=None, pattern=r"^\d{1,7}-\d$")
    loinc_items: tuple[Annotated[str, Field(pattern=r"^\d{1,7}-\d$")], ...] = ()
    licence: str
    licensed: bool = False  # supplied by a clinic under its own licence
    reliability_note: str | None = None
    wording: Wording | None = None  # None: the licence does not let us print the items
    wording_note: str | None = None  # why the items are shown as numbers only

    @model_validator(mode="after")
    def _check_item_codes(self) -> Instrument:
        if self.loinc_items and len(self.loinc_items) != self.items.count:
            raise ValueError(f"loinc_items needs one code per item ({self.items.count})")
        if self.wording and (bad := self.wording.problems(self.items)):
            raise ValueError(bad[0])
        return self

    @property
    def total_range(self) -> tuple[float, float]:
        if self.scoring == "percent":
            return (0.0, 100.0)
        if self.scoring == "mean":
            return (self.items.min, self.items.max)
        return (self.items.min * self.items.count, self.items.max * self.items.count)

    def band(self, total: float | None) -> str | None:
        if total is None:
            return None
        for b in self.bands:
            if b.min <= total <= b.max:
                return b.label
        return None


class Catalogue(_Model):
    """Every instrument that can be scored, keyed by id."""

    instruments: Mapping[str, Instrument]
    version: str = ""
    sources: Mapping[str, str] = {}
    measures: Mapping[str, Measure] = {}

    def get(self, instrument_id: str) -> Instrument:
        key = instrument_id.strip().lower()
        try:
            return self.instruments[key]
        except KeyError:
            known = ", ".join(sorted(self.instruments))
            raise UsageError(
                f"unknown instrument {key!r}; use one of: {known}. Licensed instruments are "
                "added from a file the clinic supplies (see docs/outcomes.md)."
            ) from None

    def rom_norm(self, movement: str) -> float | None:
        rom = self.measures.get("rom")
        norm = rom.norms.get(movement) if rom else None
        return norm.degrees if norm else None


def parse_catalogue(
    raw: Mapping[str, Any], *, origin: str, reserved: Sequence[str] = ()
) -> tuple[dict[str, Instrument], list[str]]:
    """Instruments from a ``myomap.instruments/1`` document, and a problem per bad entry.

    Bad entries are left out so that a caller can choose to warn (clinic files) or raise
    (bundled data). Ids in ``reserved`` (the bundled ones) cannot be redefined.
    """
    problems: list[str] = []
    if raw.get("format") != "myomap.instruments/1":
        return {}, [f"{origin}: format must be 'myomap.instruments/1'"]
    out: dict[str, Instrument] = {}
    for index, entry in enumerate(raw.get("instruments", [])):
        label = entry.get("id", f"#{index}") if isinstance(entry, dict) else f"#{index}"
        try:
            inst = Instrument.model_validate(entry)
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(p) for p in err["loc"])
            problems.append(f"{origin}: instrument {label}: {where}: {err['msg']}")
            continue
        if inst.id in reserved or inst.id in out:
            problems.append(f"{origin}: instrument {inst.id}: id already defined; left out")
            continue
        problems += [f"{origin}: instrument {inst.id}: {p}" for p in _band_problems(inst)]
        out[inst.id] = inst
    return out, problems


def _band_problems(inst: Instrument) -> list[str]:
    low, high = inst.total_range
    return [
        f"band {b.label!r} lies outside the total range {low:g}-{high:g}"
        for b in inst.bands
        if b.min < low or b.max > high
    ]


@dataclass(frozen=True)
class Score:
    instrument: str
    total: float | None
    band: str | None
    items: tuple[float | None, ...]  # item scores after reverse scoring; None = missing
    missing: int = 0
    imputed: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "instrument": self.instrument,
            "total": _number(self.total),
            "band": self.band,
            "items": [_number(v) for v in self.items],
        }


def _number(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(value, 2)


def score(inst: Instrument, answers: Sequence[float | None]) -> Score:
    """Validate the answers against the instrument and compute the total by its own rules."""
    spec = inst.items
    if len(answers) != spec.count:
        raise UsageError(
            f"{inst.id} has {spec.count} item(s) but {len(answers)} answer(s) were given; give "
            "one answer per item in order, '-' for an unanswered item"
        )
    scored: list[float | None] = []
    for k, answer in enumerate(answers, start=1):
        if answer is None:
            scored.append(None)
            continue
        value = float(answer)
        rng = f"{spec.min:g} to {spec.max:g}"
        if not math.isfinite(value) or not spec.min <= value <= spec.max:
            raise UsageError(f"{inst.id} item {k}: answer is out of range; allowed {rng}")
        if spec.integer and not value.is_integer():
            raise UsageError(f"{inst.id} item {k}: answers are whole numbers from {rng}")
        scored.append(spec.min + spec.max - value if k in spec.reverse else value)
    given = [v for v in scored if v is not None]
    missing = len(scored) - len(given)
    total, imputed = _total(inst, given, missing)
    return Score(inst.id, total, inst.band(total), tuple(scored), missing, imputed)


def _total(inst: Instrument, given: list[float], missing: int) -> tuple[float, bool]:
    rule = inst.missing
    if missing and (rule.rule == "none" or missing > rule.max_missing or not given):
        allowed = (
            "every item answered"
            if rule.rule == "none"
            else (f"at most {rule.max_missing} unanswered item(s)")
        )
        raise UsageError(
            f"{inst.id}: {missing} item(s) unanswered; its scoring rule needs {allowed}"
        )
    n = inst.items.count
    mean = sum(given) / len(given)
    if inst.scoring == "mean":
        return round(mean, 4), False
    if inst.scoring == "percent":
        return round(sum(given) / (inst.items.max * len(given)) * 100, 4), False
    if missing and rule.rule == "mean_impute":
        return round(mean * n, 4), True
    return float(sum(given)), False


# --- change between two scores ---------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """Baseline to latest, oriented so that a positive ``improvement`` is better for the client."""

    baseline: float
    latest: float
    improvement: float
    percent: float | None  # improvement as percent of baseline; None when baseline is 0
    category: str
    responder: bool | None  # None: the instrument has no responder definition
    criteria: tuple[str, ...] = ()  # which responder thresholds were met
    below_mcid: bool | None = None
    within_error: bool | None = None  # change smaller than the instrument's measurement error
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        return {
            "baseline": _number(self.baseline),
            "latest": _number(self.latest),
            "improvement": _number(self.improvement),
            "percent_improvement": None if self.percent is None else round(self.percent, 1),
            "category": self.category,
            "responder": self.responder,
            "criteria": list(self.criteria),
            "below_mcid": self.below_mcid,
            "within_measurement_error": self.within_error,
            "notes": list(self.notes),
        }


def improvement(inst: Instrument | Direction, baseline: float, latest: float) -> float:
    direction = inst if isinstance(inst, str) else inst.direction
    return latest - baseline if direction == "higher_is_better" else baseline - latest


def classify_change(inst: Instrument, baseline: float, latest: float) -> Change:
    """Responder classification: IMMPACT percent categories for pain scales, the instrument's
    MCID in points or percent, PGIC answers for global change; flags a change smaller than the
    measurement error where the instrument states one."""
    if inst.direction == "global_change":
        limit = inst.responder_max
        responder = None if limit is None else latest <= limit
        return Change(
            baseline,
            latest,
            0.0,
            None,
            inst.band(latest) or "answered",
            responder,
            ("global impression",) if responder else (),
        )
    gain = improvement(inst, baseline, latest)
    pct = gain / baseline * 100 if baseline > 0 else None
    criteria: list[str] = []
    notes: list[str] = []
    if inst.pain_scale and pct is not None:
        for threshold, name in (
            (IMMPACT_MODERATE, "IMMPACT 30 %"),
            (IMMPACT_SUBSTANTIAL, "IMMPACT 50 %"),
        ):
            if pct >= threshold:
                criteria.append(name)
    mcid = inst.mcid
    meets = False
    if mcid is not None:
        if mcid.points is not None and gain >= mcid.points:
            criteria.append(f"MCID {mcid.points:g} {inst.unit}")
            meets = True
        if mcid.percent is not None and pct is not None and pct >= mcid.percent:
            if not inst.pain_scale:  # for pain scales the IMMPACT 30 % entry says the same
                criteria.append(f"MCID {mcid.percent:g} %")
            meets = True
    if baseline == 0 and inst.pain_scale:
        notes.append("baseline is 0, so a percent change is undefined")
    category = _category(inst, gain, pct, meets)
    responder = bool(criteria) if (inst.pain_scale or mcid is not None) else None
    below = None if mcid is None else not meets
    within = None if inst.mdc is None else abs(latest - baseline) < inst.mdc
    if within:
        notes.append(f"change smaller than the measurement error ({inst.mdc:g} {inst.unit})")
    return Change(
        baseline,
        latest,
        gain,
        pct,
        category,
        responder,
        tuple(dict.fromkeys(criteria)),
        below,
        within,
        tuple(notes),
    )


def _category(inst: Instrument, gain: float, pct: float | None, meets_mcid: bool) -> str:
    if inst.pain_scale and pct is not None:
        if pct >= IMMPACT_SUBSTANTIAL:
            return "substantial improvement"
        if pct >= IMMPACT_MODERATE:
            return "moderate improvement"
        if pct >= IMMPACT_MINIMAL:
            return "minimal improvement"
        if pct > -IMMPACT_MINIMAL:
            return "no important change"
        return "worse"
    if meets_mcid:
        return "improved beyond the MCID"
    mcid = inst.mcid
    if mcid is not None:
        worse_points = mcid.points is not None and -gain >= mcid.points
        return "worse beyond the MCID" if worse_points else "change below the MCID"
    if gain > 0:
        return "improved (no MCID established)"
    if gain < 0:
        return "worse (no MCID established)"
    return "unchanged"


# --- trends ----------------------------------------------------------------------------------
