"""Decoding untrusted bytes into text, and turning offsets into line and column numbers.

The one home of the decoding rules, shared by every reader of a text-based format (the whole
input at once, the plain-text fast path, the streaming reader): which encodings are read
(`sniff`), what binary input is called, and how a NUL byte or an undecodable byte is
reported, so that each refuses such input with the same clear, located error.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable

from digestkit.errors import ParseError

__all__ = [
    "SNIFF_BYTES",
    "decode",
    "describe_char",
    "first_forbidden",
    "located",
    "nul_message",
    "position",
    "sniff",
    "undecodable_message",
]

# Signatures of common binary files, so that the error can say what was found.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a ZIP archive (an EPUB? name the format with -f epub)"),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\x7fELF", "an executable (ELF)"),
)

SNIFF_BYTES = 256
"""How many bytes at the start of an input `nul_message` looks at."""


def describe_char(char: str) -> str:
    """Return ``U+XXXX`` and, where Python knows it, the character's name."""
    import unicodedata  # only on the error path

    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" {name}" if name else "")


def first_forbidden(text: str) -> tuple[int, str] | None:
    """Return the offset and description of the first character the model refuses in a text.

    Line ends are allowed (the text is a whole document); every other character of
    [`digestkit.model.FORBIDDEN`][digestkit.model.FORBIDDEN] is found, for readers that build the
    model from parts of ``text`` and want one located error instead of a validator's.
    """
    from digestkit.model import _search_forbidden

    match = _search_forbidden(text, line_ends=True)
    return None if match is None else (match.start(), describe_char(match.group()))


def position(text: str, offset: int) -> tuple[int, int]:
    """Return the 1-based (line, column) of ``offset`` in ``text``.

    CRLF, CR and LF each end a line, as the readers count them. The line breaks are counted,
    not collected, so an error near the end of a long input costs no memory.
    """
    crlf = text.count("\r\n", 0, offset)
    line = 1 + text.count("\n", 0, offset) + text.count("\r", 0, offset) - crlf
    start = max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)) + 1
    return line, offset - start + 1


def located(err: ParseError, source: str, format: str) -> ParseError:
    """Return ``err`` with the source and format of the input it was found in."""
    return ParseError(err.message, source=source, line=err.line, column=err.column, format=format)


def sniff(head: bytes) -> tuple[str, int]:
    """Return the encoding of an input that begins with ``head``, and the length of its BOM.

    ``head`` must hold the first four bytes of the input (or all of a shorter one). The
    length is that of a UTF-8 byte order mark, to skip; the utf-16/utf-32 codecs consume
    their own.

    Raises:
        ParseError: the input begins with the signature of a known binary format; located at
            line 1, column 1, the source left for the caller to fill in (`located`).
    """
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32", 0
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", 0
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise ParseError(
                f"expected a UTF-8 or UTF-16 text, found binary data: {what}", line=1, column=1
            )
    return "utf-8", len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0


def nul_message(sample: bytes, nul: int) -> str:
    """Return the error message for a NUL byte at offset ``nul`` of UTF-8 input.

    ``sample`` is the first `SNIFF_BYTES` bytes of the input, to tell UTF-16 without a
    byte order mark (a NUL in every other byte) from binary data.
    """
    looks_utf16 = nul <= 1 and sample[nul::2].count(0) * 4 >= len(sample[nul::2]) * 3
    hint = (
        " (it looks like UTF-16 without a byte order mark: add one, or re-encode as UTF-8)"
        if looks_utf16
        else ""
    )
    return f"expected text, found binary data: a NUL byte{hint}"


def undecodable_message(encoding: str, err: UnicodeDecodeError) -> str:
    """Return the error message for bytes that are not valid in ``encoding``."""
    bad = err.object[err.start : min(err.end, err.start + 4)]
    return (
        f"not valid {encoding.upper()}: byte(s) {bad.hex(' ')} ({err.reason}); "
        "digestkit reads UTF-8, or UTF-16/UTF-32 with a byte order mark"
    )


def decode(
    data: bytes, *, source: str, format: str, lines: Callable[[str], str] | None = None
) -> str:
    """Decode ``data`` as UTF-8 (a BOM allowed) or BOM-marked UTF-16 or UTF-32, strictly.

    ``lines``, if given, maps the text before a fault to the text whose line ends are counted
    (a reader that takes other characters for line ends counts them as it reads them).

    Raises:
        ParseError: the data is binary (a NUL byte or a known binary signature), or not valid
            in its encoding; the error gives the line and column of the first bad byte.
    """
    try:
        encoding, skip = sniff(data[:4])
    except ParseError as err:
        raise located(err, source, format) from None
    if encoding == "utf-8":
        nul = data.find(b"\x00")
        if nul >= 0:
            # Columns count characters, not bytes, and not the BOM.
            head = data[skip:nul].decode("utf-8", "replace")
            head = lines(head) if lines else head
            line, column = position(head, len(head))
            raise ParseError(
                nul_message(data[:SNIFF_BYTES], nul),
                source=source,
                line=line,
                column=column,
                format=format,
            )
    try:
        # utf-8-sig is avoided so that a U+FEFF after the first one stays content.
        return data[skip:].decode(encoding)
    except UnicodeDecodeError as err:
        prefix = data[skip : skip + err.start].decode(encoding, "replace")
        prefix = lines(prefix) if lines else prefix
        line, column = position(prefix, len(prefix))
        raise ParseError(
            undecodable_message(encoding, err),
            source=source,
            line=line,
            column=column,
            format=format,
        ) from err
