"""The plain-text front matter (formats/text/_frontmatter.py): metadata between fences."""

from __future__ import annotations

import datetime as dt

import pytest

import digestkit
from digestkit import Article, Digest, Metadata, ParseError


def test_metadata_travels_as_front_matter() -> None:
    meta = Metadata(
        title="Morning: digest",
        language="de",
        date=dt.date(2025, 10, 20),
        source="x",
        identifier="y",
    )
    digest = Digest([Article("H", "L")], meta)
    text = digestkit.dumps(digest)
    assert text.startswith(
        "---\ntitle: Morning: digest\nlanguage: de\ndate: 2025-10-20\n"
        "source: x\nidentifier: y\n---\n\nH"
    )
    assert digestkit.loads(text) == digest


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("---\ntitle: T\n", 1, "not closed"),
        ("---\neditor: me\n---\n", 2, "key among"),
        ("---\ntitle: A\ntitle: B\n---\n", 3, "given twice"),
        ("---\ndate: 20 Oct\n---\n", 2, "bad date"),
        ("---\nlanguage: english please\n---\n", 2, "bad language"),
        ("---\ntitle:\n---\n", 2, "bad title"),
    ],
)
def test_bad_front_matter(text: str, line: int, fragment: str) -> None:
    with pytest.raises(ParseError, match=fragment) as info:
        digestkit.loads(text)
    assert info.value.line == line


@pytest.mark.parametrize("date", ["2025-W43-1", "20251020", "2025-293", "2025-10-20T08:00"])
def test_dates_are_read_only_as_year_month_day(date: str) -> None:
    # The one spelling every format accepts (digestkit.codec): a digest written in one format
    # reads back in every other.
    with pytest.raises(ParseError, match="bad date: expected a day as YYYY-MM-DD") as info:
        digestkit.loads(f"---\ndate: {date}\n---\n\nH\n\nL\n")
    assert info.value.line == 2
    digest = digestkit.loads("---\ndate: 2025-10-20\n---\n\nH\n\nL\n")
    assert digest.metadata.date == dt.date(2025, 10, 20)


def test_default_language_is_left_out_and_read_back() -> None:
    digest = Digest([Article("H", "L")], Metadata(title="T"))
    text = digestkit.dumps(digest)
    assert text.startswith("---\ntitle: T\n---\n\nH")
    assert digestkit.loads(text) == digest
