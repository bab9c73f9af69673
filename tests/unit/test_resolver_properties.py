"""Property: a misspelling never moves a place to another part of the body.

Take a phrase the resolver reads exactly, misspell one of its words with a single typo (a letter
dropped, added, changed, or two swapped) that makes it no known word, and resolve again. The
answer is either a refusal (UnknownRegionError) or regions of the same body parts as the
correctly spelt phrase: never the back of the neck for a misspelt knee.
"""

from __future__ import annotations

import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from myomap.domain.bodymap import BodyMap
from myomap.domain.errors import UnknownRegionError
from myomap.domain.resolver import resolve_phrase
from myomap.domain.resolver_index import vocabulary
from myomap.domain.resolver_text import FILLER, LOOSE
from myomap.knowledge.loader import load_bodymap
from tests.unit.test_resolver_clinical_table import ROWS

BODYMAP = load_bodymap()


def _phrases(bodymap: BodyMap) -> list[str]:
    out = [p for p, spec in ROWS if spec is not None and "," not in p and " and " not in p]
    for region in bodymap:
        out += list(region.synonyms)
    return sorted(set(out))


PHRASES = _phrases(BODYMAP)
SIDE_LIKE = ("left", "right", "both")


def _parts(bodymap: BodyMap, ids: list[str]) -> set[str]:
    return {bodymap.get(r).parent for r in ids}


def _typo(word: str, kind: int, at: int, letter: str) -> str:
    i = at % len(word)
    if kind == 0:
        return word[:i] + word[i + 1 :]
    if kind == 1:
        return word[:i] + letter + word[i:]
    if kind == 2:
        return word[:i] + letter + word[i + 1 :]
    j = min(i + 1, len(word) - 1)
    chars = list(word)
    chars[i], chars[j] = chars[j], chars[i]
    return "".join(chars)


@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,  # the same 400 cases in every run; see docs/bodymap-vocabulary.md
    database=None,
)
@given(
    phrase=st.sampled_from(PHRASES),
    which=st.integers(min_value=0, max_value=10),
    kind=st.integers(min_value=0, max_value=3),
    at=st.integers(min_value=0, max_value=30),
    letter=st.sampled_from(string.ascii_lowercase),
)
def test_a_misspelt_word_never_lands_on_another_body_part(
    phrase: str, which: int, kind: int, at: int, letter: str
) -> None:
    original = resolve_phrase(phrase, BODYMAP)
    words = phrase.split()
    candidates = [
        i for i, w in enumerate(words) if w.isalpha() and len(w) >= 4 and w.lower() not in SIDE_LIKE
    ]
    if not candidates:
        return
    i = candidates[which % len(candidates)]
    typo = _typo(words[i].lower(), kind, at, letter)
    # Filler and loose words are words too: a typo that makes one ('hand' -> 'had') is no
    # misspelling.
    known = vocabulary(BODYMAP) | FILLER | LOOSE
    if typo in known or typo == words[i].lower() or len(typo) < 3:
        return  # not a misspelling: another real word, or no change
    misspelt = " ".join([*words[:i], typo, *words[i + 1 :]])
    try:
        got = resolve_phrase(misspelt, BODYMAP)
    except UnknownRegionError:
        return
    assert _parts(BODYMAP, got) <= _parts(BODYMAP, original), (phrase, misspelt, got)


@pytest.mark.parametrize(
    ("misspelt", "part"),
    [
        ("posterior kneee", "knee"),
        ("anteriorr hip", "pelvis"),
        ("bakc teeth", "head"),
        ("radail forearm", "forearm"),
        ("posterior neeck", "neck"),
    ],
)
def test_known_misspellings_stay_on_their_part(misspelt: str, part: str) -> None:
    assert _parts(BODYMAP, resolve_phrase(misspelt, BODYMAP)) == {part}
