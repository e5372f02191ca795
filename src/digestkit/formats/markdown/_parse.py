"""markdown-it-py, run a few blocks at a time: tokens in bounded memory, links in bounded time.

markdown-it-py builds every token of a document before it returns, four objects of a
kilobyte or more per paragraph: 140,000 one-letter paragraphs (0.43 MB) took 227 MB. So the
text is parsed a chunk at a time, and only the top-level blocks that another block follows
in the chunk are kept: CommonMark reads blocks line by line, forwards, so a block that
another one follows is closed, whatever comes later. The last block is parsed again at the
start of the next chunk, with the chunk doubled while it is the only one (a long list, a
long code block). Link reference definitions are the one thing a later block changes in an
earlier one (``[text][ref]`` is a link only if ``[ref]:`` is defined somewhere): when the
text may hold one, a first pass of the block parser alone collects them.

And markdown-it-py looks for a link's closing ``]`` from every ``[``, across the rest of the
paragraph, through nested ``[`` to its nesting limit: 1 MB of ``[`` closed by one ``]`` took
35 s. Only a ``[`` that `_brackets` finds may be closed is scanned from. Inline HTML, which
the reader drops, is passed over without a token: a paragraph of ``<a>`` tags took 120 times
its size in tokens. What a paragraph's inline parse builds, and the steps of its labels'
scans, are capped by `_budget`: a chunk whose one block is read again longer is given up
before its inline parse (`_whole_blocks`).
"""

from __future__ import annotations

import types
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from digestkit.errors import MissingDependencyError
from digestkit.formats.markdown import _brackets, _budget
from digestkit.formats.markdown._budget import DEFAULT_MAX_INLINE_TOKENS, TooManyTokens

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token

__all__ = ["CHUNK", "TooManyTokens", "parse", "parser"]

CHUNK = 1 << 13
"""Characters of text parsed at a time (more while one block is longer)."""


def parser(max_inline_tokens: int = DEFAULT_MAX_INLINE_TOKENS) -> MarkdownIt:
    """Return the CommonMark parser, front matter included, with the guarded link labels.

    Args:
        max_inline_tokens: the inline tokens a paragraph may build (`_budget`).

    Raises:
        MissingDependencyError: markdown-it-py or mdit-py-plugins is not installed.
    """
    try:
        from markdown_it import MarkdownIt, helpers, rules_inline
        from mdit_py_plugins.front_matter import front_matter_plugin
    except ImportError as err:
        raise MissingDependencyError(
            "markdown", err.name or "markdown_it", "reading Markdown"
        ) from err
    md = MarkdownIt("commonmark").use(front_matter_plugin)
    label = helpers.parseLinkLabel

    def guarded_label(state: StateInline, start: int, disableNested: bool = False) -> int:
        if not _brackets.may_open(state, start):
            return -1  # what markdown-it would find, at once
        return label(state, start, disableNested)

    # Replaced for this parser alone: the rules call it through md.helpers.
    md.helpers = types.SimpleNamespace(  # type: ignore[assignment]
        parseLinkLabel=guarded_label,
        parseLinkDestination=helpers.parseLinkDestination,
        parseLinkTitle=helpers.parseLinkTitle,
    )
    md.inline.ruler.before("link", "literal_brackets", _brackets.literal_brackets)
    html_inline = rules_inline.html_inline

    def tagless_html(state: StateInline, silent: bool) -> bool:
        # Matched as markdown-it-py matches it, so that what it covers stays covered, but
        # without its token: the reader drops inline HTML, and a token is 300 bytes or more.
        delimiters = state.delimiters
        if silent or (delimiters and delimiters[-1].token == len(state.tokens) - 1):
            # Right after an emphasis marker, the token keeps the next marker out of its run
            # (its delimiters are grouped by adjacent tokens): once per marker at most.
            return html_inline(state, silent)
        if html_inline(state, True):
            # A line break drops the spaces before it from the text since the last token:
            # where only spaces follow the tag, the text before it is a token of its own, as
            # the tag's token would have made it.
            src, end, after = state.src, state.posMax, state.pos
            while after < end and src[after] == " ":
                after += 1
            if after < end and src[after] == "\n" and state.pending:
                state.pushPending()
            return True
        return False

    md.inline.ruler.at("html_inline", tagless_html)
    _budget.install(md, max_inline_tokens)
    md.core.ruler.before("inline", "whole_blocks", _whole_blocks)  # after the lines' check
    return md


