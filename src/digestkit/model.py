"""The typed core: a digest of articles, each a headline, a lead and body paragraphs.

The classes are frozen and slotted, and their validators enforce the invariants every format
relies on, so an invalid digest cannot be built, by a reader or by a user:

* A *line of text* (a headline, a paragraph, a metadata value) is a non-empty ``str`` that
  holds no line break (none of the characters `str.splitlines` splits on), no character
  that XML 1.0 forbids or discourages (C0 and C1 controls other than TAB, lone surrogates,
  Unicode noncharacters), and does not begin or end with a space or a TAB. Every other
  character is content and is kept exactly: NO-BREAK SPACE and NARROW NO-BREAK SPACE at the
  end of a paragraph included.
* An article's lead may be absent only when it has no body either (a headline-only article).
* Source line numbers ride along for diagnostics and provenance but take no part in equality.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as _dt
import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import attrs

from digestkit.errors import ValidationError

__all__ = ["DEFAULT_LANGUAGE", "FORBIDDEN", "Article", "Digest", "Metadata", "check_line"]

DEFAULT_LANGUAGE = "en"
"""The language of a digest that does not say otherwise (BCP 47)."""

# C0 controls but TAB, DEL and the C1 controls (NEL included), lone surrogates, the
# noncharacters, and the Unicode line and paragraph separators.
_FORBIDDEN_BMP = "\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
_ASTRAL_NONCHARACTERS = "".join(
    chr(plane << 16 | low) for plane in range(1, 17) for low in (0xFFFE, 0xFFFF)
)

FORBIDDEN = re.compile("[" + _FORBIDDEN_BMP + _ASTRAL_NONCHARACTERS + "]")
"""The characters a line of text may not hold, as one regex character class.

