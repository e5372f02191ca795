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

The writer (:mod:`._write`) puts the metadata other than the title in YAML front matter (only
when some field is not its default), the title in a ``#`` heading, each article under a ``##``
heading, and escapes only what CommonMark would read as structure (:mod:`._escape`). The reader
(:mod:`._read`) parses with markdown-it-py and takes ordinary Markdown digests too; it needs
the ``markdown`` extra (markdown-it-py, mdit-py-plugins for front matter, PyYAML).
"""

from __future__ import annotations

from digestkit.registry import Format, lazy

__all__ = ["FORMAT"]

FORMAT = Format(
    name="markdown",
    extensions=("md", "markdown"),
    media_type="text/markdown",
    description="CommonMark: YAML front matter, a ## heading per article",
    # Lazy: this module is imported whenever an extension is looked up; the reader pulls in
    # markdown-it-py and PyYAML.
    reader=lazy("digestkit.formats.markdown._read:read"),
    writer=lazy("digestkit.formats.markdown._write:write"),
)
"""The Markdown format, published under the ``digestkit.formats`` entry point ``markdown``."""
