"""The plain-text reader's input: bytes to checked lines, whole, fast, or streamed.

Three paths, one set of rules (the decoding rules are `digestkit._textio`'s, the
forbidden characters and the predicate that clears them are [`digestkit.model`][digestkit.model]'s):

* `read_input` decodes a whole digest, refuses any character the model refuses (with its
  line and column), and splits the text into lines. Plain UTF-8 (the common case) takes a fast
  path that gives the same lines without holding the whole decoded text: it is decoded a chunk
  at a time, so a parse peaks at the size of its result rather than that plus the text. Any
  other input (UTF-16/32, front matter, a fault anywhere) takes the general path, which
  raises the located errors. Either way every character is cleared once, over the whole
  input, and ``parse`` runs inside `digestkit.model._cleared_input`, so the validators
  of the articles it builds do not search the same text again.
* `numbered_lines` does the same for a binary stream, incrementally, in memory that does
  not grow: only one chunk and one partial line are held at a time.
"""

from __future__ import annotations

import codecs
import itertools
import re
from collections.abc import Callable, Iterator
from typing import IO, TypeVar

from digestkit._textio import (
    SNIFF_BYTES,
    decode,
    describe_char,
    located,
    nul_message,
    position,
    sniff,
    undecodable_message,
)
from digestkit.errors import ParseError
from digestkit.model import _cleared_input, _search_forbidden, _surely_clean_utf8
from digestkit.registry import ReadContext

__all__ = ["CHUNK_SIZE", "line_breaks", "numbered_lines", "read_input", "split_lines"]

T = TypeVar("T")

CHUNK = 1 << 18
"""Bytes of input the fast path decodes at a time (each chunk ends at a line feed).

Its lines are held as a list while they are read: eight bytes a line, so a larger chunk of
tiny lines would cost several times its size."""

CHUNK_SIZE = 1 << 16
"""Bytes the streaming reader reads from the stream at a time."""

# A first line that opens front matter: the general path reads that.
_FENCE_LINE = re.compile(rb"[ \t]*---[ \t]*(?:[\r\n]|\Z)")


# The line breaks other than LF and CR, read as line ends (FORM FEED and PARAGRAPH SEPARATOR
# as a line end and a blank line: a paragraph break). They never reach the model.
_OTHER_BREAKS = re.compile("[\x0b\x0c\x85\u2028\u2029]")
_BREAKS = str.maketrans(
    {"\x0b": "\n", "\x85": "\n", "\u2028": "\n", "\x0c": "\n\n", "\u2029": "\n\n"}
)


def line_breaks(text: str) -> str:
    """Return decoded text with VT, NEL and U+2028 as LF, and FF and U+2029 as two LFs."""
    return text.translate(_BREAKS) if _OTHER_BREAKS.search(text) else text


def _forbidden_message(char: str) -> str:
    return (
        f"{describe_char(char)} is not allowed in a digest (control characters, line "
        "separators other than LF/CR, lone surrogates and noncharacters cannot be carried by "
        "every format)"
    )


def _first_forbidden(text: str) -> re.Match[str] | None:
    """Return the first character of a text of lines that the model refuses, if any."""
    try:
        if _surely_clean_utf8(text.encode("utf-8"), line_ends=True):
            return None
    except UnicodeEncodeError:  # a lone surrogate: the search finds it
        pass
    return _search_forbidden(text, line_ends=True)


