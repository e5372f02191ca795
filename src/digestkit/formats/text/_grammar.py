"""The plain-text grammar: end markers, escaping, and the article parser.

The writer escapes a line of content exactly when :meth:`MarkerRules.needs_escape` says the
reader would take it for structure, and the reader removes an escape exactly when the rest of
the line needs one; keeping both answers in this one class is what makes the plain-text round
trip hold for every digest. :func:`parse_articles` turns lines into articles by those
rules; :func:`dump_article` writes an article by them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from digestkit.errors import ValidationError
from digestkit.model import Article, check_line
from digestkit.registry import ReadContext

__all__ = [
    "BOM",
    "DEFAULT_MARKER",
    "ESCAPE",
    "FENCE",
    "LONG_HEADLINE",
    "MarkerRules",
    "default_rules",
    "dump_article",
    "parse_articles",
]

DEFAULT_MARKER = "Keep reading"
"""The end marker the writer puts after each article unless told otherwise."""

LONG_HEADLINE = 200
"""A headline longer than this many characters draws a warning: it may be a paragraph."""

FENCE = "---"
"""Opens and closes the optional front matter that carries the digest's metadata."""

ESCAPE = "\\"
BOM = "\ufeff"

# The end-marker phrases recognised by default, on a line of their own (any case) or glued to
# the end of the last paragraph (capitalised, after a space). Decorations such as "»" or "→"
# may follow, and the whole may sit in brackets: "[Read more]", "Read More »".
_PHRASES = (
    r"keep[ \xa0]+reading",
    r"read[ \xa0]+more",
    r"continue[ \xa0]+reading",
    r"read[ \xa0]+the[ \xa0]+rest",
    r"read[ \xa0]+(?:the[ \xa0]+)?full[ \xa0]+(?:story|article)",
    r"full[ \xa0]+story",
)
_GLUED_WINDOW = 128  # characters at the end of a line searched for a glued marker
_DECORATION = r"(?:[ \xa0]*(?:»|›|→|⟶|➔|▶|>>|>|\.\.\.|…|\.|:))?"
_PHRASE = "(?:" + "|".join(_PHRASES) + ")" + _DECORATION
_DEFAULT_MARKER_BODY = rf"(?:\[{_PHRASE}\]|\({_PHRASE}\)|{_PHRASE})"

# A cheap test that rules a line out before the marker regexes run (most lines are text, and
# the glued-marker search costs microseconds a line). Every default phrase ends in one of
# _LAST_WORDS, and all that may follow it (decoration, spaces, closing bracket) is made of
# _TRAILERS, none of them a letter; so a line whose end, once _TRAILERS are stripped, is ASCII
# and does not end in one of the words (in any case) is no marker and holds no glued one.
# A non-ASCII end is passed on to the regexes, which alone know IGNORECASE's Unicode rules
# (under which "ſ" matches "s" and "ı" matches "i").
_LAST_WORDS = ("reading", "more", "rest", "story", "article")
_TRAILERS = " \xa0»›→⟶➔▶>.…:])"
_LONGEST_WORD = max(map(len, _LAST_WORDS))
# The words' last letters in both cases: no other character matches one under IGNORECASE,
# so most lines are ruled out by their last character alone.
_FINAL_LETTERS = frozenset(w[-1] for w in _LAST_WORDS) | frozenset(
    w[-1].upper() for w in _LAST_WORDS
)


def _may_end_in_default_marker(line: str) -> bool:
    tail = line.rstrip(_TRAILERS)
    if tail[-1:] not in _FINAL_LETTERS:
        return False
    tail = tail[-_LONGEST_WORD:]
    return not tail.isascii() or tail.lower().endswith(_LAST_WORDS)


def _ends_with(marker: str) -> Callable[[str], bool]:
    def may_end_in_marker(line: str) -> bool:
        return line.endswith(marker)

    return may_end_in_marker


class MarkerRules:
    """Which lines close an article: the default phrases, or one explicitly named marker.

    ``may_end_in_marker(line)`` is a cheap test run before the regexes: ``False`` means the
    line is no marker and ends in no glued one; ``True`` means the regexes must say.
    """

    __slots__ = ("_line", "_tail", "_window", "marker", "may_end_in_marker")

    def __init__(self, marker: str | None = None) -> None:
        if marker is None:
            body = _DEFAULT_MARKER_BODY
            flags = re.IGNORECASE
            self._window = _GLUED_WINDOW
            self.may_end_in_marker: Callable[[str], bool] = _may_end_in_default_marker
        else:
            check_line("marker", marker)
            if marker.startswith(ESCAPE):
                raise ValidationError("marker", marker, "must not begin with a backslash")
            body = re.escape(marker)
            flags = re.NOFLAG
            self._window = _GLUED_WINDOW + len(marker)
            # The marker is matched literally, so a line that holds it ends with it.
            self.may_end_in_marker = _ends_with(marker)
        self.marker = marker
        self._line = re.compile(body + r"\Z", flags)
        self._tail = re.compile(r"[ \t]+(" + body + r")\Z", flags)

    def is_marker(self, line: str) -> bool:
        """Return whether a stripped line is an end marker."""
        return self.may_end_in_marker(line) and self._line.match(line) is not None

    def glued(self, line: str) -> tuple[str, str, int] | None:
        """Split a stripped line that ends in a marker after a space or TAB.

        Returns:
            ``(text, marker, index of the marker)``, or ``None`` if the line does not end so.
        """
        return self._split_glued(line) if self.may_end_in_marker(line) else None

    def _split_glued(self, line: str) -> tuple[str, str, int] | None:
        # Only the tail is searched: a marker is short, and a scan of a whole long line at
        # every space would be quadratic in the worst case.
        match = self._tail.search(line, max(0, len(line) - self._window))
        if match is None:
            return None
        text = line[: match.start()].rstrip(" \t")
        if not text:
            return None
        marker = match.group(1)
        if self.marker is None:
            # Only a capitalised phrase counts as glued: "... he told them to keep reading"
            # is text.
            first = next((c for c in marker if c.isalpha()), "")
            if not first.isupper():
                return None
        return text, marker, match.start(1)

    def _structural(self, line: str) -> bool:
        return line.startswith(BOM) or line == FENCE or self.is_marker(line)

    def needs_escape(self, line: str) -> bool:
        """Return whether a line of content would be read as structure if written bare.

        This is one function for the writer (escape when true) and the reader (a leading
        backslash is an escape only when the rest needs one), so the two cannot disagree.
        A run of leading backslashes is handled without recursion: only the text after the
        whole run, or the line itself, can be structure.
        """
        if self._structural(line) or self.glued(line) is not None:
            return True
        if not line.startswith(ESCAPE):
            return False
        return self._structural(line.lstrip(ESCAPE))


