"""Chart rendering: every region once as a labelled path, highlights, zones, marks, PNG size."""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from myomap.chart import Mark, chart_png, chart_svg, intensity_colour, save_chart
from myomap.domain.bodymap import BodyMap, View
from myomap.domain.errors import UnknownRegionError, UsageError

SVG = "{http://www.w3.org/2000/svg}"


def region_paths(svg: str) -> dict[str, ET.Element]:
    root = ET.fromstring(svg)
    out: dict[str, ET.Element] = {}
    for el in root.iter(f"{SVG}path"):
        if el.get("class") == "region":
            rid = el.get("id")
            assert rid is not None and rid not in out, f"{rid} drawn twice"
            out[rid] = el
    return out


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize("view", ["front", "back", "both"])
def test_every_region_drawn_exactly_once_on_its_view(bodymap: BodyMap, view: str) -> None:
    paths = region_paths(chart_svg(view))
    wanted = {r.id for r in bodymap if view == "both" or r.view is View(view)}
    assert set(paths) == wanted
    for rid, el in paths.items():
        assert el.get("data-region") == rid
        title = el.find(f"{SVG}title")
        assert title is not None and title.text == bodymap.get(rid).label


def test_side_markers_and_captions() -> None:
    svg = chart_svg("both")
    root = ET.fromstring(svg)
    texts = [(el.get("class"), el.text) for el in root.iter(f"{SVG}text")]
    assert ("caption", "Front") in texts and ("caption", "Back") in texts
    sides = [t for c, t in texts if c == "side"]
    assert sides == ["R", "L", "L", "R"]  # front: patient's right on the viewer's left
    notes = [t for c, t in texts if c == "side-note"]
    assert notes == ["Patient's right", "Patient's left", "Patient's left", "Patient's right"]
    assert 'viewBox="0 0 800 1040"' in svg


def side_letters(svg: str) -> list[tuple[str, float]]:
    """(letter, x on the whole chart) of every side letter."""
    out = []
    for view in ET.fromstring(svg).iter(f"{SVG}g"):
        if view.get("class") != "view":
            continue
        shift = float(re.findall(r"-?\d+(?:\.\d+)?", view.get("transform", ""))[0])
        out += [
            (el.text or "", shift + float(el.get("x", "nan")))
            for el in view.iter(f"{SVG}text")
            if el.get("class") == "side"
        ]
    return out


def test_each_side_letter_belongs_to_its_own_figure() -> None:
    """The two views' letters must not read as one pair: each sits by its own figure."""
    from myomap.knowledge.loader import load_geometry

    g = load_geometry()
    letters = side_letters(chart_svg("both"))
    # the widest point of the shoulders on each figure
    shoulder_r = g.regions["shoulder_side_r"].shape.bbox[0]
    shoulder_l = g.regions["shoulder_side_l"].shape.bbox[2]
    edges = [shoulder_r, shoulder_l, 400 + shoulder_r, 400 + shoulder_l]
    for (letter, x), edge in zip(letters, edges, strict=True):
        own = abs(x - edge)
        others = [abs(x - e) for e in edges if e != edge]
        assert own < 40, letter
        assert min(others) > 2 * own, letter
    assert [x < 400 for _, x in letters] == [True, True, False, False]
    # the letters nearest each other across the separator stay well apart
    assert letters[2][1] - letters[1][1] > 150
    assert '<line class="separator"' in chart_svg("both")
    assert "separator" not in chart_svg("front")


def test_decoration_draws_face_and_fingers_but_is_not_clickable() -> None:
    for view in ("front", "back"):
        root = ET.fromstring(chart_svg(view))
        deco = [el for el in root.iter(f"{SVG}path") if el.get("class") == "decoration"]
        assert len(deco) == 1, view
        assert deco[0].get("pointer-events") == "none"
        assert deco[0].get("id") is None and deco[0].get("data-region") is None
        assert deco[0].find(f"{SVG}title") is None
        assert deco[0].get("d", "").count("M") >= 6  # where they lie: the content tests


def test_heat_map_is_embedded_in_the_svg() -> None:
    import base64
    import io

    import numpy as np
    from matplotlib import image

    from myomap.services.drawings import template

    tpl = template()
    _, mask = tpl.region_mask("lumbar_l")
    grid = mask.astype(float) * 0.6
    heat = {View.FRONT: np.zeros(mask.shape), View.BACK: grid}
    plain = chart_svg("both")
    svg = chart_svg("both", heat=heat)
    assert "<image" not in plain
    root = ET.fromstring(svg)
    images = [el for el in root.iter(f"{SVG}image") if el.get("class") == "heat"]
    assert len(images) == 2
    assert all(el.get("pointer-events") == "none" for el in images)
    assert region_paths(svg).keys() == region_paths(plain).keys()
    back = next(el for el in images if "translate(400" in _parent_transform(root, el))
    href = back.get("href", "")
    assert href.startswith("data:image/png;base64,")
    assert (back.get("width"), back.get("height")) == ("400", "1000")
    pixels = image.imread(io.BytesIO(base64.b64decode(href.split(",", 1)[1])), format="png")
    assert pixels.shape == (*mask.shape, 4)
    alpha = pixels[..., 3]
    assert (alpha[mask] > 0.8).all() and (alpha[~mask] == 0).all()
    expected = intensity_colour(6).lstrip("#")
    rgb = [round(float(c) * 255) for c in pixels[mask][0][:3]]
    assert rgb == [int(expected[i : i + 2], 16) for i in (0, 2, 4)]


def _parent_transform(root: ET.Element, child: ET.Element) -> str:
    for g in root.iter(f"{SVG}g"):
        if child in list(g):
            return g.get("transform", "")
    return ""


