"""The Markdown format: CommonMark a person would write, and Markdown digests read back.

::

    ---
    language: de
    date: 2025-10-20
    ---

    # The digest's title

    ## First headline

    The lead.

    A body paragraph.

The writer (`_write`) puts the metadata other than the title in YAML front matter (only
when some field is not its default), the title in a ``#`` heading, each article under a ``##``
heading, and escapes only what CommonMark would read as structure (`_escape`). The reader
(`_read`) parses with markdown-it-py and takes ordinary Markdown digests too; it needs
the ``markdown`` extra (markdown-it-py, mdit-py-plugins for front matter, PyYAML).
"""

from __future__ import annotations

from digestkit.formats.markdown._budget import DEFAULT_MAX_INLINE_TOKENS
from digestkit.model import Digest
from digestkit.registry import Format, ReadContext

__all__ = ["DEFAULT_MAX_INLINE_TOKENS", "FORMAT", "read", "write"]


def read(
    data: bytes,
    context: ReadContext,
    /,
    *,
    max_inline_tokens: int = DEFAULT_MAX_INLINE_TOKENS,
) -> Digest:
    """Read a Markdown digest (see `_read`).

    Args:
        max_inline_tokens: refuse a paragraph (or heading) whose inline markup builds more
            tokens than this: emphasis, links, code spans, escapes and line breaks build one
            or more each, and the text between them one.

    Raises:
        ParseError: undecodable input, a character the model refuses, bad front matter,
            text without any heading, or a paragraph past ``max_inline_tokens``; with line
            and column.
        MissingDependencyError: markdown-it-py or PyYAML is not installed.
    """
    from digestkit.formats.markdown import _read  # markdown-it-py, only when read

    return _read.read(data, context, max_inline_tokens=max_inline_tokens)


def write(digest: Digest, /) -> bytes:
    """Write a digest as CommonMark with YAML front matter (see `_write`)."""
    from digestkit.formats.markdown import _write

    return _write.write(digest)


FORMAT = Format(
    name="markdown",
    extensions=("md", "markdown"),
    media_type="text/markdown",
    description="CommonMark: YAML front matter, a ## heading per article",
    reader=read,
    writer=write,
)
"""The Markdown format, published under the ``digestkit.formats`` entry point ``markdown``."""
