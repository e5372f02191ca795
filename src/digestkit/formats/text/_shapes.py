"""The shapes of a line that are not words: padding, blank-looking lines and separator rules.

`_grammar` builds its marker regexes on `_PAD` and reads these shapes by the functions here;
the article parser tests them first. One home for the characters that pad a line, so the
blank test, the separators and the markers cannot disagree on them.
"""

from __future__ import annotations

import re

__all__ = ["BLANKS", "SEPARATOR_START", "is_blank", "is_separator"]

# White space and invisible characters: a line of nothing else is blank, and they may pad a
# marker or a separator. Content keeps them; only spaces and TABs are stripped from its ends.
_SPACE_RANGES = " \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_INVISIBLE_RANGES = "\u200b-\u200f\u061c\u180e\u2060-\u2064\u202a-\u202e\u2066-\u2069\ufeff"
_PAD = "[" + _SPACE_RANGES + _INVISIBLE_RANGES + "]"


def _expand(ranges: str) -> str:
    """Spell out a regex character class body of single characters and ``a-b`` ranges."""
    out: list[str] = []
    i = 0
    while i < len(ranges):
        if ranges[i + 1 : i + 2] == "-" and i + 2 < len(ranges):
            out.extend(map(chr, range(ord(ranges[i]), ord(ranges[i + 2]) + 1)))
            i += 3
        else:
            out.append(ranges[i])
            i += 1
    return "".join(out)


BLANKS = _expand(_SPACE_RANGES + _INVISIBLE_RANGES)
"""The characters a blank-looking line is made of (``str.strip`` takes them as a set)."""
_BLANK_SET = frozenset(BLANKS)


def is_blank(line: str) -> bool:
    """Return whether a line stripped of spaces and TABs is blank: empty, or padding only."""
    return not line or (line[0] in _BLANK_SET and not line.strip(BLANKS))


_SEPARATOR = re.compile(
    rf"{_PAD}*(?:([*\-_=~•·∙⋅◦●○◆◇✦✱#+])(?:{_PAD}*\1){{2,}}|[—―–](?:{_PAD}*[—―–])*){_PAD}*\Z"
)
SEPARATOR_START = frozenset("*-_=~•·∙⋅◦●○◆◇✦✱#+—―–" + BLANKS)
"""The characters a separator line (or the signature delimiter) may begin with."""


def is_separator(line: str) -> bool:
    """Return whether a line is a separator rule: ``* * *``, ``---``, ``___``, ``• • •``, ``—``."""
    return line[:1] in SEPARATOR_START and _SEPARATOR.match(line) is not None
