"""Reading the content documents of EPUBs other tools wrote, on a best-effort basis.

A document becomes articles in one of three ways, each reported through the read context:

* its headings repeat at one level (pandoc puts every ``##`` section of a chapter in one
  file): each heading of the shallowest repeated level opens an article;
* it has no heading, but some paragraphs are the text format's end markers (``Keep
  reading``): the paragraphs are read as the text format reads lines;
* else it is one article, headed by its first heading (or its ``<title>``).

Front matter is skipped: title and cover pages by ``epub:type`` or by the EPUB 2 guide,
and a first page whose only text is the book's title.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from digestkit.errors import ValidationError
from digestkit.formats.epub._content import (
    HEADINGS,
    PARAGRAPH,
    XHTML,
    body_of,
    element_text,
    make_article,
)
from digestkit.formats.epub._zipsafe import member_error
from digestkit.model import Article
from digestkit.registry import ReadContext

__all__ = ["FRONT_MATTER_TYPES", "foreign_articles", "is_title_only"]

FRONT_MATTER_TYPES = frozenset({"cover", "title-page", "toc", "copyright-page"})
"""EPUB 2 guide reference types whose documents are not articles."""


def is_title_only(root: Any, title: str | None) -> bool:
    """Return whether a document's only text is the book's title (an EPUB 2 title page)."""
    body = root.find(f"{XHTML}body")
    return body is not None and title is not None and element_text(body) == title


def _level(element: Any) -> int:
    return int(element.tag[-1])


def _split_level(headings: list[Any]) -> int | None:
    """The shallowest heading level that occurs more than once, if any."""
    levels = [_level(e) for e in headings]
    repeated = [level for level in set(levels) if levels.count(level) > 1]
    return min(repeated) if repeated else None


def _sections(body: Any, level: int) -> Iterator[tuple[Any, list[str]]]:
    """Each heading of ``level``, with the paragraphs that follow it up to the next one."""
    heading = None
    paragraphs: list[str] = []
    for element in body.iter(*HEADINGS, PARAGRAPH):
        if element.tag in HEADINGS:
            if _level(element) == level and element_text(element):
                if heading is not None:
                    yield heading, paragraphs
                heading, paragraphs = element, []
        elif heading is not None and (text := element_text(element)):
            paragraphs.append(text)
    if heading is not None:
        yield heading, paragraphs


def _rules() -> Any:
    """The text format's default end-marker rules (the one home of what a marker is)."""
    from digestkit.formats.text._grammar import default_rules

    return default_rules(None)


def _unmarked(paragraphs: list[str]) -> list[str]:
    """The paragraphs under a heading, less a final end marker (pandoc keeps "Keep reading")."""
    if paragraphs and _rules().is_marker(paragraphs[-1]):
        return paragraphs[:-1]
    return paragraphs


def _as_text(paragraphs: list[str], member: str, context: ReadContext) -> list[Article] | None:
    """Read paragraphs as the text format reads lines, if any of them is an end marker."""
    from digestkit.formats.text import parse_articles

    rules = _rules()
    if not any(rules.is_marker(p) for p in paragraphs):
        return None
    lines = [(number, line) for number, p in enumerate(paragraphs, 1) for line in (p, "")]
    try:
        return list(parse_articles(lines, context, rules))
    except ValidationError as err:
        raise member_error(context, member, f"not a valid article: {err}") from err


def foreign_articles(root: Any, member: str, context: ReadContext) -> list[Article]:
    """Read a document digestkit did not write as articles (see the module's docstring)."""
    body = body_of(root, member, context)
    where = f"{context.source}!/{member}"
    headings = [e for e in body.iter(*HEADINGS) if element_text(e)]
    paragraphs = [text for e in body.iter(PARAGRAPH) if (text := element_text(e))]
    level = _split_level(headings)
    if level is not None:
        sections = list(_sections(body, level))
        context.warn(f"{where}: {len(sections)} <h{level}> headings: read as as many articles")
        articles = []
        for heading, texts in sections:
            texts = _unmarked(texts)
            lead = texts[0] if texts else None
            articles.append(make_article(member, context, element_text(heading), lead, texts[1:]))
        return articles
    if not headings:
        found = _as_text(paragraphs, member, context)
        if found is not None:
            context.warn(f"{where}: no heading; paragraphs read as text with end markers")
            return found
        title = root.find(f"{XHTML}head/{XHTML}title")
        headline = "" if title is None else element_text(title)
        if not headline or not paragraphs:
            context.warn(f"{where}: no heading and no title with paragraphs: skipped")
            return []
        context.warn(f"{where}: no heading; its <title> is taken as the headline")
    else:
        headline = element_text(headings[0])
        if len(headings) > 1:
            context.warn(
                f"{where}: {len(headings)} headings; read as one article headed by the first",
                headings[1].sourceline,
            )
    paragraphs = _unmarked(paragraphs)
    if not paragraphs:
        context.warn(f"{where}: no <p> paragraphs: read as a headline-only article")
    lead = paragraphs[0] if paragraphs else None
    return [make_article(member, context, headline, lead, paragraphs[1:])]