def test_heat_must_be_a_grid() -> None:
    import numpy as np

    with pytest.raises(UsageError, match="2-D grid"):
        chart_svg("back", heat={View.BACK: np.zeros(5)})


def test_save_chart_writes_the_heat_map_to_svg(tmp_path: Path) -> None:
    import numpy as np

    from myomap.services.drawings import template

    _, mask = template().region_mask("temple_r")
    assert np.count_nonzero(mask) > 0
    path = save_chart(tmp_path / "h.svg", view="front", heat={View.FRONT: mask.astype(float)})
    assert 'class="heat"' in path.read_text(encoding="utf-8")


def test_highlight_colour_follows_intensity() -> None:
    paths = region_paths(chart_svg("front", highlights={"temple_r": 2, "temple_l": 9}))
    assert paths["temple_r"].get("fill") == intensity_colour(2)
    assert paths["temple_l"].get("fill") == intensity_colour(9)
    assert intensity_colour(2) != intensity_colour(9)
    assert paths["forehead"].get("data-style") is None
    assert float(paths["temple_l"].get("fill-opacity", "0")) > float(
        paths["temple_r"].get("fill-opacity", "0")
    )


def test_zone_styles_and_pattern() -> None:
    svg = chart_svg("back", zones={"infraspinous_r": "solid", "arm_back_r": "stippled"})
    paths = region_paths(svg)
    assert paths["infraspinous_r"].get("data-style") == "solid"
    assert paths["arm_back_r"].get("fill") == "url(#stipple)"
    assert '<pattern id="stipple"' in svg


def test_marks_are_crosses_inside_their_region() -> None:
    svg = chart_svg("back", marks=[Mark("infraspinous_r", (0.5, 0.4), "TrP1")])
    root = ET.fromstring(svg)
    marks = [g for g in root.iter(f"{SVG}g") if g.get("class") == "mark"]
    assert len(marks) == 1
    assert "TrP1" in svg
    d = marks[0].find(f"{SVG}path")
    assert d is not None
    nums = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", d.get("d", ""))]
    x, y = (nums[0] + nums[2]) / 2, (nums[1] + nums[3]) / 2
    from myomap.knowledge.loader import load_geometry

    assert load_geometry().regions["infraspinous_r"].shape.contains(x, y)


def test_bad_inputs_are_usage_errors() -> None:
    with pytest.raises(UnknownRegionError, match="temple_r"):
        chart_svg("front", highlights={"tempel_r": 3})
    with pytest.raises(UsageError, match="between 0 and 10"):
        chart_svg("front", highlights={"temple_r": 11})
    with pytest.raises(UsageError, match="view"):
        chart_svg("side")
    with pytest.raises(UsageError, match="solid"):
        chart_svg("front", zones={"temple_r": "dotted"})


@pytest.mark.parametrize(("view", "size"), [("front", (600, 1560)), ("both", (1200, 1560))])
def test_png_signature_and_size(view: str, size: tuple[int, int]) -> None:
    data = chart_png(
        view,
        highlights={"temple_r": 5},
        zones={"neck_side_r": "stippled"},
        marks=[Mark("chest_mid_r")],
    )
    assert png_size(data) == size


def test_save_chart_picks_format_by_suffix(tmp_path: Path) -> None:
    svg = save_chart(tmp_path / "c.svg", view="back")
    assert svg.read_text(encoding="utf-8").startswith("<svg")
    png = save_chart(tmp_path / "c.PNG", view="front", highlights={"patella_l": 4})
    assert png_size(png.read_bytes()) == (600, 1560)
    with pytest.raises(UsageError, match=r"\.svg or \.png"):
        save_chart(tmp_path / "c.pdf")
    assert not (tmp_path / "c.pdf").exists()


def test_png_heat_overlay_changes_the_image() -> None:
    import numpy as np

    from myomap.services.drawings import template

    tpl = template()
    _, mask = tpl.region_mask("lumbar_l")
    heat = {View.FRONT: np.zeros(mask.shape), View.BACK: mask.astype(float)}
    plain = chart_png("back")
    hot = chart_png("back", heat=heat)
    assert png_size(hot) == png_size(plain)
    assert hot != plain


def test_mark_labels_do_not_collide_and_stay_on_their_view() -> None:
    from myomap.chart import scene
    from myomap.chart.scene import LABEL_CHAR, LABEL_SIZE, side_text_boxes

    # a cluster of labelled marks in one small region, one near the edge of the view
    marks = [
        Mark("shoulder_top_r", (fx, fy), label)
        for fx, fy, label in (
            (0.2, 0.3, "upper"),
            (0.5, 0.5, "middle"),
            (0.8, 0.4, "middle_finger"),
            (0.4, 0.6, "lower"),
        )
    ]
    marks.append(Mark("hand_back_r", (0.9, 0.5), "a long label near the edge"))
    sc = scene("back", marks=marks)
    placed = sc.marks[View.BACK]
    width = sc.geometry.width
    boxes = []
    for m in placed:
        assert m.label is not None
        w = LABEL_CHAR * len(m.label)
        x0 = m.label_x if m.anchor == "start" else m.label_x - w
        boxes.append((x0, m.label_y - 0.8 * LABEL_SIZE, x0 + w, m.label_y + 0.25 * LABEL_SIZE))
        assert x0 >= 0 and x0 + w <= width, m.label
        assert abs(m.label_x - m.x) < 60 and abs(m.label_y - m.y) < 45, m.label
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :] + side_text_boxes(width):
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
    svg = chart_svg("back", marks=marks)
    labels = [el for el in ET.fromstring(svg).iter(f"{SVG}text") if el.get("class") == "mark-label"]
    assert [el.text for el in labels] == [m.label for m in marks]
    assert {el.get("text-anchor") for el in labels} <= {"start", "end"}
