"""The plain-text reader's escapes: a backslash is an escape only where the writer puts one."""

from __future__ import annotations

import pytest

import digestkit


@pytest.mark.parametrize(
    ("text", "headline", "lead"),
    [
        # A backslash, then a space or TAB, then text ending in a marker phrase: the writer
        # never writes this, so the backslash is content and the marker is a glued one.
        ("\\ foo Keep reading\n", "\\ foo", None),
        ("H\n\n\\\t x Read more\n", "H", "\\\t x"),
        # A backslash before text that needs one is an escape.
        ("H\n\n\\x Read more\n\nKeep reading\n", "H", "x Read more"),
    ],
)
def test_backslash_before_space_is_content(text: str, headline: str, lead: str | None) -> None:
    article = digestkit.loads(text).articles[0]
    assert (article.headline, article.lead) == (headline, lead)


def test_backslash_before_space_round_trips() -> None:
    digest = digestkit.loads("H\n\n\\ x Read more\n")
    assert digestkit.loads(digestkit.dumps(digest)) == digest
