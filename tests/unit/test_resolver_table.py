"""What patients and therapists type, and the regions it must become.

Each row is a realistic phrase (lay words, anatomical terms, sides, filler, plurals, typos) with
the exact set of concrete region ids expected. The expectations are written out by hand from
the region definitions, not computed by the resolver.
"""

from __future__ import annotations

import pytest

from myomap.domain.bodymap import BodyMap
from myomap.domain.resolver import resolve_phrase


def right(*bases: str) -> set[str]:
    return {f"{b}_r" for b in bases}


def left(*bases: str) -> set[str]:
    return {f"{b}_l" for b in bases}


def both(*bases: str) -> set[str]:
    return right(*bases) | left(*bases)


def mid(*ids: str) -> set[str]:
    return set(ids)


SHOULDER = ("shoulder_top", "shoulder_front", "shoulder_side", "shoulder_back")
KNEE = ("suprapatellar", "patella", "infrapatellar", "knee_medial", "knee_lateral", "popliteal")
SOLE = ("heel", "ball_of_foot", "arch", "sole")
FOOT = ("foot_dorsum", "big_toe", "lesser_toes", *SOLE)
ELBOW = ("elbow_lateral", "elbow_medial", "olecranon", "antecubital")
FOREARM = (
    "forearm_dorsal_radial",
    "forearm_dorsal_ulnar",
    "forearm_volar_radial",
    "forearm_volar_ulnar",
)
UPPER_ARM = ("arm_front", "arm_back", "arm_outer", "arm_inner")
WRIST = ("wrist_dorsal", "wrist_volar")
FINGERS = ("index_finger", "middle_finger", "ring_finger", "little_finger")
HAND = ("hand_back", "palm", "thumb", *FINGERS)
THIGH = ("thigh_front", "thigh_outer", "thigh_inner", "thigh_back")
LOWER_LEG = ("shin", "leg_lateral", "calf_upper", "calf_lower", "achilles")
CALF = ("calf_upper", "calf_lower")
ANKLE = ("ankle_front", "ankle_medial", "ankle_lateral")
SCAPULA = ("scapula_upper", "scapula_spine", "infraspinous", "scapula_medial", "scapula_angle")
BUTTOCK = ("buttock_upper", "buttock_lower")

