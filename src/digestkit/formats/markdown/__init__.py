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

from digestkit.model import Digest
from digestkit.registry import Format, ReadContext

__all__ = ["FORMAT", "read", "write"]


def read(data: bytes, context: ReadContext, /) -> Digest:
    """Read a Markdown digest (see `_read`).

    Raises:
        ParseError: undecodable input, a character the model refuses, bad front matter, or
            text without any heading; with line and column.
        MissingDependencyError: markdown-it-py or PyYAML is not installed.
    """
    from digestkit.formats.markdown import _read  # markdown-it-py, only when read

    return _read.read(data, context)


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
