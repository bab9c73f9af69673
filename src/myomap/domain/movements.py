"""Which trigger point instances a movement finding speaks about.

The atlas names the movements a trigger point restricts with ids from the movement vocabulary,
relative to the trigger point's side (bare: same side, ``contra:`` the other side, ``both:``
either side). A finding names a concrete side: the limb moved, or the direction a head, jaw or
trunk movement goes. This module compiles the atlas into a lookup from (movement, side) to
instances once, so that applying a finding is a dictionary access.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from myomap.domain.bodymap import Side, parse_zone
from myomap.domain.errors import UsageError
from myomap.domain.findings import MovementFinding
from myomap.domain.instances import Instance

if TYPE_CHECKING:  # the atlas models (Pydantic) load only when an atlas is compiled
    from myomap.domain.atlas import Atlas


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


@dataclass(frozen=True)
class MovementIndex:
    """The movement vocabulary and, per (movement id, side), the instances it concerns.

    A key with side ``None`` holds instances that a finding on either side concerns (movements
    without sides, ``both:`` entries, midline instances).
    """

    labels: Mapping[str, str]  # id -> label
    sides: Mapping[str, str]  # id -> "none" | "limb" | "direction"
    aliases: Mapping[str, str]  # normalised id, label or synonym -> id
    targets: Mapping[tuple[str, Side | None], tuple[int, ...]]

    def resolve(self, f: MovementFinding) -> MovementFinding:
        """The finding with its movement as a vocabulary id; unknown names are a usage error
        that suggests close ids."""
        mid = self.aliases.get(_norm(f.movement))
        if mid is None:
            close = difflib.get_close_matches(
                _norm(f.movement), sorted(self.aliases), n=8, cutoff=0.6
            )
            ids = list(dict.fromkeys(self.aliases[c] for c in close))[:4]
            hint = f" Did you mean: {', '.join(ids)}?" if ids else ""
            raise UsageError(
                f"Unknown movement {f.movement!r} in a finding.{hint} Movement ids are listed in "
                "docs/differential.md (Movement findings)."
            )
        side = f.side if self.sides[mid] != "none" else None
        return replace(f, movement=mid, side=side)

    def instances_for(self, f: MovementFinding) -> list[int]:
        """Instances whose trigger point restricts the movement on the finding's side."""
        f = self.resolve(f)
        if f.side is None:
            found = {i for (mid, _), idx in self.targets.items() if mid == f.movement for i in idx}
        else:
            found = {
                *self.targets.get((f.movement, f.side), ()),
                *self.targets.get((f.movement, None), ()),
            }
        return sorted(found)

    def describe(self, f: MovementFinding) -> str:
        """Plain words: "neck rotation to the left restricted"."""
        f = self.resolve(f)
        label = self.labels[f.movement]
        label = label[0].lower() + label[1:]
        if f.side is None:
            where = ""
        elif self.sides[f.movement] == "direction":
            where = f" to the {f.side.value}"
        else:
            where = f" ({f.side.value})"
        return f"{label}{where} {f.result}"


def build_movement_index(atlas: Atlas, instances: Sequence[Instance]) -> MovementIndex:
    """Compile the atlas's ``movement_id`` entries against its movement vocabulary."""
    vocab = {mv.id: mv for mv in atlas.movements}
    aliases: dict[str, str] = {}
    for mv in atlas.movements:  # ids win over labels, labels over synonyms
        for word in reversed((mv.id, mv.label, *mv.synonyms)):
            aliases[_norm(word)] = mv.id
    for mv in atlas.movements:
        aliases[mv.id] = mv.id
    refs: dict[str, list[tuple[str, str]]] = {}
    for _, tp in atlas.trigger_points():
        for test in tp.restricted_movements:
            if test.movement_id is not None:
                mode, mid = parse_zone(test.movement_id)
                if mid in vocab:
                    refs.setdefault(tp.id, []).append((mode, mid))
    targets: dict[tuple[str, Side | None], set[int]] = {}
    for i, inst in enumerate(instances):
        for mode, mid in refs.get(inst.trigger_point, ()):
            side: Side | None = None
            if vocab[mid].sides != "none" and inst.side is not Side.MIDLINE and mode != "both":
                side = inst.side if mode == "same" else inst.side.opposite
            targets.setdefault((mid, side), set()).add(i)
    return MovementIndex(
        labels={mv.id: mv.label for mv in atlas.movements},
        sides={mv.id: mv.sides for mv in atlas.movements},
        aliases=aliases,
        targets={k: tuple(sorted(v)) for k, v in targets.items()},
    )