_OPENS = "digestkit_opens_front_matter"
"""Key of ``env``: absent when the chunk ends the text; else whether the text opens with
``---`` and the chunk starts it (`_last_block`)."""


class _Unfinished(Exception):  # a signal within this module
    """The chunk holds one block, which more text may carry on: read it again, longer."""


def _whole_blocks(state: StateCore) -> None:
    # Before the inline parse: the inline tokens of a block read again are built once.
    opens = state.env.get(_OPENS)
    if opens is not None and _last_block(state.tokens, opens_front_matter=opens) is None:
        raise _Unfinished


def parse(md: MarkdownIt, text: str) -> Iterator[tuple[list[Token], int]]:
    """Yield the tokens of ``text``, a run of whole top-level blocks at a time.

    ``text`` has LF line ends only. Each run comes with the number of lines before it: a
    token's ``map`` counts from the start of its run.

    Raises:
        TooManyTokens: a paragraph builds more inline tokens than ``md`` allows; its
            ``line`` counts from the start of ``text``.
    """
    env: dict[str, Any] = {}
    if "]:" in text:  # a link reference definition may be there: collect them first

        def blocks(chunk: str, opens: bool | None) -> list[Token]:
            return md.block.parse(chunk, md, env, []) or []

        for _ in _runs(text, blocks):
            pass

    def whole(chunk: str, opens: bool | None) -> list[Token]:
        if opens is None:
            env.pop(_OPENS, None)
        else:
            env[_OPENS] = opens
        return md.parse(chunk, env)

    yield from _runs(text, whole)


def _runs(
    text: str, parse: Callable[[str, bool | None], list[Token]]
) -> Iterator[tuple[list[Token], int]]:
    """Yield the tokens ``parse`` gives of ``text``, a run of whole top-level blocks at a time.

    ``parse`` is given the chunk, and ``None`` when it ends the text, else whether the
    text opens with ``---`` and the chunk starts it; it may raise `_Unfinished`.
    """
    start = 0  # where the chunk begins in text
    line = 0  # lines before it
    size = CHUNK
    while start < len(text):
        end = text.find("\n", start + size)
        end = len(text) if end < 0 else end + 1
        opens = None if end == len(text) else start == 0 and text.startswith("---")
        try:
            tokens = parse(text[start:end], opens)
        except _Unfinished:
            size = _longer(size, end - start)
            continue
        except TooManyTokens as err:
            if not err.lines and end < len(text) and err.ends >= text.count("\n", start, end):
                # The paragraph may go on past the chunk, and read otherwise.
                size = _longer(size, end - start)
                continue
            err.line += line
            raise
        if end == len(text):
            yield tokens, line
            return
        last = _last_block(tokens, opens_front_matter=bool(opens))
        if last is None:  # one block so far, or front matter not closed yet: read further
            size = _longer(size, end - start)
            continue
        block = tokens[last].map
        assert block is not None  # _last_block checked
        kept = block[0]
        del tokens[last:]
        yield tokens, line
        for _ in range(kept):
            start = text.index("\n", start) + 1
        line += kept
        size = CHUNK


def _longer(size: int, length: int) -> int:
    """Return ``size`` doubled until a chunk of that size ends past one of ``length``.

    A chunk ends at the end of a line, so a line longer than the size made a doubled chunk
    no longer, and it was parsed again, whole, at each doubling (100 KB of ``[a][]``: 9.6 s).
    Doubling the size, not the chunk, keeps what a longer chunk takes in past the block
    that needed it under the size.
    """
    size *= 2
    while size < length:
        size *= 2
    return size


def _last_block(tokens: list[Token], *, opens_front_matter: bool) -> int | None:
    """Return the index of the first token of the last top-level block, if it can be cut.

    ``None`` when the chunk holds a single block (it may go on past the chunk), or when the
    text opens with ``---`` and the chunk holds no front matter (it may close past it).
    """
    if opens_front_matter and not (tokens and tokens[0].type == "front_matter"):
        return None
    for index in range(len(tokens) - 1, -1, -1):
        token = tokens[index]
        if token.level == 0 and token.nesting != -1:
            return index if token.map and token.map[0] > 0 else None
    return None
