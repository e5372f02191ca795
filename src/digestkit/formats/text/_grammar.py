"""The plain-text grammar: the marker table, the line shapes, and escaping.

The writer escapes a line of content exactly when `MarkerRules.needs_escape` says the
reader would take it for structure, and the reader removes an escape exactly when the rest of
the line needs one; keeping both answers in this one class is what makes the plain-text round
trip hold for every digest. Every shape the reader gives a meaning to (an end marker on its
own line or glued to text, a separator rule, a blank-looking line, the fence, a leading byte
order mark) is recognised here, and only here (the padding, blank and separator shapes are
defined in `_shapes`, and answered for through this module). `_articles` turns lines into
articles by these rules; `dump_article` writes an article by them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from digestkit.errors import ValidationError
from digestkit.formats.text._cases import (
    Lazy,
    char_class,
    forms,
    like,
    line_ends,
    line_starts,
    variants,
)
from digestkit.formats.text._shapes import (
    _PAD,
    BLANKS,
    SEPARATOR_START,
    is_blank,
    is_separator,
)
from digestkit.model import Article, check_line

__all__ = [
    "BLANKS",
    "BOM",
    "DEFAULT_MARKER",
    "ESCAPE",
    "FENCE",
    "LONG_HEADLINE",
    "MARKERS",
    "SEPARATOR_START",
    "MarkerRules",
    "default_rules",
    "dump_article",
    "is_blank",
    "is_separator",
]

DEFAULT_MARKER = "Keep reading"
"""The end marker the writer puts after each article unless told otherwise."""

LONG_HEADLINE = 200
"""A headline longer than this many characters draws a warning: it may be a paragraph."""

FENCE = "---"
"""Opens and closes the optional front matter that carries the digest's metadata."""

ESCAPE = "\\"
BOM = "\ufeff"

MARKERS: tuple[tuple[str, str], ...] = (
    ("Keep reading", "en"),
    ("Read more", "en"),
    ("Continue reading", "en"),
    ("Read the rest", "en"),
    ("Read the full story", "en"),
    ("Read the full article", "en"),
    ("Read full story", "en"),
    ("Read full article", "en"),
    ("Full story", "en"),
    ("Lire la suite", "fr"),
    ("Continuer la lecture", "fr"),
    ("Weiterlesen", "de"),
    ("Mehr lesen", "de"),
    ("Seguir leyendo", "es"),
    ("Sigue leyendo", "es"),
    ("Leer más", "es"),
    ("Continuar lendo", "pt"),
    ("Continue lendo", "pt"),
    ("Leia mais", "pt"),
    ("Ler mais", "pt"),
    ("Continua a leggere", "it"),
    ("Leggi tutto", "it"),
    ("Leggi di più", "it"),
    ("Lees verder", "nl"),
    ("Lees meer", "nl"),
    ("Czytaj dalej", "pl"),
    ("Czytaj więcej", "pl"),
    ("Читать далее", "ru"),
    ("Читать дальше", "ru"),
    ("Devamını oku", "tr"),
    ("Läs mer", "sv"),
    ("Läs vidare", "sv"),
    ("続きを読む", "ja"),
    ("阅读全文", "zh-Hans"),
    ("继续阅读", "zh-Hans"),
    ("閱讀全文", "zh-Hant"),
    ("繼續閱讀", "zh-Hant"),
    ("اقرأ المزيد", "ar"),
    ("קרא עוד", "he"),
    ("קראו עוד", "he"),
    ("और पढ़ें", "hi"),
)
"""The built-in end markers, (phrase, BCP 47 language): the one table the regexes, the
prefilter and the table in ``docs/format.md`` come from. Each is matched in any case, with any
run of spaces or invisible characters between its words, decorated as the grammar allows."""

