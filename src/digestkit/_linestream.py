"""Numbered lines from a binary stream, decoded incrementally, in memory that does not grow.

The streaming counterpart of :func:`digestkit._textio.decode` followed by a split into lines:
the same encodings (UTF-8 with or without a BOM, UTF-16/UTF-32 with a BOM), the same strict
decoding, the same refusal of binary input and forbidden characters, with the same line and
column numbers in the errors; only one chunk and one partial line are held at a time.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from typing import IO

from digestkit._textio import _MAGIC, SNIFF_BYTES, first_forbidden, nul_message, position
from digestkit.errors import ParseError

__all__ = ["CHUNK_SIZE", "numbered_lines"]

CHUNK_SIZE = 1 << 16
"""Bytes read from the stream at a time."""

_FORBIDDEN_MESSAGE = (
    "{what} is not allowed in a digest (control characters, line separators other "
    "than LF/CR, lone surrogates and noncharacters cannot be carried by every format)"
)


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
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32", head, 0
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", head, 0
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise _error(f"expected a UTF-8 or UTF-16 text, found binary data: {what}", 1, 1)
    skip = len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0
    return "utf-8", head[skip:], skip


def _error(message: str, line: int, column: int) -> ParseError:
    # Filled in with the source and format by numbered_lines, which knows them.
    return ParseError(message, line=line, column=column)


def _located(err: ParseError, source: str, format: str) -> ParseError:
    return ParseError(err.message, source=source, line=err.line, column=err.column, format=format)


def numbered_lines(
    stream: IO[bytes], *, source: str, format: str, chunk_size: int = CHUNK_SIZE
) -> Iterator[tuple[int, str]]:
    """Yield ``(line number, line)`` for every line of a text stream, lazily.

    Lines are split at LF, CRLF and CR (a CRLF split across two chunks is one line end) and
    carry no line-end characters. As with ``text.split("\\n")``, the last line is yielded even
    when empty, so a text ending in a newline has an empty last line.

    Raises:
        ParseError: binary data, bytes invalid in the encoding, or a character the model
            refuses; located by line and column, as :func:`digestkit._textio.decode` does.
    """
    try:
        yield from _lines(stream, chunk_size)
    except ParseError as err:
        raise _located(err, source, format) from err.__cause__


def _lines(stream: IO[bytes], chunk_size: int) -> Iterator[tuple[int, str]]:
    encoding, data, offset = _sniff(stream, chunk_size)
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    number = 1  # the number of the line in `tail`
    tail = ""  # the partial line at the end of what was decoded so far
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
            prefix = _prefix(encoding, state, state[0] + data[:nul])
            line, column = _where(tail, prefix, len(prefix), number)
            sample = _sample(stream, data + ahead, offset)
            raise _error(nul_message(sample, offset + nul), line, column)
        try:
            text = decoder.decode(data, final=final)
        except UnicodeDecodeError as err:
            raise _decode_error(err, encoding, state, tail, number) from err
        bad = first_forbidden(text)
        if bad is not None:
            line, column = _where(tail, text, bad[0], number)
            raise _error(_FORBIDDEN_MESSAGE.format(what=bad[1]), line, column)
        buffer = tail + text
        hold = ""
        if not final and buffer.endswith("\r"):
            # The LF that would make this a CRLF may open the next chunk.
            buffer, hold = buffer[:-1], "\r"
        # Safe: every other character splitlines() splits at was refused above.
        lines = buffer.splitlines()
        if final:
            if not buffer or buffer[-1] in "\r\n":
                lines.append("")
            tail = ""
        elif not buffer or buffer[-1] in "\r\n":
            tail = hold
        else:
            tail = lines.pop() + hold
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


def _decode_error(
    err: UnicodeDecodeError, encoding: str, state: tuple[bytes, int], tail: str, number: int
) -> ParseError:
    prefix = _prefix(encoding, state, err.object[: err.start])
    line, column = _where(tail, prefix, len(prefix), number)
    bad = err.object[err.start : min(err.end, err.start + 4)]
    return _error(
        f"not valid {encoding.upper()}: byte(s) {bad.hex(' ')} ({err.reason}); "
        "digestkit reads UTF-8, or UTF-16/UTF-32 with a byte order mark",
        line,
        column,
    )
