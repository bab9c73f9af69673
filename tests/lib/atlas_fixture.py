"""A small, fixed atlas for differential tests, independent of the growing bundled atlas.

Zones follow well-known Travell & Simons patterns closely enough to make the tests readable, but
the fixture is test machinery, not clinical content.
"""

from __future__ import annotations

from typing import Any

from myomap.domain.atlas import Atlas, Muscle, Source, VisceralPattern
from myomap.knowledge.differential import visceral_file_path
from myomap.knowledge.loader import read_json

# muscle id -> (group, location base, [(tag, essential, spillover, prevalence)])
PATTERNS: dict[str, tuple[str, str, list[tuple[str, list[str], list[str], str]]]] = {
    "trapezius": (
        "head_neck",
        "shoulder_top",
        [
            ("upper_1", ["neck_back", "mastoid", "temple"], ["jaw", "occiput"], "very_common"),
            ("middle_1", ["interscapular", "thoracic_spine"], ["scapula_spine"], "common"),
        ],
    ),
    "sternocleidomastoid": (
        "head_neck",
        "neck_side",
        [
            ("sternal_1", ["orbit", "cheek", "occiput"], ["vertex", "throat", "sternum"], "common"),
            ("clavicular_1", ["forehead", "ear"], ["contra:forehead"], "common"),
        ],
    ),
    "masseter": (
        "head_neck",
        "jaw",
        [
            ("superficial_1", ["jaw", "lower_teeth"], ["cheek"], "common"),
            ("deep_1", ["ear", "tmj"], [], "occasional"),
        ],
    ),
    "temporalis": (
        "head_neck",
        "temple",
        [
            ("anterior_1", ["temple", "upper_teeth", "eyebrow"], [], "common"),
        ],
    ),
    "levator_scapulae": (
        "shoulder_arm",
        "neck_back",
        [
            ("central_1", ["neck_back", "scapula_medial"], ["shoulder_back"], "very_common"),
        ],
    ),
    "infraspinatus": (
        "shoulder_arm",
        "infraspinous",
        [
            (
                "central_1",
                ["shoulder_front"],
                ["arm_front", "forearm_volar_radial", "thumb"],
                "common",
            ),
        ],
    ),
    "pectoralis_major": (
        "shoulder_arm",
        "chest_mid",
        [
            (
                "sternal_1",
                ["chest_mid", "breast"],
                ["arm_inner", "elbow_medial", "forearm_volar_ulnar", "little_finger"],
                "common",
            ),
        ],
    ),
    "quadratus_lumborum": (
        "trunk",
        "lumbar",
        [
            ("superficial_1", ["iliac_crest", "hip_lateral"], ["buttock_lower"], "very_common"),
            ("deep_1", ["sacroiliac", "buttock_lower"], ["both:sacroiliac"], "common"),
        ],
    ),
    "gluteus_minimus": (
        "pelvis_hip",
        "buttock_upper",
        [
            ("posterior_1", ["buttock_lower", "thigh_back"], ["calf_upper"], "common"),
            (
                "anterior_1",
                ["hip_lateral", "thigh_outer"],
                ["knee_lateral", "leg_lateral", "ankle_lateral"],
                "common",
            ),
        ],
    ),
    "rectus_abdominis": (
        "trunk",
        "umbilical",
        [
            ("upper_1", ["epigastric", "thoracic_spine"], ["lumbar_spine"], "occasional"),
        ],
    ),
    "soleus": (
        "thigh_leg_foot",
        "calf_lower",
        [
            ("central_1", ["heel"], ["achilles", "calf_lower"], "common"),
        ],
    ),
}


def _muscle(
    mid: str, group: str, location: str, tps: list[tuple[str, list[str], list[str], str]]
) -> dict[str, Any]:
    ex = {"name": "Stretch", "instructions": "Hold gently."}
    return {
        "id": mid,
        "name": mid.replace("_", " ").title(),
        "group": group,
        "regions": [location],
        "attachments": {"origin": "o", "insertion": "i"},
        "action": "a",
        "innervation": "n",
        "release": {
            "pressure": {"position": "p", "direction": "d"},
            "stretch": ex,
            "rom_exercise": ex,
        },
        "self_care": {"safe": True},
        "sources": [{"source": "ts_vol1"}],
        "trigger_points": [
            {
                "id": f"{mid}.{tag}",
                "name": f"{mid} {tag}",
                "location": {"region": location},
                "essential": ess,
                "spillover": spill,
                "prevalence": prev,
                "palpation": {"method": "flat", "position": "supine"},
            }
            for tag, ess, spill, prev in tps
        ],
    }


def fixture_atlas(with_visceral: bool = True) -> Atlas:
    """The fixture atlas, with the bundled visceral patterns so warnings can be tested."""
    muscles = tuple(
        Muscle.model_validate(_muscle(mid, *spec)) for mid, spec in sorted(PATTERNS.items())
    )
    visceral: tuple[VisceralPattern, ...] = ()
    sources = {"ts_vol1": Source(citation="Travell & Simons, fixture", kind="book")}
    if with_visceral:
        raw = read_json(visceral_file_path())
        visceral = tuple(VisceralPattern.model_validate(p) for p in raw["patterns"])
        sources.update({k: Source.model_validate(v) for k, v in raw["sources"].items()})
    return Atlas(version="fixture", sources=sources, muscles=muscles, visceral=visceral)
