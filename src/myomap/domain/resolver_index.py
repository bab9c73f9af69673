"""The vocabulary index the resolver matches against, and the side words of a phrase.

Every wording (region ids, labels, synonyms, parent body parts, the multi-region phrases of
``phrases.json``) is reduced to one order-free key, so the data decides every answer. Built once
per body map and cached; split out of :mod:`myomap.domain.resolver` to keep each module readable.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from myomap.domain.bodymap import BodyMap, Region, Side
from myomap.domain.resolver_text import (
    BOTH,
    FILLER,
    LEFT,
    LETTER_SIDES,
    LOOSE,
    RIGHT,
    SIDE_NOUNS,
    PhraseSide,
    canonical,
    key,
    words,
)


@dataclass(frozen=True)
class Entry:
    bases: tuple[str, ...]
    group: bool  # a multi-region phrase rather than one region's own wording


@dataclass(frozen=True)
class Index:
    keys: dict[tuple[str, ...], Entry]
    vocabulary: frozenset[str]  # words of wordings, of the direction grammar and loose words
    order: dict[str, int]  # concrete id -> position in the vocabulary
    base_label: dict[str, str]
    candidates: dict[str, tuple[str, ...]]  # base -> its wordings, for suggestions
    spellable: tuple[str, ...]  # words a misspelling may be corrected to, sorted
    part_of: dict[str, str]  # base -> parent body part


_CACHE: dict[int, tuple[BodyMap, Index]] = {}


def strip_parenthetical(label: str) -> tuple[str, str]:
    match = re.match(r"^(.*?)\s*\((.*)\)\s*$", label)
    if not match:
        return label, ""
    return match.group(1), match.group(2)


def _base_labels(first: dict[str, Region]) -> dict[str, str]:
    base_label = {}
    for base, region in first.items():
        label = region.label
        if region.side is not Side.MIDLINE and label.split(" ", 1)[0].lower() == region.side.value:
            rest = label.split(" ", 1)[1]
            label = rest[:1].upper() + rest[1:]
        base_label[base] = label
    return base_label


def _build(bodymap: BodyMap) -> Index:
    keys: dict[tuple[str, ...], Entry] = {}
    first: dict[str, Region] = {}
    for region in bodymap:
        first.setdefault(region.base, region)
    base_label = _base_labels(first)

    def add(wording: str, entry: Entry, overwrite: bool) -> None:
        canon = canonical(words(wording))
        if not canon:
            return
        k = key(canon)
        if k in keys and not overwrite:
            same_kind = keys[k].group == entry.group and not entry.group
            if same_kind and keys[k].bases != entry.bases:
                keys[k] = Entry(tuple(dict.fromkeys(keys[k].bases + entry.bases)), False)
            return
        keys[k] = entry

    candidates: dict[str, list[str]] = {base: [] for base in first}
    # Lowest priority first: labels, then parent body parts; synonyms and ids override them,
    # multi-region phrases override everything (they exist to settle ambiguous words).
    for base in first:
        main, inner = strip_parenthetical(base_label[base])
        for wording in (main, inner, f"{main} {inner}"):
            add(wording, Entry((base,), False), overwrite=False)
        candidates[base] += [main, inner]
    parents: dict[str, list[str]] = {}
    for base, region in first.items():
        parents.setdefault(region.parent, []).append(base)
    for parent, members in parents.items():
        add(parent.replace("_", " "), Entry(tuple(members), True), overwrite=False)
    synonym_entries: dict[tuple[str, ...], Entry] = {}
    for base, region in first.items():
        for wording in (*region.synonyms, base.replace("_", " ")):
            canon = canonical(words(wording))
            if not canon:
                continue
            k = key(canon)
            prior = synonym_entries.get(k)
            bases = (base,) if prior is None else tuple(dict.fromkeys(prior.bases + (base,)))
            synonym_entries[k] = Entry(bases, False)
            candidates[base].append(wording)
    keys.update(synonym_entries)
    for wording, bases in bodymap.phrases.items():
        add(wording, Entry(tuple(bases), True), overwrite=True)
    vocabulary = frozenset(w for k in keys for w in k) | bodymap.anatomy.vocabulary()
    spellable = tuple(sorted(w for w in vocabulary if not w.isdigit() and len(w) > 1))
    return Index(
        keys,
        vocabulary | LOOSE,
        {r.id: i for i, r in enumerate(bodymap)},
        base_label,
        {b: tuple(dict.fromkeys(c for c in v if c)) for b, v in candidates.items()},
        spellable,
        {base: region.parent for base, region in first.items()},
    )


def index_for(bodymap: BodyMap) -> Index:
    cached = _CACHE.get(id(bodymap))
    if cached is not None and cached[0] is bodymap:
        return cached[1]
    index = _build(bodymap)
    if len(_CACHE) > 8:
        _CACHE.clear()
    _CACHE[id(bodymap)] = (bodymap, index)
    return index


def vocabulary(bodymap: BodyMap) -> frozenset[str]:
    """Every word the resolver knows without correcting it (for tests and tooling)."""
    return index_for(bodymap).vocabulary


# --------------------------------------------------------------------------- sides


def _side_typo(word: str, vocab: frozenset[str]) -> PhraseSide | None:
    """'rigth' or 'lefft' as a side, unless the word means something else to the resolver."""
    if len(word) < 4 or word in vocab or word in FILLER or word in SIDE_NOUNS:
        return None
    if difflib.get_close_matches(word, ("left",), n=1, cutoff=0.8):
        return PhraseSide.LEFT
    if difflib.get_close_matches(word, ("right",), n=1, cutoff=0.8):
        return PhraseSide.RIGHT
    return None


_PAIR = re.compile(
    r"\b(?:left|l|lt)\s+(?:and|or|n)\s+(?:right|r|rt)\b"
    r"|\b(?:right|r|rt)\s+(?:and|or|n)\s+(?:left|l|lt)\b"
)


def take_side(items: list[str], vocab: frozenset[str]) -> tuple[PhraseSide, list[str]] | None:
    """Split the side out of the words; None when left and right are both named separately."""
    said: set[PhraseSide] = set()
    out: list[str] = []
    last = len(items) - 1
    for i, w in enumerate(items):
        typo = _side_typo(w, vocab)
        if w in LETTER_SIDES and 0 < i < last:
            out.append(w)  # a lone "r" inside a phrase is not a side
        elif w in LEFT or typo is PhraseSide.LEFT:
            said.add(PhraseSide.LEFT)
        elif w in RIGHT or typo is PhraseSide.RIGHT:
            said.add(PhraseSide.RIGHT)
        elif w in BOTH or (w in {"each", "either"} and i < last and items[i + 1] in SIDE_NOUNS):
            said.add(PhraseSide.BOTH)
        else:
            out.append(w)
    if {PhraseSide.LEFT, PhraseSide.RIGHT} <= said:
        # "left and right knee" names both sides; "left knee and right hip" is two phrases
        if not _PAIR.search(" ".join(items)) or sum(w in {"and", "or", "n"} for w in items) > 1:
            return None
        out = [w for w in out if w not in {"and", "or", "n"}]
        said = {PhraseSide.BOTH}
    if not said:
        return PhraseSide.NONE, out
    if PhraseSide.BOTH in said:
        return PhraseSide.BOTH, out
    return said.pop(), out