# What may follow a phrase: one to three decorations, each after optional padding.
_DECORATION = rf"(?:{_PAD}*(?:»|›|→|⟶|➔|▶|►|>>|>|\.\.\.|…|\.|:|!))" + "{0,3}"
_LEADER = rf"(?:(?:»|›|→|▶|►|>>)|\.\.\.|…)?{_PAD}*"
_BRACKETS = (("\\[", "\\]"), ("\\(", "\\)"), ("【", "】"), ("«", "»"), ("<", ">"))
# A tail after a marker on its own line: a link or a reading time, after an optional separator.
_URL = r"[<(]?(?:https?://|www\.)\S*"
_TIME = (
    r"[(\[]?\d+" + _PAD + r"*(?:min(?:ute)?s?|minuten|minutos?|minuti|мин(?:ут[аы]?)?|分钟?|dk)"
    r"\.?(?:" + _PAD + r"+[^\W\d]+){0,2}[)\]]?"
)
_TAIL = rf"(?:{_PAD}*(?:[:|·•\-–—]|→|»)?{_PAD}*(?:{_URL}|{_TIME}))?"
# Where a glued marker may begin: after padding that follows the text, or, for a phrase in a
# script without case, right after the punctuation that ends a sentence in it.
_SENTENCE_END = r"[.!?。！？…»”\"'؟।॥]"


def _phrase(phrase: str) -> str:
    return (_PAD + "+").join("".join(map(char_class, word)) for word in phrase.split())


def _has_case(phrase: str) -> bool:
    letter = next((c for c in phrase if c.isalpha()), "")
    return letter.isupper() or letter.islower()


def _body(phrases: Iterable[str], tag: str) -> str:
    # The phrases once, an opening bracket before them naming the group whose closing bracket
    # must follow: a copy of the phrases per bracket made compiling the rules most of the
    # command's start-up time. ``tag`` keeps group names unique within one pattern.
    phrase = "(?:" + "|".join(_phrase(p) for p in phrases) + ")" + _DECORATION
    opening = "|".join(f"(?P<{tag}{i}>{o})" for i, (o, _) in enumerate(_BRACKETS))
    closing = "".join(f"(?({tag}{i}){_PAD}*{c})" for i, (_, c) in enumerate(_BRACKETS))
    return f"(?:(?:{opening}){_PAD}*)?{phrase}{closing}"


# A line beginning with a byte order mark, or with ">" (the first such line makes the digest an
# e-mail quoted one), is escaped wherever it is: the writer need not know where it stands.
_OPENERS = frozenset((BOM, ">"))
_ASCII_TRAILERS = " \t>.:])!"
_TRAILERS = BLANKS + "»›→⟶➔▶►>.…:!])】"


# What a marker line may begin with other than its phrase: padding, a leader, a bracket.
_OPENING = BLANKS + "[(<»›→▶►.…>【«"
_ASCII_OPENING = frozenset(c for c in _OPENING if c.isascii())