_DEFAULT_RULES = MarkerRules()


def default_rules(marker: str | None) -> MarkerRules:
    """Return the rules for ``marker``: the shared default set when it is ``None``."""
    return _DEFAULT_RULES if marker is None else MarkerRules(marker)


def dump_article(article: Article, rules: MarkerRules = _DEFAULT_RULES) -> str:
    """Return one article in canonical form, end marker included, without a trailing newline."""
    escape = rules.needs_escape
    parts = [ESCAPE + p if escape(p) else p for p in (article.headline, *article.paragraphs)]
    parts.append(rules.marker or DEFAULT_MARKER)
    return "\n\n".join(parts)


_EDGE = (" ", "\t")  # what a line of content never begins with (the model refuses it)


def parse_articles(
    lines: Iterable[tuple[int, str]],
    context: ReadContext,
    rules: MarkerRules = _DEFAULT_RULES,
) -> Iterator[Article]:
    """Yield the articles of a run of (line number, line) pairs, lazily.

    The lines carry no line-end characters. Diagnostics go to ``context``; nothing is held but
    the current article, so memory does not grow with the input. Each article is built, and
    so validated, by :class:`Article`: a character the model refuses raises its
    :class:`~digestkit.errors.ValidationError`. Every character of a non-blank line goes into
    an article (or is a marker), so the articles check every character of the input.
    """
    escape = ESCAPE
    needs_escape = rules.needs_escape
    # Most lines are text: may_end_in_marker() rules them out before any regex runs.
    may_end_in_marker = rules.may_end_in_marker
    is_marker = rules.is_marker
    glued = rules.glued
    headline: str | None = None
    headline_line = 0
    paragraphs: list[str] = []
    numbers: list[int] = []
    parts: list[str] = []  # lines of the paragraph being read (hard-wrapped ones have several)
    previous_was_headline = False

    def article() -> Article:
        assert headline is not None
        return Article(
            headline,
            paragraphs[0] if paragraphs else None,
            paragraphs[1:],
            (headline_line, *numbers),
        )

    for number, raw in lines:
        line = raw.strip(" \t")
        if not line:
            if parts:
                paragraphs.append(" ".join(parts))
                parts = []
            previous_was_headline = False
            continue
        ends = False
        # The writer never escapes text that begins with a space or TAB (the model refuses
        # it), so a backslash before one is content, not an escape.
        if line[0] == escape and line[1:2] not in _EDGE and needs_escape(line[1:]):
            line = line[1:]
        elif not may_end_in_marker(line):
            pass  # text, the common case: the marker regexes need not run
        elif is_marker(line):
            if parts:
                paragraphs.append(" ".join(parts))
                parts = []
            if headline is None:
                context.warn("end marker with no article before it: ignored", number, 1)
            else:
                yield article()
                headline = None
            previous_was_headline = False
            continue
        else:
            split = glued(line)
            if split is not None:
                line, found, index = split
                context.warn(
                    f"end marker {found!r} glued to the end of the text: "
                    "taken as the end of the article",
                    number,
                    len(raw) - len(raw.lstrip(" \t")) + index + 1,
                )
                ends = True
        if headline is None:
            headline = line
            headline_line = number
            paragraphs = []
            numbers = []
            if len(line) > LONG_HEADLINE:
                context.warn(
                    f"headline of {len(line)} characters: is it a paragraph?"
                    f" (warned above {LONG_HEADLINE})",
                    number,
                    1,
                )
            previous_was_headline = True
        else:
            if previous_was_headline:
                context.warn(
                    f"no blank line between the headline (line {headline_line}) and this "
                    "text: taken as the start of the lead",
                    number,
                    1,
                )
                previous_was_headline = False
            if not parts:
                numbers.append(number)
            parts.append(line)
        if ends:
            if parts:
                paragraphs.append(" ".join(parts))
                parts = []
            yield article()
            headline = None
            previous_was_headline = False
    if parts:
        paragraphs.append(" ".join(parts))
    if headline is not None:
        context.warn(
            f"the article whose headline is on line {headline_line} has no end marker: "
            "taken to end with the input",
            headline_line,
            1,
        )
        yield article()
