"""The model refuses what it must and accepts the rest."""

from __future__ import annotations

import datetime as dt
import pickle
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from digestkit import Article, Digest, Metadata, ValidationError, model
from digestkit.model import FORBIDDEN, check_line
from digestkit.testing import digests, lines


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("", "must not be empty"),
        (" leading space", "begin or end"),
        ("trailing tab\t", "begin or end"),
        ("two\nlines", "line break"),
        ("carriage\rreturn", "line break"),
        ("line\u2028separator", "line break"),
        ("next\x85line", "line break"),
        ("form\x0cfeed", "line break"),
        ("nul\x00byte", "XML 1.0"),
        ("bell\x07", "XML 1.0"),
        ("delete\x7f", "XML 1.0"),
        ("lone \ud800 surrogate", "XML 1.0"),
        ("non\ufffecharacter", "XML 1.0"),
        ("plane one \U0001ffff", "XML 1.0"),
        (b"bytes", "expected str"),
        (None, "expected str"),
    ],
)
def test_check_line_refuses(value: object, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason) as info:
        check_line("headline", value)
    assert info.value.field == "headline"
    assert info.value.value == value


@pytest.mark.parametrize(
    "value",
    [
        "x",
        "ends with a no-break space\u00a0",
        "\u202fnarrow no-break space first",
        "inner\ttab",
        "“curly” – dashes — and an ellipsis…",
        "\\ backslash",
        "\ufeffzero-width no-break space",
        "Keep reading",
        "emoji 😀 and CJK 漢字",
    ],
)
def test_check_line_accepts(value: str) -> None:
    assert check_line("headline", value) is value


def test_error_names_field_and_value() -> None:
    with pytest.raises(ValidationError) as info:
        Article("Headline", "Lead", ["fine", "bad\nparagraph"])
    assert info.value.field == "body[1]"
    assert "bad\\nparagraph" in str(info.value)


def test_body_needs_lead() -> None:
    with pytest.raises(ValidationError, match="needs a lead"):
        Article("Headline", None, ["orphan paragraph"])


def test_headline_only_article() -> None:
    article = Article("Headline")
    assert article.lead is None
    assert article.body == ()
    assert article.paragraphs == ()


def test_string_body_is_refused_not_split_into_characters() -> None:
    with pytest.raises(ValidationError, match="found a string"):
        Article("Headline", "Lead", "body")


def test_articles_must_be_articles() -> None:
    with pytest.raises(ValidationError, match=r"articles\[1\]"):
        Digest([Article("a"), "b"])


@pytest.mark.parametrize(
    "language",
    [
        "en",
        "pt-BR",
        "zh-Hant-TW",
        "sr-Latn",
        "und",
        "de-CH-1996",
        "en-US-x-twain",
        "x-klingon",
        "i-default",
        "zh-yue-HK",
        "es-419",
        "en-a-bbb-x-a",
    ],
)
def test_well_formed_language(language: str) -> None:
    assert Metadata(language=language).language == language


@pytest.mark.parametrize(
    "language",
    ["", "english language", "en_US", "x" * 9, 3, "a", "x", "en-a", "en-US-US", "zz-1", "q-q"],
)
def test_bad_language(language: object) -> None:
    with pytest.raises(ValidationError, match="BCP 47"):
        Metadata(language=language)  # type: ignore[arg-type]


def test_date_refuses_datetime() -> None:
    with pytest.raises(ValidationError, match=r"datetime\.date"):
        Metadata(date=dt.datetime(2025, 10, 20, 12, 0))
    assert Metadata(date=dt.date(2025, 10, 20)).date == dt.date(2025, 10, 20)


def test_lines_ride_along_without_equality() -> None:
    a = Article("H", "L", ["B"], lines=(1, 3, 5))
    b = Article("H", "L", ["B"])
    assert a == b
    assert hash(a) == hash(b)
    with pytest.raises(ValidationError, match="expected 3 line numbers"):
        Article("H", "L", ["B"], lines=(1, 3))


def test_models_are_frozen() -> None:
    article = Article("H")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        article.headline = "other"  # type: ignore[misc]


def test_default_metadata() -> None:
    assert Metadata().language == "en"
    assert Metadata().is_default()
    assert not Metadata(title="T").is_default()


@given(lines())
def test_generated_lines_are_valid(text: str) -> None:
    assert check_line("x", text) == text


@given(st.text())
def test_check_line_refuses_or_returns_unchanged(text: str) -> None:
    try:
        result = check_line("x", text)
    except ValidationError as err:
        field = err.field
    else:
        assert result is text
        return
    assert field == "x"


@given(lines(), st.none() | lines(), st.lists(lines(), max_size=3))
def test_lead_invariant(headline: str, lead: str | None, body: list[str]) -> None:
    if lead is None and body:
        with pytest.raises(ValidationError, match="needs a lead"):
            Article(headline, lead, body)
    else:
        assert Article(headline, lead, body).paragraphs == (() if lead is None else (lead,)) + (
            *body,
        )


