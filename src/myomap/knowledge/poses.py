"""Reader of ``data/planning/poses.json``: the exercise pictures' poses and which exercise uses
which. Checked on load, so a pose that names an unknown joint or posture fails at once."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources

from myomap.domain.pose import Pose, parse_pose


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
    raw = json.loads(
        resources.files("myomap.data").joinpath("planning/poses.json").read_text(encoding="utf-8")
    )
    poses = {pid: parse_pose(pid, entry) for pid, entry in raw["poses"].items()}
    exercises = {str(k): str(v) for k, v in raw["exercises"].items()}
    unknown = sorted(v for v in exercises.values() if v not in poses)
    if unknown:
        raise ValueError(f"poses.json: exercises name unknown poses: {', '.join(unknown)}")
    return PoseLibrary(str(raw["version"]), poses, exercises)
