"""The article parser: numbered lines to articles, by the rules of `_grammar`.

One pass, one article held at a time. What the parser had to guess it reports to the
[`ReadContext`][digestkit.registry.ReadContext] with the line, and the checks at the end of each
article (and of the digest) say when the structure looks wrong, so that a marker the reader
does not know never swallows the rest of a digest silently.
"""

from __future__ import annotations

import itertools
import re
from array import array
from collections.abc import Iterable, Iterator, Sequence

from digestkit.formats.text._grammar import (
    _DEFAULT_RULES,
    _REMEMBERED,
    BLANKS,
    ESCAPE,
    LONG_HEADLINE,
    SEPARATOR_START,
    MarkerRules,
    is_separator,
)
from digestkit.model import _INPUT_CLEARED, Article, _valid_article
from digestkit.registry import ReadContext

__all__ = ["End", "parse_articles", "read_articles"]

End = tuple[int, str]
"""How an article ended: the line and what ended it (a marker as found, ``separator``,
``glued: <marker>``), or ``(0, "end of input")``."""

_EDGE = (" ", "\t")  # what a line of content never begins with (the model refuses it)
_BLANK_SET = frozenset(BLANKS)
_SIGNATURE = "-- "  # the e-mail signature delimiter, trailing space included
# The parser's states: what the last line was. Only _BLANK is false.
_BLANK, _HEADLINE, _TEXT, _LIST_ITEM = 0, 1, 2, 3

# A list item: an unambiguous bullet, or "-", "*", "–" or an enumerator before a space. Only
# the first starts a new paragraph wherever it is; the others after a line ending in ":" or
# after another item, since a hard-wrapped line may begin with "- " or "2) ".
_ITEM = re.compile(r"[•·▪◦‣●∙]|(?:[-*–]|\d{1,3}[.)])[ \t\u00a0]")
_ITEM_FIRST = frozenset("•·▪◦‣●∙-*–0123456789")
_BULLETS = frozenset("•·▪◦‣●∙")

# The never-silent checks: thresholds at which a structure is reported as suspicious.
_MANY_PARAGRAPHS = 10  # an article of this many paragraphs, and ...
_MEDIAN_FACTOR = 5  # ... this many times the digest's median, is reported
_CANDIDATES = 1000  # at most this many such articles are remembered until the end
_SWALLOW_PARAGRAPHS = 8  # an article this long with a short paragraph seen twice
_SHORT = 40  # characters: a paragraph this short may be an unknown marker
_LONG_LOOKING = LONG_HEADLINE // 2  # a headline longer than this and than every paragraph


def parse_articles(
    lines: Iterable[tuple[int, str]],
    context: ReadContext,
    rules: MarkerRules = _DEFAULT_RULES,
) -> Iterator[Article]:
    """Yield the articles of a run of (line number, line) pairs: see `read_articles`."""
    for article, _ in read_articles(lines, context, rules):
        yield article


