"""Fill ``movement_id`` in the atlas from the free-text ``movement`` of each restricted movement.

Run once when the movement vocabulary (``atlas/movements.json``) was introduced, and again after
authors add restricted movements: it only fills entries whose ``movement_id`` is empty, from an
explicit table of the wordings the atlas uses, and lists every entry it leaves empty. Directions
are relative to the trigger point's side ("to the opposite side" becomes ``contra:``; a
directional movement named without a side becomes ``both:``). Wordings that describe an activity,
a posture or a palpation test rather than a joint movement are left empty on purpose.

    .venv/bin/python tools/map_movements.py [--dry-run]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

MUSCLES = Path(__file__).resolve().parent.parent / "src" / "myomap" / "data" / "atlas" / "muscles"

# exact atlas wording (lower case) -> movement reference; None = deliberately left empty
TABLE: dict[str, str | None] = {
    # head and neck
    "neck flexion": "neck_flexion",
    "full neck flexion with opposite rotation": "neck_flexion",
    "combined neck flexion, opposite side-bend and same-side rotation": "neck_flexion",
    "neck extension": "neck_extension",
    "neck extension with the mouth closed": "neck_extension",
    "neck extension with the jaw protruded": "neck_extension",
    "combined extension with rotation toward the same side": "neck_extension",
    "neck rotation": "both:neck_rotation",
    "neck rotation to the same side": "neck_rotation",
    "rotation to the same side with chin drop": "neck_rotation",
    "neck rotation to the opposite side": "contra:neck_rotation",
    "neck side-bending to the opposite side": "contra:neck_lateral_flexion",
    "neck side-bending away from the trp side": "contra:neck_lateral_flexion",
    "neck flexion with opposite side-bend and rotation": "contra:neck_lateral_flexion",
    "upper cervical flexion (nodding)": "upper_cervical_flexion",
    "head rotation at the atlas": "both:upper_cervical_rotation",
    "craniocervical flexion endurance": None,  # holding capacity, not a range
    "mouth opening": "mouth_opening",
    "mouth opening against resistance": "mouth_opening",
    "full mouth opening and protrusion": "jaw_protrusion",  # opening is near normal
    "jaw protrusion and side-to-side movement": "jaw_protrusion",
    "jaw movement to the same side": "jaw_lateral_deviation",
    "jaw movement to the opposite side": "contra:jaw_lateral_deviation",
    "jaw deviation on opening": None,  # an observed deviation, direction not recorded
    "broad smile": "smiling",
    "wide smiling or whistling": None,  # the test is puckering the lips
    "full eye closure and squinting": "eye_closure",
    "frowning and eyebrow lowering": "frowning",
    "lying on the back of the head": None,
    # breathing and trunk
    "deep inspiration": "deep_inspiration",
    "deep breathing": "deep_inspiration",
    "full inspiration": "deep_inspiration",
    "deep breathing and trunk extension": "deep_inspiration",
    "trunk flexion": "trunk_flexion",
    "trunk extension": "trunk_extension",
    "trunk rotation and flexion": "both:trunk_rotation",
    "trunk rotation and side bending away": "contra:trunk_rotation",
    "trunk side bending away": "contra:trunk_lateral_flexion",
    "side bending to the opposite side": "contra:trunk_lateral_flexion",
    "segmental mobility": None,  # a spring test, not a movement
    "standing up straight": None,
    "standing fully upright": None,
    "getting up from a chair or out of bed": None,
    "turning over in bed and rising from a chair": None,
    "lifting objects in front of the body": None,
    "sitting": None,
    "sitting for long": None,
    # shoulder girdle and shoulder
    "scapular protraction": "scapular_protraction",
    "scapular retraction": "scapular_retraction",
    "shoulder elevation with retraction": "scapular_retraction",
    "shoulder girdle retraction and elevation": "scapular_retraction",
    "full flexion and abduction overhead": "shoulder_flexion",
    "overhead reach": "shoulder_flexion",
    "reaching forward and up": "shoulder_flexion",
    "full arm elevation with scapular upward rotation": "shoulder_flexion",
    "extension with medial rotation: hand to the small of the back": "shoulder_extension",
    "abduction": "shoulder_abduction",
    "abduction of the arm, especially the last part of the range": "shoulder_abduction",
    "adduction of the arm behind the back": "shoulder_adduction",
    "medial rotation": "shoulder_medial_rotation",
    "medial rotation combined with flexion": "shoulder_medial_rotation",
    "medial rotation with extension: reaching behind the back": "shoulder_medial_rotation",
    "reaching behind the back": "shoulder_medial_rotation",
    "lateral rotation and abduction": "shoulder_lateral_rotation",
    "horizontal abduction and lateral rotation": "shoulder_horizontal_abduction",
    "horizontal abduction with the arm high": "shoulder_horizontal_abduction",
    "horizontal abduction with the arm low": "shoulder_horizontal_abduction",
    "horizontal extension and lateral rotation": "shoulder_horizontal_abduction",
    "horizontal adduction and medial rotation": "shoulder_horizontal_adduction",
    "reaching across the body": "shoulder_horizontal_adduction",
    # elbow, forearm, wrist, hand
    "full elbow flexion": "elbow_flexion",
    "full elbow flexion with the arm overhead": "elbow_flexion",
    "full elbow extension": "elbow_extension",
    "elbow extension with the shoulder extended": "elbow_extension",
    "elbow extension with pronation and ulnar deviation": "elbow_extension",
    "pronation with the elbow straight": "forearm_pronation",
    "supination with the elbow straight": "forearm_supination",
    "wrist flexion with the elbow straight": "wrist_flexion",
    "wrist flexion with radial deviation": "wrist_flexion",
    "wrist flexion with ulnar deviation and the elbow straight": "wrist_flexion",
    "wrist extension with the elbow straight": "wrist_extension",
    "wrist extension with radial deviation": "wrist_extension",
    "wrist extension with ulnar deviation": "wrist_extension",
    "full finger flexion": "finger_flexion",
    "full finger flexion with the wrist flexed": "finger_flexion",
    "index finger flexion with the wrist flexed": "finger_flexion",
    "little finger flexion with the wrist flexed": "finger_flexion",
    "finger extension with the wrist extended": "finger_extension",
    "finger abduction": "finger_abduction",
    "finger adduction": "finger_adduction",
    "little finger adduction": "finger_adduction",
    "grip": "grip",
    "thumb extension": "thumb_extension",
    "thumb extension with the wrist extended": "thumb_extension",
    "thumb extension and abduction": "thumb_extension",
    "thumb abduction": "thumb_abduction",
    "thumb adduction across the palm": "thumb_adduction",
    # hip and knee
    "hip flexion (bending forward, climbing, bringing the knee to the chest)": "hip_flexion",
    "hip flexion with the knee straight": "straight_leg_raise",
    "hip flexion with adduction": "hip_adduction",  # the FAIR position
    "hip flexion with abduction": "hip_abduction",
    "hip extension": "hip_extension",
    "hip extension with adduction and internal rotation": "hip_extension",
    "hip abduction": "hip_abduction",
    "hip abduction with the knee straight": "hip_abduction",
    "hip adduction": "hip_adduction",
    "hip adduction (anterior part also lateral rotation)": "hip_adduction",
    "hip medial rotation": "hip_medial_rotation",
    "standing on one leg": None,
    "rising from a chair and walking": None,
    "lying on the affected side": None,
    "knee flexion": "knee_flexion",
    "knee flexion with the hip extended": "knee_flexion",
    "full knee extension": "knee_extension",
    "full knee extension with ankle dorsiflexion": "knee_extension",
    "knee extension with ankle dorsiflexion": "knee_extension",
    "tibial external rotation": "tibial_lateral_rotation",
    "patellar mobility": None,  # a glide of the patella, not a joint movement
    # ankle and foot
    "ankle dorsiflexion with the knee straight": "ankle_dorsiflexion",
    "ankle dorsiflexion with the knee bent": "ankle_dorsiflexion",
    "ankle dorsiflexion strength": "ankle_dorsiflexion",
    "ankle plantar flexion": "ankle_plantar_flexion",
    "ankle plantar flexion with inversion": "ankle_plantar_flexion",
    "ankle inversion with plantar flexion": "foot_inversion",
    "eversion strength": "foot_eversion",
    "foot eversion with ankle dorsiflexion": "foot_eversion",
    "walking uphill and climbing": None,
    "toe flexion": "toe_flexion",
    "toe flexion with ankle plantar flexion": "toe_flexion",
    "toe extension": "toe_extension",
    "toe extension at the metatarsophalangeal joints": "toe_extension",
    "toe extension with ankle dorsiflexion": "toe_extension",
    "fifth-toe extension": "toe_extension",
    "fifth-toe adduction with extension": "toe_adduction",
    "toe spreading and closing": "toe_abduction",
    "spreading of the forefoot": "toe_abduction",
    "big-toe flexion": "big_toe_flexion",
    "big-toe flexion with ankle plantar flexion": "big_toe_flexion",
    "big-toe extension": "big_toe_extension",
    "big-toe extension with ankle dorsiflexion": "big_toe_extension",
    "big-toe abduction with extension": "toe_abduction",
    "big-toe adduction with extension": "toe_adduction",
}


def main(argv: list[str]) -> int:
    dry = "--dry-run" in argv
    filled, left, unknown = 0, [], []
    for path in sorted(MUSCLES.glob("*.json")):
        text = path.read_text(encoding="utf-8")
        data = json.loads(text)
        changed = False
        for muscle in data["muscles"]:
            for tp in muscle["trigger_points"]:
                for test in tp.get("restricted_movements", []):
                    if test.get("movement_id"):
                        continue
                    key = test["movement"].strip().lower()
                    if key not in TABLE:
                        unknown.append(f"{tp['id']}: {test['movement']}")
                    elif TABLE[key] is None:
                        left.append(f"{tp['id']}: {test['movement']}")
                    else:
                        test["movement_id"] = TABLE[key]
                        filled += 1
                        changed = True
        if changed and not dry:
            path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    out = sys.stdout
    out.write(
        f"filled {filled} movement_id(s); left {len(left)} empty on purpose; "
        f"{len(unknown)} wording(s) not in the table\n"
    )
    for line in left:
        out.write(f"  left empty: {line}\n")
    for line in unknown:
        out.write(f"  NOT IN TABLE: {line}\n")
    return 1 if unknown else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
