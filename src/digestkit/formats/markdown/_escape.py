"""Escaping a line of text so that CommonMark reads it back as that text, and only as text.

A backslash goes only where CommonMark could read structure, and it is spelled the way
mdformat spells it, so that a written file is already in mdformat's canonical form:

* inline: a backslash, a backtick, an ``*`` (unless spaces stand on both sides), an ``_``
  that could open or close emphasis, a ``[`` or ``]`` that is not part of a closed pair of
  brackets (or whose pair is followed by ``:`` or ``(``, a link), a ``<`` that is not
  followed by a space, an ``&`` that starts a character reference;
* at the start of a paragraph: ``#`` heading, ``>`` quote, ``-``/``+`` bullet, ``1.``/``1)``
  ordered list, a line of ``-`` or ``=`` (thematic break, setext underline), ``~~~`` fence;
* at the ends of a paragraph or heading: Unicode white space, which CommonMark trims, is
  written as a decimal character reference (``&#160;``);
* at the end of a heading: a ``#``, which would be read as the closing sequence.

So ``[but]`` in a sentence, a lone ``&`` or a ``5 * 3`` stay as a person types them.
"""

from __future__ import annotations

import html.entities
import re

__all__ = ["heading", "paragraph"]

# Fast path: most lines hold none of these, and are written as they are.
_SPECIAL = re.compile(r"[\\`*_\[\]<&]")
_REFERENCE = re.compile(r"&(#[0-9]{1,7}|#[Xx][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});")
_ENTITY_NAMES = frozenset(name.rstrip(";") for name in html.entities.html5)

_ATX = re.compile(r"#{1,6}(?:[ \t]|\Z)")
_BULLET = re.compile(r"[-+*](?:[ \t]|\Z)")
_ORDERED = re.compile(r"[0-9]+([.)])(?:[ \t]|\Z)")


def _is_space(char: str | None) -> bool:
    return char is not None and char.isspace()


def _is_punctuation(char: str | None) -> bool:
    import unicodedata

    return char is not None and unicodedata.category(char)[0] in "PS"


def _brackets(text: str) -> set[int]:
    """Return the offsets of the brackets to escape (see the module docstring)."""
    escape: set[int] = set()
    opened: int | None = None
    for offset, char in enumerate(text):
        if char == "[":
            if opened is not None:
                escape.add(opened)
            opened = offset
        elif char == "]":
            if opened is None:
                escape.add(offset)
            else:
                if text[offset + 1 : offset + 2] in (":", "("):
                    escape.update((opened, offset))
                opened = None
    if opened is not None:
        escape.add(opened)
    return escape


def _references(text: str) -> set[int]:
    """Return the offsets of the ``&`` that start a character reference."""
    return {
        match.start()
        for match in _REFERENCE.finditer(text)
        if match.group(1)[0] == "#" or match.group(1) in _ENTITY_NAMES
    }


def _inline(text: str) -> str:
    if not _SPECIAL.search(text):
        return text
    brackets = _brackets(text) if "[" in text or "]" in text else set()
    references = _references(text) if "&" in text else set()
    out: list[str] = []
    last = len(text) - 1
    for offset, char in enumerate(text):
        before = text[offset - 1] if offset else None
        after = text[offset + 1] if offset < last else None
        if char in "\\`":
            escape = True
        elif char == "*":
            escape = not (_is_space(before) and _is_space(after))
        elif char == "_":
            # Inside a word (both neighbours letters or digits) or between spaces, an
            # underscore cannot open or close emphasis.
            inner = not (
                before is None
                or after is None
                or _is_space(before)
                or _is_space(after)
                or _is_punctuation(before)
                or _is_punctuation(after)
            )
            escape = not (inner or (_is_space(before) and _is_space(after)))
        elif char in "[]":
            escape = offset in brackets
        elif char == "<":
            escape = after != " "
        elif char == "&":
            escape = offset in references
        else:
            escape = False
        out.append("\\" + char if escape else char)
    return "".join(out)


def _edges(text: str) -> str:
    # CommonMark trims white space at both ends of a paragraph or heading; a reference is
    # not trimmed, and decodes to the same character.
    if text[0].isspace():
        text = f"&#{ord(text[0])};{text[1:]}"
    if text[-1].isspace():
        text = f"{text[:-1]}&#{ord(text[-1])};"
    return text


def paragraph(text: str) -> str:
    """Return a paragraph's text as one Markdown line that reads back as ``text``."""
    line = _edges(_inline(text))
    if line[0] == ">" or _ATX.match(line) or _BULLET.match(line):
        line = "\\" + line
    else:
        ordered = _ORDERED.match(line)
        if ordered:
            line = line[: ordered.start(1)] + "\\" + line[ordered.start(1) :]
    bare = line.replace(" ", "").replace("\t", "")
    if bare == "-" * len(bare) or line == "=" * len(line):
        # A thematic break (---, - - -) or a setext underline (===, --).
        line = "\\" + line
    elif line.startswith("~~~"):
        line = "\\" + line
    return line


def heading(text: str) -> str:
    """Return a headline (or title) as the text of an ATX heading that reads back as it."""
    line = _edges(_inline(text))
    if line.endswith("#"):
        line = line[:-1] + "\\#"
    return line
