"""Reading a JSON Feed (version 1 or 1.1) into a digest: digestkit's own, or another tool's."""

from __future__ import annotations

from typing import Any

from digestkit._textio import decode
from digestkit.codec import metadata_from_strings
from digestkit.errors import ValidationError
from digestkit.formats._feeds import (
    article_from_parts,
    markup_paragraphs,
    one_line,
    text_paragraphs,
)
from digestkit.formats._jsoncodec import ShapeError, parse_json
from digestkit.formats._jsonpos import locate
from digestkit.formats.jsonfeed._vocab import EXTENSION_KEY, VERSION
from digestkit.model import Article, Digest, Metadata
from digestkit.registry import ReadContext

_VERSIONS = ("https://jsonfeed.org/version/1", VERSION)
_VERSION_PREFIX = "https://jsonfeed.org/version/"
_EXTENSION_VERSION = 1
# Where another tool's feed keeps what the digest's metadata holds.
_FOREIGN_METADATA = {
    "title": "title",
    "language": "language",
    "source": "home_page_url",
    "identifier": "feed_url",
}
# Item members that make the article; the item's id is derived again on writing.
_ITEM_KEYS = frozenset({"id", "title", "summary", "content_text", "content_html"})
# The model field an article error names -> the item member that held the text.
_ITEM_FIELDS = {"headline": "title", "lead": "summary"}


class _Reader:
    """Reads one feed, reporting errors and warnings at JSON paths."""

    def __init__(self, text: str, context: ReadContext) -> None:
        self.text = text
        self.context = context
        self.dropped: dict[str, None] = {}  # an ordered set

    def where(self, path: str) -> tuple[int | None, int | None]:
        return locate(self.text, path) or (None, None)

    def fail(self, path: str, message: str) -> ShapeError:
        return ShapeError(path, message)

    def as_object(self, value: object, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(path, f"expected an object, found {type(value).__name__}")
        duplicate = getattr(value, "duplicate", None)  # parse_json marks repeated keys
        if duplicate is not None:
            raise self.fail(path, f"key {duplicate!r} is given twice")
        return value

    def string(self, obj: dict[str, Any], key: str, path: str) -> str | None:
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            raise self.fail(f"{path}.{key}" if path else key, "expected a string")
        return value

    def version(self, feed: dict[str, Any]) -> None:
        version = feed.get("version")
        if version in _VERSIONS:
            return
        if isinstance(version, str) and version.startswith(_VERSION_PREFIX):
            raise self.fail("version", f"JSON Feed {version} is not a version digestkit reads")
        found = "no version" if version is None else f"version {version!r}"
        raise self.fail("version" if "version" in feed else "", f"not a JSON Feed: {found}")

    def own_metadata(self, value: object) -> Metadata:
        path = EXTENSION_KEY
        extension = self.as_object(value, path)
        version = extension.get("format_version")
        if type(version) is not int or not 1 <= version <= _EXTENSION_VERSION:
            raise self.fail(
                f"{path}.format_version",
                f"expected {_EXTENSION_VERSION} (upgrade digestkit if newer), found {version!r}",
            )
        strings = self.as_object(extension.get("metadata"), f"{path}.metadata")
        try:
            return metadata_from_strings(strings)
        except ValidationError as err:
            raise self.fail(f"{path}.metadata.{err.field}", err.reason) from err

    def foreign_metadata(self, feed: dict[str, Any]) -> Metadata:
        strings: dict[str, str] = {}
        for field, key in _FOREIGN_METADATA.items():
            value = self.string(feed, key, "")
            if value and one_line(value):
                strings[field] = one_line(value)
        while True:
            try:
                return metadata_from_strings(strings)
            except ValidationError as err:
                key = _FOREIGN_METADATA[err.field]
                if err.field != "language":
                    raise self.fail(key, err.reason) from err
                self.context.warn(f"language: {err.reason}; the default is used", *self.where(key))
                del strings["language"]

    def article(self, value: object, index: int, own: bool) -> Article | None:
        path = f"items[{index}]"
        item = self.as_object(value, path)
        title, summary, text, markup = (
            self.string(item, key, path)
            for key in ("title", "summary", "content_text", "content_html")
        )
        if text is not None:
            paragraphs = text_paragraphs(text)
        elif markup is not None:
            try:
                paragraphs = markup_paragraphs(markup)
            except ValueError as err:
                raise self.fail(f"{path}.content_html", str(err)) from err
        else:
            paragraphs = []
        for key in item:
            if key not in _ITEM_KEYS and not (own and key == "date_published"):
                self.dropped[f"items[].{key}"] = None

        def warn(message: str) -> None:
            self.context.warn(f"{path}: {message}", *self.where(path))

        try:
            return article_from_parts(title, summary, paragraphs, warn)
        except ValidationError as err:
            member = _ITEM_FIELDS.get(
                err.field, "content_text" if text is not None else "content_html"
            )
            raise self.fail(f"{path}.{member}", err.reason) from err

    def digest(self, document: object) -> Digest:
        feed = self.as_object(document, "")
        self.version(feed)
        items = feed.get("items")
        if not isinstance(items, list):
            raise self.fail("items" if "items" in feed else "", "expected an array of items")
        own = EXTENSION_KEY in feed
        if own:
            metadata = self.own_metadata(feed[EXTENSION_KEY])
            used = {"version", "title", "language", "items", EXTENSION_KEY}
        else:
            metadata = self.foreign_metadata(feed)
            used = {"version", "items", *_FOREIGN_METADATA.values()}
        for key in feed:
            if key not in used:
                self.dropped[key] = None
        articles = [
            article
            for index, item in enumerate(items)
            if (article := self.article(item, index, own)) is not None
        ]
        if self.dropped:
            self.context.warn(
                "dropped what a digest has no place for: " + ", ".join(self.dropped), 1, 1
            )
        return Digest(articles, metadata)


def read_feed(data: bytes, context: ReadContext) -> Digest:
    """Read a JSON Feed into a digest (see `digestkit.formats.jsonfeed`)."""
    text = decode(data, source=context.source, format=context.format)
    try:
        return _Reader(text, context).digest(parse_json(text))
    except ShapeError as err:
        # Raised where the fault is found, located once here, as the JSON format does.
        raise context.error(str(err), *err.position(text)) from err
