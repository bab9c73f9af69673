"""Matching a pain drawing against visceral referral patterns.

Organs refer pain to the body wall in patterns that overlap trigger point referral (the heart to
the left arm and jaw, the gallbladder to the right shoulder blade). The differential attaches a
warning for every pattern the drawing matches, so that no interface can show a muscle ranking
without it. A match is a prompt to screen, never a diagnosis.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from myomap.domain.atlas import VisceralPattern


@dataclass(frozen=True)
class VisceralRule:
    """The matching part of a :class:`VisceralPattern` as a plain value (cheap to cache)."""

    id: str
    organ: str
    condition: str
    cluster: str
    match_any: tuple[tuple[str, ...], ...]
    min_groups: int
    features: tuple[str, ...]
    advice: str

    @classmethod
    def from_pattern(cls, p: VisceralPattern) -> VisceralRule:
        return cls(
            p.id,
            p.organ,
            p.condition,
            p.cluster,
            tuple(tuple(g) for g in p.match_any),
            p.min_groups,
            tuple(p.features),
            p.advice,
        )


@dataclass(frozen=True)
class VisceralWarning:
    """A matched pattern; ``matched`` lists the painful regions that hit its groups."""

    pattern: str
    organ: str
    condition: str
    cluster: str
    message: str
    matched: tuple[str, ...]
    features: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "pattern": self.pattern,
            "organ": self.organ,
            "condition": self.condition,
            "cluster": self.cluster,
            "message": self.message,
            "matched_regions": list(self.matched),
            "features": list(self.features),
        }


def match_pattern(
    pattern: VisceralRule | VisceralPattern, painful: Collection[str]
) -> tuple[str, ...] | None:
    """The painful regions behind a match, or None when fewer than ``min_groups`` groups hit."""
    hits = 0
    matched: dict[str, None] = {}
    for group in pattern.match_any:
        in_group = [r for r in group if r in painful]
        if in_group:
            hits += 1
            matched.update(dict.fromkeys(in_group))
    if hits < pattern.min_groups:
        return None
    return tuple(sorted(matched))


def visceral_warnings(
    patterns: Iterable[VisceralRule | VisceralPattern], painful: Collection[str]
) -> list[VisceralWarning]:
    """Warnings for every matching pattern, most groups matched first, then by pattern id."""
    found: list[tuple[int, VisceralWarning]] = []
    for p in patterns:
        matched = match_pattern(p, painful)
        if matched is None:
            continue
        groups = sum(1 for g in p.match_any if any(r in painful for r in g))
        message = (
            f"This pain pattern can also come from the {p.organ.lower()} ({p.condition}). "
            f"{p.advice}"
        )
        found.append(
            (
                groups,
                VisceralWarning(
                    pattern=p.id,
                    organ=p.organ,
                    condition=p.condition,
                    cluster=p.cluster,
                    message=message,
                    matched=matched,
                    features=p.features,
                ),
            )
        )
    found.sort(key=lambda t: (-t[0], t[1].pattern))
    return [w for _, w in found]
