"""What the JSON Feed and Atom formats share: identifiers, timestamps, and reading feed text.

Both feed formats map a digest the same way — one item (entry) per article; title =
headline, summary = lead, content = the lead and the body paragraphs — so the rules of that
mapping live here once:

* **Identifiers.** A feed's id and each item's id are name-based UUIDs (``urn:uuid:``,
  version 5) of the *digest key* and, for an item, the article's position (1-based). The
  digest key is the digest's ``identifier`` when it has one; otherwise it is derived from
  what names the digest — its title, date and source — and never from its text, so that a
  corrected article keeps its id. Two digests with neither identifier nor title, date or
  source share their ids.
* **Timestamps.** A digest is dated by day: its date is written as midnight UTC
  (``2025-10-20T00:00:00Z``). Atom requires ``updated`` even when the digest has no date;
  then `UNDATED` (the Unix epoch) is written, never the clock, so that writers stay
  pure; the metadata extension records that the digest has no date.
* **Reading text.** Feeds written by other tools wrap and indent their text. A line of text
  is read by joining its lines with one space and trimming spaces and TABs at the edges
  (`one_line`); plain-text content is split into paragraphs at blank lines; HTML and
  XHTML content into one paragraph per block element (`html_paragraphs`). These rules
  leave every line the model accepts unchanged, so digestkit's own feeds read back exactly.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable
from typing import Any

from digestkit.model import Article, Metadata

__all__ = [
    "UNDATED",
    "article_from_parts",
    "feed_id",
    "html_paragraphs",
    "item_id",
    "markup_paragraphs",
    "one_line",
    "text_paragraphs",
    "timestamp",
]

UNDATED = "1970-01-01T00:00:00Z"
"""The ``updated`` time Atom gets for a digest without a date: fixed, not the clock."""

# Never change it: every id derived so far would change with it.
_ID_NAMESPACE = "9d1c4c2e-5b8a-5f0e-9a57-3f2a7d0c6b41"
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_EDGES = " \t"


def _digest_key(metadata: Metadata) -> str:
    if metadata.identifier is not None:
        return "identifier:" + metadata.identifier
    date = None if metadata.date is None else metadata.date.isoformat()
    name = [metadata.title, date, metadata.source]
    return "name:" + json.dumps(name, ensure_ascii=False, separators=(",", ":"))


def _uuid(name: str) -> str:
    import uuid  # only when writing

    return f"urn:uuid:{uuid.uuid5(uuid.UUID(_ID_NAMESPACE), name)}"


def feed_id(metadata: Metadata) -> str:
    """Return the feed's ``urn:uuid:`` id, derived from the digest key."""
    return _uuid(_digest_key(metadata))


def item_id(metadata: Metadata, position: int) -> str:
    """Return the ``urn:uuid:`` id of the article at ``position`` (1-based)."""
    return _uuid(f"{_digest_key(metadata)}\narticle:{position}")


def timestamp(day: dt.date | None) -> str | None:
    """Return ``day`` as an RFC 3339 time (midnight UTC), or ``None`` for no day."""
    return None if day is None else f"{day.isoformat()}T00:00:00Z"


# --- reading --------------------------------------------------------------------------------


def one_line(text: str) -> str:
    """Return ``text`` as one line: its lines trimmed of spaces and TABs, joined by a space.

    Every line the model accepts is returned unchanged.
    """
    parts = (part.strip(_EDGES) for part in text.splitlines())
    return " ".join(part for part in parts if part)


def text_paragraphs(text: str) -> list[str]:
    """Split plain text into paragraphs at blank lines; each one is made `one_line`."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = (one_line(block) for block in _BLANK_LINE.split(text))
    return [paragraph for paragraph in paragraphs if paragraph]


# HTML's block elements that hold text: each starts and ends a paragraph.
# fmt: off
_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
    "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
})
# fmt: on
_SKIPPED = frozenset(["head", "script", "style", "template"])


def _local(tag: object) -> str | None:
    """Return the lower-case local name of an element's tag; ``None`` for a comment or PI."""
    if not isinstance(tag, str):
        return None
    return tag.rpartition("}")[2].lower()


def html_paragraphs(root: Any) -> list[str]:
    """Return the paragraphs of an (X)HTML element tree: one per block element, ``<br>`` too.

    Inline markup (emphasis, links) is reduced to its text; a link's target is dropped.
    Scripts and style sheets are skipped.
    """
    paragraphs: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        paragraph = one_line("".join(pending))
        pending.clear()
        if paragraph:
            paragraphs.append(paragraph)

    def walk(element: Any) -> None:
        local = _local(element.tag)
        if local is None or local in _SKIPPED:
            return
        block = local in _BLOCKS or local == "br"
        if block:
            flush()
        pending.append(element.text or "")
        for child in element:
            walk(child)
            pending.append(child.tail or "")
        if block:
            flush()

    walk(root)
    flush()
    return paragraphs


def markup_paragraphs(markup: str) -> list[str]:
    """Return the paragraphs of an HTML fragment (escaped HTML in a feed), block by block.

    lxml's HTML parser fetches nothing and knows no DTD; comments and processing instructions
    are dropped.

    Raises:
        FormatError: lxml is not installed.
        ValueError: lxml cannot take the text (it holds a NUL or a control character).
    """
    from digestkit._textio import first_forbidden
    from digestkit.formats._safexml import etree_module

    # lxml would replace a NUL silently: refuse what the model refuses, before it can.
    bad = first_forbidden(markup)
    if bad is not None:
        raise ValueError(f"holds a character a digest cannot carry ({bad[1]}) at index {bad[0]}")
    etree_module()  # the error that names the extra, if lxml is missing
    from lxml import html

    parser = html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
    try:
        root = html.fragment_fromstring(markup, create_parent="div", parser=parser)
    except etree_module().ParserError as err:  # lxml's name for "nothing to parse"
        raise ValueError(f"not readable HTML: {err}") from err
    return html_paragraphs(root)


def article_from_parts(
    title: str | None,
    summary: str | None,
    paragraphs: Iterable[str],
    warn: Callable[[str], None],
) -> Article | None:
    """Return the article an item describes, by the one rule both feed readers follow.

    The title is the headline and the summary the lead; the content's paragraphs are the
    body, less the first if it repeats the summary (digestkit writes the lead into the
    content, as readers that show only the content need it). Without a summary the first
    paragraph is the lead; without a title the first of summary and paragraphs is the
    headline (with a warning). An item with no text at all gives ``None`` (and a warning).

    Raises:
        ValidationError: the text is not what the model accepts (a forbidden character).
    """
    texts = [paragraph for paragraph in paragraphs if paragraph]
    headline = one_line(title) if title else ""
    lead = one_line(summary) if summary else ""
    if not headline:
        if lead:
            headline, lead = lead, ""
        elif texts:
            headline = texts.pop(0)
        else:
            warn("has no title and no text: skipped")
            return None
        warn("has no title: its first text is taken as the headline")
    if lead:
        if texts and texts[0] == lead:
            texts.pop(0)
    elif texts:
        lead = texts.pop(0)
    return Article(headline, lead or None, texts)
