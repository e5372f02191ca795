"""How a phrase's characters match under IGNORECASE, the cheap tests built on it, `Lazy` regexes.

The regexes of `_grammar` spell each character of a phrase with `char_class`, and match
with IGNORECASE; the cheap tests that run before them (`MarkerRules.may_be_marker`,
`MarkerRules.may_end_in_marker`) must pass every line those regexes could match, so the
character sets they use come from here: the same spelling, asked of the same engine where
`str.lower` is not exact.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable

__all__ = [
    "END_SIZE",
    "Lazy",
    "char_class",
    "forms",
    "like",
    "line_ends",
    "line_starts",
    "variants",
]


def char_class(char: str) -> str:
    """The regex for one character of a phrase: itself and its one-character cases."""
    # IGNORECASE misses a letter whose upper case lowers to another one: Turkish "ı" is
    # written "I" in capitals, which lowers to "i".
    cases = {f for f in (char, char.upper(), char.upper().lower()) if len(f) == 1}
    return "[" + "".join(sorted(cases)) + "]" if len(cases) > 1 else re.escape(char)


_DOTTED_I = "\u0130"  # matches "i" under IGNORECASE, though its full lower case is two characters


def forms(word: str) -> set[str]:
    """A word's lower-case forms: as written, and by way of its capitals ("ı" reads "i")."""
    return {word.lower(), word.upper().lower()}


def variants(chars: Iterable[str]) -> frozenset[str]:
    """Return the characters with their one-character upper, lower and folded forms."""
    out = set(chars)
    for c in list(out):
        out.update(v for v in (c.upper(), c.lower(), c.casefold(), c.title()) if len(v) == 1)
    if "i" in out:
        out.add(_DOTTED_I)
    return frozenset(out)


_ASCII = "".join(map(chr, range(128)))


@functools.cache
def _ascii_like(char: str) -> str:
    """The ASCII characters that match ``char`` of a phrase under IGNORECASE, as the
    regexes spell it (`char_class`)."""
    pattern = re.compile(char_class(char), re.IGNORECASE)
    return "".join(a for a in _ASCII if pattern.fullmatch(a))


def _ascii_suffixes(word: str, size: int) -> set[str]:
    """Every all-ASCII string of ``size`` characters that the end of ``word`` matches."""
    out = {""}
    for char in word[len(word) - size :]:
        out = {o + a for o in out for a in _ascii_like(char)}
    return out if len(word) >= size else set()


@functools.lru_cache(maxsize=64)  # a reader named with the same markers builds these again
def line_starts(words: tuple[str, ...], openings: str) -> frozenset[str]:
    """The ASCII starts of two characters (or one, for a line of one) a line beginning with
    one of ``words`` (IGNORECASE), or with one of ``openings``, may have."""
    out = set(_ASCII) | {o + a for o in openings for a in _ASCII}
    for word in words:
        for first in _ascii_like(word[0]):
            second = _ascii_like(word[1]) if len(word) > 1 else _ASCII
            out.update(first + a for a in second)
    return frozenset(out)


END_SIZE = 3
"""The most characters of a line's end that `line_ends` looks at."""


@functools.lru_cache(maxsize=64)
def line_ends(words: tuple[str, ...], trailers: str) -> tuple[int, frozenset[str]]:
    """The ASCII ends a line ending in one of ``words`` may have, and their length.

    Such a line ends in one of the words (IGNORECASE), then characters of ``trailers`` (the
    ASCII ones of the characters a marker may end with); so its end, those stripped, ends
    as a word ends (the end is at most as long as the shortest word that an ASCII character
    can end, and at most `END_SIZE`). An empty word (a marker of trailers only) leaves only
    that the line ends in a trailer. Ends of short lines, shorter, all pass.

    Returns:
        The length of the ends, and the set of them.
    """
    ascii_ending = [len(w) for w in words if w and _ascii_like(w[-1])]
    size = 1 if "" in words else min([END_SIZE, *ascii_ending])
    out: set[str] = set()
    shorter = [""]  # every ASCII string of n characters, for n from 1 to size - 1
    for _ in range(1, size):
        shorter = [s + a for s in shorter for a in _ASCII]
        out.update(shorter)
    for count in range(size + 1):
        before = size - count  # characters of the end before its trailers
        tails = ["".join(after) for after in itertools.product(trailers, repeat=count)]
        if not before:
            out.update(tails)
            continue
        # What comes before the trailers, the same for every run of them (built once).
        bodies: set[str] = set()
        for word in filter(None, words):
            fits = min(before, len(word))
            for suffix in _ascii_suffixes(word, fits):
                if suffix[-1:] in trailers:
                    continue
                # Only a word no ASCII character can end is shorter than the end.
                heads = itertools.product(_ASCII, repeat=before - fits)
                bodies.update("".join(head) + suffix for head in heads)
        out.update(body + tail for tail in tails for body in bodies)
    return size, frozenset(out)


def like(char: str, table: frozenset[str]) -> bool:
    """Whether a non-ASCII character may match one of ``table`` under IGNORECASE."""
    return (
        char.lower() in table
        or char.upper() in table
        or char.casefold() in table
        or (char == _DOTTED_I and "i" in table)
    )


class Lazy:
    """A regex compiled the first time it is used."""

    __slots__ = ("_compiled", "_flags", "_source")

    def __init__(self, source: str, flags: re.RegexFlag) -> None:
        self._source = source
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    def pattern(self) -> re.Pattern[str]:
        """Return the compiled regex (two threads may both compile it: the same one)."""
        if self._compiled is None:
            self._compiled = re.compile(self._source, self._flags)
        return self._compiled
