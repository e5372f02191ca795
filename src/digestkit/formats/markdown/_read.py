"""The Markdown reader: markdown-it-py tokens to a digest.

* Front matter (``---`` YAML at the top) holds metadata, read through the one metadata codec.
  PyYAML's ``BaseLoader`` keeps every value a string (``no`` stays ``no``, ``2025-10-20``
  stays text for the codec). Keys that are not metadata fields are reported and ignored.
* Top-level headings structure the digest. The first heading is the digest's title when it is
  the only level-1 heading and other headings follow (or nothing does). Among the others, the
  level that occurs most often (the shallower on a tie) is the article level: each such
  heading starts an article. A deeper heading is a paragraph of its article; a shallower one
  (a section heading) is reported and skipped.
* Under an article heading, each paragraph, each list item (its paragraphs joined into one)
  and each paragraph of a block quote is a paragraph of the article: the first is the lead.
  A code block is one paragraph, its lines joined by spaces; raw HTML blocks and thematic
  breaks are skipped.
* Inline markup is reduced to its text: emphasis, code spans, link text (the link target is
  dropped), image descriptions; a line break within a paragraph becomes a space.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import attrs

from digestkit._textio import decode, first_forbidden, position
from digestkit.codec import METADATA_FIELDS, metadata_from_strings
from digestkit.errors import MissingDependencyError, ValidationError
from digestkit.formats.markdown import _parse
from digestkit.formats.markdown._budget import DEFAULT_MAX_INLINE_TOKENS
from digestkit.model import Article, Digest, Metadata
from digestkit.registry import ReadContext

if TYPE_CHECKING:
    from markdown_it.token import Token

__all__ = ["read"]

_EDGE = " \t"
_CONTAINERS = frozenset(
    {"blockquote_open", "bullet_list_open", "ordered_list_open", "list_item_open"}
)


@attrs.frozen
class _Block:
    """A heading or a paragraph of text, with where it begins."""

    text: str
    line: int
    level: int = 0  # 0 for a paragraph, 1-6 for a top-level heading


def _inline_text(token: Token) -> str:
    """Return the text an inline token shows, markup reduced to its text."""
    pieces: list[str] = []
    for child in token.children or ():
        kind = child.type
        if kind in ("text", "code_inline", "text_special"):
            pieces.append(child.content)
        elif kind in ("softbreak", "hardbreak"):
            pieces.append(" ")
        elif kind == "image":
            pieces.append(_inline_text(child))
    return "".join(pieces).strip(_EDGE)


class _Walker:
    """Turns the block tokens into headings and paragraphs, in document order."""

    def __init__(self, context: ReadContext, text: str) -> None:
        self.context = context
        self.text = text
        self.blocks: list[_Block] = []
        self.front_matter: Token | None = None
        self.front_matter_line = 0  # 0-based line of its opening ---
        # One buffer per open list item: its paragraphs are joined into one.
        self._items: list[list[tuple[str, int]]] = []
        # Where column() last found a line: lines are asked for mostly in order, so the
        # line breaks are counted onwards from there, not from the start each time.
        self._line, self._offset = 1, 0

    def column(self, line: int) -> int:
        """Return the 1-based column of the first non-blank character of ``line``."""
        if line < self._line:
            self._line, self._offset = 1, 0
        offset = self._offset
        for _ in range(line - self._line):
            offset = self.text.find("\n", offset) + 1
        self._line, self._offset = line, offset
        end = self.text.find("\n", offset)
        row = self.text[offset : None if end < 0 else end]
        return len(row) - len(row.lstrip(" \t>")) + 1

    def emit(self, text: str, line: int, level: int = 0) -> None:
        if self._items and not level:
            self._items[-1].append((text, line))
        elif text:
            self.blocks.append(_Block(text, line, level))
        else:
            self.context.warn("an empty paragraph or heading is skipped", line, self.column(line))

    def flush_item(self) -> None:
        """Emit the open list item's text so far as one paragraph."""
        pieces, self._items[-1] = self._items[-1], []
        if pieces:
            text = " ".join(piece for piece, _ in pieces if piece)
            line = pieces[0][1]
            if text:
                self.blocks.append(_Block(text, line))
            else:
                self.context.warn("an empty list item is skipped", line, self.column(line))

    def walk(self, tokens: list[Token], before: int, max_nesting: int) -> None:
        """Take in a run of whole top-level blocks, ``before`` lines into the text."""
        nesting = 0
        heading_level = 0
        for token in tokens:
            kind = token.type
            line = before + (token.map[0] + 1 if token.map else 1)
            if token.nesting == 1 and kind in _CONTAINERS and token.level >= max_nesting - 1:
                # markdown-it-py stops at its nesting limit and drops what is inside.
                raise self.context.error(
                    f"block quotes and lists nested more than {max_nesting - 1} levels deep: "
                    "the text inside would be lost",
                    line,
                    self.column(line),
                )
            if kind == "front_matter":
                self.front_matter = token
                self.front_matter_line = line - 1
            elif kind == "heading_open":
                heading_level = int(token.tag[1]) if nesting == 0 else 0
            elif kind == "inline":
                self.emit(_inline_text(token), line, heading_level)
                heading_level = 0
            elif kind in ("bullet_list_open", "ordered_list_open"):
                if self._items:
                    self.flush_item()
                nesting += 1
            elif kind in ("bullet_list_close", "ordered_list_close"):
                nesting -= 1
            elif kind == "list_item_open":
                self._items.append([])
            elif kind == "list_item_close":
                self.flush_item()
                self._items.pop()
            elif kind == "blockquote_open":
                nesting += 1
            elif kind == "blockquote_close":
                nesting -= 1
            elif kind in ("code_block", "fence"):
                words = " ".join(row.strip() for row in token.content.splitlines() if row.strip())
                self.emit(words, line)
            elif kind == "html_block":
                self.context.warn("raw HTML is skipped", line, self.column(line))