TABLE: list[tuple[str, set[str]]] = [
    # --- head and face
    ("left temple", left("temple")),
    ("right temple", right("temple")),
    ("temples", both("temple")),
    ("L temple", left("temple")),
    ("R. temple", right("temple")),
    ("temple (left)", left("temple")),
    ("my left temple hurts when chewing", left("temple")),
    ("tempel", both("temple")),
    ("side of my head", both("temple")),
    ("left side of my head", left("temple")),
    ("forehead", mid("forehead")),
    ("frontal headache", mid("forehead")),
    ("top of my head", mid("vertex")),
    ("crown of the head", mid("vertex")),
    ("back of the head", both("occiput")),
    ("back of my skull on the right", right("occiput")),
    ("behind my left ear", left("mastoid")),
    ("mastoid", both("mastoid")),
    ("behind my right eye", right("orbit")),
    ("around the eyes", both("orbit")),
    ("eye socket", both("orbit")),
    ("left eyebrow", left("eyebrow")),
    ("above the eye", both("eyebrow")),
    ("cheekbone", both("cheek")),
    ("right cheek", right("cheek")),
    ("sinus area", both("cheek")),
    ("jaw joint", both("tmj")),
    ("left TMJ", left("tmj")),
    ("in front of the ear", both("tmj")),
    ("right side of the jaw", right("jaw")),
    ("jaw", both("jaw")),
    ("angle of the jaw", both("jaw")),
    ("masseter area", both("jaw")),
    ("upper teeth on the left", left("upper_teeth")),
    ("bottom teeth", both("lower_teeth")),
    ("toothache", both("upper_teeth", "lower_teeth")),
    ("earache", both("ear")),
    ("inside my right ear", right("ear")),
    ("chin", mid("chin")),
    ("head", mid("forehead", "vertex") | both("temple", "occiput")),
    # --- neck
    ("throat", mid("throat")),
    ("adam's apple", mid("throat")),
    ("side of the neck", both("neck_side")),
    ("left side of the neck", left("neck_side")),
    ("both sides of the neck", both("neck_side")),
    ("back of my neck", both("neck_back")),
    ("nape", both("neck_back")),
    ("neck", both("neck_side", "neck_back")),
    ("stiff neck", both("neck_side", "neck_back")),
    ("front of the neck", mid("throat") | both("neck_side")),
    ("base of the skull", both("suboccipital")),
    ("suboccipitals", both("suboccipital")),
    ("right suboccipital", right("suboccipital")),
    # --- shoulder and upper back
    ("top of the shoulder", both("shoulder_top")),
    ("upper traps", both("shoulder_top")),
    ("between neck and shoulder", both("shoulder_top")),
    ("left shoulder", left(*SHOULDER)),
    ("shoulders", both(*SHOULDER)),
    ("sholder", both(*SHOULDER)),
    ("rigth shoulder", right(*SHOULDER)),
    ("front of my right shoulder", right("shoulder_front")),
    ("outer shoulder", both("shoulder_side")),
    ("deltoid", both("shoulder_side")),
    ("back of the shoulder", both("shoulder_back")),
    ("shoulder blade", both("infraspinous")),
    ("shoulderblade", both("infraspinous")),
    ("left shoulder blade", left("infraspinous")),
    ("whole shoulder blade", both(*SCAPULA)),
    ("inner edge of the shoulder blade", both("scapula_medial")),
    ("rhomboids", both("scapula_medial")),
    ("bottom of the shoulder blade", both("scapula_angle")),
    ("top of the shoulder blade", both("scapula_upper")),
    ("spine of the scapula", both("scapula_spine")),
    ("between my shoulder blades", both("interscapular")),
    ("between the shoulder blades on the right", right("interscapular")),
    ("upper back", both("interscapular", *SCAPULA) | mid("thoracic_spine")),
    ("left upper back", left("interscapular", *SCAPULA)),
    ("thoracic spine", mid("thoracic_spine")),
    ("mid back", both("mid_back")),
    ("the middle of my back", both("mid_back")),
    # --- chest and abdomen
    ("upper chest", both("chest_upper")),
    ("collarbone area", both("chest_upper")),
    ("below the left collarbone", left("chest_upper")),
    ("chest", both("chest_mid")),
    ("pecs", both("chest_mid")),
    ("left pec", left("chest_mid")),
    ("whole chest", both("chest_upper", "chest_mid", "chest_lower", "chest_side") | mid("sternum")),
    ("lower ribs", both("chest_lower")),
    ("ribs", both("chest_lower", "chest_side")),
    ("under my left armpit", left("chest_side")),
    ("armpit", both("chest_side")),
    ("breastbone", mid("sternum")),
    ("centre of the chest", mid("sternum")),
    ("center of the chest", mid("sternum")),
    ("left breast", left("breast")),
    ("nipple", both("breast")),
    ("pit of the stomach", mid("epigastric")),
    ("solar plexus", mid("epigastric")),
    ("under the ribs on the right", right("upper_quadrant")),
    ("belly button", mid("umbilical")),
    ("around the navel", mid("umbilical")),
    ("lower belly", both("lower_quadrant")),
    ("right lower quadrant", right("lower_quadrant")),
    ("above the pubic bone", mid("suprapubic")),
    (
        "stomach",
        mid("epigastric", "umbilical", "suprapubic") | both("upper_quadrant", "lower_quadrant"),
    ),
    (
        "tummy",
        mid("epigastric", "umbilical", "suprapubic") | both("upper_quadrant", "lower_quadrant"),
    ),
    # --- arm and hand
    ("biceps", both("arm_front")),
    ("left biceps", left("arm_front")),
    ("back of the upper arm", both("arm_back")),
    ("triceps area", both("arm_back")),
    ("outer upper arm", both("arm_outer")),
    ("inner upper arm", both("arm_inner")),
    ("upper arm", both(*UPPER_ARM)),
    ("tennis elbow area", both("elbow_lateral")),
    ("right tennis elbow", right("elbow_lateral")),
    ("outside of my left elbow", left("elbow_lateral")),
    ("lateral epicondyle", both("elbow_lateral")),
    ("golfer's elbow", both("elbow_medial")),
    ("golfers elbow", both("elbow_medial")),
    ("inner elbow", both("elbow_medial")),
    ("funny bone", both("elbow_medial")),
    ("point of the elbow", both("olecranon")),
    ("elbow crease", both("antecubital")),
    ("crook of the elbow", both("antecubital")),
    ("elbow", both(*ELBOW)),
    ("left elbow", left(*ELBOW)),
    ("forearm", both(*FOREARM)),
    ("forarm", both(*FOREARM)),
    ("back of the forearm", both("forearm_dorsal_radial")),
    ("front of the forearm", both("forearm_volar_radial")),
    ("back of the wrist", both("wrist_dorsal")),
    ("inner wrist", both("wrist_volar")),
    ("carpal tunnel area", both("wrist_volar")),
    ("wrist", both(*WRIST)),
    ("right wrist", right(*WRIST)),
    ("back of the hand", both("hand_back")),
    ("knuckles", both("hand_back")),
    ("palm of my hand", both("palm")),
    ("thumb", both("thumb")),
    ("base of the thumb", both("thumb")),
    ("left thumb", left("thumb")),
    ("index finger", both("index_finger")),
    ("pinky", both("little_finger")),
    ("right pinkie", right("little_finger")),
    ("ring finger", both("ring_finger")),
    ("fingers", both(*FINGERS)),
    ("hand", both(*HAND)),
    ("whole arm", both(*UPPER_ARM, *ELBOW, *FOREARM, *WRIST)),
    ("down my left arm", left(*UPPER_ARM, *ELBOW, *FOREARM, *WRIST)),
    # --- low back, pelvis, hip
    ("lower back", both("lumbar") | mid("lumbar_spine")),
    ("low back", both("lumbar") | mid("lumbar_spine")),
    ("lower bak", both("lumbar") | mid("lumbar_spine")),
    ("left lower back", left("lumbar")),
    ("lumbar spine", mid("lumbar_spine")),
    ("love handles", both("flank")),
    ("flank", both("flank")),
    ("kidney area", both("thoracolumbar")),
    ("top of the hip bone", both("iliac_crest")),
    ("belt line", both("iliac_crest")),
    ("sacrum", mid("sacrum")),
    ("left sacrum", mid("sacrum")),
    ("base of the spine", mid("sacrum")),
    ("SI joint", both("sacroiliac")),
    ("right SI joint", right("sacroiliac")),
    ("tailbone", mid("coccyx")),
    ("pelvic floor", mid("perineum")),
    ("groin", both("groin")),
    ("left groin", left("groin")),
    ("pubic bone", mid("pubic")),
    ("glutes", both(*BUTTOCK)),
    ("right buttock", right(*BUTTOCK)),
    ("upper buttock", both("buttock_upper")),
    ("sit bones", both("buttock_lower")),
    ("left sitting bone", left("buttock_lower")),
    ("outer hip", both("hip_lateral")),
    ("side of the hip", both("hip_lateral")),
    ("greater trochanter", both("hip_lateral")),
    ("hip", both("groin", "hip_lateral", "buttock_upper")),
    # --- thigh, knee, leg
    ("front of the thigh", both("thigh_front")),
    ("quads", both("thigh_front")),
    ("IT band", both("thigh_outer")),
    ("outer thigh", both("thigh_outer")),
    ("inner thigh", both("thigh_inner")),
    ("hamstrings", both("thigh_back")),
    ("left hamstring", left("thigh_back")),
    ("back of the thigh", both("thigh_back")),
    ("thigh", both(*THIGH)),
    ("kneecap", both("patella")),
    ("left knee cap", left("patella")),
    ("above the kneecap", both("suprapatellar")),
    ("below the kneecap", both("infrapatellar")),
    ("inner knee", both("knee_medial")),
    ("outside of the knee", both("knee_lateral")),
    ("back of the knee", both("popliteal")),
    ("pain in the back of my right knee", right("popliteal")),
    ("behind the knee", both("popliteal")),
    ("knee", both(*KNEE)),
    ("my left knee", left(*KNEE)),
    ("knees", both(*KNEE)),
    ("kneee", both(*KNEE)),
    ("both knees", both(*KNEE)),
    ("left and right knee", both(*KNEE)),
    ("pain around my knee", both(*KNEE)),
    ("shin", both("shin")),
    ("shin splints area", both("shin")),
    ("right shin", right("shin")),
    ("outer lower leg", both("leg_lateral")),
    ("upper calf", both("calf_upper")),
    ("lower calf", both("calf_lower")),
    ("calf", both(*CALF)),
    ("calves", both(*CALF)),
    ("R calf", right(*CALF)),
    ("bilateral calves", both(*CALF)),
    ("achilles tendon", both("achilles")),
    ("lower leg", both(*LOWER_LEG)),
    # --- ankle and foot
    ("front of the ankle", both("ankle_front")),
    ("inner ankle", both("ankle_medial")),
    ("outer ankle bone", both("ankle_lateral")),
    ("left ankle", left(*ANKLE)),
    ("top of the foot", both("foot_dorsum")),
    ("instep", both("foot_dorsum")),
    ("big toe", both("big_toe")),
    ("bunion area", both("big_toe")),
    ("little toes", both("lesser_toes")),
    ("toes", both("big_toe", "lesser_toes")),
    ("heel", both("heel")),
    ("left heel", left("heel")),
    ("ball of the foot", both("ball_of_foot")),
    ("ball of my right foot", right("ball_of_foot")),
    ("arch", both("arch")),
    ("plantar fascia", both("arch")),
    ("sole of the foot", both(*SOLE)),
    ("bottom of my feet", both(*SOLE)),
    ("foot", both(*FOOT)),
    ("right foot", right(*FOOT)),
    # --- ids and combinations
    ("temple_l", mid("temple_l")),
    ("elbow_lateral", both("elbow_lateral")),
    ("thoracic_spine", mid("thoracic_spine")),
    ("neck and shoulders", both("neck_side", "neck_back", *SHOULDER)),
    ("left temple, left jaw", left("temple", "jaw")),
    ("left wrist and hand", left(*WRIST, *HAND)),
    ("left knee and right hip", left(*KNEE) | right("groin", "hip_lateral", "buttock_upper")),
]


def test_table_is_large_and_has_no_duplicate_phrases() -> None:
    phrases = [p for p, _ in TABLE]
    assert len(phrases) >= 150
    assert len(set(phrases)) == len(phrases)


@pytest.mark.parametrize(("phrase", "expected"), TABLE, ids=[p for p, _ in TABLE])
def test_phrase_resolves_to_expected_regions(
    phrase: str, expected: set[str], bodymap: BodyMap
) -> None:
    assert expected <= set(bodymap.regions), "expectation names an unknown region"
    got = resolve_phrase(phrase, bodymap)
    assert set(got) == expected
    assert len(got) == len(expected), "a region was returned twice"
