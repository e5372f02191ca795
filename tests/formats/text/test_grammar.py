"""The plain-text grammar (formats/text/_grammar.py): end markers, escaping, the prefilter."""

from __future__ import annotations

import functools
import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import digestkit
from digestkit import Article, Digest
from digestkit.errors import ValidationError
from digestkit.formats.text import MarkerRules, _grammar
from digestkit.testing import digest_like_texts


@pytest.mark.parametrize(
    ("text", "headline", "lead"),
    [
        # A backslash, then a space or TAB, then text ending in a marker phrase: the writer
        # never writes this, so the backslash is content and the marker is a glued one.
        ("H\n\n\\ foo Keep reading\n", "H", "\\ foo"),
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


_RULES = [
    MarkerRules(),
    MarkerRules("Keep reading"),
    MarkerRules("END »"),
    MarkerRules(["Seguir leyendo", "* * *"]),
]


_ONE_EACH = {phrase: MarkerRules(phrase) for phrase, _ in _grammar.MARKERS}


@functools.cache
def _shapes(rules: MarkerRules) -> tuple[st.SearchStrategy[str], st.SearchStrategy[str]]:
    """The lines ``rules`` reads as a marker, and glued endings: built once per rules, as
    building a regex's strategy costs more than drawing from it."""
    return st.from_regex(rules._line, fullmatch=True), st.from_regex(rules._glued, fullmatch=True)


@given(phrase=st.sampled_from(sorted(_ONE_EACH)), prefix=st.text(max_size=20), line=st.data())
def test_default_prefilter_passes_every_built_in_marker(
    phrase: str, prefix: str, line: st.DataObject
) -> None:
    # The default regex is too large to draw from: each phrase's own rules draw its shapes,
    # which the default rules, and their cheap tests, must take as markers too.
    lines, endings = _shapes(_ONE_EACH[phrase])
    rules = _RULES[0]
    marker = line.draw(lines)
    glued = prefix + line.draw(endings)
    assert not marker or rules.may_be_marker(marker)
    assert rules._line.match(marker)
    assert rules.may_end_in_marker(glued)
    assert rules._glued.search(glued)


@pytest.mark.parametrize("rules", _RULES[1:])
@given(prefix=st.text(max_size=20), line=st.data())
def test_marker_prefilter_passes_every_marker(
    rules: MarkerRules, prefix: str, line: st.DataObject
) -> None:
    # Anything the regexes could match, wherever it sits, passes the cheap tests first.
    lines, endings = _shapes(rules)
    marker = line.draw(lines)
    glued = prefix + line.draw(endings)
    assert not marker or rules.may_be_marker(marker)
    assert rules.may_end_in_marker(glued)


# A marker of trailers only, a one-letter last word, a capital whose lower case is two
# characters: the set lookups the parser makes itself have their own cases for these.
_ODD_RULES = MarkerRules(["»»", "Plan B", "İleri"])


@given(prefix=st.text(max_size=20), line=st.data())
def test_set_lookups_pass_every_marker(prefix: str, line: st.DataObject) -> None:
    rules = _ODD_RULES
    lines, endings = _shapes(rules)
    # As the parser makes them, on a line stripped of spaces and TABs, before the calls.
    marker = line.draw(lines).strip(" \t")
    glued = (prefix + line.draw(endings)).rstrip(" \t")
    start = marker[:2]
    assert not marker or start in rules.starts or not start.isascii()
    assert not marker or rules.may_be_marker(marker)
    end = glued[-rules.end_size :]
    assert end in rules.ends or not end.isascii()
    assert rules.may_end_in_marker(glued)


@pytest.mark.parametrize("rules", _RULES[::3])
def test_every_character_matching_a_final_letter_passes(rules: MarkerRules) -> None:
    # The prefilter rules a line out by its last character: that is exact only if every
    # character that matches a final letter of the marker words under IGNORECASE passes.
    assert rules._final is not None
    pattern = re.compile("[" + re.escape("".join(rules._final)) + "]", re.IGNORECASE)
    matching = [chr(p) for p in range(0x110000) if pattern.fullmatch(chr(p))]
    for char in matching:
        assert char in rules._final or _grammar._like(char, rules._final), hex(ord(char))


_REMEMBERING = [
    MarkerRules(["Keep reading", "Continua a leggere"]),
    MarkerRules(["»»", "Plan B", "İleri"]),
    MarkerRules(["阅读全文", "Read more"]),
]


@pytest.mark.parametrize("rules", _REMEMBERING)
@given(prefix=st.text(max_size=20), line=st.data())
def test_remembered_characters_rule_out_no_marker(
    rules: MarkerRules, prefix: str, line: st.DataObject
) -> None:
    # The characters the cheap tests remember as ruling a line out must never rule out a
    # marker: first ask about every character of a marker line and a glued one, at the start
    # and at the end of lines, bare and behind a non-ASCII character that ends no marker.
    rules.no_start.clear()
    rules.no_end.clear()
    lines, endings = _shapes(rules)
    marker = line.draw(lines).strip(" \t")
    glued = (prefix + line.draw(endings)).rstrip(" \t")
    for char in set(marker + glued + "”\u00a0\u3000"):
        rules.may_be_marker(char + "x")
        for end in (char, "”" + char, char + "”"):
            rules.may_end_in_marker("x " + end)
    assert rules.no_start or rules.no_end  # "”" at least is remembered
    assert not marker or marker[0] not in rules.no_start
    assert not glued or glued[-1] not in rules.no_end
    assert not marker or rules.may_be_marker(marker)
    assert rules.may_end_in_marker(glued)


@given(first=digest_like_texts(), then=digest_like_texts())
@example(first="H\n\nKeep going\n\nx”", then="H\n\nLead\n\nKeep reading\n\nH\n\nx Read more”")
def test_what_the_parser_remembers_never_changes_a_reading(first: str, then: str) -> None:
    # The line starts and ends the parser remembers as opening or ending nothing (and the
    # characters the cheap tests remember) depend on those characters alone: a digest reads
    # the same with rules that have read another digest before as with new ones.
    from digestkit.formats.text import _articles
    from digestkit.registry import ReadContext

    def read(rules: MarkerRules, value: str) -> tuple[object, ...]:
        context = ReadContext(diagnostics=[])
        try:
            found = list(_articles.read_articles(enumerate(value.split("\n"), 1), context, rules))
        except ValidationError as err:  # a character the model refuses
            return str(err), context.diagnostics
        return found, [a.lines for a, _ in found], context.diagnostics

    used = MarkerRules()
    read(used, first)
    assert read(used, then) == read(MarkerRules(), then)


def test_the_sample_is_read_without_compiling_the_marker_regexes(sample_bytes: bytes) -> None:
    # Compiling them was most of a command's start-up: they wait until a line needs them.
    from digestkit.formats.text import _articles
    from digestkit.registry import ReadContext

    rules = MarkerRules()
    lines = enumerate(sample_bytes.decode("utf-8").split("\n"), 1)
    assert len(list(_articles.parse_articles(lines, ReadContext(), rules))) == 10
    lazy = (rules._line_re, rules._glued_re, rules._last_word_re)
    assert [one._compiled for one in lazy] == [None, None, None]
    assert rules.is_marker("» Keep reading →")
    assert rules._line_re._compiled is not None
