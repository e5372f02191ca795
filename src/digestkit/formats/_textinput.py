"""The plain-text reader's input: bytes to checked lines, fast for plain UTF-8.

:func:`read_input` decodes a digest, refuses any character the model refuses (with its line
and column), and splits the text into lines. Plain UTF-8 (the common case) takes a fast path
that gives the same lines without holding the whole decoded text: it is decoded a chunk at a
time, so a parse peaks at the size of its result rather than that plus the text. Any other
input (UTF-16/32, a fault anywhere, front matter) takes the general path, which raises the
errors; the fast path is taken only when that path would have raised nothing.
"""

from __future__ import annotations

import codecs
import itertools
import re
from collections.abc import Callable, Iterator
from typing import TypeVar

from digestkit._textio import _FORBIDDEN_IN_TEXT, _MAGIC, decode, describe_char, position
from digestkit.model import _search_forbidden
from digestkit.registry import ReadContext

__all__ = ["read_input", "split_lines"]

T = TypeVar("T")

CHUNK = 1 << 20
"""Bytes of input the fast path decodes at a time (each chunk ends at a line feed)."""

# The ASCII bytes a text may hold anywhere: TAB, LF, CR and the printable characters.
_ALLOWED_ASCII = b"\t\n\r" + bytes(range(0x20, 0x7F))
_WIDE_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE)
_MAGICS = tuple(magic for magic, _ in _MAGIC)
# A first line that opens front matter: the general path reads that.
_FENCE_LINE = re.compile(rb"[ \t]*---[ \t]*(?:[\r\n]|\Z)")


def split_lines(text: str) -> list[str]:
    """Split decoded text into lines at LF, CRLF and CR; no line-end characters remain."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n")


def _surely_clean(data: bytes) -> bool:
    """Return ``True`` only if ``data``, valid UTF-8, holds no character the model refuses.

    Deleting the allowed ASCII bytes keeps every other character whole (in UTF-8, ASCII bytes
    occur only as ASCII characters) and every control character, so the search for forbidden
    characters runs over that remainder only, a small fraction of a digest.
    """
    rest = data.translate(None, _ALLOWED_ASCII)
    return not rest or _search_forbidden(rest.decode("utf-8"), _FORBIDDEN_IN_TEXT) is None


def _chunks(data: bytes, start: int) -> Iterator[tuple[bytes, bool]]:
    """Yield (chunk, is it the last) pairs; each chunk but the last ends with a line feed.

    A line feed byte is never part of a multi-byte UTF-8 sequence, and a CR before it stays in
    its chunk, so chunks decode and split into lines as the whole would.
    """
    size = CHUNK
    end = len(data)
    while True:
        cut = data.find(b"\n", start + size - 1)
        if cut < 0 or cut + 1 >= end:
            yield data[start:], True
            return
        yield data[start : cut + 1], False
        start = cut + 1


def _fast_lines(data: bytes) -> Iterator[str] | None:
    """The lines of plain UTF-8 ``data``, decoded lazily; ``None`` if the general path must run.

    The checks here are those of :func:`digestkit._textio.decode` and of the search for
    forbidden characters, but for UTF-8 validity, which the lines check as they are decoded
    (raising :class:`UnicodeDecodeError`): :func:`read_input` deals with that.
    """
    if (
        type(data) is not bytes
        or data.startswith(_WIDE_BOMS)
        or data.startswith(_MAGICS)
        or b"\x00" in data
    ):
        return None
    start = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    if _FENCE_LINE.match(data, start):
        return None
    try:
        if not _surely_clean(data):
            return None
    except UnicodeDecodeError:  # not UTF-8: the general path says where
        return None
    return itertools.chain.from_iterable(_decoded_chunks(data, start))


def _decoded_chunks(data: bytes, start: int) -> Iterator[list[str]]:
    for chunk, last in _chunks(data, start):
        lines = split_lines(chunk.decode("utf-8"))
        if not last:
            lines.pop()  # the empty rest after the final line feed: the next chunk goes on
        yield lines


def _is_utf8(data: bytes) -> bool:
    try:
        for chunk, _ in _chunks(data, 0):
            chunk.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _general_lines(data: bytes, context: ReadContext) -> list[str]:
    text = decode(data, source=context.source, format=context.format)
    clean = type(data) is bytes and not data.startswith(_WIDE_BOMS) and _surely_clean(data)
    bad = None if clean else _search_forbidden(text, _FORBIDDEN_IN_TEXT)
    if bad is not None:
        what = describe_char(bad.group())
        line, column = position(text, bad.start())
        raise context.error(
            f"{what} is not allowed in a digest (control characters, line separators other "
            "than LF/CR, lone surrogates and noncharacters cannot be carried by every format)",
            line,
            column,
        )
    return split_lines(text)


def read_input(
    data: bytes, context: ReadContext, parse: Callable[[Iterator[str] | list[str]], T]
) -> T:
    """Decode ``data``, split it into lines and return what ``parse`` makes of them.

    ``parse`` is given an iterator of lines (plain UTF-8 without front matter, decoded as it
    is consumed) or a list (any other input), without line ends, every character checked.
    Undecodable input raises before ``parse`` says anything, as if the whole input had been
    decoded first: if the iterator meets a byte that is not UTF-8, or ``parse`` raises while
    the rest of the input is not UTF-8, the warnings ``parse`` reported are taken back and
    the general path raises the decoding error.

    Raises:
        ParseError: binary or undecodable input, or a character the model refuses, located;
            or whatever ``parse`` raises.
    """
    fast = _fast_lines(data)
    if fast is None:
        return parse(_general_lines(data, context))
    diagnostics = context.diagnostics
    reported = 0 if diagnostics is None else len(diagnostics)
    try:
        return parse(fast)
    except Exception:
        if _is_utf8(data):
            raise
    if diagnostics is not None:
        del diagnostics[reported:]
    return parse(_general_lines(data, context))
