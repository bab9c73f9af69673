"""Plain words to regions: "left temple", "back of my knee", "tennis elbow area".

People describe pain in everyday words, clinicians in anatomical ones, and both make typos. The
resolver reduces a phrase and every known wording (region ids, labels, synonyms, the multi-region
phrases of ``phrases.json``) to the same canonical key: lower case, no punctuation, no filler
("my", "the", "area", "pain in"), singular words, in any order. A side named in the phrase picks
that side of bilateral regions; with no side, or "both", a bilateral region means both sides.

Matching is exact on the canonical key first, so the vocabulary data decides every answer. When
that fails, looser words are dropped; then the phrase is read as clinical direction words on one
body part ("posterolateral neck", "thumb side of the forearm", :mod:`myomap.domain.anatomy`);
then misspelt words are corrected, word by word and never as a whole phrase, and a correction is
kept only when every way of reading the misspelling lands on the same body parts (so a typo can
never move a place to another part of the body). A phrase joined with "and" or commas is tried
part by part. A phrase with words that none of this explains raises
:class:`UnknownRegionError` with the closest regions rather than a guess.
"""

from __future__ import annotations

import difflib
import itertools
import re
from dataclasses import dataclass

from myomap.domain.bodymap import BodyMap, Side
from myomap.domain.errors import UnknownRegionError, UsageError
from myomap.domain.resolver_index import (
    Entry,
    Index,
    index_for,
    strip_parenthetical,
    take_side,
)
from myomap.domain.resolver_text import (
    LOOSE,
    SIDE_NOUNS,
    PhraseSide,
    canonical,
    canonical_key,
    key,
    words,
)

__all__ = ["Resolution", "canonical_key", "resolve", "resolve_phrase", "suggest"]

MAX_PHRASE_LENGTH = 200
MAX_SUGGESTIONS = 4
# A misspelt word is corrected to a vocabulary word at least this alike (difflib ratio). Any
# single typo (one letter dropped, added, changed or two swapped) in a word of four letters or
# more stays at or above it, so the intended word is always among the candidates weighed.
# Words under three letters are never corrected; words up to four letters may be fragments.
_FRAGMENT = 4
_WORD_CUTOFF = 0.75
_MAX_COMBINATIONS = 64


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


# --------------------------------------------------------------------------- matching


def _lookup(index: Index, items: list[str], loose_too: bool = True) -> Entry | None:
    for loose in (False, True) if loose_too else (False,):
        canon = canonical(items, loose=loose)
        if not canon:
            continue
        entry = index.keys.get(key(canon))
        if entry is not None:
            return entry
        # keep "side" only while it names a region ("side of the neck"); else it named the side
        if any(w in SIDE_NOUNS for w in canon):
            entry = index.keys.get(key(w for w in canon if w not in SIDE_NOUNS))
            if entry is not None:
                return entry
    return None


def _clinical(bodymap: BodyMap, items: list[str]) -> Entry | None:
    """Direction words on one body part ("inferior angle of scapula"), or None."""
    grammar = bodymap.anatomy
    known = grammar.vocabulary()
    tokens = [w for w in canonical(items) if w in known or w not in LOOSE]
    found = grammar.regions(tokens)
    return None if found is None else Entry(found[1], True)


def _match(bodymap: BodyMap, index: Index, items: list[str]) -> Entry | None:
    # exact wording, then direction words on a part, then with loose words dropped
    return (
        _lookup(index, items, loose_too=False) or _clinical(bodymap, items) or _lookup(index, items)
    )


def _parts(index: Index, entry: Entry) -> frozenset[str]:
    return frozenset(index.part_of[b] for b in entry.bases)


def _correct(bodymap: BodyMap, index: Index, items: list[str]) -> Entry | None:
    """Correct misspelt words one by one, never the phrase as a whole.

    Each unknown word is weighed against every vocabulary word alike enough to be its intended
    spelling, or as no word at all. The correction stands only if every reading that names a
    place names the same body parts: "kneee" can only be the knee, while a misspelling that is as
    close to a knee word as to a neck word is refused instead of guessed.
    """
    canon = canonical(items)
    options: list[list[str]] = []
    for w in canon:
        if w in index.vocabulary or len(w) < 3 or w.isdigit():
            options.append([w])
            continue
        near = _near(index, w)
        if not near:
            return None
        # A short fragment may be no place word at all (a clipped "dull"): reading the phrase
        # without it counts too, so "ull ache in the upper back" is not turned into the skull
        # while "upper back" stands beside it.
        options.append([*near, ""] if len(w) <= _FRAGMENT else near)
    if all(len(o) == 1 and o[0] == w for o, w in zip(options, canon, strict=True)):
        return None
    total = 1
    for o in options:
        total *= len(o)
    if total > _MAX_COMBINATIONS:
        return None
    found: list[Entry] = []
    for combo in itertools.product(*options):
        entry = _match(bodymap, index, " ".join(combo).split())
        if entry is not None:
            found.append(entry)
    if not found or len({_parts(index, e) for e in found}) > 1:
        return None
    return found[0]


