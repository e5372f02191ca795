"""Link labels in linear time: which ``[`` of a paragraph can open one, found in one pass.

markdown-it-py finds a link's label by scanning from its ``[`` to the ``]`` that closes it,
running every inline rule at every position on the way, and each ``[`` met inside is itself
tried as a link, one level deeper, up to its nesting limit (20). A paragraph of ``[``
closed by one ``]`` (or of ``[[[...]]]``, or of ``![``) costs it 20 or so rule runs a
character: 1 MB took 35 s. So before any label is scanned, one pass over the paragraph's
brackets finds the ``[`` that can be closed at all, and markdown-it-py scans from those
alone; every other ``[`` is literal text at once, a run of them in one step.

A ``[`` can be closed only where the brackets between balance. A bracket may be hidden
from the scan, inside a code span, an autolink or HTML tag, or a link's destination: one
that could be (between the first backtick and the last, the first ``<`` and the last
``>``, the first ``](`` and the last ``)``) is counted as possibly hidden, so the pass only
ever says "cannot close" where markdown-it-py could not close either. An escaped bracket
(``\\[``) is always hidden. And a label in which brackets would nest deeper than
markdown-it-py's nesting limit opens no link (markdown-it-py gives up there too, at the
limit of its recursion, and the links inside are found as CommonMark says, where it missed
them).

What the pass cannot settle is left to markdown-it-py: brackets between a backtick and a
later one (or ``<`` and ``>``), and labels nested less deep than the limit around many
others. Its scan steps count against the paragraph's ``max_inline_tokens`` (`_budget`).
"""

from __future__ import annotations

import bisect
import re
from array import array
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it.rules_inline import StateInline

__all__ = ["closers", "literal_brackets", "may_open"]

_BRACKET = re.compile(r"\\*[\[\]]")
"""A bracket and the backslashes before it: an odd number escapes it."""
_RUN = re.compile(r"[!\[\]]+")
"""What the rule may take as text: ``]`` is text wherever a scan does not count it."""
_HIDERS = (("`", "`"), ("<", ">"), ("](", ")"))
"""Where a construct that hides brackets may open, and where it may close."""


def closers(src: str, nesting: int) -> tuple[array[int], array[int]]:
    """Return the ``[`` of ``src`` that may open a label, in order, and the first ``]`` that
    may close each.

    A ``[`` left out opens no label, whatever follows: no ``]`` after it can balance the
    brackets between, or they nest more than ``nesting`` deep before one can. Positions are
    kept in arrays, 8 bytes each: a paragraph of ``[`` holds a million.
    """
    zones = [
        (src.find(opener), src.rfind(closer))
        for opener, closer in _HIDERS
        if 0 <= src.find(opener) < src.rfind(closer)
    ]
    opened, closed = array("q"), array("q")  # every "[", and its "]" or -1
    # balance: the "]" so far less the "[" surely seen by a scan. An open "[" waits, with the
    # balance just after it, for a "]" met at a balance at least as high: the least so far
    # for a "[" that may have hidden ones between. The waiting ones are a stack (newest
    # last) whose oldest leave from the bottom, at ``bottom``.
    balance = 0
    waiting, waiting_balance = array("q"), array("q")
    bottom = 0
    for match in _BRACKET.finditer(src):
        at = match.end() - 1
        # An escaped bracket is taken with its backslash by markdown-it-py's escape rule: no
        # scan counts it, but a label may still be looked for from it (after a link
        # destination that is not followed by ")", markdown-it-py looks there).
        escaped = (at - match.start()) % 2 == 1
        if src[at] == "]":
            if not escaped:
                while len(waiting) > bottom and waiting_balance[-1] <= balance:
                    waiting_balance.pop()
                    closed[waiting.pop()] = at
                balance += 1
            continue
        if not escaped and not (zones and any(start < at < end for start, end in zones)):
            balance -= 1
        waiting.append(len(opened))
        waiting_balance.append(balance)
        opened.append(at)
        closed.append(-1)
        while waiting_balance[bottom] - balance >= nesting:  # the oldest waits deepest
            bottom += 1
    openers, ends = array("q"), array("q")
    for at, end in zip(opened, closed, strict=True):
        if end >= 0:
            openers.append(at)
            ends.append(end)
    return openers, ends


def _closers(state: StateInline) -> tuple[array[int], array[int]]:
    """Return `closers` of the paragraph being parsed; found once."""
    cached: tuple[array[int], array[int]] | None = vars(state).get("_digestkit_closers")
    if cached is None:
        cached = closers(state.src, state.md.options["maxNesting"])
        vars(state)["_digestkit_closers"] = cached
    return cached


def may_open(state: StateInline, start: int) -> bool:
    """Whether the ``[`` at ``start`` may open a label that closes before ``state.posMax``."""
    openers, ends = _closers(state)
    index = bisect.bisect_left(openers, start)
    return index < len(openers) and openers[index] == start and ends[index] < state.posMax


def literal_brackets(state: StateInline, silent: bool) -> bool:
    """Take ``[`` and ``!`` that open no link or image, and ``]``, as text: a run at once.

    An inline rule, run before markdown-it-py's link rule: where it takes a character,
    the link and image rules would have failed there (no rule takes a ``]``), and the
    character becomes text. A label's scan (``silent``) is given one character at a time.
    """
    src, pos, end = state.src, state.pos, state.posMax
    if src[pos] not in "![]":
        return False
    if silent:  # a scan counts brackets one at a time
        stop = pos if _opens(state, pos) else pos + 1
    else:
        openers, ends = _closers(state)
        index = bisect.bisect_left(openers, pos)
        stop = pos
        while True:  # from one "[" that may be closed to the next, while the run goes on
            limit = openers[index] if index < len(openers) and openers[index] < end else end
            run = _RUN.match(src, stop, limit)
            stop = run.end() if run else stop
            if stop < limit or limit == end:
                break
            if ends[index] < end:
                stop = limit - 1 if limit > pos and src[limit - 1] == "!" else limit
                break
            stop, index = limit + 1, index + 1  # it closes past the end of this text
    if stop == pos:
        return False
    if not silent:
        append = getattr(state, "append_pending", None)  # markdown-it-py 4.3: in O(1)
        if append is None:
            state.pending += src[pos:stop]
        else:
            append(src[pos:stop])
    state.pos = stop
    return True


def _opens(state: StateInline, at: int) -> bool:
    """Whether the character at ``at`` may start a link or an image."""
    if state.src[at] == "!":
        at += 1
        if at >= state.posMax or state.src[at] != "[":
            return False
    return state.src[at] == "[" and may_open(state, at)
