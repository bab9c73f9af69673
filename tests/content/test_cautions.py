"""Cautions where pressure is advised (issue 11).

- No self-care instruction marked safe presses deep into a zone its own muscle's cautions say
  takes no deep pressure (the adductor brevis told clients to press deep just below the groin
  crease, inside the femoral triangle).
- Every muscle whose referral zones reach the chest or the inner arm on either side carries a
  heart caution, since its pain overlaps the pattern of heart pain.
The zone vocabulary below maps a caution's structure to the words a self-care text would use for
the same place; it is test vocabulary, the clinical content stays in the atlas.
"""

from __future__ import annotations

import re

import pytest

from myomap.domain.atlas import Muscle
from myomap.knowledge.loader import load_atlas

ZONES = {
    "femoral triangle": ("just below the groin crease", "upper inner thigh", "groin crease"),
    "popliteal fossa": ("hollow behind the knee", "knee hollow", "back of the knee"),
    "kidney": ("flank", "kidney"),
    "carotid": ("front of the neck", "into the neck"),
}
NEGATION = re.compile(r"\b(do not|don't|never|not|avoid|stay away|keep (it )?out|away from)\b")
CARDIAC_AREA = {
    "sternum",
    "chest_upper",
    "chest_mid",
    "breast",
    "arm_inner",
    "elbow_medial",
    "forearm_volar_ulnar",
}
MUSCLES = list(load_atlas().muscles)


def _clauses(text: str) -> list[str]:
    return [c.strip().lower() for c in re.split(r"[.;]", text) if c.strip()]


def deep_presses_into(muscle: Muscle) -> list[str]:
    """Clauses of a safe self-care text that press deep where a caution forbids deep pressure."""
    sc = muscle.self_care
    if not sc.safe or not sc.instructions:
        return []
    forbidden = [
        z
        for z in ZONES
        for c in muscle.cautions
        if z in c.lower()
        and ("no deep" in c.lower() or "never" in c.lower() or "no pressure" in c.lower())
    ]
    bad = []
    for clause in _clauses(sc.instructions):
        if "deep" not in clause or NEGATION.search(clause):
            continue
        if any(phrase in clause for z in forbidden for phrase in ZONES[z]):
            bad.append(clause)
    return bad


@pytest.mark.parametrize("muscle", MUSCLES, ids=[m.id for m in MUSCLES])
def test_safe_self_care_never_presses_deep_where_the_caution_forbids(muscle: Muscle) -> None:
    assert deep_presses_into(muscle) == [], muscle.id


def test_the_check_catches_the_old_adductor_brevis_text() -> None:
    brevis = next(m for m in MUSCLES if m.id == "adductor_brevis")
    old = brevis.self_care.model_copy(
        update={
            "instructions": (
                "Press deep into the inner thigh just below the groin crease, under the cord of "
                "the long adductor, and hold on the tender spot; stay away from the pulse."
            )
        }
    )
    assert deep_presses_into(brevis.model_copy(update={"self_care": old}))


def _zones(m: Muscle) -> set[str]:
    return {
        re.sub(r"_(l|r)$", "", r) for tp in m.trigger_points for r in (*tp.essential, *tp.spillover)
    }


def test_muscles_referring_to_the_cardiac_area_carry_a_heart_caution() -> None:
    reaching = [m for m in MUSCLES if _zones(m) & CARDIAC_AREA]
    names = {m.id for m in reaching}
    assert {"pectoralis_minor", "scalenus_anterior", "subclavius", "serratus_anterior"} <= names
    missing = [m.id for m in reaching if not any("heart" in c.lower() for c in m.cautions)]
    assert missing == []