def _front_matter(walker: _Walker, context: ReadContext) -> dict[str, str]:
    """Return the metadata strings of the front matter, if any."""
    token = walker.front_matter
    if token is None:
        return {}
    try:
        import yaml
    except ImportError as err:
        raise MissingDependencyError(
            "markdown", err.name or "yaml", "reading Markdown front matter"
        ) from err

    first = walker.front_matter_line + 2  # the line after the opening ---
    try:
        node = yaml.compose(token.content, Loader=yaml.BaseLoader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = first + mark.line if mark else first
        column = mark.column + 1 if mark else None
        raise context.error(f"front matter is not valid YAML: {err.problem}", line, column) from err
    except yaml.YAMLError as err:
        raise context.error(f"front matter is not valid YAML: {err}", first) from err
    if node is None:
        return {}
    if not isinstance(node, yaml.MappingNode):
        raise context.error("front matter must be a mapping of names to values", first)
    strings: dict[str, str] = {}
    for key, value in node.value:
        line, column = first + key.start_mark.line, key.start_mark.column + 1
        name = key.value if isinstance(key, yaml.ScalarNode) else None
        if name not in METADATA_FIELDS:
            context.warn(
                f"front matter key {name!r} is not digest metadata (known: "
                f"{', '.join(METADATA_FIELDS)}): ignored",
                line,
                column,
            )
            continue
        if name in strings:
            raise context.error(f"front matter key {name!r} is repeated", line, column)
        if not isinstance(value, yaml.ScalarNode):
            raise context.error(f"front matter {name!r}: expected one line of text", line, column)
        try:
            metadata_from_strings({name: value.value})
        except ValidationError as err:
            raise context.error(f"front matter {name!r}: {err.reason}", line, column) from err
        strings[name] = value.value
    return strings


def _article_level(headings: list[_Block]) -> int:
    counts = Counter(block.level for block in headings)
    return min(counts, key=lambda level: (-counts[level], level))


def _build(walker: _Walker, context: ReadContext, strings: dict[str, str]) -> Digest:
    blocks = walker.blocks
    headings = [block for block in blocks if block.level]
    title: _Block | None = None
    if (
        headings
        and headings[0].level == 1
        and sum(block.level == 1 for block in headings) == 1
        and (len(headings) > 1 or blocks[-1] is headings[0])
    ):
        title = headings.pop(0)
        if "title" in strings and strings["title"] != title.text:
            raise context.error(
                f"the title heading {title.text!r} differs from the front matter's "
                f"title {strings['title']!r}",
                title.line,
                walker.column(title.line),
            )
        strings = {**strings, "title": title.text}
    if not headings and any(block is not title for block in blocks):
        first = next(block for block in blocks if block is not title)
        raise context.error(
            "no heading: a Markdown digest has a heading per article (## Headline)",
            first.line,
            walker.column(first.line),
        )
    level = _article_level(headings) if headings else 0
    articles: list[list[_Block]] = []
    for block in blocks:
        if block is title:
            continue
        if block.level == level:
            articles.append([block])
        elif block.level and block.level < level:
            context.warn(
                f"a level-{block.level} heading above the level-{level} article headings is "
                "skipped (a section heading?)",
                block.line,
                walker.column(block.line),
            )
        elif not articles:
            context.warn(
                "text before the first article heading is skipped",
                block.line,
                walker.column(block.line),
            )
        else:
            articles[-1].append(block)
    built = []
    for parts in articles:
        texts = [block.text for block in parts]
        try:
            built.append(
                Article(
                    texts[0],
                    texts[1] if len(texts) > 1 else None,
                    texts[2:],
                    tuple(block.line for block in parts),
                )
            )
        except ValidationError as err:
            raise context.error(
                f"{err.field}: {err.reason}", parts[0].line, walker.column(parts[0].line)
            ) from err
    return Digest(built, metadata_from_strings(strings) if strings else Metadata())


def read(
    data: bytes,
    context: ReadContext,
    /,
    *,
    max_inline_tokens: int = DEFAULT_MAX_INLINE_TOKENS,
) -> Digest:
    """Read a Markdown digest (see the module docstring for how it is understood).

    Raises:
        ParseError: undecodable input, a character the model refuses, front matter that is
            not a YAML mapping of metadata, text without any heading, a paragraph that
            builds more than ``max_inline_tokens`` inline tokens; with line and column.
    """
    text = decode(data, source=context.source, format=context.format)
    bad = first_forbidden(text)
    if bad is not None:
        line, column = position(text, bad[0])
        raise context.error(f"holds a character digests cannot carry: {bad[1]}", line, column)
    md = _parse.parser(max_inline_tokens)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    walker = _Walker(context, text)
    runs = _parse.parse(md, text)
    while True:
        try:
            run = next(runs, None)
        except _parse.TooManyTokens as err:
            line = err.line + 1
            what = (
                f"more than {err.limit // 2} lines (a line break is an inline element)"
                if err.lines
                else f"more than {err.limit} inline elements (emphasis, links, code spans, "
                "escapes, line breaks..., built or stepped over looking for a link's label)"
            )
            raise context.error(
                f"a paragraph holds {what} (raise the limit with max_inline_tokens=...)",
                line,
                walker.column(line),
            ) from None
        except (ValueError, RecursionError) as err:  # markdown-it-py has no error class
            raise context.error(f"not readable Markdown: {err}") from err
        if run is None:
            break
        walker.walk(*run, md.options["maxNesting"])
    return _build(walker, context, _front_matter(walker, context))
