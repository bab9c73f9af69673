"""Clinical direction words on a body part: "posterolateral neck", "thumb side of the forearm".

Referral references name a zone as directions plus a part ("radial forearm", "posterior knee",
"inferior angle of the scapula"). Listing every combination as a synonym would be endless, so
``phrases.json`` gives each part its regions and, per direction, the regions that direction
picks; this module reads a phrase as exactly one part plus direction (and neutral) words and
answers with those regions. It never leaves the part it found, which is what keeps "posterior
knee" at the knee and "back teeth" at the teeth.

Several directions intersect ("dorsal radial forearm"); directions that share no region join
instead ("posterolateral neck" is the side and the back of the neck). A direction the part does
not list narrows nothing the map draws ("proximal posterior thigh" is the back of the thigh).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from myomap.domain.resolver_text import canonical, words

# Compound prefixes of clinical words: "posterolateral", "anteromedial", "inferolateral".
_MIN_STEM = 4


@dataclass(frozen=True)
class Part:
    """One body part the direction grammar knows, with the regions each direction picks."""

    id: str
    words: tuple[tuple[str, ...], ...]  # canonical word sequences naming the part
    regions: tuple[str, ...]
    directions: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class Anatomy:
    """Direction aliases (canonical words -> direction), neutral words and parts."""

    aliases: Mapping[tuple[str, ...], str] = field(default_factory=dict)
    neutral: frozenset[str] = frozenset()
    parts: tuple[Part, ...] = ()

    @classmethod
    def from_data(cls, raw: Mapping[str, Any]) -> Anatomy:
        aliases: dict[tuple[str, ...], str] = {}
        for direction, names in raw.get("directions", {}).items():
            for name in names:
                aliases[tuple(canonical(words(name)))] = direction
        parts = []
        for entry in raw.get("parts", ()):
            seqs = tuple(dict.fromkeys(tuple(canonical(words(w))) for w in entry["words"]))
            directions = {d: tuple(r) for d, r in entry.get("directions", {}).items()}
            parts.append(Part(entry["part"], seqs, tuple(entry["regions"]), directions))
        neutral = frozenset(canonical(raw.get("neutral", ())))
        return cls(aliases, neutral, tuple(parts))

    def vocabulary(self) -> frozenset[str]:
        """Every word the grammar reads, so the spelling corrector can aim at them."""
        out = set(self.neutral)
        for alias in self.aliases:
            out.update(alias)
        for part in self.parts:
            for seq in part.words:
                out.update(seq)
        return frozenset(out)

    def _direction_words(self, tokens: Sequence[str]) -> list[str] | None:
        """Directions named by ``tokens`` (all of them must be directions or neutral)."""
        out: list[str] = []
        i = 0
        longest = max((len(a) for a in self.aliases), default=1)
        while i < len(tokens):
            for n in range(min(longest, len(tokens) - i), 0, -1):
                direction = self.aliases.get(tuple(tokens[i : i + n]))
                if direction is not None:
                    out.append(direction)
                    i += n
                    break
            else:
                word = tokens[i]
                if word in self.neutral:
                    i += 1
                    continue
                split = self._compound(word)
                if split is None:
                    return None
                out += split
                i += 1
        return out

    def _compound(self, word: str) -> list[str] | None:
        """'posterolateral' -> posterior, lateral; None when the word is not such a compound."""
        for cut in range(_MIN_STEM, len(word) - _MIN_STEM + 1):
            head = self.aliases.get((word[:cut],))
            if head is None or not word[:cut].endswith("o"):
                continue
            tail = self.aliases.get((word[cut:],))
            if tail is not None:
                return [head, tail]
        return None

    def regions(self, tokens: Sequence[str]) -> tuple[Part, tuple[str, ...]] | None:
        """The part and base regions named by canonical ``tokens``, or None if not this form."""
        found: list[tuple[int, Part, tuple[str, ...]]] = []
        for part in self.parts:
            for seq in part.words:
                n = len(seq)
                for i in range(len(tokens) - n + 1):
                    if tuple(tokens[i : i + n]) != seq:
                        continue
                    rest = [*tokens[:i], *tokens[i + n :]]
                    directions = self._direction_words(rest)
                    if directions is None:
                        continue
                    # a part word that is also a direction ("back") is the part only if nothing
                    # else is; longer part names win ("upper arm" over "arm")
                    rank = n * 2 - (1 if seq in self.aliases else 0)
                    found.append((rank, part, self._narrow(part, directions)))
        if not found:
            return None
        found.sort(key=lambda f: -f[0])
        best = [f for f in found if f[0] == found[0][0]]
        if len({(f[1].id, f[2]) for f in best}) > 1:
            return None  # two parts read the phrase equally well: no guess
        return best[0][1], best[0][2]

    @staticmethod
    def _narrow(part: Part, directions: Sequence[str]) -> tuple[str, ...]:
        picks = [set(part.directions[d]) for d in dict.fromkeys(directions) if d in part.directions]
        if not picks:
            return part.regions
        chosen = set.intersection(*picks) or set.union(*picks)
        order = {b: i for i, b in enumerate((*part.regions, *sorted(chosen)))}
        return tuple(sorted(chosen, key=lambda b: order[b]))
