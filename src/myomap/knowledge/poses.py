"""Reader of ``data/planning/poses.json``: the exercise pictures' poses and which exercise uses
which. Checked on load, so a pose that names an unknown joint or posture fails at once."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError

from myomap.domain.errors import DataError
from myomap.domain.pose import Pose, PosesFile, parse_pose
from myomap.knowledge.loader import data_root, format_validation, read_json


@dataclass(frozen=True)
class PoseLibrary:
    version: str
    poses: dict[str, Pose]
    exercises: dict[str, str]  # exercise name (as in the atlas) -> pose id

    def for_exercise(self, name: str) -> Pose | None:
        """The pose of an exercise by its atlas name, or one named inside free text."""
        pid = self.exercises.get(name)
        if pid is None:
            text = name.lower()
            matches = [n for n in self.exercises if n.lower() in text]
            pid = self.exercises[max(matches, key=len)] if matches else None
        return self.poses.get(pid) if pid else None


def load_poses() -> PoseLibrary:
    name = "planning/poses.json"
    try:
        doc = PosesFile.model_validate(read_json(data_root() / "planning" / "poses.json"))
        poses = {pid: parse_pose(pid, entry) for pid, entry in doc.poses.items()}
    except ValidationError as exc:
        problems = format_validation(name, exc)
        raise DataError("invalid pose data:\n  " + "\n  ".join(problems)) from None
    except ValueError as exc:
        raise DataError(f"{name}: {exc}") from None
    unknown = sorted(v for v in doc.exercises.values() if v not in poses)
    if unknown:
        raise DataError(f"{name}: exercises name unknown poses: {', '.join(unknown)}")
    return PoseLibrary(doc.version, poses, dict(doc.exercises))
