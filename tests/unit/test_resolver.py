"""Resolver rules on a small hand-made body map, plus a few checks on the bundled vocabulary."""

from __future__ import annotations

import pytest

from myomap.domain.bodymap import BodyMap, Region, Side, View, region_id
from myomap.domain.errors import UnknownRegionError, UsageError
from myomap.domain.resolver import (
    MAX_PHRASE_LENGTH,
    Resolution,
    canonical_key,
    resolve,
    resolve_phrase,
    suggest,
)


def _regions(
    base: str, label: str, bilateral: bool, parent: str, synonyms: tuple[str, ...]
) -> list[Region]:
    sides = (Side.RIGHT, Side.LEFT) if bilateral else (Side.MIDLINE,)
    out = []
    for side in sides:
        shown = label if side is Side.MIDLINE else f"{side.value.capitalize()} {label.lower()}"
        out.append(Region(region_id(base, side), base, shown, side, View.FRONT, parent, synonyms))
    return out


@pytest.fixture(scope="module")
def tiny() -> BodyMap:
    regions = [
        *_regions("brow", "Brow", False, "head", ("forehead",)),
        *_regions("temple", "Temple", True, "head", ("side of the head",)),
        *_regions("knee_front", "Front of the knee", True, "knee", ("kneecap",)),
        *_regions("knee_back", "Back of the knee (popliteal)", True, "knee", ("knee pit",)),
        *_regions("spine_low", "Lower spine", False, "back", ("lumbar spine",)),
        *_regions("loin", "Loin", True, "back", ("beside the lower spine",)),
    ]
    phrases = {"knee": ("knee_front", "knee_back"), "lower back": ("loin", "spine_low")}
    return BodyMap.build(regions, version="test", phrases=phrases)


def test_bilateral_region_without_side_means_both_sides(tiny: BodyMap) -> None:
    assert resolve("temple", tiny) == Resolution("temple", ("temple_r", "temple_l"), None)


@pytest.mark.parametrize(
    ("phrase", "expected", "side"),
    [
        ("left temple", ["temple_l"], Side.LEFT),
        ("my RIGHT temple", ["temple_r"], Side.RIGHT),
        ("L temple", ["temple_l"], Side.LEFT),
        ("temple R", ["temple_r"], Side.RIGHT),
        ("lt temple", ["temple_l"], Side.LEFT),
        ("temple on the left side", ["temple_l"], Side.LEFT),
        ("left-sided temple", ["temple_l"], Side.LEFT),
        ("both temples", ["temple_r", "temple_l"], None),
        ("bilateral temple", ["temple_r", "temple_l"], None),
        ("temple, both sides", ["temple_r", "temple_l"], None),
        ("right and left temple", ["temple_r", "temple_l"], None),
        ("rigth temple", ["temple_r"], Side.RIGHT),
    ],
)
def test_sides(tiny: BodyMap, phrase: str, expected: list[str], side: Side | None) -> None:
    got = resolve(phrase, tiny)
    assert list(got.regions) == expected
    assert got.side is side


def test_midline_region_ignores_a_side(tiny: BodyMap) -> None:
    assert resolve("left brow", tiny).regions == ("brow",)
    assert resolve("brow", tiny).side is Side.MIDLINE


def test_side_of_names_the_side_when_side_is_not_part_of_a_region_name(tiny: BodyMap) -> None:
    # "side of the head" is a temple synonym; "right side of the knee" only says which knee
    assert resolve("side of the head", tiny).regions == ("temple_r", "temple_l")
    assert resolve("right side of the kneecap", tiny).regions == ("knee_front_r",)


def test_filler_plurals_and_word_order(tiny: BodyMap) -> None:
    assert resolve_phrase("pain in the back of my left knee", tiny) == ["knee_back_l"]
    assert resolve_phrase("knee back", tiny) == ["knee_back_r", "knee_back_l"]
    assert resolve_phrase("kneecaps", tiny) == ["knee_front_r", "knee_front_l"]
    assert resolve_phrase("Forehead!", tiny) == ["brow"]


def test_label_and_its_parenthesis_are_wordings(tiny: BodyMap) -> None:
    assert resolve_phrase("popliteal", tiny) == ["knee_back_r", "knee_back_l"]
    assert resolve_phrase("Front of the knee", tiny) == ["knee_front_r", "knee_front_l"]


def test_group_phrase_with_side_drops_midline_members(tiny: BodyMap) -> None:
    assert resolve_phrase("lower back", tiny) == ["spine_low", "loin_r", "loin_l"]
    assert resolve_phrase("left lower back", tiny) == ["loin_l"]
    assert resolve_phrase("left knee", tiny) == ["knee_front_l", "knee_back_l"]


def test_single_midline_region_is_kept_when_a_side_is_named(tiny: BodyMap) -> None:
    assert resolve_phrase("left lumbar spine", tiny) == ["spine_low"]


def test_ids_resolve_to_themselves(tiny: BodyMap) -> None:
    assert resolve("temple_l", tiny) == Resolution("temple_l", ("temple_l",), Side.LEFT)
    assert resolve_phrase("knee_back", tiny) == ["knee_back_r", "knee_back_l"]
    assert resolve_phrase("spine_low", tiny) == ["spine_low"]