def split_lines(text: str) -> list[str]:
    """Split decoded text into lines at LF, CRLF and CR; no line-end characters remain."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n")


# --- the whole input --------------------------------------------------------------------------


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


def _fast_lines(data: bytes, start: int) -> Iterator[str] | None:
    """The lines of clean UTF-8 ``data``, decoded lazily; ``None`` if the general path must run.

    ``data`` was sniffed as UTF-8 with a BOM of ``start`` bytes. Every character is cleared
    here, over the bytes; UTF-8 validity is checked as the lines are decoded (raising
    `UnicodeDecodeError`): `read_input` deals with that.
    """
    if type(data) is not bytes or _FENCE_LINE.match(data, start):
        return None
    try:
        if not _surely_clean_utf8(data, line_ends=True):
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
    text = decode(data, source=context.source, format=context.format, lines=line_breaks)
    text = line_breaks(text)
    bad = _first_forbidden(text)
    if bad is not None:
        line, column = position(text, bad.start())
        raise context.error(_forbidden_message(bad.group()), line, column)
    return split_lines(text)


def read_input(
    data: bytes, context: ReadContext, parse: Callable[[Iterator[str] | list[str]], T]
) -> T:
    """Decode ``data``, split it into lines and return what ``parse`` makes of them.

    ``parse`` is given an iterator of lines (plain UTF-8 without front matter, decoded as it
    is consumed) or a list (any other input), without line ends, every character cleared; it
    runs inside `digestkit.model._cleared_input`, and must build the model only from
    those lines. Undecodable input raises before ``parse`` says anything, as if the whole
    input had been decoded first: if the iterator meets a byte that is not UTF-8, or
    ``parse`` raises while the rest of the input is not UTF-8, the warnings ``parse``
    reported are taken back and the general path raises the decoding error.

    Raises:
        ParseError: binary or undecodable input, or a character the model refuses, located;
            or whatever ``parse`` raises.
    """
    try:
        encoding, start = sniff(data[:4])
    except ParseError as err:
        raise located(err, context.source, context.format) from None
    fast = _fast_lines(data, start) if encoding == "utf-8" else None
    if fast is not None:
        diagnostics = context.diagnostics
        reported = 0 if diagnostics is None else len(diagnostics)
        try:
            with _cleared_input():
                return parse(fast)
        except Exception:
            if _is_utf8(data):
                raise
        if diagnostics is not None:
            del diagnostics[reported:]
    lines = _general_lines(data, context)
    with _cleared_input():
        return parse(lines)


# --- a stream ---------------------------------------------------------------------------------


def _read_some(stream: IO[bytes], size: int) -> bytes:
    data: object = stream.read(size)
    if not isinstance(data, bytes):
        raise TypeError("a binary stream is needed (open the file with 'rb')")
    return data


def _sniff(stream: IO[bytes], chunk_size: int) -> tuple[str, bytes, int]:
    """Read the start of the stream.

    Returns:
        The encoding, the bytes read after any UTF-8 BOM, and the length of that BOM.
    """
    head = b""
    # A short read is not the end of the stream: a pipe may give one byte at a time, and the
    # signatures need four bytes.
    while len(head) < 4:
        more = _read_some(stream, chunk_size)
        if not more:
            break
        head += more
    encoding, skip = sniff(head)
    return encoding, head[skip:], skip


def numbered_lines(
    stream: IO[bytes], *, source: str, format: str, chunk_size: int = CHUNK_SIZE
) -> Iterator[tuple[int, str]]:
    """Yield ``(line number, line)`` for every line of a text stream, lazily.

    Lines are split at LF, CRLF and CR (a CRLF split across two chunks is one line end) and
    carry no line-end characters. As with ``text.split("\\n")``, the last line is yielded even
    when empty, so a text ending in a newline has an empty last line. The same input gives the
    same lines and the same errors as `read_input`.

    Raises:
        ParseError: binary data, bytes invalid in the encoding, or a character the model
            refuses; located by line and column, as `digestkit._textio.decode` does.
    """
    try:
        yield from _lines(stream, chunk_size)
    except ParseError as err:
        raise located(err, source, format) from err.__cause__


def _lines(stream: IO[bytes], chunk_size: int) -> Iterator[tuple[int, str]]:
    encoding, data, offset = _sniff(stream, chunk_size)
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    number = 1  # the number of the line in `pending`
    # The partial line at the end of what was decoded so far, in pieces: a chunk without a
    # line end is only appended, so a long line is joined once, not once per chunk.
    pending: list[str] = []
    # One chunk of look-ahead tells whether the chunk at hand is the last, so that bytes cut
    # short at the end of the input are an error found with that chunk, as decode() finds it.
    ahead = _read_some(stream, chunk_size) if data else b""
    final = False
    while not final:
        final = not ahead
        state = decoder.getstate()
        # As decode() does, a NUL byte is refused as binary before the bytes are decoded.
        nul = data.find(b"\x00") if encoding == "utf-8" else -1
        if nul >= 0:
            prefix = line_breaks(_prefix(encoding, state, state[0] + data[:nul]))
            line, column = _where("".join(pending), prefix, len(prefix), number)
            sample = _sample(stream, data + ahead, offset)
            raise ParseError(nul_message(sample, offset + nul), line=line, column=column)
        try:
            text = decoder.decode(data, final=final)
        except UnicodeDecodeError as err:
            prefix = line_breaks(_prefix(encoding, state, err.object[: err.start]))
            line, column = _where("".join(pending), prefix, len(prefix), number)
            raise ParseError(undecodable_message(encoding, err), line=line, column=column) from err
        text = line_breaks(text)
        bad = _first_forbidden(text)
        if bad is not None:
            line, column = _where("".join(pending), text, bad.start(), number)
            raise ParseError(_forbidden_message(bad.group()), line=line, column=column)
        if not final and "\n" not in text and "\r" not in text:
            pending.append(text)
        else:
            buffer = "".join(pending) + text
            hold = ""
            if not final and buffer.endswith("\r"):
                # The LF that would make this a CRLF may open the next chunk.
                buffer, hold = buffer[:-1], "\r"
            # Safe: every other character splitlines() splits at was refused above.
            lines = buffer.splitlines()
            if final:
                if not buffer or buffer[-1] in "\r\n":
                    lines.append("")
                pending = []
            elif not buffer or buffer[-1] in "\r\n":
                pending = [hold] if hold else []
            else:
                pending = [lines.pop() + hold]
            for text_line in lines:
                yield number, text_line
                number += 1
        if not final:
            offset += len(data)
            data, ahead = ahead, _read_some(stream, chunk_size)


def _sample(stream: IO[bytes], data: bytes, offset: int) -> bytes:
    """Return the first bytes of the input for nul_message (only read when failing anyway)."""
    if offset:  # a NUL after a UTF-8 BOM or the first chunk: not UTF-16, no sample needed
        return b""
    while len(data) < SNIFF_BYTES:
        more = _read_some(stream, SNIFF_BYTES)
        if not more:
            break
        data += more
    return data[:SNIFF_BYTES]


def _where(tail: str, text: str, offset: int, number: int) -> tuple[int, int]:
    line, column = position(tail + text, len(tail) + offset)
    return number + line - 1, column


def _prefix(encoding: str, state: tuple[bytes, int], data: bytes) -> str:
    """Decode the bytes before a fault, from the decoder's state before this chunk."""
    before = codecs.getincrementaldecoder(encoding)("replace")
    before.setstate((b"", state[1]))
    return before.decode(data, final=True)
