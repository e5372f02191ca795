"""Every Markdown file digestkit writes is already formatted: ``mdformat --check`` accepts it.

mdformat (with mdformat-frontmatter, as a static site's pre-commit hook would run it) renders
Markdown from its own parse, so its output is its canonical spelling of the document. Where
mdformat's formatting would change the text, the digest cannot both round-trip and pass, and
the round trip wins; those digests are set apart by :func:`mdformat_keeps`, which names each
case, and the rest are checked.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import mdformat
from hypothesis import given, settings

import digestkit
from digestkit.model import Digest
from digestkit.testing import digests

_EXTENSIONS = {"frontmatter"}


def mdformat_keeps(digest: Digest) -> bool:
    """Return whether mdformat's formatting leaves the text of ``digest`` as it is.

    mdformat changes the text in three cases:

    * a TAB, or two spaces in a row, in a headline or paragraph: it writes one space
      (HTML renders them alike, the digest does not);
    * Unicode white space at either end of a headline or the title: it writes the bare
      character, which CommonMark then trims (in paragraphs it keeps digestkit's ``&#160;``);
    * a paragraph that begins with ``~~~``: it drops the backslash, and the paragraph becomes
      a code fence.
    """
    meta = digest.metadata
    headings = [article.headline for article in digest.articles]
    headings += [meta.title] if meta.title else []
    texts = headings + [p for article in digest.articles for p in article.paragraphs]
    return not (
        any("\t" in text or "  " in text for text in texts)
        or any(text[0].isspace() or text[-1].isspace() for text in headings)
        or any(p.startswith("~~~") for article in digest.articles for p in article.paragraphs)
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


@given(digest=digests())
def test_mdformat_leaves_every_written_file_as_it_is(digest: Digest) -> None:
    written = digestkit.dumps(digest, "markdown")
    if mdformat_keeps(digest):
        assert mdformat.text(written, extensions=_EXTENSIONS) == written


def test_mdformat_check_accepts_a_folder_of_written_files(tmp_path: Path) -> None:
    # The command line, as a pre-commit hook runs it, over files drawn like the ones above.
    kept = []

    @settings(max_examples=40, database=None)
    @given(digest=digests())
    def draw(digest: Digest) -> None:
        if mdformat_keeps(digest):
            kept.append(digest)

    draw()
    for number, digest in enumerate(kept):
        (tmp_path / f"{number}.md").write_text(digestkit.dumps(digest, "markdown"), "utf-8")
    assert kept
    run = subprocess.run(
        [sys.executable, "-m", "mdformat", "--check", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
