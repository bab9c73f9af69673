"""Words of a body-region phrase, reduced to the form every wording is matched in.

Split out of :mod:`myomap.domain.resolver` so the vocabulary index, the clinical direction
grammar (:mod:`myomap.domain.anatomy`) and the matcher all read words the same way: lower case,
no punctuation, no filler, singular, frequency and quality words gone. A referral reference
writes "maxilla (less often)" or "deep burning ache in the proximal two thirds of the posterior
thigh"; only the place is left once these words are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import Enum


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that carry no location. Dropped from typed phrases and from vocabulary wordings alike,
# so "pain in the back of my knee" and "back of the knee" meet on the same key. Frequency and
# quality words of referral references ("less often", "sometimes", "deep", "burning") are here
# too: they qualify a zone, they never move it.
FILLER = _wordset(
    """a an the my his her their your our its this that these those i me it is am are was be
    have has had got get feel feels felt there here just very really quite so too also
    in on at of to into onto with from for
    area areas region regions zone zones part spot place
    pain pains painful hurt hurts hurting ache aches aching achy sore soreness tender tenderness
    discomfort problem problems issue issues trouble
    sharp dull stiff stiffness tight tightness burning throbbing tingling numb numbness
    sometimes often always constant mostly mainly bad badly severe mild terrible
    occasionally occasional rarely rare usually frequently commonly uncommonly less more most
    least deep deeply superficial superficially diffuse diffusely referred referral refers
    spillover intense intensely may can might stabbing shooting prickling lancinating
    radiating radiates spreading spreads extending extends"""
)
# Words dropped only when the strict key finds nothing: "pain around my knee" -> knee,
# "my left temple hurts when chewing" -> left temple.
LOOSE = _wordset(
    """around near nearby by across through over all whole general
    under underneath beneath below inside within along down up toward towards
    when while during after before if once
    chewing eating walking running sitting standing lying sleeping bending lifting moving
    typing driving reaching turning looking morning night day days week weeks"""
)
_SPELLING = {"center": "centre", "entire": "whole", "feet": "foot"}
_IRREGULAR = {
    "feet": "foot",
    "teeth": "tooth",
    "calves": "calf",
    "halves": "half",
    "scapulae": "scapula",
    "vertebrae": "vertebra",
    "malleoli": "malleolus",
    "thirds": "third",
}
# Endings where a final "s" is not a plural (pelvis, gluteus, iliopsoas, abs).
_KEEP_S = ("ss", "us", "is", "os", "ys", "as")

# "the proximal two thirds of", "lower half of": the fraction narrows a part more finely than
# the map draws it, so only its direction word is kept.
_FRACTION = re.compile(r"\b(?:(?:one|two|three|a)[\s-]+)?(?:half|halves|thirds?|quarters?)\s+of\b")

LEFT = frozenset({"left", "l", "lt", "lft", "lhs"})
RIGHT = frozenset({"right", "r", "rt", "rght", "rhs"})
LETTER_SIDES = frozenset({"l", "r", "lt", "rt"})
BOTH = frozenset({"both", "bilateral", "bilaterally", "bilat"})
SIDE_NOUNS = frozenset({"side", "sides", "sided"})


class PhraseSide(Enum):
    """What the phrase said about laterality (Side has no 'both')."""

    NONE = "none"
    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"


def words(text: str) -> list[str]:
    """Lower-case words of ``text``, possessives and punctuation gone, fractions dropped."""
    text = text.lower().replace("\u2019", "'").replace("'s ", " ").replace("s' ", "s ")
    text = _FRACTION.sub(" portion of ", text)
    text = re.sub(r"[^a-z0-9]+", " ", text.replace("'", ""))
    return text.split()


def singular(word: str) -> str:
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    word = _SPELLING.get(word, word)
    if len(word) > 3 and word.endswith("s") and not word.endswith(_KEEP_S):
        return word[:-1]
    return word


def canonical(items: Iterable[str], loose: bool = False) -> list[str]:
    """Filler dropped (and loose words too when ``loose``), every word singular, order kept."""
    out = []
    for w in items:
        if w in FILLER or (loose and w in LOOSE):
            continue
        out.append(singular(w))
    return out


def key(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(items)))


def canonical_key(wording: str) -> tuple[str, ...]:
    """The order-free key a wording is matched by; two wordings with one key are the same."""
    return key(canonical(words(wording)))
