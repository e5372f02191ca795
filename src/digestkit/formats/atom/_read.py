"""Reading an Atom 1.0 feed into a digest: digestkit's own, or another tool's."""

from __future__ import annotations

from typing import Any

from digestkit.codec import METADATA_FIELDS, metadata_from_strings
from digestkit.errors import ParseError, ValidationError
from digestkit.formats import _safexml
from digestkit.formats._feeds import (
    article_from_parts,
    html_paragraphs,
    markup_paragraphs,
    one_line,
    text_paragraphs,
)
from digestkit.formats.atom._vocab import NAMESPACE
from digestkit.formats.xml import NAMESPACE as DIGEST_NAMESPACE
from digestkit.model import Article, Digest, Metadata
from digestkit.registry import ReadContext

_XHTML = "http://www.w3.org/1999/xhtml"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_FEED = f"{{{NAMESPACE}}}feed"
_ENTRY = f"{{{NAMESPACE}}}entry"
_OWN_METADATA = f"{{{DIGEST_NAMESPACE}}}metadata"
# The feed elements digestkit writes or reads, and the entry elements it reads; an own feed's
# entry dates are the digest's date, carried in its metadata.
_FEED_USED = frozenset({"id", "title", "updated", "author", "link", "entry"})
_ENTRY_USED = frozenset({"id", "title", "summary", "content"})
_ENTRY_OWN = frozenset({"updated", "published"})
# The model field an article error names -> the entry element that held the text.
_ENTRY_FIELDS = {"headline": "title", "lead": "summary"}


def _name(element: Any) -> str:
    """Return ``atom:local`` names as ``local``, others as ``{namespace}local``."""
    tag: str = element.tag
    return tag[len(NAMESPACE) + 2 :] if tag.startswith(f"{{{NAMESPACE}}}") else tag


class _Reader:
    """Reads one feed, reporting errors and warnings at the line of the element concerned."""

    def __init__(self, context: ReadContext) -> None:
        self.context = context
        self.dropped: dict[str, None] = {}  # an ordered set

    def fail(self, element: Any, message: str) -> ParseError:
        return self.context.error(message, _safexml.line_of(element))

    def child(self, parent: Any, local: str) -> Any:
        return parent.find(f"{{{NAMESPACE}}}{local}")

    def text(self, element: Any) -> str:
        return "".join(element.itertext())

    def text_construct(self, element: Any) -> str | None:
        """Return the text of a title or summary as one string (``None`` if absent)."""
        if element is None:
            return None
        kind = element.get("type", "text")
        if kind == "xhtml":
            return " ".join(html_paragraphs(self.div(element)))
        if kind == "html":
            return " ".join(self.markup(element))
        return self.text(element)

    def div(self, element: Any) -> Any:
        """Return the XHTML ``<div>`` of an ``xhtml`` construct (the element, if it has none)."""
        div = element.find(f"{{{_XHTML}}}div")
        return element if div is None else div

    def markup(self, element: Any) -> list[str]:
        try:
            return markup_paragraphs(self.text(element))
        except ValueError as err:
            raise self.fail(element, f"<{_name(element)}>: {err}") from err

    def content(self, element: Any) -> list[str]:
        if element is None:
            return []
        kind = element.get("type", "text")
        if element.get("src") is not None:
            self.dropped["entry/content[@src]"] = None
            return []
        if kind == "xhtml":
            return html_paragraphs(self.div(element))
        if kind == "html":
            return self.markup(element)
        if kind == "text" or kind.startswith("text/"):
            return text_paragraphs(self.text(element))
        self.dropped[f"entry/content[@type={kind!r}]"] = None
        return []

    def own_metadata(self, element: Any) -> Metadata:
        strings: dict[str, str] = {}
        for child in element:
            if not isinstance(child.tag, str):
                continue  # a comment or processing instruction
            name = child.tag.rpartition("}")[2]
            if not child.tag.startswith(f"{{{DIGEST_NAMESPACE}}}") or name not in METADATA_FIELDS:
                raise self.fail(
                    child,
                    f"unknown element <{name}> in digestkit's <metadata> "
                    f"(expected: {', '.join(METADATA_FIELDS)})",
                )
            if name in strings:
                raise self.fail(child, f"<{name}> is given twice in <metadata>")
            strings[name] = self.text(child)
        try:
            return metadata_from_strings(strings)
        except ValidationError as err:
            where = element.find(f"{{{DIGEST_NAMESPACE}}}{err.field}")
            where = element if where is None else where
            raise self.fail(where, f"<{err.field}>: {err.reason}") from err

    def foreign_metadata(self, feed: Any) -> Metadata:
        strings: dict[str, str] = {}
        title = self.text_construct(self.child(feed, "title"))
        if title and one_line(title):
            strings["title"] = one_line(title)
        language = one_line(feed.get(_XML_LANG, ""))
        if language:
            strings["language"] = language
        for link in feed.findall(f"{{{NAMESPACE}}}link"):
            if link.get("rel", "alternate") == "alternate" and one_line(link.get("href", "")):
                strings["source"] = one_line(link.get("href", ""))
                break
        identifier = self.child(feed, "id")
        if identifier is not None and one_line(self.text(identifier)):
            strings["identifier"] = one_line(self.text(identifier))
        while True:
            try:
                return metadata_from_strings(strings)
            except ValidationError as err:
                if err.field != "language":
                    raise self.fail(feed, f"feed {err.field}: {err.reason}") from err
                self.context.warn(
                    f"xml:lang: {err.reason}; the default is used", _safexml.line_of(feed)
                )
                del strings["language"]

    def article(self, entry: Any, index: int, own: bool) -> Article | None:
        used = _ENTRY_USED | _ENTRY_OWN if own else _ENTRY_USED
        for child in entry:
            if isinstance(child.tag, str) and _name(child) not in used:
                self.dropped[f"entry/{_name(child)}"] = None
        title = self.text_construct(self.child(entry, "title"))
        summary = self.text_construct(self.child(entry, "summary"))
        paragraphs = self.content(self.child(entry, "content"))

        def warn(message: str) -> None:
            self.context.warn(f"entry {index + 1}: {message}", _safexml.line_of(entry))

        try:
            return article_from_parts(title, summary, paragraphs, warn)
        except ValidationError as err:
            name = _ENTRY_FIELDS.get(err.field, "content")
            where = self.child(entry, name)
            raise self.fail(entry if where is None else where, f"<{name}>: {err.reason}") from err

    def digest(self, feed: Any) -> Digest:
        if feed.tag != _FEED:
            raise self.fail(feed, f"expected an Atom <feed> in {NAMESPACE}, found <{_name(feed)}>")
        own_element = feed.find(_OWN_METADATA)
        own = own_element is not None
        metadata = self.own_metadata(own_element) if own else self.foreign_metadata(feed)
        for child in feed:
            if isinstance(child.tag, str) and child.tag != _OWN_METADATA:
                name = _name(child)
                if name not in _FEED_USED or (name == "author" and not own):
                    self.dropped[name] = None
        articles = [
            article
            for index, entry in enumerate(feed.iterchildren(_ENTRY))
            if (article := self.article(entry, index, own)) is not None
        ]
        if self.dropped:
            self.context.warn(
                "dropped what a digest has no place for: " + ", ".join(self.dropped), 1
            )
        return Digest(articles, metadata)


def read_feed(data: bytes, context: ReadContext) -> Digest:
    """Read an Atom feed into a digest (see `digestkit.formats.atom`)."""
    return _Reader(context).digest(_safexml.parse(data, context))
