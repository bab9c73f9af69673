"""Plain words to regions: "left temple", "back of my knee", "tennis elbow area".

People describe pain in everyday words, clinicians in anatomical ones, and both make typos. The
resolver reduces a phrase and every known wording (region ids, labels, synonyms, the multi-region
phrases of ``phrases.json``) to the same canonical key: lower case, no punctuation, no filler
("my", "the", "area", "pain in"), singular words, in any order. A side named in the phrase picks
that side of bilateral regions; with no side, or "both", a bilateral region means both sides.

Matching is exact on the canonical key first, so the vocabulary data decides every answer; only
when that fails are looser words dropped and misspelt words corrected against the vocabulary,
and a phrase joined with "and" or commas is tried part by part. A phrase with words that none of
this explains raises :class:`UnknownRegionError` with the closest regions rather than a guess.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from myomap.domain.bodymap import BodyMap, Region, Side
from myomap.domain.errors import UnknownRegionError, UsageError

MAX_PHRASE_LENGTH = 200
MAX_SUGGESTIONS = 4


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that carry no location. Dropped from typed phrases and from vocabulary wordings alike,
# so "pain in the back of my knee" and "back of the knee" meet on the same key.
_FILLER = _wordset(
    """a an the my his her their your our its this that these those i me it is am are was be
    have has had got get feel feels felt there here just very really quite so too also
    in on at of to into onto with from for
    area areas region regions zone part spot place
    pain pains painful hurt hurts hurting ache aches aching achy sore soreness tender tenderness
    discomfort problem problems issue issues trouble
    sharp dull stiff stiffness tight tightness burning throbbing tingling numb numbness
    sometimes often always constant mostly mainly bad badly severe mild terrible"""
)
# Words dropped only when the strict key finds nothing: "pain around my knee" -> knee,
# "my left temple hurts when chewing" -> left temple.
_LOOSE = _wordset(
    """around near nearby by across through over all whole general under underneath beneath
    inside within deep deeply
    when while during after before if once
    chewing eating walking running sitting standing lying sleeping bending lifting moving
    typing driving reaching turning looking morning night day days week weeks"""
)
_SPELLING = {"center": "centre", "entire": "whole"}
_IRREGULAR = {
    "feet": "foot",
    "teeth": "tooth",
    "calves": "calf",
    "halves": "half",
    "scapulae": "scapula",
    "vertebrae": "vertebra",
}
# Endings where a final "s" is not a plural (pelvis, gluteus, iliopsoas, abs).
_KEEP_S = ("ss", "us", "is", "os", "ys", "as")

_LEFT = frozenset({"left", "l", "lt", "lft", "lhs"})
_RIGHT = frozenset({"right", "r", "rt", "rght", "rhs"})
_LETTER_SIDES = frozenset({"l", "r", "lt", "rt"})
_BOTH = frozenset({"both", "bilateral", "bilaterally", "bilat"})
_SIDE_NOUNS = frozenset({"side", "sides", "sided"})


class _Side(Enum):
    """What the phrase said about laterality (internal: Side has no 'both')."""

    NONE = "none"
    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"


@dataclass(frozen=True)
class Resolution:
    """The regions a phrase names, in vocabulary order.

    ``side`` is the side the phrase named when it picked one side of a bilateral region,
    ``Side.MIDLINE`` when every region found is a midline region, and ``None`` otherwise
    (both sides, or no side given).
    """

    phrase: str
    regions: tuple[str, ...]
    side: Side | None


@dataclass(frozen=True)
class _Entry:
    bases: tuple[str, ...]
    group: bool  # a multi-region phrase rather than one region's own wording


@dataclass(frozen=True)
class _Index:
    keys: dict[tuple[str, ...], _Entry]
    spelled: dict[str, tuple[str, ...]]  # canonical words in reading order -> key
    vocabulary: frozenset[str]
    order: dict[str, int]  # concrete id -> position in the vocabulary
    base_label: dict[str, str]
    candidates: dict[str, tuple[str, ...]]  # base -> its wordings, for suggestions


_CACHE: dict[int, tuple[BodyMap, _Index]] = {}


# --------------------------------------------------------------------------- text handling


def _words(text: str) -> list[str]:
    text = text.lower().replace("\u2019", "'").replace("'s ", " ").replace("s' ", "s ")
    text = re.sub(r"[^a-z0-9]+", " ", text.replace("'", ""))
    return text.split()


def _singular(word: str) -> str:
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    word = _SPELLING.get(word, word)
    if len(word) > 3 and word.endswith("s") and not word.endswith(_KEEP_S):
        return word[:-1]
    return word


def _canonical(words: Iterable[str], loose: bool = False) -> list[str]:
    out = []
    for w in words:
        if w in _FILLER or (loose and w in _LOOSE):
            continue
        out.append(_singular(w))
    return out


def _key(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(words)))


def canonical_key(wording: str) -> tuple[str, ...]:
    """The order-free key a wording is matched by; two wordings with one key are the same."""
    return _key(_canonical(_words(wording)))


# --------------------------------------------------------------------------- index


def _strip_parenthetical(label: str) -> tuple[str, str]:
    match = re.match(r"^(.*?)\s*\((.*)\)\s*$", label)
    if not match:
        return label, ""
    return match.group(1), match.group(2)


def _build_index(bodymap: BodyMap) -> _Index:
    keys: dict[tuple[str, ...], _Entry] = {}
    spelled: dict[str, tuple[str, ...]] = {}
    order = {r.id: i for i, r in enumerate(bodymap)}
    first: dict[str, Region] = {}
    for region in bodymap:
        first.setdefault(region.base, region)
    base_label = {}
    for base, region in first.items():
        label = region.label
        if region.side is not Side.MIDLINE and label.split(" ", 1)[0].lower() == region.side.value:
            rest = label.split(" ", 1)[1]
            label = rest[:1].upper() + rest[1:]
        base_label[base] = label

    def add(wording: str, entry: _Entry, overwrite: bool) -> None:
        canon = _canonical(_words(wording))
        if not canon:
            return
        key = _key(canon)
        if key in keys and not overwrite:
            same_kind = keys[key].group == entry.group and not entry.group
            if same_kind and keys[key].bases != entry.bases:
                merged = tuple(dict.fromkeys(keys[key].bases + entry.bases))
                keys[key] = _Entry(merged, False)
            return
        keys[key] = entry
        spelled.setdefault(" ".join(canon), key)

    candidates: dict[str, list[str]] = {base: [] for base in first}
    # Lowest priority first: labels, then parent body parts; synonyms and ids override them,
    # multi-region phrases override everything (they exist to settle ambiguous words).
    for base in first:
        main, inner = _strip_parenthetical(base_label[base])
        for wording in (main, inner, f"{main} {inner}"):
            add(wording, _Entry((base,), False), overwrite=False)
        candidates[base] += [main, inner]
    parents: dict[str, list[str]] = {}
    for base, region in first.items():
        parents.setdefault(region.parent, []).append(base)
    for parent, members in parents.items():
        add(parent.replace("_", " "), _Entry(tuple(members), True), overwrite=False)
    synonym_entries: dict[tuple[str, ...], _Entry] = {}
    for base, region in first.items():
        for wording in (*region.synonyms, base.replace("_", " ")):
            canon = _canonical(_words(wording))
            if not canon:
                continue
            key = _key(canon)
            prior = synonym_entries.get(key)
            bases = (base,) if prior is None else tuple(dict.fromkeys(prior.bases + (base,)))
            synonym_entries[key] = _Entry(bases, False)
            spelled[" ".join(canon)] = key
            candidates[base].append(wording)
    keys.update(synonym_entries)
    for wording, bases in bodymap.phrases.items():
        add(wording, _Entry(tuple(bases), True), overwrite=True)
    vocabulary = frozenset(w for key in keys for w in key)
    return _Index(
        keys,
        spelled,
        vocabulary,
        order,
        base_label,
        {b: tuple(dict.fromkeys(c for c in v if c)) for b, v in candidates.items()},
    )


def _index(bodymap: BodyMap) -> _Index:
    cached = _CACHE.get(id(bodymap))
    if cached is not None and cached[0] is bodymap:
        return cached[1]
    index = _build_index(bodymap)
    if len(_CACHE) > 8:
        _CACHE.clear()
    _CACHE[id(bodymap)] = (bodymap, index)
    return index


# --------------------------------------------------------------------------- sides


def _side_typo(word: str, vocabulary: frozenset[str]) -> _Side | None:
    """'rigth' or 'lefft' as a side, unless the word means something else to the resolver."""
    if len(word) < 4 or word in vocabulary or word in _FILLER or word in _SIDE_NOUNS:
        return None
    if difflib.get_close_matches(word, ("left",), n=1, cutoff=0.8):
        return _Side.LEFT
    if difflib.get_close_matches(word, ("right",), n=1, cutoff=0.8):
        return _Side.RIGHT
    return None


_PAIR = re.compile(r"\b(?:left|l|lt)\s+(?:and|or|n)\s+(?:right|r|rt)\b"
                   r"|\b(?:right|r|rt)\s+(?:and|or|n)\s+(?:left|l|lt)\b")


def _take_side(
    words: list[str], vocabulary: frozenset[str]
) -> tuple[_Side, list[str]] | None:
    """Split the side out of the words; None when left and right are both named separately."""
    said: set[_Side] = set()
    out: list[str] = []
    last = len(words) - 1
    for i, w in enumerate(words):
        typo = _side_typo(w, vocabulary)
        if w in _LETTER_SIDES and 0 < i < last:
            out.append(w)  # a lone "r" inside a phrase is not a side
        elif w in _LEFT or typo is _Side.LEFT:
            said.add(_Side.LEFT)
        elif w in _RIGHT or typo is _Side.RIGHT:
            said.add(_Side.RIGHT)
        elif w in _BOTH or (w in {"each", "either"} and i < last and words[i + 1] in _SIDE_NOUNS):
            said.add(_Side.BOTH)
        else:
            out.append(w)
    if {_Side.LEFT, _Side.RIGHT} <= said:
        # "left and right knee" names both sides; "left knee and right hip" is two phrases
        if not _PAIR.search(" ".join(words)) or sum(w in {"and", "or", "n"} for w in words) > 1:
            return None
        out = [w for w in out if w not in {"and", "or", "n"}]
        said = {_Side.BOTH}
    if not said:
        return _Side.NONE, out
    if _Side.BOTH in said:
        return _Side.BOTH, out
    return said.pop(), out


# --------------------------------------------------------------------------- matching


def _lookup(index: _Index, words: list[str]) -> _Entry | None:
    for loose in (False, True):
        canon = _canonical(words, loose=loose)
        if not canon:
            continue
        entry = index.keys.get(_key(canon))
        if entry is not None:
            return entry
        # keep "side" only while it names a region ("side of the neck"); else it named the side
        if any(w in _SIDE_NOUNS for w in canon):
            entry = index.keys.get(_key(w for w in canon if w not in _SIDE_NOUNS))
            if entry is not None:
                return entry
    return None


def _correct(index: _Index, words: list[str]) -> _Entry | None:
    """Match a misspelt wording: first as one string ("shoulderblade"), then word by word."""
    canon = _canonical(words, loose=True)
    if not canon:
        return None
    text = " ".join(canon)
    close = difflib.get_close_matches(text, sorted(index.spelled), n=2, cutoff=0.85)
    if close and (len(close) == 1 or _ratio(text, close[1]) < _ratio(text, close[0])):
        return index.keys.get(index.spelled[close[0]])
    fixed = []
    for w in canon:
        if w in index.vocabulary or len(w) < 4 or w.isdigit():
            fixed.append(w)
            continue
        near = difflib.get_close_matches(w, sorted(index.vocabulary), n=1, cutoff=0.75)
        fixed.append(near[0] if near else w)
    if fixed == canon:
        return None
    return _lookup(index, fixed)


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


def _concrete(
    bodymap: BodyMap, index: _Index, entry: _Entry, side: _Side
) -> tuple[list[str], Side | None]:
    one_side = {_Side.LEFT: Side.LEFT, _Side.RIGHT: Side.RIGHT}.get(side)
    all_midline = all(not bodymap.is_bilateral_base(b) for b in entry.bases)
    ids: list[str] = []
    for base in entry.bases:
        if bodymap.is_bilateral_base(base):
            sides = (one_side,) if one_side else (Side.RIGHT, Side.LEFT)
            ids += [bodymap.on_side(base, s) for s in sides]
        elif one_side is None or all_midline or not entry.group:
            ids.append(bodymap.on_side(base, Side.MIDLINE))
    ids = sorted(dict.fromkeys(ids), key=lambda rid: index.order[rid])
    if all_midline:
        return ids, Side.MIDLINE
    return ids, one_side


def _resolve_part(
    bodymap: BodyMap, index: _Index, text: str, inherited: _Side, strict: bool = False
) -> tuple[list[str], Side | None, _Side] | None:
    raw = text.strip().lower()
    if raw in bodymap:
        return [raw], bodymap.get(raw).side, _Side.NONE
    entry = _Entry((raw,), False) if raw in index.base_label else None
    taken = _take_side(_words(text), index.vocabulary)
    if taken is None:
        return None
    side, words = taken
    if side is _Side.NONE:
        side = inherited
    if entry is None:
        entry = _lookup(index, words) or (None if strict else _correct(index, words))
    if entry is None:
        return None
    ids, named = _concrete(bodymap, index, entry, side)
    return ids, named, side


def _split(text: str) -> list[str]:
    parts = re.split(r"\s*(?:,|;|&|\+|/|\band\b|\bplus\b|\bor\b)\s*", text)
    return [p for p in parts if p.strip()]


def _segments(bodymap: BodyMap, index: _Index, text: str) -> list[str] | None:
    """Cut run-together words ("left temple jaw") into wordings that each match exactly.

    Longest match first, exact matches only, so a misspelt or unknown word still fails.
    """
    tokens = text.split()
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for j in range(len(tokens), i, -1):
            chunk = " ".join(tokens[i:j])
            if _resolve_part(bodymap, index, chunk, _Side.NONE, strict=True) is not None:
                out.append(chunk)
                i = j
                break
        else:
            return None
    return out if len(out) > 1 else None


def _combine(phrase: str, bodymap: BodyMap, index: _Index, parts: list[str]) -> Resolution:
    """Resolve each part, carrying a named side forward ("left temple and jaw")."""
    ids: list[str] = []
    sides: list[Side | None] = []
    carry = _Side.NONE
    for part in parts:
        got = _resolve_part(bodymap, index, part, carry)
        if got is None:
            raise UnknownRegionError(part.strip(), suggest(part, bodymap))
        ids += got[0]
        sides.append(got[1])
        if got[2] is not _Side.NONE:
            carry = got[2]
    ordered = sorted(dict.fromkeys(ids), key=lambda rid: index.order[rid])
    unique_sides = set(sides)
    side = unique_sides.pop() if len(unique_sides) == 1 else None
    return Resolution(phrase, tuple(ordered), side)


def resolve(phrase: str, bodymap: BodyMap) -> Resolution:
    """The regions a plain-words phrase names; raises UnknownRegionError with suggestions."""
    text = phrase.strip()
    if not text:
        raise UsageError("Empty body region: type a place such as 'left temple' or 'lower back'.")
    if len(text) > MAX_PHRASE_LENGTH:
        raise UsageError(
            f"Body region phrase too long ({len(text)} characters; at most "
            f"{MAX_PHRASE_LENGTH}): name one place, or pass several phrases."
        )
    index = _index(bodymap)
    whole = _resolve_part(bodymap, index, text, _Side.NONE)
    if whole is not None:
        return Resolution(phrase, tuple(whole[0]), whole[1])
    parts = _split(text.lower())
    if len(parts) > 1:
        return _combine(phrase, bodymap, index, parts)
    segments = _segments(bodymap, index, text.lower())
    if segments is not None:
        return _combine(phrase, bodymap, index, segments)
    raise UnknownRegionError(text, suggest(text, bodymap))


def resolve_phrase(phrase: str, bodymap: BodyMap) -> list[str]:
    """Concrete region ids for a phrase (the form chart and drawing commands take)."""
    return list(resolve(phrase, bodymap).regions)


def suggest(phrase: str, bodymap: BodyMap, limit: int = MAX_SUGGESTIONS) -> list[str]:
    """The closest regions to an unmatched phrase, as "Label (id)" strings, best first."""
    index = _index(bodymap)
    taken = _take_side(_words(phrase), index.vocabulary)
    side, words = taken if taken is not None else (_Side.NONE, _words(phrase))
    canon = _canonical(words, loose=True)
    if not canon:
        return []
    text = " ".join(canon)
    fixed = []
    for w in canon:
        close = difflib.get_close_matches(w, sorted(index.vocabulary), n=1, cutoff=0.7)
        fixed.append(close[0] if close else w)
    size = sum(len(w) for w in fixed)
    scored: list[tuple[float, int, str]] = []
    for base, wordings in index.candidates.items():
        best = 0.0
        for wording in wordings:
            cand = _canonical(_words(wording))
            if not cand:
                continue
            # share of the typed letters found as whole words of the wording, then likeness
            shared = sum(len(w) for w in fixed if w in cand) / size
            best = max(best, 0.7 * shared + 0.3 * _ratio(text, " ".join(cand)))
        if best >= 0.3:
            first_id = bodymap.on_side(base, Side.RIGHT)
            scored.append((-best, index.order[first_id], base))
    scored.sort()
    out = []
    one_side = {_Side.LEFT: Side.LEFT, _Side.RIGHT: Side.RIGHT}.get(side)
    for _, _, base in scored[:limit]:
        rid = bodymap.on_side(base, one_side) if one_side else base
        label = bodymap.get(rid).label if rid in bodymap else index.base_label[base]
        label = _strip_parenthetical(label)[0].replace(",", "")
        out.append(f"{label} ({rid})")
    return out
