"""Decoding untrusted bytes into text, and turning offsets into line and column numbers.

Shared by every reader of a text-based format, so that each refuses binary and undecodable
input with the same clear, located error.
"""

from __future__ import annotations

import codecs
import re

from digestkit.errors import ParseError
from digestkit.model import _search_forbidden

__all__ = ["decode", "describe_char", "first_forbidden", "nul_message", "position"]

# What the model refuses anywhere in a text (see digestkit.model): the same set as for a line
# of text, less LF and CR, which separate lines. The astral noncharacters are matched as part
# of the whole astral range and picked out by _search_forbidden(): a class of thirty-two
# astral ranges made the search ten times slower.
_FORBIDDEN_IN_TEXT = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    "\U00010000-\U0010ffff]"
)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")

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


def describe_char(char: str) -> str:
    """Return ``U+XXXX`` and, where Python knows it, the character's name."""
    import unicodedata  # only on the error path

    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" {name}" if name else "")


def position(text: str, offset: int) -> tuple[int, int]:
    """Return the 1-based (line, column) of ``offset`` in ``text``.

    CRLF, CR and LF each end a line, as the readers count them.
    """
    head = text[:offset]
    breaks = list(_LINE_BREAK.finditer(head))
    if not breaks:
        return 1, offset + 1
    return len(breaks) + 1, offset - breaks[-1].end() + 1


def first_forbidden(text: str) -> tuple[int, str] | None:
    """Return the offset and description of the first character the model refuses, if any."""
    match = _search_forbidden(text, _FORBIDDEN_IN_TEXT)
    if match is None:
        return None
    return match.start(), describe_char(match.group())


SNIFF_BYTES = 256
"""How many bytes at the start of an input :func:`nul_message` looks at."""


def nul_message(sample: bytes, nul: int) -> str:
    """Return the error message for a NUL byte at offset ``nul`` of UTF-8 input.

    ``sample`` is the first :data:`SNIFF_BYTES` bytes of the input, to tell UTF-16 without a
    byte order mark (a NUL in every other byte) from binary data.
    """
    looks_utf16 = nul <= 1 and sample[nul::2].count(0) * 4 >= len(sample[nul::2]) * 3
    hint = (
        " (it looks like UTF-16 without a byte order mark: add one, or re-encode as UTF-8)"
        if looks_utf16
        else ""
    )
    return f"expected text, found binary data: a NUL byte{hint}"


def decode(data: bytes, *, source: str, format: str) -> str:
    """Decode ``data`` as UTF-8 (a BOM allowed) or BOM-marked UTF-16 or UTF-32, strictly.

    Raises:
        ParseError: the data is binary (a NUL byte or a known binary signature), or not valid
            in its encoding; the error gives the line and column of the first bad byte.
    """
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        encoding, skip = "utf-32", 0
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, skip = "utf-16", 0
    else:
        encoding, skip = "utf-8", len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
        for magic, what in _MAGIC:
            if data.startswith(magic):
                raise ParseError(
                    f"expected a UTF-8 or UTF-16 text, found binary data: {what}",
                    source=source,
                    line=1,
                    column=1,
                    format=format,
                )
        nul = data.find(b"\x00")
        if nul >= 0:
            # Columns count characters, not bytes, and not the BOM.
            head = data[skip:nul].decode("utf-8", "replace")
            line, column = position(head, len(head))
            raise ParseError(
                nul_message(data[:SNIFF_BYTES], nul),
                source=source,
                line=line,
                column=column,
                format=format,
            )
    try:
        # The utf-16/utf-32 codecs consume their BOM; utf-8-sig is avoided so that a U+FEFF
        # after the first one stays content.
        text = data[skip:].decode(encoding)
    except UnicodeDecodeError as err:
        prefix = data[skip : skip + err.start].decode(encoding, "replace")
        line, column = position(prefix, len(prefix))
        bad = data[skip + err.start : skip + min(err.end, err.start + 4)]
        raise ParseError(
            f"not valid {encoding.upper()}: byte(s) {bad.hex(' ')} ({err.reason}); "
            "digestkit reads UTF-8, or UTF-16/UTF-32 with a byte order mark",
            source=source,
            line=line,
            column=column,
            format=format,
        ) from err
    return text
