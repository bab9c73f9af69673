"""``myomap chart`` and ``myomap drawing``: the command contracts and their bad-input paths."""

from __future__ import annotations

import json
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from myomap.domain.bodymap import BodyMap

Cli = Callable[..., Any]
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "drawings"


def write(tmp_path: Path, name: str, doc: Any) -> str:
    path = tmp_path / name
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    return str(path)


def test_chart_svg_with_highlights_and_marks(call_cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "c.svg"
    r = call_cli(
        "chart",
        "--view",
        "both",
        "--highlight",
        "temple_r=7",
        "--highlight",
        "infraspinous_l",
        "--mark",
        "infraspinous_l",
        "-o",
        str(out),
    )
    assert r.exit_code == 0, r.stderr
    svg = out.read_text(encoding="utf-8")
    assert svg.count('id="temple_r"') == 1
    assert 'data-region="infraspinous_l"' in svg
    assert svg.count('class="mark"') == 1


def test_chart_png(call_cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "c.png"
    r = call_cli("chart", "--view", "back", "--highlight", "lumbar_l=3", "-o", str(out))
    assert r.exit_code == 0, r.stderr
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (600, 1560)


def test_chart_accepts_plain_words(call_cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "c.svg"
    r = call_cli("chart", "--highlight", "left temple=4", "-o", str(out))
    assert r.exit_code == 0, r.stderr
    assert 'id="temple_l" class="region" data-region="temple_l" d="' in out.read_text()
    path = next(line for line in out.read_text().splitlines() if 'id="temple_l"' in line)
    assert 'data-style="highlight"' in path


def test_chart_notes_regions_not_on_the_view(call_cli: Cli, tmp_path: Path) -> None:
    r = call_cli("chart", "--view", "front", "--highlight", "sacrum", "-o", str(tmp_path / "c.svg"))
    assert r.exit_code == 0
    assert "sacrum" in r.stderr and "--view both" in r.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--highlight", "temple_r=11"], "from 0 to 10"),
        (["--highlight", "temple_r=x"], "from 0 to 10"),
        (["--highlight", "qwertyuiop"], "Unknown body region"),
        (["--view", "side"], "front, back or both"),
        (["--mark", "zzzz_q"], "Unknown body region"),
    ],
)
def test_chart_bad_input(call_cli: Cli, tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "c.svg"
    r = call_cli("chart", *args, "-o", str(out))
    assert r.exit_code == 2
    assert message in r.stderr
    assert "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_chart_bad_suffix(call_cli: Cli, tmp_path: Path) -> None:
    r = call_cli("chart", "-o", str(tmp_path / "c.pdf"))
    assert r.exit_code == 2
    assert ".svg or .png" in r.stderr


def test_drawing_extent_json_contract(call_cli: Cli, tmp_path: Path, bodymap: BodyMap) -> None:
    f = write(
        tmp_path,
        "d.json",
        {
            "format": "myomap.drawing/1",
            "areas": [
                {"regions": ["temple_r"], "intensity": 6, "quality": "aching"},
                {"regions": ["temple_r", "neck_side_r"], "intensity": 4},
            ],
        },
    )
    r = call_cli("drawing", "extent", f, "--json")
    assert r.exit_code == 0, r.stderr
    data = r.json()
    assert set(data) == {"extent_percent", "regions", "areas"}
    assert data["areas"] == 2
    assert data["regions"]["temple_r"] == {"coverage": 1.0, "intensity": 6, "quality": "aching"}
    assert data["regions"]["neck_side_r"] == {"coverage": 1.0, "intensity": 4, "quality": None}
    expected = bodymap.get("temple_r").area + bodymap.get("neck_side_r").area
    assert data["extent_percent"] == pytest.approx(expected, abs=0.002)


def test_drawing_extent_text(call_cli: Cli) -> None:
    r = call_cli("drawing", "extent", str(EXAMPLES / "shoulder-strokes.json"))
    assert r.exit_code == 0, r.stderr
    assert "% of body area" in r.stdout
    assert "infraspinous_l" in r.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"areas": [', "not valid JSON"),
        ("[1, 2]", "JSON object"),
        (
            '{"areas": [{"regions": ["temple_r"], "intensity": 11}]}',
            "areas[0].intensity: intensity must be a whole number from 0 to 10",
        ),
        ('{"areas": [{"regions": ["temple_r"]}]}', "areas[0].intensity"),
        ('{"areas": [{"regions": ["tempel_r"], "intensity": 2}]}', "Did you mean: temple_r"),
        (
            '{"areas": [{"regions": ["temple_r"], "intensity": 2, "quality": "dull"}]}',
            "quality must be one of",
        ),
        ('{"areas": [], "colour": "red"}', "unknown field 'colour'"),
        (
            '{"areas": [{"strokes": [{"view": "top", "points": [[1, 2]]}], "intensity": 2}]}',
            "areas[0].strokes[0].view",
        ),
    ],
)
def test_drawing_bad_files(call_cli: Cli, tmp_path: Path, content: str, message: str) -> None:
    r = call_cli("drawing", "extent", write(tmp_path, "bad.json", content), "--json")
    assert r.exit_code == 2
    assert message in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert r.stdout == ""


def test_drawing_missing_file(call_cli: Cli, tmp_path: Path) -> None:
    r = call_cli("drawing", "extent", str(tmp_path / "nope.json"))
    assert r.exit_code == 2
    assert "does not exist" in r.stderr


def test_drawing_jaccard(call_cli: Cli, tmp_path: Path) -> None:
    a = write(tmp_path, "a.json", {"areas": [{"regions": ["lumbar_l"], "intensity": 3}]})
    b = write(tmp_path, "b.json", {"areas": [{"regions": ["calf_upper_r"], "intensity": 3}]})
    same = call_cli("drawing", "jaccard", a, a, "--json")
    assert same.exit_code == 0, same.stderr
    assert same.json()["jaccard"] == 1.0
    apart = call_cli("drawing", "jaccard", a, b, "--json").json()
    assert apart["jaccard"] == 0.0
    assert len(apart["extent_percent"]) == 2
    assert "Jaccard" in call_cli("drawing", "jaccard", a, b).stdout


def test_drawing_frequency_with_heat_chart(call_cli: Cli, tmp_path: Path) -> None:
    files = sorted(str(p) for p in EXAMPLES.glob("*.json"))
    assert len(files) >= 3
    heat = tmp_path / "heat.svg"
    r = call_cli("drawing", "frequency", *files, "-o", str(heat), "--json")
    assert r.exit_code == 0, r.stderr
    data = r.json()
    assert data["drawings"] == len(files)
    assert all(0 < f <= 1 for f in data["regions"].values())
    assert data["max_pixel_count"] >= 1
    svg = heat.read_text(encoding="utf-8")
    assert svg.count('class="heat"') == 2  # the per-pixel map over each view
    bad = call_cli("drawing", "frequency", *files, "-o", str(tmp_path / "heat.gif"))
    assert bad.exit_code == 2


def test_drawing_frequency_png_heat(call_cli: Cli, tmp_path: Path) -> None:
    files = sorted(str(p) for p in EXAMPLES.glob("*.json"))
    heat = tmp_path / "heat.png"
    r = call_cli("drawing", "frequency", *files, "-o", str(heat))
    assert r.exit_code == 0, r.stderr
    assert heat.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "3 drawings" in r.stdout or f"{len(files)} drawings" in r.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            '{"areas": [{"strokes": [{"view": "front", "points": [[NaN, 2]]}], "intensity": 2}]}',
            "areas[0].strokes[0].points: every coordinate must be a finite number",
        ),
        (
            '{"areas": [{"strokes": [{"view": "front", "points": [[Infinity, 2]]}], '
            '"intensity": 2}]}',
            "finite number",
        ),
    ],
)
def test_drawing_non_finite_points(
    call_cli: Cli, tmp_path: Path, content: str, message: str
) -> None:
    r = call_cli("drawing", "extent", write(tmp_path, "bad.json", content))
    assert r.exit_code == 2
    assert message in r.stderr


def test_drawing_too_many_points(call_cli: Cli, tmp_path: Path) -> None:
    stroke = {"view": "front", "points": [[100, 100]] * 20000}
    doc = {"areas": [{"strokes": [stroke] * 6, "intensity": 2}]}
    r = call_cli("drawing", "extent", write(tmp_path, "big.json", doc))
    assert r.exit_code == 2
    assert "more than 100000 points" in r.stderr