class MarkerRules:
    """Which lines close an article: the built-in phrases, or the markers a user named.

    Named markers replace the built-ins and are read with the same tolerance: any case, any
    padding between their words, decorations, brackets and tails.
    ``may_be_marker(line)`` and ``may_end_in_marker(line)`` are cheap tests run before the
    regexes: ``False`` means the line is no marker (or ends in no glued one).
    """

    __slots__ = (
        "_end_size",
        "_ends",
        "_exact",
        "_final",
        "_first",
        "_glued_re",
        "_last_word_re",
        "_last_words",
        "_line_re",
        "_longest",
        "_start_size",
        "_starts",
        "_window",
        "end_size",
        "ends",
        "marker",
        "markers",
        "no_end",
        "no_start",
        "plain",
        "plain_ends",
        "starts",
    )

    def __init__(self, marker: str | Iterable[str] | None = None) -> None:
        if marker is None:
            phrases = tuple(p for p, _ in MARKERS)
            named: tuple[str, ...] = ()
        else:
            named = (marker,) if isinstance(marker, str) else tuple(marker)
            if not named:
                raise ValidationError("marker", named, "name at least one marker")
            for one in named:
                check_line("marker", one)
                if one.startswith(ESCAPE):
                    raise ValidationError("marker", one, "must not begin with a backslash")
            phrases = named
        self.markers = named
        self._exact = frozenset(phrases)
        self.marker = named[0] if named else None
        """The marker the writer puts after each article (``None``: the default)."""
        flags = re.IGNORECASE
        # The regexes are compiled when first used (`Lazy`): the exact phrases, the cheap
        # tests and the remembered characters decide most digests without them (the sample
        # needs none), and compiling them was most of the command's start-up time.
        self._line_re = Lazy(f"{_PAD}*{_LEADER}{_body(phrases, 'b')}{_TAIL}{_PAD}*\\Z", flags)
        after_space = [p for p in phrases if _has_case(p) or not any(c.isalpha() for c in p)]
        after_stop = [p for p in phrases if p not in after_space]
        glued = []
        if after_space:
            glued.append(f"[ \t]+(?P<space>{_body(after_space, 's')})")
        if after_stop:
            glued.append(f"(?<={_SENTENCE_END})[ \t]*(?P<stop>{_body(after_stop, 't')})")
        self._glued_re = Lazy("(?:" + "|".join(glued) + rf"){_PAD}*\Z", flags)
        self._window = 128 + max(map(len, phrases))
        # The cheap test of a line's start: an ASCII start must be that of a first word (in
        # any case) or an opening character; a non-ASCII first character must be padding, an
        # opening, or match a first letter under IGNORECASE. Any other start that is not all
        # ASCII goes on to the regex, which alone knows IGNORECASE's Unicode rules.
        first_words = {f for p in phrases for f in forms(p.split()[0])}
        ascii_words = [w for w in first_words if w[:1].isascii()]
        self._start_size = min(map(len, ascii_words), default=1)
        self._starts = frozenset(w[: self._start_size] for w in ascii_words)
        self._first = variants(w[0] for w in first_words) | frozenset(_OPENING)
        openings = "".join(c for c in _OPENING if c.isascii())
        self.starts = line_starts(tuple(p.split()[0] for p in phrases), openings)
        """The ASCII starts (first two characters) a marker line may have (the first step of
        `may_be_marker`: a line with another ASCII start is no marker)."""
        words = [p.rstrip(_TRAILERS).split() for p in phrases]
        last = [w[-1].lower() if w else "" for w in words]
        self._last_words = tuple({f for w in words if w for f in forms(w[-1])})
        self._longest = max(map(len, self._last_words), default=0)
        self._end_size = min(map(len, self._last_words), default=1)
        self._ends = frozenset(w[-self._end_size :] for w in self._last_words)
        final = {w[-1] for w in self._last_words}
        self._last_word_re = Lazy(
            "|".join(sorted({"".join(map(char_class, reversed(w[-1]))) for w in words if w})),
            flags,
        )
        # An empty last word (a marker of trailers only) leaves nothing to rule a line out by.
        self._final = None if "" in last else variants(final)
        self.end_size, self.ends = line_ends(
            tuple(w[-1] if w else "" for w in words), _ASCII_TRAILERS
        )
        """The all-ASCII ends (last ``end_size`` characters, at most three) a line ending in
        a glued marker may have (the first step of `may_end_in_marker`: a line with another
        ASCII end ends in none)."""
        self.no_start: set[str] = set()
        """Non-ASCII characters `may_be_marker` found no marker line can begin with (its
        answer for them, remembered: a line beginning with one is no marker)."""
        self.plain: set[str] = set()
        """ASCII line starts (one or two characters) the article parser found to open nothing
        it reads as structure (remembered there: a line beginning so is text)."""
        self.plain_ends: set[str] = set()
        """Line ends (last ``end_size`` characters) the article parser found to end no glued
        marker (remembered there)."""
        self.no_end: set[str] = set()
        """Non-ASCII characters `may_end_in_marker` found no line ending in a glued marker
        can end with (remembered: a line ending in one ends in no glued marker)."""

    def may_be_marker(self, line: str) -> bool:
        """Cheap: ``False`` if a stripped line is surely no marker."""
        start = line[:2]
        if start.isascii():
            if start not in self.starts:
                return False
            key = line[: self._start_size]
            return not key.isascii() or key.lower() in self._starts or start[:1] in _ASCII_OPENING
        first = start[0]
        if first < "\x80" or first in self._first or like(first, self._first):
            return True
        if len(self.no_start) < _REMEMBERED:
            self.no_start.add(first)  # its answer depends on this character only
        return False

    def may_end_in_marker(self, line: str) -> bool:
        """Cheap: ``False`` if a stripped line surely does not end in a glued marker."""
        end = line[-self.end_size :]
        if end.isascii() and end not in self.ends:
            return False
        if self._final is None:
            return True
        tail = line.rstrip(_ASCII_TRAILERS)  # the common case, and twice as fast
        if tail[-1:] >= "\x80":
            tail = tail.rstrip(_TRAILERS)
        end = tail[-self._end_size :]
        if end.isascii():  # lower() is exact
            if end.lower() not in self._ends:
                return False
        elif not (tail[-1:] in self._final or like(tail[-1:], self._final)):
            if len(tail) == len(line) and len(self.no_end) < _REMEMBERED:
                # Nothing was stripped and the last character is not ASCII (else the end
                # would be): any line ending in it takes this same way here.
                self.no_end.add(line[-1])
            return False
        tail = tail[-self._longest :]
        if tail.isascii():  # lower() is exact
            return tail.lower().endswith(self._last_words)
        # The regex engine's IGNORECASE, on the phrases' own character classes, reversed: the
        # reversed tail must begin with a reversed last word.
        return self._last_word_re.pattern().match(tail[::-1]) is not None

    @property
    def _line(self) -> re.Pattern[str]:
        """The regex of a marker line (compiled when first asked for)."""
        return self._line_re.pattern()

    @property
    def _glued(self) -> re.Pattern[str]:
        """The regex of a marker glued to the end of a line (compiled when first asked for)."""
        return self._glued_re.pattern()

    def is_marker(self, line: str) -> bool:
        """Return whether a stripped line is an end marker."""
        return self.may_be_marker(line) and self._line.match(line) is not None

    def match_marker(self, line: str) -> bool:
        """`is_marker` for a line `may_be_marker` passed: the phrases as written
        are known at once, the rest the regex says."""
        return line in self._exact or self._line.match(line) is not None

    def glued(self, line: str) -> tuple[str, str, int] | None:
        """Split a stripped line whose text ends in a marker.

        A marker is glued after spaces or TABs when its phrase is capitalised (or has no letters),
        or, in a script without case, right after the punctuation that ends a sentence; the
        text before it must hold a letter or a digit.

        Returns:
            ``(text, marker, index of the marker)``, or ``None`` if the line does not end so.
        """
        if not self.may_end_in_marker(line):
            return None
        # Only the tail is searched: a marker is short, and a scan of a whole long line at
        # every space would be quadratic in the worst case.
        match = self._glued.search(line, max(0, len(line) - self._window))
        if match is None:
            return None
        group = "space" if match.groupdict().get("space") is not None else "stop"
        found = match.group(group)
        start = match.start(group)
        text = line[: match.start()].rstrip(" \t")
        if not any(c.isalnum() for c in text):
            return None
        # Only a capitalised phrase counts as glued: "... he told them to keep reading" is text.
        if next((c for c in found if c.isalpha()), "").islower():
            return None
        return text, found.rstrip(BLANKS), start

    def _structural(self, line: str) -> bool:
        if not line:
            return False  # no content is empty: a lone backslash is text
        return line[0] in _OPENERS or is_blank(line) or self.is_marker(line) or is_separator(line)

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


_REMEMBERED = 4096  # what each of `no_start`, `no_end` and `plain_ends` holds at most

_like = like  # where the tests of the prefilter find it

_DEFAULT_RULES = MarkerRules()


def default_rules(marker: str | Iterable[str] | None) -> MarkerRules:
    """Return the rules for ``marker``: the shared default set when it is ``None``."""
    return _DEFAULT_RULES if marker is None else MarkerRules(marker)


def dump_article(article: Article, rules: MarkerRules = _DEFAULT_RULES) -> str:
    """Return one article in canonical form, end marker included, without a trailing newline."""
    escape = rules.needs_escape
    parts = [ESCAPE + p if escape(p) else p for p in (article.headline, *article.paragraphs)]
    parts.append(rules.marker or DEFAULT_MARKER)
    return "\n\n".join(parts)