C0 controls other than TAB (so LF and CR too), DEL, the C1 controls, the Unicode line and
paragraph separators, lone surrogates and the 66 noncharacters: the line breaks that
`str.splitlines` knows, and what XML 1.0 forbids or discourages. This is the one
spelling of the rule; the validators, the readers and [`digestkit.testing`][digestkit.testing] use
it.
"""

# The regex engine tests a class of BMP characters with one table lookup, but tests every
# character outside the BMP that the class names one range at a time: the thirty-two astral
# noncharacters made each search ten times slower. So the search runs with the whole astral
# range in the class, and FORBIDDEN itself decides on each astral character found.
_SUSPECT = re.compile("[" + _FORBIDDEN_BMP + "\U00010000-\U0010ffff]")
_LINE_ENDS = "\n\r"


def _search_forbidden(value: str, *, line_ends: bool = False) -> re.Match[str] | None:
    """Return the first match of a [`FORBIDDEN`][digestkit.model.FORBIDDEN] character in ``value``,
    or ``None``.

    With ``line_ends``, LF and CR are allowed: ``value`` is a text of several lines. (Each of
    them costs a step of the loop: callers run `_surely_clean_utf8` first.)
    """
    match = _SUSPECT.search(value)
    while match is not None:
        char = match.group()
        if (char <= "\uffff" or FORBIDDEN.match(char)) and not (line_ends and char in _LINE_ENDS):
            return match
        match = _SUSPECT.search(value, match.end())
    return None


# The ASCII bytes a line may hold: TAB and the printable characters.
_ALLOWED_ASCII = b"\t" + bytes(range(0x20, 0x7F))
_ALLOWED_ASCII_IN_TEXT = _ALLOWED_ASCII + b"\n\r"


def _surely_clean_utf8(data: bytes, *, line_ends: bool = False) -> bool:
    """Return ``True`` only if UTF-8 ``data`` holds no [`FORBIDDEN`][digestkit.model.FORBIDDEN]
    character.

    The one predicate behind the validators and the readers' fast paths. ``bytes.translate``
    deletes bytes several times faster than the regex engine tests characters, and ``data``
    less its allowed ASCII bytes keeps every control character and every non-ASCII character
    whole (in UTF-8, ASCII bytes occur only as ASCII characters): only that remainder, a small
    fraction of a digest, is searched. With ``line_ends``, LF and CR are allowed too.

    Raises:
        UnicodeDecodeError: ``data`` is not UTF-8.
    """
    rest = data.translate(None, _ALLOWED_ASCII_IN_TEXT if line_ends else _ALLOWED_ASCII)
    return not rest or _search_forbidden(rest.decode("utf-8")) is None


# True while a reader builds the model from input that _surely_clean_utf8() has cleared as a
# whole: the validators then skip the one search that would run twice over the same text.
# Every other check runs; a context variable keeps it to the reader's own thread or task.
_INPUT_CLEARED: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "digestkit_input_cleared", default=False
)


@contextlib.contextmanager
def _cleared_input() -> Iterator[None]:
    """Build the model, in this block, from text every character of which was cleared."""
    token = _INPUT_CLEARED.set(True)
    try:
        yield
    finally:
        _INPUT_CLEARED.reset(token)


def _surely_clean(value: str) -> bool:
    """Return ``True`` only if ``value`` holds no forbidden character; ``False`` if unsure."""
    if _INPUT_CLEARED.get():
        return True
    try:
        return _surely_clean_utf8(value.encode("utf-8"))
    except UnicodeEncodeError:  # a lone surrogate: the slow path says where
        return False


_EDGE_SPACE = " \t"


def _bare(value: str) -> bool:
    """Return whether a non-empty ``value`` neither begins nor ends with a space or TAB."""
    return value[0] not in _EDGE_SPACE and value[-1] not in _EDGE_SPACE


# A well-formed BCP 47 tag (RFC 5646, section 2.1): EPUB and HTML refuse others, such as
# "a", "en-US-US" or "zz-1".
_LANGUAGE_PATTERN = r"""(?ix)
    (?: (?: [a-z]{2,3} (?:-[a-z]{3}){0,3} | [a-z]{4,8} )   # language, extended subtags
        (?:-[a-z]{4})?                                     # script
        (?:-(?:[a-z]{2}|[0-9]{3}))?                        # region
        (?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*           # variants
        (?:-[0-9a-wyz](?:-[a-z0-9]{2,8})+)*                # extensions
        (?:-x(?:-[a-z0-9]{1,8})+)?                         # private use
      | x(?:-[a-z0-9]{1,8})+                               # private use only
      | i-(?:ami|bnn|default|enochian|hak|klingon|lux|mingo|navajo|pwn|tao|tay|tsu)
      | en-GB-oed | sgn-(?:BE-FR|BE-NL|CH-DE)              # grandfathered, irregular
    )\Z"""


@functools.cache
def _language_tag() -> re.Pattern[str]:
    # Compiled on first use: it costs milliseconds, and a digest in the default language
    # never needs it (so neither does the command's start-up).
    return re.compile(_LANGUAGE_PATTERN)


def _describe(char: str) -> str:
    return f"U+{ord(char):04X}"


def check_line(field: str, value: object) -> str:
    """Return ``value`` if it is a valid line of text, else raise
    [`ValidationError`][digestkit.errors.ValidationError].

    Args:
        field: the name to report, such as ``"headline"`` or ``"body[2]"``.
        value: the candidate text.

    Raises:
        ValidationError: ``value`` is not a ``str``, is empty, has a line break or a character
            XML 1.0 cannot carry, or begins or ends with a space or TAB.
    """
    if not isinstance(value, str):
        raise ValidationError(field, value, f"expected str, found {type(value).__name__}")
    if not value:
        raise ValidationError(field, value, "must not be empty")
    bad = None if _surely_clean(value) else _search_forbidden(value)
    if bad is not None:
        char = bad.group()
        kind = (
            "a line break"
            if char in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
            else "a character XML 1.0 cannot carry"
        )
        raise ValidationError(
            field, value, f"holds {kind} ({_describe(char)}) at index {bad.start()}"
        )
    if not _bare(value):
        raise ValidationError(field, value, "must not begin or end with a space or TAB")
    return value


def _surely_lines(values: Sequence[object]) -> bool:
    """Return ``True`` only if every value is a valid line of text; ``False`` if unsure.

    One search of the values joined costs less than one per value; on ``False`` the caller
    checks each value with [`check_line`][digestkit.model.check_line], for the precise error.
    """
    if not _INPUT_CLEARED.get():  # else the characters were cleared: no join, no search
        try:
            joined = "".join(values)  # type: ignore[arg-type]  # a TypeError says: not all str
        except TypeError:
            return False
        if not _surely_clean(joined):
            return False
    # A plain loop: a generator or a call per paragraph would cost more than the rest of
    # building an article. A str subclass is left to check_line.
    for line in values:
        if type(line) is not str or not line or line[0] in _EDGE_SPACE or line[-1] in _EDGE_SPACE:
            return False
    return True


def _lacks_lead(lead: object, body: tuple[object, ...]) -> bool:
    """Return whether an article has body paragraphs but no lead, which it may not."""
    return lead is None and bool(body)


def _line(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    check_line(attribute.name, value)


def _optional_line(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        check_line(attribute.name, value)


def _as_tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    if isinstance(value, (str, bytes)):
        # tuple("text") would silently make one paragraph per character.
        raise ValidationError("sequence", value, "expected a sequence of items, found a string")
    return tuple(value)


def _language(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value != DEFAULT_LANGUAGE and (
        not isinstance(value, str) or not _language_tag().match(value)
    ):
        raise ValidationError(
            attribute.name, value, "expected a BCP 47 language tag such as 'en' or 'pt-BR'"
        )


def _date(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    # A datetime is a date too, but a digest is dated by day: refuse it rather than drop
    # the time silently in the formats that only carry a day.
    if value is not None and type(value) is not _dt.date:
        raise ValidationError(attribute.name, value, "expected a datetime.date or None")


@attrs.frozen
class Metadata:
    """What a digest says about itself. Every field is optional."""

    title: str | None = attrs.field(default=None, validator=_optional_line)
    """The digest's title, one line of text."""
    language: str = attrs.field(default=DEFAULT_LANGUAGE, validator=_language)
    """The language of the text, a BCP 47 tag; English unless said otherwise."""
    date: _dt.date | None = attrs.field(default=None, validator=_date)
    """The day the digest was published."""
    source: str | None = attrs.field(default=None, validator=_optional_line)
    """Where the digest comes from: a publication name or an address."""
    identifier: str | None = attrs.field(default=None, validator=_optional_line)
    """A stable identifier such as ``urn:uuid:...``; formats that need one derive it if absent."""
    author: str | None = attrs.field(default=None, validator=_optional_line)
    """Who wrote or compiled the digest (EPUB's ``dc:creator``), one line of text."""
    publisher: str | None = attrs.field(default=None, validator=_optional_line)
    """Who publishes the digest (``dc:publisher``), one line of text."""

    def is_default(self) -> bool:
        """Return whether every field holds its default value."""
        return self == _DEFAULT_METADATA


_DEFAULT_METADATA = Metadata()


@attrs.frozen
class Article:
    """One article: a headline, a lead paragraph and body paragraphs."""

    headline: str = attrs.field(validator=_line)
    """The headline, one line of text."""
    lead: str | None = attrs.field(default=None, validator=_optional_line)
    """The first paragraph; ``None`` only for a headline-only article."""
    body: tuple[str, ...] = attrs.field(default=(), converter=_as_tuple)
    """The paragraphs after the lead, possibly none."""
    lines: tuple[int, ...] | None = attrs.field(
        default=None, eq=False, repr=False, converter=attrs.converters.optional(_as_tuple)
    )
    """1-based source line of the headline, the lead and each body paragraph, when read
    from a file that has lines. Provenance only: it takes no part in equality."""

    @body.validator
    def _check_body(self, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
        if not _surely_lines(value):
            for index, paragraph in enumerate(value):
                check_line(f"body[{index}]", paragraph)
        if _lacks_lead(self.lead, value):
            raise ValidationError("lead", None, "an article with body paragraphs needs a lead")

    @lines.validator
    def _check_lines(self, attribute: attrs.Attribute[Any], value: tuple[int, ...] | None) -> None:
        if value is None:
            return
        expected = 1 + (self.lead is not None) + len(self.body)
        if len(value) == expected:
            for number in value:  # a plain loop, for speed as in _surely_lines
                if type(number) is not int or number < 1:
                    break
            else:
                return
        raise ValidationError("lines", value, f"expected {expected} line numbers, each at least 1")

    @property
    def paragraphs(self) -> tuple[str, ...]:
        """The lead (if any) followed by the body."""
        return self.body if self.lead is None else (self.lead, *self.body)


def _articles(instance: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    for index, article in enumerate(value):
        if not isinstance(article, Article):
            raise ValidationError(
                f"articles[{index}]", article, f"expected Article, found {type(article).__name__}"
            )


def _metadata(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Metadata):
        raise ValidationError("metadata", value, f"expected Metadata, found {type(value).__name__}")


@attrs.frozen
class Digest:
    """A news digest: its metadata and its articles, in order."""

    articles: tuple[Article, ...] = attrs.field(
        default=(), converter=_as_tuple, validator=_articles
    )
    """The articles, in reading order; a digest may have none."""
    metadata: Metadata = attrs.field(factory=Metadata, validator=_metadata)
    """Title, language, date, source and identifier."""


def _surely_articles(
    headlines: Sequence[object], leads: Sequence[object], bodies: Sequence[tuple[object, ...]]
) -> list[Article] | None:
    """Return the articles that parallel columns describe, or ``None`` if unsure they are valid.

    The columns are checked as a whole by Article's own predicates: every headline, lead and
    paragraph by `_surely_lines`, every article by `_lacks_lead`. When both say yes, each
    article is made without running its validators again (a reader of a table builds tens
    of thousands at once); on ``None`` the caller builds each through `Article`, whose
    validators name the fault.
    """
    lines: list[object] = [*headlines, *(lead for lead in leads if lead is not None)]
    for body in bodies:
        if type(body) is not tuple:
            return None
        lines.extend(body)
    if not _surely_lines(lines):
        return None
    for lead, body in zip(leads, bodies, strict=True):
        if _lacks_lead(lead, body):
            return None
    return [
        _valid_article(headline, lead, body, None)
        for headline, lead, body in zip(headlines, leads, bodies, strict=True)
    ]


def _valid_article(
    headline: object, lead: object, body: tuple[object, ...], lines: tuple[int, ...] | None
) -> Article:
    """Return the article of these fields without running its validators.

    Only for fields known to pass them: columns `_surely_articles` cleared, or a reader's
    lines under `_cleared_input` that its grammar made lines of text (stripped, never
    empty), a lead before any body, and one line number, counted from 1, per field.
    """
    article = object.__new__(Article)
    # Every field of Article, as its __init__ would set them.
    object.__setattr__(article, "headline", headline)
    object.__setattr__(article, "lead", lead)
    object.__setattr__(article, "body", body)
    object.__setattr__(article, "lines", lines)
    return article