def read_articles(  # one loop over the lines, kept whole for speed
    lines: Iterable[tuple[int, str]],
    context: ReadContext,
    rules: MarkerRules = _DEFAULT_RULES,
) -> Iterator[tuple[Article, End]]:
    """Yield each article of a run of (line number, line) pairs with how it ended, lazily.

    The lines carry no line-end characters. Diagnostics go to ``context``; nothing is held but
    the current article, so memory does not grow with the input. Each article is built, and
    so validated, by [`Article`][digestkit.model.Article]: a character the model refuses raises its
    [`ValidationError`][digestkit.errors.ValidationError].
    """
    needs_escape = rules.needs_escape
    may_be_marker = rules.may_be_marker
    may_end_in_marker = rules.may_end_in_marker
    is_marker = rules.match_marker
    glued = rules.glued
    blank_set = _BLANK_SET
    escape = ESCAPE
    item_first = _ITEM_FIRST
    item_match = _ITEM.match
    bullets = _BULLETS
    # The first steps of the cheap tests, here so that most lines skip the call.
    separator_start = SEPARATOR_START
    marker_starts = rules.starts
    marker_ends = rules.ends
    no_start = rules.no_start
    no_end = rules.no_end
    end_size = rules.end_size
    # The slices of a line's start and end that the cheap tests look up, built once.
    first_two = slice(2)
    last = slice(-end_size, None)
    plain_starts = rules.plain
    plain_ends = rules.plain_ends
    warn = context.warn
    headline: str | None = None
    headline_line = 0
    paragraphs: list[str] = []
    # The headline's line, then each paragraph's: four bytes each while the article is read,
    # not a list's pointer and an int object (eight bytes past line 4,294,967,295).
    numbers = array("I")
    # The paragraph being read is the last of `paragraphs`; the lines of a hard-wrapped one
    # gather in `more` until it ends, so that a paragraph of one line is never joined.
    more: list[str] = []
    # What the last line was: blank (or none yet, or the end of an article), the headline, a
    # line of a paragraph being read, or a list item being read.
    state = _BLANK
    after_separator = False  # a separator ended the last article: a marker next is its own
    quoted: bool | None = None  # an e-mail quoted digest: decided by the first non-blank line
    ends = ""  # a marker glued to the end of the line at hand
    counts: dict[int, int] = {}
    candidates: list[tuple[int, int]] = []

    def article() -> Article:
        assert headline is not None
        # The article's tuples are built one at a time, each source emptied once copied: an
        # article of a million tiny paragraphs peaks at its own size and a few megabytes, not
        # at three more lists beside it.
        size = len(paragraphs)
        if size and (size >= _SWALLOW_PARAGRAPHS or _LONG_LOOKING < len(headline) <= LONG_HEADLINE):
            _check_article(headline, paragraphs, numbers, context)
        lead = paragraphs[0] if paragraphs else None
        body = tuple(itertools.islice(paragraphs, 1, None))
        paragraphs.clear()
        at = tuple(numbers)
        del numbers[:]
        # Under cleared input the fields pass Article's validators by the grammar's making
        # (every line stripped and never empty, the lead first, a number per field): they
        # are not run again. Lines from elsewhere, such as a stream, are validated.
        made = (_valid_article if cleared else Article)(headline, lead, body, at)
        counts[size] = counts.get(size, 0) + 1
        if size >= _MANY_PARAGRAPHS and len(candidates) < _CANDIDATES:
            candidates.append((headline_line, size))
        return made

    cleared = _INPUT_CLEARED.get()
    lines = iter(lines)
    for number, raw in lines:
        if not raw:  # an empty line, the commonest: blank whatever the digest's shape
            if more:
                paragraphs[-1] = " ".join(more)
                more = []
            state = _BLANK
            continue
        if quoted is not False:  # undecided, or an e-mail quoted digest
            if quoted is None and raw.strip(BLANKS):
                quoted = raw.lstrip(BLANKS).startswith(">")
            if quoted:
                stripped = raw.lstrip(" \t")
                if stripped.startswith(">"):
                    raw = stripped[2:] if stripped[1:2] in _EDGE else stripped[1:]
                elif stripped.strip(BLANKS):
                    warn("line not quoted in a quoted digest: read as it is", number, 1)
        line = raw.strip(" \t")
        if not line:  # spaces and TABs only
            if more:
                paragraphs[-1] = " ".join(more)
                more = []
            state = _BLANK
            continue
        if plain := line[first_two] in plain_starts:
            escaped = False
        elif (c := line[0]) in blank_set and not line.strip(BLANKS):
            if more:
                paragraphs[-1] = " ".join(more)
                more = []
            state = _BLANK
            continue
        elif escaped := (c == escape and line[1:2] not in _EDGE and needs_escape(line[1:])):
            line = line[1:]
        elif (
            ((start := line[first_two]) in marker_starts or not (start.isascii() or c in no_start))
            and may_be_marker(line)
            and is_marker(line)
        ):
            if more:
                paragraphs[-1] = " ".join(more)
                more = []
            state = _BLANK
            if headline is not None:
                yield article(), (number, line)
                headline = None
            elif not after_separator:
                warn("end marker with no article before it: ignored", number, 1)
            after_separator = False
            continue
        elif c not in separator_start:
            # Text. A start that opens nothing whatever follows (all ASCII, no first
            # character of a list item or an escape, no marker's start; a blank-looking
            # character is a separator's too) is remembered: the next line beginning so
            # skips the tests above.
            if (
                start.isascii()
                and c not in item_first
                and c != escape
                and start not in marker_starts
            ):
                plain_starts.add(start)
        elif raw == _SIGNATURE:
            rest = sum(1 for _ in lines)
            warn(
                f"signature delimiter '-- ': the digest ends here ({rest} line"
                f"{'' if rest == 1 else 's'} after it left out)",
                number,
                1,
            )
            break
        elif is_separator(line):
            if more:
                paragraphs[-1] = " ".join(more)
                more = []
            state = _BLANK
            if headline is not None:
                warn(
                    f"separator line: taken as the end of the article whose headline is on "
                    f"line {headline_line} (no end marker before it)",
                    number,
                    1,
                )
                yield article(), (number, "separator")
                headline = None
                after_separator = True
            else:
                warn("separator line: skipped", number, 1)
            continue
        if headline is None:
            headline = line
            headline_line = number
            # `paragraphs` and `numbers` are empty: each article emptied them.
            try:
                numbers.append(number)
            except OverflowError:
                numbers = _widened(numbers, number)
            if len(line) > LONG_HEADLINE:
                warn(
                    f"headline of {len(line)} characters: is it a paragraph?"
                    f" (warned above {LONG_HEADLINE})",
                    number,
                    1,
                )
            state = _HEADLINE
            # A marker can follow a separator as its own only until text comes: text after
            # a separator is always a headline, so this is the one place to forget it.
            after_separator = False
            continue
        if not escaped and (end := line[last]) not in plain_ends:
            if end in marker_ends or not (end.isascii() or end[-1] in no_end):
                if may_end_in_marker(line) and (split := glued(line)) is not None:
                    line, ends, index = split
                    column = len(raw) - len(raw.lstrip(" \t")) + index + 1
                    warn(
                        f"end marker {ends!r} glued to the end of the text: "
                        "taken as the end of the article",
                        number,
                        column,
                    )
            elif len(plain_ends) < _REMEMBERED:
                # An end no glued marker has, whatever comes before it (all ASCII and no
                # marker's end, or a last character that ends none): remembered, as a start.
                plain_ends.add(end)
        if plain and not state:  # a new paragraph of text after a blank line: the common case
            paragraphs.append(line)
            try:
                numbers.append(number)
            except OverflowError:
                numbers = _widened(numbers, number)
            state = _TEXT
        else:
            if state == _HEADLINE:
                warn(
                    f"no blank line between the headline (line {headline_line}) and this "
                    "text: taken as the start of the lead",
                    number,
                    1,
                )
                state = _BLANK  # the lead begins here
            item = not plain and line[0] in item_first and item_match(line) is not None
            if (
                state  # a paragraph is being read (the text or item state)
                and item
                and (
                    state == _LIST_ITEM or line[0] in bullets or (more or paragraphs)[-1][-1] == ":"
                )
            ):
                if more:
                    paragraphs[-1] = " ".join(more)
                    more = []
                state = _BLANK
            if not state:
                paragraphs.append(line)
                try:
                    numbers.append(number)
                except OverflowError:
                    numbers = _widened(numbers, number)
            elif more:
                more.append(line)
            else:
                more = [paragraphs[-1], line]
            state = _LIST_ITEM if item else _TEXT
        if ends:
            if more:
                paragraphs[-1] = " ".join(more)
                more = []
            state = _BLANK
            yield article(), (number, "glued: " + ends)
            headline = None
            ends = ""
    if more:
        paragraphs[-1] = " ".join(more)
    if headline is not None:
        warn(
            f"the article whose headline is on line {headline_line} has no end marker: "
            "taken to end with the input",
            headline_line,
            1,
        )
        yield article(), (0, "end of input")
    _check_digest(counts, candidates, context)


