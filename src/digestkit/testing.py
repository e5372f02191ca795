"""Hypothesis strategies for digests, public so that a format plugin can be tested like ours.

>>> from hypothesis import given
>>> from digestkit.testing import digests
>>> @given(digests())
... def test_round_trip(digest):
...     assert my_format.loads(my_format.dumps(digest)) == digest  # doctest: +SKIP

Needs the ``testing`` extra (``pip install digestkit[testing]``).
"""

from __future__ import annotations

import datetime as dt
import functools

from hypothesis import strategies as st

from digestkit.model import FORBIDDEN, Article, Digest, Metadata

__all__ = [
    "MARKER_PHRASES",
    "SHAPES",
    "articles",
    "digest_like_texts",
    "digests",
    "languages",
    "lines",
    "metadata",
]

MARKER_PHRASES = (
    "Keep reading",
    "keep reading",
    "Read more",
    "Read More »",
    "READ MORE",
    "Continue reading",
    "Continue reading →",
    "[Read more]",
    "Read the full story",
    "Full story",
    "Read more: https://example.com/a",
    "Continue reading (3 min read)",
    "\u200bKeep\u00a0reading\u2060",
    "Lire la suite",
    "WEITERLESEN »",
    "Leer más",
    "Читать далее",
    "Devamını oku",
    "続きを読む",
    "阅读全文",
    "اقرأ المزيد",
    "קרא עוד",
    "और पढ़ें",
)
"""End-marker phrases the plain-text reader knows; content that looks like them must survive."""

SHAPES = (
    "* * *",
    "***",
    "---",
    "___",
    "• • •",
    "—",
    "\u00a0",
    "\u3000",
    "\u200b",
    "> quoted",
    ">",
    "• item",
    "- item",
    "1. item",
    "Items:",
    "東京。続きを読む",
    "نص. اقرأ المزيد",
)
"""Other lines the plain-text reader gives a meaning to: separators, blank-looking lines,
quoted lines, list items, glued markers in scripts without case."""

# Characters that matter to the formats: spaces that strip() would eat, quotes, the escape,
# the byte order mark, marker decorations, XML's special characters.
_INTERESTING = "\u00a0\u202f\u2009\u3000\u200b\u2060•*=~_。“”‘’–—…\\\ufeff»→<>&'\"\t #-:"


def _clean(text: str) -> str:
    return FORBIDDEN.sub("", text).strip(" \t")


_plain = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(_INTERESTING),
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    ),
    min_size=1,
    max_size=60,
).map(_clean)


_NONEMPTY = _plain.filter(bool)
_MARKERS = st.sampled_from(MARKER_PHRASES)
_GAPS = st.sampled_from([" ", "\t", "  "])
_ESCAPED = st.sampled_from(["---", "x"])
_SHAPES = st.sampled_from(SHAPES)
_PADS = st.sampled_from(["", ">", "\u00a0", "\u200b"])


@st.composite
def _tricky(draw: st.DrawFn) -> str:
    """Text that a naive writer would emit as structure."""
    marker = draw(_MARKERS)
    shape = draw(st.integers(0, 6))
    if shape == 0:
        return marker
    if shape == 1:
        return draw(_NONEMPTY) + draw(_GAPS) + marker
    if shape == 2:
        return "\\" * draw(st.integers(1, 3)) + draw(_MARKERS | _ESCAPED)
    if shape == 3:
        return "\ufeff" + draw(_plain)
    if shape == 4:
        return draw(_SHAPES)
    if shape == 5:
        return draw(_PADS) + marker
    return draw(_NONEMPTY) + "\u00a0"


# The strategies are built once and shared: Hypothesis validates each strategy object on its
# first draw, and a fresh object per draw made that validation most of a test's cost.
_LINES = st.one_of(_plain, _plain, _plain, _tricky()).map(_clean).filter(bool)
_OPTIONAL_LINES = st.none() | _LINES
_LANGUAGES = st.one_of(
    st.sampled_from(["en", "de", "fr", "ru", "uk", "pt-BR", "zh-Hant-TW", "sr-Latn", "und"]),
    st.from_regex(r"\A[a-z]{2,3}(-[A-Z]{2})?\Z"),
)
_METADATA = st.builds(
    Metadata,
    title=_OPTIONAL_LINES,
    language=_LANGUAGES,
    date=st.none() | st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2199, 12, 31)),
    source=_OPTIONAL_LINES,
    identifier=_OPTIONAL_LINES,
    author=_OPTIONAL_LINES,
    publisher=_OPTIONAL_LINES,
)


def lines() -> st.SearchStrategy[str]:
    """Valid lines of text: headlines, paragraphs, metadata values."""
    return _LINES


def languages() -> st.SearchStrategy[str]:
    """BCP 47 language tags, common and generated."""
    return _LANGUAGES


def metadata() -> st.SearchStrategy[Metadata]:
    """Digest metadata, each field present or not."""
    return _METADATA


@functools.cache
def _bodies(max_paragraphs: int) -> st.SearchStrategy[list[str]]:
    return st.lists(_LINES, max_size=max_paragraphs)


@st.composite
def articles(draw: st.DrawFn, max_paragraphs: int = 6) -> Article:
    """Articles: headline-only ones, lead-only ones, and ones with a body."""
    headline = draw(_LINES)
    lead = draw(_OPTIONAL_LINES)
    body = () if lead is None else draw(_bodies(max_paragraphs))
    return Article(headline, lead, body)


def digests(max_articles: int = 6, *, with_metadata: bool = True) -> st.SearchStrategy[Digest]:
    """Digests the model accepts, from zero to ``max_articles`` articles.

    Args:
        max_articles: the most articles a digest has.
        with_metadata: draw metadata too; otherwise every digest has the defaults.
    """
    return st.builds(
        Digest,
        articles=st.lists(articles(), max_size=max_articles),
        metadata=metadata() if with_metadata else st.just(Metadata()),
    )


_PIECES = (
    "Headline",
    "A lead paragraph.",
    "Body text, with a no-break space\u00a0",
    "“Quoted” text…",
    "",
    " ",
    "\t",
    "---",
    "title: T",
    "language: de",
    "date: 2025-10-20",
    "\\",
    "\\Keep reading",
    "\ufeff",
    "the war. Continue reading",
    "x\x00y",
    "\x0c",
    "\u2028",
    "\u2029",
    "\x0b",
    "\x85",
    "-- ",
    "> ",
    *MARKER_PHRASES,
    *SHAPES,
)


@st.composite
def digest_like_texts(draw: st.DrawFn) -> str:
    """Texts built from digest-like pieces: markers, blank lines, BOMs, CR/LF mixes.

    Not all are valid digests; they are what a reader must either parse or refuse with a
    [`ParseError`][digestkit.errors.ParseError].
    """
    pieces = draw(st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=12)), max_size=30))
    ends = draw(st.lists(st.sampled_from(["\n", "\r\n", "\r", "\n\n", "\n \n"]), min_size=1))
    text = "".join(piece + ends[i % len(ends)] for i, piece in enumerate(pieces))
    if draw(st.booleans()):
        text = "\ufeff" + text
    return text
