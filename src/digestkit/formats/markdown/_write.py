"""The Markdown writer: front matter, a ``#`` title, a ``##`` heading per article."""

from __future__ import annotations

import re

from digestkit.codec import metadata_to_strings
from digestkit.formats.markdown._escape import heading, paragraph
from digestkit.model import Digest, Metadata

__all__ = ["front_matter", "write"]

# Wider than any line: PyYAML would otherwise fold a long value over several lines.
_NO_WRAP = 2**31 - 1
# PyYAML escapes a character beyond U+FFFF in a double-quoted string (\U0001F600); YAML
# allows it as it is, which reads the same and is how mdformat-frontmatter writes it.
_ASTRAL_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)\\U([0-9A-F]{8})")


def front_matter(metadata: Metadata) -> str | None:
    """Return the YAML front matter for the metadata other than the title, or ``None``.

    Fields that hold their default are left out. Each value is a YAML string as PyYAML
    quotes it (plain where YAML reads it back as the same string); the date is written plain
    (``date: 2025-10-20``), the timestamp static site generators expect.
    """
    strings = metadata_to_strings(metadata, skip_defaults=True)
    strings.pop("title", None)  # the title is the document's "#" heading
    if not strings:
        return None
    import yaml  # only when there is front matter to write

    entries = []
    for name, value in strings.items():
        if name == "date":
            entries.append(f"{name}: {value}\n")
        else:
            entry = yaml.safe_dump(
                {name: value}, allow_unicode=True, width=_NO_WRAP, sort_keys=False
            )
            entries.append(
                _ASTRAL_ESCAPE.sub(lambda m: m.group(1) + chr(int(m.group(2), 16)), entry)
            )
    return "---\n" + "".join(entries) + "---"


def write(digest: Digest, /) -> bytes:
    """Write a digest as CommonMark, UTF-8 with LF line ends (empty for an empty digest)."""
    blocks: list[str] = []
    matter = front_matter(digest.metadata)
    if matter is not None:
        blocks.append(matter)
    if digest.metadata.title is not None:
        blocks.append("# " + heading(digest.metadata.title))
    for article in digest.articles:
        blocks.append("## " + heading(article.headline))
        blocks.extend(map(paragraph, article.paragraphs))
    return ("\n\n".join(blocks) + "\n").encode("utf-8") if blocks else b""
