"""The plain-text grammar (formats/text/_grammar.py): end markers, escaping, the prefilter."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

import digestkit
from digestkit import Article, Digest
from digestkit.formats.text import MarkerRules, _grammar


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


@pytest.mark.parametrize(
    ("paragraph", "written"),
    [
        ("Keep reading", "\\Keep reading"),
        ("Read More »", "\\Read More »"),
        ("The war. Continue reading", "\\The war. Continue reading"),
        ("---", "\\---"),
        ("\ufeffBOM", "\\\ufeffBOM"),
        ("\\Keep reading", "\\\\Keep reading"),
        ("\\not special", "\\not special"),
        ("\\", "\\"),
        ("she said keep reading", "she said keep reading"),
    ],
)
def test_structure_lookalikes_are_escaped(paragraph: str, written: str) -> None:
    digest = Digest([Article(paragraph, paragraph, [paragraph])])
    text = digestkit.dumps(digest)
    assert text.split("\n\n")[:3] == [written] * 3
    assert digestkit.loads(text) == digest


def test_long_backslash_run_is_linear() -> None:
    paragraph = "\\" * 200_000 + "Keep reading"
    digest = Digest([Article("H", paragraph)])
    assert digestkit.loads(digestkit.dumps(digest)) == digest


_RULES = [MarkerRules(), MarkerRules("Keep reading"), MarkerRules("END »")]


@pytest.mark.parametrize("rules", _RULES)
@given(prefix=st.text(max_size=20), line=st.data())
def test_marker_prefilter_passes_every_marker(
    rules: MarkerRules, prefix: str, line: st.DataObject
) -> None:
    # Anything the regexes could match, wherever it sits, passes the cheap test first.
    marker = line.draw(st.from_regex(rules._line, fullmatch=True))
    glued = prefix + line.draw(st.from_regex(rules._tail, fullmatch=True))
    for candidate in (marker, glued):
        assert rules.may_end_in_marker(candidate)


def test_only_the_final_letters_match_the_final_letters() -> None:
    # The prefilter rules a line out by its last character: that is exact only if no other
    # character matches a final letter of the marker words under IGNORECASE.
    pattern = re.compile("[" + "".join(_grammar._FINAL_LETTERS) + "]", re.IGNORECASE)
    matching = {chr(p) for p in range(0x110000) if pattern.fullmatch(chr(p))}
    assert matching == _grammar._FINAL_LETTERS
