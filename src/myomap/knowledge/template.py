"""The equal-area raster template over the bundled chart geometry.

Apart from :mod:`myomap.knowledge.loader` because it needs NumPy: commands that never raster a
drawing do not load it.
"""

from __future__ import annotations

from functools import lru_cache

from myomap.domain.raster import Template, build_template
from myomap.knowledge.loader import load_geometry


@lru_cache(maxsize=1)
def load_template() -> Template:
    """Built once per process from ``bodymap/geometry.json``."""
    return build_template(load_geometry())
