"""Every Markdown file digestkit writes is already formatted: ``mdformat --check`` accepts it.

mdformat (with mdformat-frontmatter, as a static site's pre-commit hook would run it) renders
Markdown from its own parse, so its output is its canonical spelling of the document. The
check runs on every drawn digest and compares line by line: a line mdformat rewrites must be
one of the three that mdformat 1.0 rewrites whatever the spelling (:func:`_refused`), because
it renders from the decoded text, so a character reference or a backslash does not survive it:

* a TAB, or two spaces in a row, in a headline or paragraph: it writes one space (``&#9;``
  and ``&#32;`` are decoded first, then collapsed alike);
* Unicode white space at either end of a heading: it writes the bare character (it re-spells
  such a character as a reference at the ends of a paragraph, not of a heading), which
  CommonMark then trims;
* a paragraph that begins with ``~~~``: it drops the escape (``\\~~~`` and ``&#126;~~`` alike)
  and the paragraph becomes a code fence (hukkin/mdformat#590).

Keeping these would change the text, and the round trip wins. Every other line is checked.
"""

from __future__ import annotations

import operator
import re
import subprocess
import sys
from pathlib import Path

import mdformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import digestkit
from digestkit.model import Article, Digest, Metadata
from digestkit.testing import digests, lines

_EXTENSIONS = {"frontmatter"}
_HEADING = re.compile(r"#{1,2} ")
_EDGES = re.compile(r"\A&#([0-9]+);|&#([0-9]+);\Z")


def _refused(line: str) -> str | None:
    """Return which of the three cases makes mdformat 1.0 rewrite ``line``, if one does.

    ``line`` is a line of the body as digestkit writes it (not front matter).
    """
    if "\t" in line or "  " in line:
        return "spaces"
    if _HEADING.match(line):
        text = line.split(" ", 1)[1]
        for edge in _EDGES.finditer(text):
            if chr(int(edge.group(1) or edge.group(2))).isspace():
                return "heading edge"
    if line.startswith("\\~~~"):
        return "tilde"
    return None


def _body(written: str) -> list[str]:
    """Return the lines of ``written`` after its front matter, if any."""
    rows = written.split("\n")
    if rows[0] == "---":
        return rows[rows.index("---", 1) + 1 :]
    return rows


def _rewritten(written: str) -> list[tuple[str, str]]:
    """Return the body lines mdformat rewrites, each with what it writes instead."""
    formatted = mdformat.text(written, extensions=_EXTENSIONS)
    ours, theirs = _body(written), _body(formatted)
    if len(theirs) == len(ours) + 1:
        # A paragraph turned into a code fence runs to the end, where mdformat closes it.
        closing = theirs.pop(-2)
        assert set(closing) == {"~"}, formatted
    assert len(theirs) == len(ours), formatted
    return [(mine, other) for mine, other in zip(ours, theirs, strict=True) if mine != other]


# Texts shaped like the three cases, and like the structure the writer escapes, which random
# text seldom is (a paragraph starting "~~~" is about one digest in 150 of digests()).
_PREFIXES = ["~~~", "~~~ ", "```", "# ", "## ", "> ", "- ", "1. ", "***", "\u3000", "\u00a0"]
_SUFFIXES = [" #", "#", "\\", "\u3000", "\u2003", "\u00a0", "  x", "\tx"]
_texts = st.one_of(
    lines(),
    st.builds(operator.add, st.sampled_from(_PREFIXES), lines()),
    st.builds(operator.add, lines(), st.sampled_from(_SUFFIXES)),
)


@st.composite
def _shaped_digests(draw: st.DrawFn) -> Digest:
    count = draw(st.integers(1, 4))
    return Digest(
        [
            Article(draw(_texts), draw(_texts), draw(st.lists(_texts, max_size=3)))
            for _ in range(count)
        ]
    )


def test_mdformat_check_accepts_the_sample(sample_path: Path, tmp_path: Path) -> None:
    written = tmp_path / "sample.md"
    written.write_bytes(digestkit.dumps(digestkit.load(sample_path), "markdown").encode("utf-8"))
    run = subprocess.run(
        [sys.executable, "-m", "mdformat", "--check", str(written)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr


@given(digest=st.one_of(digests(), _shaped_digests()))
def test_mdformat_rewrites_no_line_but_the_three_it_cannot_keep(digest: Digest) -> None:
    written = digestkit.dumps(digest, "markdown")
    for mine, other in _rewritten(written):
        assert _refused(mine), (mine, other)
    assert digestkit.loads(written, "markdown") == digest


@pytest.mark.parametrize(
    ("text", "case"),
    [
        ("a\tb", "spaces"),
        ("a  b", "spaces"),
        ("\u3000ideographic", "heading edge"),
        ("no-break\u00a0", "heading edge"),
        ("~~~ tildes", "tilde"),
    ],
)
def test_the_three_cases_are_still_rewritten_by_mdformat(text: str, case: str) -> None:
    # If mdformat learns to keep one, this fails: drop the case from _refused and the docs.
    written = digestkit.dumps(Digest([Article(text, text)]), "markdown")
    cases = {_refused(mine) for mine, _ in _rewritten(written)}
    assert case in cases


def test_mdformat_check_accepts_a_folder_of_written_files(tmp_path: Path) -> None:
    # The command line, as a pre-commit hook runs it, over files drawn like the ones above.
    kept = []

    @settings(max_examples=40, database=None)
    @given(digest=st.one_of(digests(), _shaped_digests()))
    def draw(digest: Digest) -> None:
        written = digestkit.dumps(digest, "markdown")
        if not any(map(_refused, _body(written))):
            kept.append(written)

    draw()
    for number, written in enumerate(kept):
        (tmp_path / f"{number}.md").write_text(written, "utf-8")
    assert kept
    run = subprocess.run(
        [sys.executable, "-m", "mdformat", "--check", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr


@pytest.mark.parametrize(
    "headline",
    [
        "C#",
        "ends with hashes ##",
        "#",
        "# hash first",
        "a \\# escaped",
        "no-break before a hash\u00a0#",
        "two\u3000\u3000ideographic spaces inside",
        "\ufeffa byte order mark first",
        "a zero-width space last\u200b",
        "\u2003em space first",
        "ogham space mark last\u1680",
        "narrow no-break space last\u202f",
    ],
)
def test_headlines_read_back_and_mdformat_rewrites_only_white_space_ends(headline: str) -> None:
    digest = Digest([Article(headline, "Lead.")], Metadata(title=headline))
    written = digestkit.dumps(digest, "markdown")
    assert digestkit.loads(written, "markdown") == digest
    for mine, other in _rewritten(written):
        assert _refused(mine) == "heading edge", (mine, other)
