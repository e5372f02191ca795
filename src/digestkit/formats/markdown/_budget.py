"""A cap on the inline tokens of one paragraph, counted as markdown-it-py builds them.

markdown-it-py builds every inline token of a paragraph (300 to 450 bytes each) before it
returns, one per character or two in a paragraph made of small constructs (``*a*``, ``\\!``,
hard-wrapped lines): 1 MB of ``*a*`` cost 426 MiB. Every inline token is appended to the
list the inline parser is given, so that list counts them: the core ``inline`` rule gives
each paragraph (or heading) a counting list, and the parses nested in it (an image's
description) count into the same budget. The token past the cap raises at once, in the
middle of the parse, so memory never passes what the cap allows.

The steps of a link label's scan count too. markdown-it-py looks for a label's ``]`` by
running the inline rules at each token's place, as it does to build one, and a ``[`` met on
the way is scanned from in turn, to 20 levels: where `_brackets` cannot rule a ``[`` out
(brackets a code span could hide; labels nested 19 deep around many short ones), 1 MB took
44 to 54 s without building a token. Each step spends what building a token spends.

A line break in a paragraph is a token of its own, and the text before it another: a
paragraph of more lines than half the cap is refused before its inline parse. That one is
for time: markdown-it-py's block parser spends 12 µs on each line of a paragraph (it asks
every block rule whether the line ends it), 6 s for 500,000 hard-wrapped lines, and the text
is parsed a few blocks at a time, so a paragraph is refused as soon as a run holds that many
of its lines, not once its end is found.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token

__all__ = ["DEFAULT_MAX_INLINE_TOKENS", "TooManyTokens", "install"]

DEFAULT_MAX_INLINE_TOKENS = 100_000
"""A paragraph may build 100,000 inline tokens (markdown-it-py's, 300 to 450 bytes each:
under 64 MB with what is built from them); a paragraph of prose builds one per link,
emphasis, code span or line break, so real ones build tens, rarely hundreds."""


class TooManyTokens(Exception):  # a signal to the reader, not a public error
    """A paragraph built more inline tokens than its cap; ``line`` counts from 0."""

    def __init__(self, limit: int, line: int, ends: int, *, lines: bool) -> None:
        super().__init__(limit, line)
        self.limit = limit
        self.line = line
        """The paragraph's first line, 0-based, in the text parsed."""
        self.ends = ends
        """The line after the paragraph's last line (where more text could carry it on)."""
        self.lines = lines
        """Refused for its lines, before its inline parse: more text only adds lines."""


class _Budget:
    """The paragraph being parsed and the tokens it may still build or step over."""

    __slots__ = ("left", "limit", "map")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.left = limit
        self.map: list[int] | None = None

    def spend(self) -> None:
        """Count one token built or stepped over.

        Raises:
            TooManyTokens: the paragraph is past its cap.
        """
        self.left -= 1
        if self.left < 0:
            where = self.map or [0, 0]
            raise TooManyTokens(self.limit, where[0], where[1], lines=False)


class _Tokens(list["Token"]):
    """A token list that counts its appends against the paragraph's budget."""

    __slots__ = ("_budget",)

    def __init__(self, budget: _Budget) -> None:
        super().__init__()
        self._budget = budget

    def append(self, token: Token, /) -> None:
        self._budget.spend()
        super().append(token)


def install(md: MarkdownIt, limit: int) -> None:
    """Make ``md`` refuse a paragraph that builds more than ``limit`` inline tokens.

    The steps of its link labels' scans count as tokens; a paragraph of more than half
    ``limit`` lines is refused before its inline parse.

    Raises (from ``md.parse``):
        TooManyTokens: the first paragraph past the cap, with its lines.
    """
    budget = _Budget(limit)
    inline = md.inline
    parse, skip = inline.parse, inline.skipToken

    def core_inline(state: StateCore) -> None:
        # markdown-it-py's core rule "inline", with a fresh budget for each block.
        for token in state.tokens:
            if token.type == "inline":
                budget.left, budget.map = limit, token.map
                tokens = _Tokens(budget)
                parse(token.content, md, state.env, tokens)
                token.children = list(tokens)

    def lines(state: StateCore) -> None:
        # Before any inline parse, even of a chunk read again because its block goes on.
        for token in state.tokens:
            if token.type == "inline" and token.map and 2 * (token.map[1] - token.map[0]) > limit:
                raise TooManyTokens(limit, *token.map, lines=True)

    def nested_parse(src: str, md: MarkdownIt, env: Any, tokens: list[Token]) -> list[Token]:
        # An image's description is parsed into a list of its own: counted all the same.
        counted = _Tokens(budget)
        parse(src, md, env, counted)
        tokens.extend(counted)
        return tokens

    def counted_skip(state: StateInline) -> None:
        # A step of a link label's scan runs the rules as building a token does, without
        # the token: nested labels scanned again and again cost time, not memory.
        budget.spend()
        skip(state)

    md.core.ruler.before("inline", "inline_lines", lines)
    md.core.ruler.at("inline", core_inline)
    # Only markdown-it-py's image rule calls it once the core rule runs (md.inline.parse).
    inline.parse = nested_parse  # type: ignore[method-assign]
    inline.skipToken = counted_skip  # type: ignore[method-assign]  # parseLinkLabel calls it