def test_typos_are_corrected_against_the_vocabulary(tiny: BodyMap) -> None:
    assert resolve_phrase("tempel", tiny) == ["temple_r", "temple_l"]
    assert resolve_phrase("left foerhead", tiny) == ["brow"]
    assert resolve_phrase("kneecapp", tiny) == ["knee_front_r", "knee_front_l"]


def test_conjunctions_split_and_carry_the_side(tiny: BodyMap) -> None:
    assert resolve_phrase("left temple and knee", tiny) == [
        "temple_l",
        "knee_front_l",
        "knee_back_l",
    ]
    got = resolve("left temple, right kneecap", tiny)
    assert got.regions == ("temple_l", "knee_front_r")
    assert got.side is None
    assert resolve("left temple and left kneecap", tiny).side is Side.LEFT


def test_output_follows_vocabulary_order_whatever_the_typing_order(tiny: BodyMap) -> None:
    a = resolve_phrase("kneecap and temple and brow", tiny)
    b = resolve_phrase("brow, temple, kneecap", tiny)
    assert a == b == ["brow", "temple_r", "temple_l", "knee_front_r", "knee_front_l"]


def test_unknown_words_raise_with_suggestions(tiny: BodyMap) -> None:
    with pytest.raises(UnknownRegionError) as err:
        resolve("knee pocket", tiny)
    assert err.value.phrase == "knee pocket"
    assert err.value.suggestions
    assert any("knee_back" in s for s in err.value.suggestions)
    assert "Did you mean" in str(err.value)


def test_unknown_part_of_a_list_is_named(tiny: BodyMap) -> None:
    with pytest.raises(UnknownRegionError) as err:
        resolve("temple and elbow", tiny)
    assert err.value.phrase == "elbow"


def test_nonsense_has_no_suggestions(tiny: BodyMap) -> None:
    with pytest.raises(UnknownRegionError) as err:
        resolve("qqqq zzzz", tiny)
    assert err.value.suggestions == []


def test_a_phrase_with_only_filler_is_unknown(tiny: BodyMap) -> None:
    with pytest.raises(UnknownRegionError):
        resolve("it hurts", tiny)


def test_left_knee_and_right_temple_is_not_both_sides(tiny: BodyMap) -> None:
    assert resolve_phrase("left knee and right temple", tiny) == [
        "temple_r",
        "knee_front_l",
        "knee_back_l",
    ]


@pytest.mark.parametrize("phrase", ["", "   "])
def test_empty_phrase_is_a_usage_error(tiny: BodyMap, phrase: str) -> None:
    with pytest.raises(UsageError, match="Empty body region"):
        resolve(phrase, tiny)


def test_overlong_phrase_is_a_usage_error(tiny: BodyMap) -> None:
    with pytest.raises(UsageError, match="too long"):
        resolve("temple " * (MAX_PHRASE_LENGTH // 6 + 1), tiny)


def test_suggestions_use_the_named_side(tiny: BodyMap) -> None:
    got = suggest("left tmple pain", tiny)
    assert got[0].endswith("(temple_l)")


def test_canonical_key_ignores_filler_order_case_and_plurals() -> None:
    assert canonical_key("The back of my KNEES") == canonical_key("knee back")
    assert canonical_key("golfer's elbow") == canonical_key("golfers elbow")
    assert canonical_key("pain area") == ()


def test_phrase_table_travels_with_the_body_map(tiny: BodyMap) -> None:
    rebuilt = BodyMap.build(list(tiny), version="other", phrases={})
    assert resolve_phrase("knee", tiny) == [
        "knee_front_r",
        "knee_front_l",
        "knee_back_r",
        "knee_back_l",
    ]
    # without the phrase table, "knee" falls back to the parent body part
    assert resolve_phrase("knee", rebuilt) == resolve_phrase("knee", tiny)
    with pytest.raises(UnknownRegionError):
        resolve("lower back", rebuilt)


def test_misspelt_words_are_corrected_word_by_word_not_as_a_whole_phrase(tiny: BodyMap) -> None:
    assert resolve_phrase("kneee pitt", tiny) == ["knee_back_r", "knee_back_l"]
    # "pt" is too short to correct; a whole-phrase rewrite to "knee pit" is no longer made
    with pytest.raises(UnknownRegionError):
        resolve("knee pt", tiny)


def test_bundled_vocabulary_examples_from_the_issue(bodymap: BodyMap) -> None:
    assert resolve_phrase("left temple", bodymap) == ["temple_l"]
    assert resolve_phrase("right side of the jaw", bodymap) == ["jaw_r"]
    assert resolve_phrase("outer hip", bodymap) == ["hip_lateral_r", "hip_lateral_l"]
    with pytest.raises(UnknownRegionError) as err:
        resolve("elbw pit", bodymap)
    assert any("(antecubital)" in s for s in err.value.suggestions)
    assert all("elbow" in s for s in err.value.suggestions)


def test_run_together_wordings_are_cut_into_exact_matches(tiny: BodyMap) -> None:
    # the way shell arguments arrive when joined: "left temple kneecap"
    assert resolve_phrase("left temple kneecap", tiny) == ["temple_l", "knee_front_l"]
    assert resolve_phrase("temple_l knee_back_r", tiny) == ["temple_l", "knee_back_r"]
    with pytest.raises(UnknownRegionError):
        resolve("temple kneecup zzz", tiny)