@given(digests())
def test_pickle_round_trip(digest: Digest) -> None:
    assert pickle.loads(pickle.dumps(digest)) == digest


# --- the forbidden characters: the public class, and the fast searches behind it -----------


def test_forbidden_search_matches_the_class_on_every_code_point() -> None:
    # Every BMP character, and per astral plane the noncharacters and a few others: the
    # search with the whole astral range in its class finds exactly what FORBIDDEN matches.
    points = [*range(0x10000)]
    for plane in range(1, 17):
        base = plane << 16
        points += [base, base + 0xF600, base + 0xFFFD, base + 0xFFFE, base + 0xFFFF]
    for point in points:
        char = chr(point)
        expected = FORBIDDEN.match(char) is not None
        assert (model._search_forbidden(char) is not None) == expected, hex(point)
        assert (model._search_forbidden("a\t" + char) is not None) == expected, hex(point)


def test_forbidden_is_what_the_model_documents() -> None:
    # Spot checks of the class against the rule as written in the module docstring.
    for char in "\x00\x08\n\r\x0b\x1f\x7f\x85\x9f\u2028\u2029\ud800\ufdd0\ufffe\U0010ffff":
        assert FORBIDDEN.match(char), hex(ord(char))
    for char in "\t a~\xa0\u202f\ufeff\ufffd\U0001f600\U0010fffd":
        assert not FORBIDDEN.match(char), hex(ord(char))


_ANY_TEXT = st.text(
    st.one_of(
        st.characters(),
        st.sampled_from("\t\n\r\x00\x1f\x7f\x85\x9f\u2028\ufdd0\ufffe\U0001fffe\U0010ffff😀\ud800"),
    ),
    max_size=30,
)


@given(_ANY_TEXT)
def test_check_line_matches_reference(value: str) -> None:
    match = FORBIDDEN.search(value)
    bad = None if match is None else match.start()
    if not value or bad is not None or value[0] in " \t" or value[-1] in " \t":
        with pytest.raises(ValidationError) as info:
            check_line("headline", value)
        if value and bad is not None:
            assert f"at index {bad}" in str(info.value)
    else:
        assert check_line("headline", value) is value


@given(st.lists(st.one_of(_ANY_TEXT, st.integers(), st.none()), max_size=5))
def test_body_validation_matches_each_paragraph(body: list[object]) -> None:
    def first_error(check: Any) -> str | None:
        try:
            check()
        except ValidationError as err:
            return str(err)
        return None

    def each() -> None:
        for index, paragraph in enumerate(body):
            check_line(f"body[{index}]", paragraph)

    assert first_error(lambda: Article("H", "Lead", body)) == first_error(each)


def test_a_cleared_input_block_ends_even_on_an_error() -> None:
    # Readers build articles from input they cleared inside model._cleared_input(); outside
    # that block, as after an error inside it, every character is searched again.
    def fail_inside() -> None:
        with model._cleared_input():
            assert Article("bell\x07").headline == "bell\x07"
            raise KeyError

    with pytest.raises(KeyError):
        fail_inside()
    with pytest.raises(ValidationError, match="U\\+0007"):
        Article("bell\x07")


def test_articles_built_at_once_are_those_the_class_builds() -> None:
    # Every field set, as Article's __init__ sets it: a field added to Article and not to
    # _surely_articles would be unset here.
    built = model._surely_articles(["H", "G"], ["L", None], [("B", "C"), ()])
    assert built == [Article("H", "L", ("B", "C")), Article("G")]
    for article in built or []:
        for field in attrs.fields(Article):
            getattr(article, field.name)  # AttributeError on an unset slot


@pytest.mark.parametrize(
    ("headlines", "leads", "bodies"),
    [
        ([" H"], ["L"], [()]),
        ([""], ["L"], [()]),
        ([None], ["L"], [()]),
        (["H"], ["L\u2028"], [()]),
        (["H"], ["L"], [("B", "C\t")]),
        (["H"], [None], [("B",)]),
        (["H"], ["L"], [["B"]]),
    ],
)
def test_articles_built_at_once_are_refused_when_unsure(
    headlines: list[object], leads: list[object], bodies: list[tuple[object, ...]]
) -> None:
    assert model._surely_articles(headlines, leads, bodies) is None


_maybe_lines = st.one_of(
    lines(), st.sampled_from(["", " x", "x\t", "a\nb", "\u2028", "\ud800"]), st.none()
)


@given(
    st.lists(
        st.tuples(_maybe_lines, _maybe_lines, st.lists(_maybe_lines, max_size=3).map(tuple)),
        max_size=4,
    )
)
def test_articles_built_at_once_agree_with_the_validators(
    rows: list[tuple[Any, Any, tuple[Any, ...]]],
) -> None:
    # The batch path and the class decide alike: articles built at once only when every
    # row would build, and then the same articles.
    built = model._surely_articles([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])
    try:
        each = [Article(*row) for row in rows]
    except ValidationError:
        assert built is None
    else:
        assert built == each