def _widened(numbers: array[int], number: int) -> array[int]:
    """Return ``numbers`` and ``number`` in an array of eight-byte numbers.

    For a line past 2**32 - 1, in a stream of more lines than that.
    """
    wide = array("Q", numbers)
    wide.append(number)
    return wide


def _check_article(
    headline: str, paragraphs: list[str], lines: Sequence[int], context: ReadContext
) -> None:
    """Warn when an article looks like a misread: a swallowed marker, a paragraph for a headline.

    ``paragraphs`` (never empty) are the article's, lead first; ``lines`` are the headline's
    line, then each paragraph's.
    """
    first = lines[0]
    # A headline over LONG_HEADLINE was warned about when read.
    if _LONG_LOOKING < len(headline) <= LONG_HEADLINE and max(map(len, paragraphs)) < len(headline):
        context.warn(
            f"the headline ({len(headline)} characters) is longer than every paragraph of its "
            "article: is it a paragraph, the article's start misread?",
            first,
            1,
        )
    if len(paragraphs) < _SWALLOW_PARAGRAPHS:
        return
    # The short paragraphs, and whether one recurs, found without a loop in Python: the
    # common case is none, or none twice.
    short = list(itertools.compress(paragraphs, map(_SHORT.__ge__, map(len, paragraphs))))
    if len(set(short)) == len(short):
        return
    seen: dict[str, int] = {}
    for number, paragraph in zip(itertools.islice(lines, 1, None), paragraphs, strict=True):
        if len(paragraph) <= _SHORT:
            if paragraph in seen:
                context.warn(
                    f"the short paragraph {paragraph!r} (also on line {seen[paragraph]}) "
                    f"recurs in the article whose headline is on line {first}: is it an end "
                    "marker the reader does not know? (name it with --marker)",
                    number,
                    1,
                )
                return
            seen[paragraph] = number


def _check_digest(
    counts: dict[int, int], candidates: list[tuple[int, int]], context: ReadContext
) -> None:
    """Warn about articles of many times the median number of paragraphs."""
    if not candidates:
        return
    total = sum(counts.values())
    seen = 0
    median = 0
    for size in sorted(counts):
        seen += counts[size]
        if 2 * seen >= total:
            median = size
            break
    for line, size in candidates:
        if size >= _MEDIAN_FACTOR * max(median, 1):
            context.warn(
                f"the article whose headline is on line {line} has {size} paragraphs, "
                f"{size // max(median, 1)} times the median ({median}): did an end marker go "
                "unrecognised?",
                line,
                1,
            )
