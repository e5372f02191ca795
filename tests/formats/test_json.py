"""The JSON format: round trips, the schema, options, and located errors."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

import digestkit
from digestkit import schemas
from digestkit.errors import OptionError, ParseError
from digestkit.model import Article, Digest, Metadata
from digestkit.testing import digests

VALIDATOR = jsonschema.Draft202012Validator(
    schemas.json_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)

DIGEST = Digest(
    [
        Article("Head\u00a0line", "Lead\u202f", ["Body\tone", "“Two”"]),
        Article("Only a headline"),
    ],
    Metadata(title="T", language="de", date=dt.date(2025, 10, 20), source="S", identifier="urn:x"),
)


def dumps(digest: Digest, **options: object) -> str:
    """Write a digest as JSON, asserting the document matches the schema."""
    text = digestkit.dumps(digest, "json", **options)
    VALIDATOR.validate(json.loads(text))
    return text


def _doc(**changes: object) -> dict:
    document = json.loads(dumps(DIGEST))
    document.update(changes)
    return document


def _loads(document: object) -> Digest:
    return digestkit.loads(json.dumps(document), "json")


@given(digests(), st.sampled_from([None, 0, 2, 4]), st.booleans())
def test_every_written_document_matches_the_schema(digest, indent, ensure_ascii):
    text = dumps(digest, indent=indent, ensure_ascii=ensure_ascii)
    assert digestkit.loads(text, "json") == digest


def test_shape_key_order_and_absent_values():
    text = dumps(Digest([Article("H")], Metadata(title="T")), indent=None)
    assert text == (
        '{"format_version":1,"metadata":{"title":"T","language":"en"},'
        '"articles":[{"headline":"H","body":[]}]}\n'
    )


def test_pretty_by_default_and_utf8_unescaped():
    text = dumps(DIGEST)
    assert text.startswith('{\n  "format_version": 1,\n  "metadata": {\n    "title": "T",')
    assert "Head\u00a0line" in text
    assert "\\u" not in text
    assert text.endswith("}\n")


def test_ensure_ascii_escapes_everything_else():
    text = dumps(DIGEST, ensure_ascii=True)
    assert text.isascii()
    assert "Head\\u00a0line" in text
    assert digestkit.loads(text, "json") == DIGEST


_REWRITE = (
    "import sys, digestkit\n"
    "digest = digestkit.loads(sys.stdin.buffer.read(), {0!r})\n"
    "sys.stdout.buffer.write(digestkit.dumps(digest, {0!r}).encode())\n"
)


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_output_does_not_depend_on_the_hash_seed(fmt):
    # One process always repeats itself; processes with other hash seeds show whether an
    # order comes from a set or from hashing.
    data = digestkit.dumps(DIGEST, fmt).encode()
    for seed in ("0", "1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        code = _REWRITE.format(fmt)
        result = subprocess.run(
            [sys.executable, "-c", code], input=data, capture_output=True, check=True, env=env
        )
        assert result.stdout == data


@pytest.mark.parametrize(
    "options", [{"indent": -1}, {"indent": "  "}, {"indent": True}, {"ensure_ascii": 1}]
)
def test_bad_options_are_refused(options):
    with pytest.raises(OptionError):
        digestkit.dumps(DIGEST, "json", **options)


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"extra": 1}, "unknown key 'extra'"),
        ({"metadata": []}, "metadata: expected an object, found an array"),
        ({"metadata": {"title": "T"}}, "metadata: missing key 'language'"),
        (
            {"metadata": {"language": "en", "title": None}},
            "metadata.title: expected a string, found null",
        ),
        ({"metadata": {"language": "en", "colour": "red"}}, "metadata: unknown key 'colour'"),
        ({"metadata": {"language": "e n"}}, "metadata.language: expected a BCP 47"),
        (
            {"metadata": {"language": "en", "date": "20251020"}},
            "metadata.date: expected a day as YYYY-MM-DD",
        ),
        (
            {"metadata": {"language": "en", "date": "2025-02-30"}},
            "metadata.date: expected a day of the calendar as YYYY-MM-DD",
        ),
        ({"metadata": {"language": "en", "date": 20251020}}, "metadata.date: expected a string"),
        ({"articles": {}}, "articles: expected an array, found an object"),
        ({"articles": ["x"]}, "articles[0]: expected an object, found a string"),
        ({"articles": [{"body": []}]}, "articles[0]: missing key 'headline'"),
        ({"articles": [{"headline": "H"}]}, "articles[0]: missing key 'body'"),
        ({"articles": [{"headline": "H", "body": ["p"]}]}, "articles[0].lead: an article with"),
        (
            {"articles": [{"headline": 1, "body": []}]},
            "articles[0].headline: expected a string, found a number",
        ),
        (
            {"articles": [{"headline": "H", "lead": "L", "body": ["a", 2]}]},
            "articles[0].body[1]: expected a string",
        ),
        (
            {"articles": [{"headline": "H", "lead": "L", "body": ["a", " b"]}]},
            "articles[0].body[1]: must not begin or end",
        ),
        (
            {"articles": [{"headline": "H", "lead": "L", "body": ["a", "b\nc"]}]},
            "articles[0].body[1]: holds a line break",
        ),
        (
            {"articles": [{"headline": "H", "lead": "L", "body": ["\ud800"]}]},
            "articles[0].body[0]: holds a character",
        ),
        ({"articles": [{"headline": "", "body": []}]}, "articles[0].headline: must not be empty"),
        (
            {"articles": [{"headline": "H", "body": True}]},
            "articles[0].body: expected an array, found a boolean",
        ),
        ({"format_version": 2}, "format version 2 is newer than this digestkit reads"),
        ({"format_version": 0}, "format version 0 does not exist"),
        (
            {"format_version": "1"},
            "format_version: expected an integer format version, found a string",
        ),
        ({"format_version": True}, "expected an integer format version, found a boolean"),
    ],
)
def test_shape_errors_name_the_json_path(change, path):
    document = _doc(**change)
    with pytest.raises(ParseError) as info:
        _loads(document)
    assert path in info.value.message
    assert info.value.format == "json"
    assert info.value.line == 1  # json.dumps wrote the document on one line
    assert info.value.column is not None
    assert not VALIDATOR.is_valid(document)


def test_missing_top_level_key():
    document = _doc()
    del document["articles"]
    with pytest.raises(ParseError, match="missing key 'articles'"):
        _loads(document)


def test_newer_version_is_reported_before_unknown_keys():
    with pytest.raises(ParseError, match="upgrade digestkit"):
        _loads({"format_version": 2, "digest": {}})


def test_integral_float_version_is_accepted_as_the_schema_does():
    document = _doc(format_version=1.0)
    assert VALIDATOR.is_valid(document)
    assert _loads(document) == DIGEST


@pytest.mark.parametrize(
    ("text", "where", "fragment"),
    [
        (
            '{"format_version": 1,\n "metadata": {"language": "en"},\n "articles": [,]}',
            (3, 15),
            "Expecting value",
        ),
        ("", (1, 1), "Expecting value"),
        ('{"a": 1} x', (1, 10), "Extra data"),
        ('{"a": "\x01"}', (1, 8), "Invalid control character"),
        ('{"format_version": NaN}', (1, 20), "NaN is not a JSON value"),
        ('{"format_version": Infinity}', (1, 20), "Infinity is not a JSON value"),
        ('{"a": "NaN",\n "b": -Infinity}', (2, 7), "-Infinity is not a JSON value"),
        # The deepest bracket, and the first digit of the integer (issue 12, item 12).
        ("[" * 100_000 + "]" * 100_000, (1, 100_000), "nest too deeply"),
        ('{"format_version": ' + "9" * 5000 + "}", (1, 20), "not valid JSON"),
    ],
)
def test_malformed_json_gives_line_and_column(text, where, fragment):
    with pytest.raises(ParseError) as info:
        digestkit.loads(text, "json", source="in.json")
    assert (info.value.line, info.value.column) == where
    assert fragment in info.value.message
    assert info.value.source == "in.json"


def test_duplicate_keys_are_refused_with_their_path():
    text = (
        '{"format_version": 1, "metadata": {"language": "en"}, '
        '"articles": [{"headline": "a", "headline": "b", "body": []}]}'
    )
    with pytest.raises(ParseError, match=r"articles\[0\]: key 'headline' is given twice"):
        digestkit.loads(text, "json")


def test_utf16_with_bom_and_utf8_bom_are_read():
    text = dumps(DIGEST)
    assert digestkit.loads(text.encode("utf-16"), "json") == DIGEST
    assert digestkit.loads(b"\xef\xbb\xbf" + text.encode(), "json") == DIGEST


def test_binary_input_is_refused():
    with pytest.raises(ParseError, match="binary"):
        digestkit.loads(b"PK\x03\x04rest", "json")


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)


@given(
    st.sampled_from(["format_version", "metadata", "articles", "extra"]),
    st.sampled_from(
        [
            (),
            ("language",),
            ("title",),
            (0,),
            (0, "headline"),
            (0, "body"),
            (0, "lead"),
            (0, "body", 0),
        ]
    ),
    _JSON_VALUES,
)
def test_reader_accepts_exactly_what_the_schema_accepts(key, path, value):
    # Replace one value deep inside a valid document: the reader and the schema (with its
    # format assertions) must agree on whether the result is a digest.
    document = _doc()
    target = document
    keys = (key, *path)
    for step in keys[:-1]:
        try:
            target = target[step]
        except (KeyError, IndexError, TypeError):
            return
    try:
        target[keys[-1]] = value
    except (IndexError, TypeError):
        return
    try:
        _loads(document)
        accepted = True
    except ParseError:
        accepted = False
    assert accepted == VALIDATOR.is_valid(document)


@pytest.mark.parametrize(
    ("path", "bad", "fragment"),
    [
        (("articles", 0, "body", 1), 7, "articles[0].body[1]: expected a string"),
        (("articles", 1, "headline"), " x", "articles[1].headline: must not begin"),
        (("metadata", "date"), "2025-13-01", "metadata.date: expected a day of the calendar"),
        (("articles", 1), [], "articles[1]: expected an object"),
    ],
)
def test_shape_errors_in_a_pretty_document_give_the_line_of_the_value(path, bad, fragment):
    document = _doc()
    target = document
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = bad
    text = json.dumps(document, indent=2)
    marker = json.dumps(bad)
    with pytest.raises(ParseError) as info:
        digestkit.loads(text, "json")
    assert fragment in info.value.message
    assert info.value.line is not None
    assert info.value.column is not None
    line = text.splitlines()[info.value.line - 1]
    assert line[info.value.column - 1 :].startswith(marker)


@pytest.mark.parametrize(
    ("path", "where"),
    [
        ("", (1, 1)),
        ("metadata", (3, 15)),
        ("articles[1].body[2]", (22, 9)),
        ("articles[99]", (6, 15)),
    ],
)
def test_locate_finds_values_in_the_golden_file(path, where):
    from digestkit.formats._jsonpos import locate

    text = (Path(__file__).parents[1] / "fixtures" / "seed.json").read_text(encoding="utf-8")
    assert locate(text, path) == where


def test_locate_gives_up_on_text_that_is_not_json():
    from digestkit.formats._jsonpos import locate

    assert locate("{", "a") is None
