"""An escape-everything Markdown dialect, published as a digestkit plugin by an entry point.

It is the example of a third-party format (docs/plugins.md); digestkit's own ``markdown``
format is the one to use for Markdown. Each article is a level-1 heading and its paragraphs;
metadata other than the defaults is YAML-style front matter. Text is escaped so that a Markdown
renderer shows it as written and the reader gets it back: every ASCII punctuation character
takes a backslash, and a space-like character at either end of a line, which Markdown would
trim, becomes a character reference.

>>> import digestkit
>>> print(digestkit.dumps(digestkit.loads("Hi!\\n\\nLead.\\n\\nKeep reading\\n"), "mdexample"))
# Hi\\!
<BLANKLINE>
Lead\\.
<BLANKLINE>
"""

from __future__ import annotations

import datetime as dt
import re
import string

from digestkit import Article, Digest, Format, Metadata, ReadContext, ValidationError
from digestkit.codec import METADATA_FIELDS

__all__ = ["FORMAT", "escape", "read", "unescape", "write"]

_PUNCTUATION = frozenset(string.punctuation)
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])|&#x([0-9A-F]+);")
_FIELDS = METADATA_FIELDS  # every field the model has, in the codec's order


def _edge(token: str) -> str:
    # Markdown trims white space at the ends of a paragraph; a reference is not trimmed.
    if len(token) == 1 and (token.isspace() or token == "\ufeff"):
        return f"&#x{ord(token):X};"
    return token


def escape(text: str) -> str:
    """Return ``text`` as Markdown inline text that renders as ``text``."""
    tokens = ["\\" + c if c in _PUNCTUATION else c for c in text]
    tokens[0] = _edge(tokens[0])
    tokens[-1] = _edge(tokens[-1])
    return "".join(tokens)


def unescape(text: str) -> str:
    """Undo :func:`escape`."""
    return _ESCAPED.sub(lambda m: m.group(1) or chr(int(m.group(2), 16)), text)


def write(digest: Digest) -> bytes:
    """Write a digest as Markdown (UTF-8, LF line ends)."""
    blocks = []
    meta = digest.metadata
    if not meta.is_default():
        lines = ["---"]
        for field in _FIELDS:
            value = getattr(meta, field)
            if value is not None and (field != "language" or value != Metadata().language):
                lines.append(f"{field}: {value}")
        blocks.append("\n".join([*lines, "---"]))
    for article in digest.articles:
        blocks.append("# " + escape(article.headline))
        blocks.extend(escape(paragraph) for paragraph in article.paragraphs)
    return ("\n\n".join(blocks) + "\n").encode("utf-8") if blocks else b""


def read(data: bytes, context: ReadContext, /) -> Digest:
    """Read Markdown written by :func:`write`."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise context.error(f"not valid UTF-8: {err.reason}") from err
    blocks = text.split("\n\n") if text else []
    meta: dict[str, object] = {}
    if blocks and blocks[0].startswith("---\n"):
        for line in blocks.pop(0).splitlines()[1:-1]:
            key, _, value = line.partition(": ")
            try:
                meta[key] = dt.date.fromisoformat(value) if key == "date" else value
            except ValueError as err:  # found by tests/hostile/test_fuzz.py: "0000-01-01"
                raise context.error(f"invalid date {value!r}: {err}") from err
    articles: list[list[str]] = []
    for block in (b.rstrip("\n") for b in blocks):
        if block.startswith("# "):
            articles.append([unescape(block[2:])])
        elif not articles:
            raise context.error(f"expected a '# ' heading, found {block[:40]!r}")
        else:
            articles[-1].append(unescape(block))
    try:
        return Digest(
            [Article(a[0], a[1] if len(a) > 1 else None, a[2:]) for a in articles],
            Metadata(**meta),  # type: ignore[arg-type]  # checked by the model
        )
    except (ValidationError, TypeError, ValueError) as err:
        raise context.error(f"not a digest: {err}") from err


FORMAT = Format(
    name="mdexample",
    extensions=("mdex",),
    media_type="text/x-digestkit-mdexample",
    description="Escape-everything Markdown dialect (the plugin example)",
    reader=read,
    writer=write,
)
"""The example format, published under the ``digestkit.formats`` entry point ``mdexample``."""
