"""One chart per trigger point: ``myomap show -o`` files and the atlas browser page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from myomap.knowledge.load import Knowledge
from myomap.knowledge.loader import load_atlas
from myomap.web.presenters import Presenter


def _muscle_with_most_trps() -> Any:
    return max(load_atlas().muscles, key=lambda m: (len(m.trigger_points), m.id))


def test_show_writes_one_chart_per_trigger_point(tmp_path: Path, call_cli: Any) -> None:
    m = _muscle_with_most_trps()
    assert len(m.trigger_points) >= 5
    out = tmp_path / f"{m.id}.svg"
    result = call_cli("show", m.id, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    files = sorted(p.name for p in tmp_path.glob(f"{m.id}.*.svg"))
    assert len(files) == len(m.trigger_points)
    assert out.is_file()
    assert result.stdout.count("Trigger point chart written to") == len(m.trigger_points)


def test_each_picture_shows_only_its_own_zones() -> None:
    shown = Presenter(Knowledge())
    m = next(mm for mm in shown.known.atlas.muscles if mm.id == "sternocleidomastoid")
    sternal_low = shown.trigger_point_chart(m, "sternocleidomastoid.sternal_lower")
    clavicular = shown.trigger_point_chart(m, "sternocleidomastoid.clavicular_upper")
    assert sternal_low != clavicular
    # the lower sternal TrP refers to the sternum only; the clavicular one never there
    assert 'data-region="sternum"' in sternal_low
    for svg in (sternal_low, clavicular):
        assert ' id="' not in svg.replace('id="stipple-', "")  # no duplicate ids on the page
