"""Real-world shapes the plain-text reader reads as a careful reader would (issue 10).

Each shape is read by ``loads`` and, line for line the same, by the streaming reader; the
round trip of what it reads holds, and ``digestkit check`` says what it had to guess.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

import digestkit
from digestkit import Article, Diagnostic, Digest, ParseError
from digestkit.formats.text import MARKERS

_TWO = Digest([Article("One", "Lead one.", ["Body one."]), Article("Two", "Lead two.")])


def _read(text: str, **options: object) -> tuple[Digest, list[Diagnostic]]:
    found: list[Diagnostic] = []
    digest = digestkit.loads(text, "text", diagnostics=found, **options)  # type: ignore[arg-type]
    streamed: list[Diagnostic] = []
    articles = list(
        digestkit.iter_articles(
            io.BytesIO(text.encode("utf-8")),
            "text",
            diagnostics=streamed,
            **options,  # type: ignore[arg-type]
        )
    )
    assert articles == list(digest.articles)
    assert [a.lines for a in articles] == [a.lines for a in digest.articles]
    assert [(d.line, d.column, d.message) for d in streamed] == [
        (d.line, d.column, d.message) for d in found
    ]
    assert digestkit.loads(digestkit.dumps(digest)) == digest
    return digest, found


def _two(marker: str, second: str | None = None) -> str:
    return f"One\n\nLead one.\n\nBody one.\n\n{marker}\n\nTwo\n\nLead two.\n\n{second or marker}\n"


# --- 1. marker lines with a tail or padding --------------------------------------------------


@pytest.mark.parametrize(
    "marker",
    [
        "Read more: https://example.com/a?b=1",
        "Keep reading → https://example.com/x",
        "Continue reading (3 min read)",
        "Read more | 4 min",
        "[Read more](https://example.com/a)",
        "Read more — 12 minutes",
        "Leer más: www.example.es/nota",
    ],
)
def test_marker_with_a_tail(marker: str) -> None:
    assert _read(_two(marker)) == (_TWO, [])


@pytest.mark.parametrize(
    "marker",
    [
        "\u00a0Keep reading\u00a0",
        "Keep\u202freading",
        "\u200bRead more\u200b",
        "\u2060Continue reading\u2060",
        "\u200eKeep reading\u200f",
        "\u061cRead more",
        "\ufeffKeep reading",
        "Keep\u00a0\u00a0reading\u00a0»",
    ],
)
def test_marker_with_invisible_padding(marker: str) -> None:
    assert _read(_two(marker)) == (_TWO, [])


def test_text_after_a_phrase_is_not_a_tail() -> None:
    digest, _ = _read(_two("Keep reading", "Read more about the war"))
    assert digest.articles[1].body == ("Read more about the war",)


# --- 2. markers in many languages ------------------------------------------------------------


def test_the_table_has_twelve_languages_or_more() -> None:
    assert len({language.split("-")[0] for _, language in MARKERS}) >= 12


@pytest.mark.parametrize(("phrase", "language"), MARKERS)
def test_built_in_marker_in_its_language(phrase: str, language: str) -> None:
    assert _read(_two(phrase)) == (_TWO, []), language
    assert _read(_two(phrase.upper() + " »")) == (_TWO, []), language


@pytest.mark.parametrize(
    ("line", "text", "marker"),
    [
        ("東京で会議が開かれた。続きを読む", "東京で会議が開かれた。", "続きを読む"),
        ("会议在北京举行。阅读全文", "会议在北京举行。", "阅读全文"),
        ("انتهى الاجتماع. اقرأ المزيد", "انتهى الاجتماع.", "اقرأ المزيد"),
        ("Der Krieg ist vorbei. Weiterlesen »", "Der Krieg ist vorbei.", "Weiterlesen »"),
    ],
)
def test_glued_marker_in_its_typography(line: str, text: str, marker: str) -> None:
    digest, found = _read(f"H\n\nLead.\n\n{line}\n\nNext\n\nLead.\n\nKeep reading")
    assert digest.articles[0].body == (text,)
    assert len(digest.articles) == 2
    assert [marker in d.message for d in found] == [True]


def test_caseless_phrase_after_a_word_is_text() -> None:
    # No sentence end before it: in a script without case, that is prose.
    digest, _ = _read("H\n\nLead.\n\nنص اقرأ المزيد\n\nKeep reading")
    assert digest.articles[0].body == ("نص اقرأ المزيد",)


def test_docs_table_is_the_code_table() -> None:
    docs = Path(__file__).parents[3] / "docs" / "format.md"
    section = docs.read_text(encoding="utf-8").split("### Built-in end markers", 1)[1]
    rows = re.findall(r"^\| `([^`]+)` \| `([^`]+)` \|$", section, re.MULTILINE)
    assert tuple(rows) == MARKERS


# --- 3. named markers, as tolerant, and several ----------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "Seguir leyendo",
        "seguir leyendo",
        "SEGUIR\u00a0LEYENDO",
        "Seguir leyendo »",
        "[Seguir leyendo]",
        "Seguir leyendo…",
        "Seguir leyendo → https://example.es/a",
        "\u200bSeguir leyendo (3 min)",
    ],
)
def test_named_marker_is_as_tolerant_as_the_built_ins(written: str) -> None:
    assert _read(_two(written), marker="Seguir leyendo") == (_TWO, [])


def test_several_named_markers() -> None:
    text = _two("Seguir leyendo", "FIN")
    assert _read(text, markers=["Seguir leyendo", "Fin"]) == (_TWO, [])
    assert _read(text, marker=["Seguir leyendo", "Fin"]) == (_TWO, [])
    # Named markers replace the built-ins.
    digest, _ = _read(_two("Keep reading"), markers=["Fin"])
    assert len(digest.articles) == 1


def test_named_markers_round_trip() -> None:
    digest = Digest([Article("H", "fin"), Article("Seguir leyendo »", "x")])
    text = digestkit.dumps(digest, marker=["Fin", "Seguir leyendo"])
    assert text.endswith("\n\nFin\n")
    assert digestkit.loads(text, markers=["Fin", "Seguir leyendo"]) == digest


# --- 4. blank-looking lines ------------------------------------------------------------------


@pytest.mark.parametrize("blank", ["\u00a0", "\u3000", "\u200b", " \u00a0\t\u2060 ", "\ufeff"])
def test_line_of_white_space_or_invisibles_is_blank(blank: str) -> None:
    text = f"One\n{blank}\nLead one.\n{blank}\nBody one.\n\nKeep reading\n{blank}\nTwo\n\n"
    assert _read(text + "Lead two.\n\nKeep reading") == (_TWO, [])


def test_content_keeps_its_no_break_spaces_and_an_nbsp_paragraph_round_trips() -> None:
    digest = Digest([Article("H\u00a0", "\u00a0", ["\u3000", "x\u00a0" * 8]), Article("\u200b")])
    text = digestkit.dumps(digest)
    assert "\n\\\u00a0\n" in text
    assert _read(text)[0] == digest


# --- 5. other line breaks --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "second"),
    [
        ("One\x0cLead one.\x0cBody one.\x0cKeep reading\x0cTwo\x0cLead two.\x0cKeep reading", 9),
        ("One\u2029Lead one.\u2029Body one.\u2029Keep reading\u2029Two\u2029Lead two.", 9),
        ("One\n\nLead one.\n\nBody\x0bone.\n\nKeep reading\u2028\u2028Two\x85\x85Lead two.", 10),
    ],
)
def test_other_line_breaks_are_line_ends(text: str, second: int) -> None:
    # FORM FEED and PARAGRAPH SEPARATOR count as a line end and a blank line.
    digest, _ = _read(text)
    assert digest == _TWO
    assert (digest.articles[0].lines, (digest.articles[1].lines or (0,))[0]) == ((1, 3, 5), second)


# --- 6. separators ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "rule", ["* * *", "***", "---", "___", "===", "• • •", "~~~", "—", "-----"]
)
def test_separator_after_a_marker_is_skipped_with_a_warning(rule: str) -> None:
    text = _two("Keep reading").replace("Keep reading\n\nTwo", f"Keep reading\n\n{rule}\n\nTwo")
    digest, found = _read(text)
    assert digest == _TWO
    assert [(d.line, "separator" in d.message) for d in found] == [(9, True)]


def test_separator_before_a_marker_ends_the_article_once() -> None:
    text = _two("Keep reading").replace("Body one.\n\n", "Body one.\n\n* * *\n\n", 1)
    digest, found = _read(text)
    assert digest == _TWO
    assert [d.line for d in found] == [7]


def test_separators_alone_part_articles_and_never_make_a_headline() -> None:
    digest, found = _read("One\n\nLead one.\n\nBody one.\n\n---\n\nTwo\n\nLead two.\n\n---\n")
    assert digest == _TWO
    assert all("separator" in d.message for d in found)


def test_fence_on_line_one_is_still_front_matter() -> None:
    digest, _ = _read("---\ntitle: T\n---\n" + _two("Keep reading"))
    assert digest.metadata.title == "T"
    assert digest.articles == _TWO.articles


def test_separator_lookalike_content_is_escaped() -> None:
    digest = Digest([Article("* * *", "—", ["___", "~~~ ~"])])
    assert _read(digestkit.dumps(digest))[0] == digest


# --- 7. e-mail shapes ------------------------------------------------------------------------


def test_quoted_digest_is_read_with_one_level_removed() -> None:
    text = "".join(f"> {line}\n" if line else ">\n" for line in _two("Keep reading").split("\n"))
    assert _read(text) == (_TWO, [])
    digest, _ = _read(text.replace("> Lead one.", "> > Lead one."))
    assert digest.articles[0].lead == "> Lead one."


def test_signature_delimiter_ends_the_digest_with_a_count() -> None:
    text = _two("Keep reading") + "\n-- \nJane Doe\nExample News\n"
    digest, found = _read(text)
    assert digest == _TWO
    assert [(d.line, "3 lines after it left out" in d.message) for d in found] == [(15, True)]


def test_two_dashes_without_the_space_are_text() -> None:
    digest, _ = _read("H\n\n--\n\nKeep reading")
    assert digest.articles[0].lead == "--"


# --- 8. lists --------------------------------------------------------------------------------


@pytest.mark.parametrize("bullet", ["•", "-", "*", "–", "·", "▪", "1.", "2)"])
def test_list_after_a_colon_is_one_paragraph_per_item(bullet: str) -> None:
    text = f"H\n\nThree things:\n{bullet} first\n{bullet} second\n{bullet} third\n\nKeep reading"
    digest, found = _read(text)
    assert digest.articles[0].paragraphs == (
        "Three things:",
        f"{bullet} first",
        f"{bullet} second",
        f"{bullet} third",
    )
    assert digest.articles[0].lines == (1, 3, 4, 5, 6)
    assert found == []


def test_list_as_its_own_paragraph() -> None:
    digest, _ = _read("H\n\nLead.\n\n- one\n- two\n\nKeep reading")
    assert digest.articles[0].body == ("- one", "- two")


def test_wrapped_line_that_starts_with_a_dash_is_joined() -> None:
    digest, _ = _read("H\n\nThe minister, who spoke\n- briefly - on Sunday.\n\nKeep reading")
    assert digest.articles[0].lead == "The minister, who spoke - briefly - on Sunday."


# --- 9. a glued marker never sits on a headline ---------------------------------------------


def test_headline_ending_in_a_phrase_is_a_headline() -> None:
    text = "Here's Why Americans Should Read More\n\nLead.\n\nKeep reading\n"
    assert _read(text) == (Digest([Article(text.split("\n")[0], "Lead.")]), [])


@pytest.mark.parametrize(
    ("line", "body", "orphan"),
    [
        # Punctuation alone is no text for a glued marker to follow: the line is one paragraph.
        ("> Read More", ("> Read More",), False),
        ("-- Read More", ("-- Read More",), False),
        # In a script without case too: a sentence end with no text before it.
        ("。続きを読む", ("。続きを読む",), False),
        # A leader of the marker-line grammar: the line is a marker, the next one an orphan.
        ("… Keep Reading", (), True),
    ],
)
def test_punctuation_before_a_phrase_is_no_paragraph(
    line: str, body: tuple[str, ...], orphan: bool
) -> None:
    digest, found = _read(f"H\n\nLead.\n\n{line}\n\nKeep reading")
    assert digest == Digest([Article("H", "Lead.", body)])
    assert [a.lines for a in digest.articles] == [(1, 3, *([5] if body else []))]
    orphaned = [(7, "end marker with no article before it: ignored")] if orphan else []
    assert [(d.line, d.message) for d in found] == orphaned


# --- never silent ----------------------------------------------------------------------------


def _unknown_marker_digest(articles: int) -> str:
    return "".join(
        f"Headline {i}\n\nLead {i}.\n\nBody {i}.\n\nLue lisää\n\n" for i in range(articles)
    )


def test_unknown_marker_that_swallows_the_digest_is_reported() -> None:
    digest, found = _read(_unknown_marker_digest(4))
    assert len(digest.articles) == 1
    recurs = [d for d in found if "recurs" in d.message]
    assert [d.line for d in recurs] == [15]
    with pytest.raises(ParseError):
        digestkit.loads(_unknown_marker_digest(4), strict=True)


def test_article_of_many_times_the_median_is_reported() -> None:
    normal = "".join(f"H{i}\n\nLead.\n\nKeep reading\n\n" for i in range(5))
    long = "Long\n\n" + "".join(f"Paragraph {i}.\n\n" for i in range(12)) + "Keep reading\n"
    _, found = _read(normal + long)
    assert [(d.line, "median" in d.message) for d in found] == [(31, True)]


def test_headline_longer_than_its_paragraphs_is_reported() -> None:
    headline = "This is a whole sentence that reads like a paragraph. " * 2 + "It goes on."
    _, found = _read(f"{headline}\n\nShort.\n\nKeep reading\n")
    assert [(d.line, "longer than every paragraph" in d.message) for d in found] == [(1, True)]


def test_no_false_alarm_on_the_sample(sample_bytes: bytes) -> None:
    found: list[Diagnostic] = []
    digestkit.loads(sample_bytes, diagnostics=found)
    assert found == []
    written = digestkit.dumps(digestkit.loads(sample_bytes), final_newline=False)
    assert written.encode("utf-8") == sample_bytes
