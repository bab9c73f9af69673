"""Trigger point instances: one cause per side of each trigger point, zones made concrete.

The atlas stores zones relative to the trigger point's side (``temple``, ``contra:temple``,
``both:temple``); the differential needs concrete region ids per side. Midline-only trigger
points become one ``midline`` instance so that they are not counted twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from myomap.domain.bodymap import BodyMap, Side, parse_zone

if TYPE_CHECKING:  # the atlas models (Pydantic) load only when an atlas is compiled
    from myomap.domain.atlas import Atlas


@dataclass(frozen=True)
class Instance:
    """One side of one trigger point, with its zones as concrete region ids."""

    trigger_point: str
    muscle: str
    side: Side
    essential: tuple[str, ...]
    spillover: tuple[str, ...]


def expand_instances(atlas: Atlas, bodymap: BodyMap) -> list[Instance]:
    """One instance per side of each TrP; a TrP whose location and zones are all midline gets a
    single midline instance, so that it is not counted twice."""
    out: list[Instance] = []
    for muscle, tp in atlas.trigger_points():
        bilateral = bodymap.is_bilateral_base(tp.location.region) or any(
            bodymap.is_bilateral_base(parse_zone(z)[1]) for z in (*tp.essential, *tp.spillover)
        )
        for side in (Side.LEFT, Side.RIGHT) if bilateral else (Side.MIDLINE,):
            ess = _resolve(tp.essential, side, bodymap)
            spill = [r for r in _resolve(tp.spillover, side, bodymap) if r not in ess]
            out.append(Instance(tp.id, muscle.id, side, tuple(ess), tuple(spill)))
    out.sort(key=lambda i: (i.trigger_point, i.side.value))
    return out


def _resolve(zones: Sequence[str], side: Side, bodymap: BodyMap) -> list[str]:
    out: dict[str, None] = {}
    for zone in zones:
        mode, base = parse_zone(zone)
        if not bodymap.is_bilateral_base(base):
            out[bodymap.on_side(base, Side.MIDLINE)] = None
        elif mode == "both":
            out[bodymap.on_side(base, Side.LEFT)] = None
            out[bodymap.on_side(base, Side.RIGHT)] = None
        else:
            target = side if mode == "same" else side.opposite
            out[bodymap.on_side(base, target)] = None
    return list(out)