def _near(index: Index, word: str) -> list[str]:
    """Vocabulary words ``word`` may be a misspelling of, closest first (or a run-together pair)."""
    for cut in range(2, len(word) - 1):
        head, tail = word[:cut], word[cut:]
        if head in index.spellable and tail in index.spellable and min(len(head), len(tail)) > 2:
            return [f"{head} {tail}"]
    scored = [(difflib.SequenceMatcher(None, word, v).ratio(), v) for v in index.spellable]
    return [v for r, v in sorted(scored, key=lambda s: (-s[0], s[1])) if r >= _WORD_CUTOFF]


def _concrete(
    bodymap: BodyMap, index: Index, entry: Entry, side: PhraseSide
) -> tuple[list[str], Side | None]:
    one_side = {PhraseSide.LEFT: Side.LEFT, PhraseSide.RIGHT: Side.RIGHT}.get(side)
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
    bodymap: BodyMap, index: Index, text: str, inherited: PhraseSide, strict: bool = False
) -> tuple[list[str], Side | None, PhraseSide] | None:
    raw = text.strip().lower()
    if raw in bodymap:
        return [raw], bodymap.get(raw).side, PhraseSide.NONE
    entry = Entry((raw,), False) if raw in index.base_label else None
    taken = take_side(words(text), index.vocabulary)
    if taken is None:
        return None
    side, items = taken
    if side is PhraseSide.NONE:
        side = inherited
    if entry is None:
        entry = _match(bodymap, index, items)
        if entry is None and not strict:
            entry = _correct(bodymap, index, items)
    if entry is None:
        return None
    ids, named = _concrete(bodymap, index, entry, side)
    return ids, named, side


def _split(text: str) -> list[str]:
    parts = re.split(r"\s*(?:,|;|&|\+|/|\band\b|\bplus\b|\bor\b)\s*", text)
    return [p for p in parts if p.strip()]


def _segments(bodymap: BodyMap, index: Index, text: str) -> list[str] | None:
    """Cut run-together words ("left temple jaw") into wordings that each match exactly.

    Longest match first, exact matches only, so a misspelt or unknown word still fails.
    """
    tokens = text.split()
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for j in range(len(tokens), i, -1):
            chunk = " ".join(tokens[i:j])
            if _resolve_part(bodymap, index, chunk, PhraseSide.NONE, strict=True) is not None:
                out.append(chunk)
                i = j
                break
        else:
            return None
    return out if len(out) > 1 else None


def _combine(phrase: str, bodymap: BodyMap, index: Index, parts: list[str]) -> Resolution:
    """Resolve each part, carrying a named side forward ("left temple and jaw")."""
    ids: list[str] = []
    sides: list[Side | None] = []
    carry = PhraseSide.NONE
    for part in parts:
        got = _resolve_part(bodymap, index, part, carry)
        if got is None:
            raise UnknownRegionError(part.strip(), suggest(part, bodymap))
        ids += got[0]
        sides.append(got[1])
        if got[2] is not PhraseSide.NONE:
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
    index = index_for(bodymap)
    whole = _resolve_part(bodymap, index, text, PhraseSide.NONE)
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
    index = index_for(bodymap)
    taken = take_side(words(phrase), index.vocabulary)
    side, items = taken if taken is not None else (PhraseSide.NONE, words(phrase))
    canon = canonical(items, loose=True)
    if not canon:
        return []
    text = " ".join(canon)
    fixed = []
    for w in canon:
        close = difflib.get_close_matches(w, index.spellable, n=1, cutoff=0.7)
        fixed.append(close[0] if close else w)
    size = sum(len(w) for w in fixed)
    scored: list[tuple[float, int, str]] = []
    for base, wordings in index.candidates.items():
        best = 0.0
        for wording in wordings:
            cand = canonical(words(wording))
            if not cand:
                continue
            # share of the typed letters found as whole words of the wording, then likeness
            shared = sum(len(w) for w in fixed if w in cand) / size
            likeness = difflib.SequenceMatcher(None, text, " ".join(cand)).ratio()
            best = max(best, 0.7 * shared + 0.3 * likeness)
        if best >= 0.3:
            first_id = bodymap.on_side(base, Side.RIGHT)
            scored.append((-best, index.order[first_id], base))
    scored.sort()
    out = []
    one_side = {PhraseSide.LEFT: Side.LEFT, PhraseSide.RIGHT: Side.RIGHT}.get(side)
    for _, _, base in scored[:limit]:
        rid = bodymap.on_side(base, one_side) if one_side else base
        label = bodymap.get(rid).label if rid in bodymap else index.base_label[base]
        label = strip_parenthetical(label)[0].replace(",", "")
        out.append(f"{label} ({rid})")
    return out
