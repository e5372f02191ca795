"""The rules Send-to-Kindle is known to reject books on, checked on what the writer produces.

Every XML document opens with a declaration naming its encoding; ``dc:language`` is one
Kindle supports; no link points at a ``<body>`` id; every ``<img>`` has a ``src``; every
document is under 300 KB and the book under 50 MB: an article too long for one document is
split between paragraphs, and what cannot be split draws a ``WriteWarning``.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from digestkit import api
from digestkit.cli import main
from digestkit.errors import WriteWarning
from digestkit.formats import epub
from digestkit.model import Article, Digest, Metadata
from digestkit.testing import digests

from .epub_books import books, long_article, sample

DOCUMENT_LIMIT = 300 * 1024
BOOK_LIMIT = 50 * 1024 * 1024
# Kindle's supported languages (primary subtags), from its publishing guidelines.
_LANGUAGES = "af ar bg ca cs cy da de el en es et eu fa fi fr ga gd gl gu he hi hr hu id is it "
_LANGUAGES += "ja kn ko la lt lv ml mr nb nl nn no pl pt ro ru sk sl sq sr sv ta te tr uk ur zh"
KINDLE_LANGUAGES = frozenset(_LANGUAGES.split(" "))
_DECLARATION = re.compile(rb"""<\?xml version=(["'])1\.[01]\1 encoding=(["'])(?i:utf-8)\2\?>""")
XHTML = "{http://www.w3.org/1999/xhtml}"


def kindle_problems(data: bytes) -> list[str]:
    """Return what Send-to-Kindle would reject ``data`` for, one line per problem."""
    problems = []
    if len(data) >= BOOK_LIMIT:
        problems.append(f"the book is {len(data)} bytes, at least 50 MB")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    body_ids: set[tuple[str, str]] = set()
    links: list[tuple[str, str, str]] = []
    for name, content in members.items():
        if not name.endswith((".xhtml", ".opf", ".ncx", ".xml", ".svg")):
            continue
        if not _DECLARATION.match(content):
            problems.append(f"{name}: no XML declaration naming its encoding")
        if len(content) >= DOCUMENT_LIMIT:
            problems.append(f"{name}: {len(content)} bytes, at least 300 KB")
        root = etree.fromstring(content)
        if name.endswith(".opf"):
            problems.extend(
                f"{name}: dc:language {language.text!r} is not supported"
                for language in root.iter("{http://purl.org/dc/elements/1.1/}language")
                if (language.text or "").split("-")[0].lower() not in KINDLE_LANGUAGES
            )
        body = root.find(f"{XHTML}body")
        body_id = None if body is None else body.get("id")
        if body_id:
            body_ids.add((name.rsplit("/", 1)[-1], body_id))
        images = root.iter(f"{XHTML}img")
        problems.extend(f"{name}: an <img> without src" for img in images if not img.get("src"))
        for anchor in root.iter(f"{XHTML}a"):
            parts = urlsplit(anchor.get("href", ""))
            links.append((name, parts.path or name.rsplit("/", 1)[-1], parts.fragment))
    for name, target, fragment in links:
        if (target, fragment) in body_ids:
            problems.append(f"{name}: links to the <body> id {target}#{fragment}")
    return problems


@pytest.fixture(scope="module")
def written() -> dict[str, bytes]:
    return {**books(), "long-article": api.dumps(long_article(), "epub")}


@pytest.mark.parametrize(
    "name",
    ["sample", "arabic", "hebrew", "japanese", "every-field", "200-articles", "long-article"],
)
def test_send_to_kindle_would_take_the_book(written: dict[str, bytes], name: str) -> None:
    assert kindle_problems(written[name]) == []


def test_the_check_sees_what_kindle_rejects(written: dict[str, bytes]) -> None:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(written["sample"])) as source,
        zipfile.ZipFile(out, "w") as target,
    ):
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "EPUB/a00001.xhtml":
                content = content.replace(b' encoding="UTF-8"', b"")
                content = content.replace(b"<body>", b'<body id="b"><img alt=""/>')
            if info.filename == "EPUB/nav.xhtml":
                content = content.replace(b'href="a00001.xhtml"', b'href="a00001.xhtml#b"', 1)
            target.writestr(info, content)
    problems = kindle_problems(out.getvalue())
    assert any("no XML declaration" in p for p in problems)
    assert any("<img> without src" in p for p in problems)
    assert any("<body> id" in p for p in problems)
    with pytest.warns(WriteWarning, match=r"1 document over 300,000 bytes.*a00001\.xhtml"):
        big = api.dumps(
            Digest([Article("H", "x" * DOCUMENT_LIMIT)], Metadata(language="xx")), "epub"
        )
    problems = kindle_problems(big)
    assert any("at least 300 KB" in p for p in problems)
    assert any("not supported" in p for p in problems)


def test_the_writer_keeps_within_what_the_check_reads_as_kindle_limits() -> None:
    assert epub.DEFAULT_MAX_DOCUMENT_BYTES < DOCUMENT_LIMIT
    assert epub.DEFAULT_MAX_BOOK_BYTES < BOOK_LIMIT


def _documents(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            info.filename.removeprefix("EPUB/"): archive.read(info)
            for info in archive.infolist()
            if info.filename.endswith(".xhtml")
        }


def test_a_long_article_is_split_and_reads_back_as_one(written: dict[str, bytes]) -> None:
    digest = long_article()
    data = written["long-article"]
    documents = _documents(data)
    parts = sorted(name for name in documents if name.startswith("a00002"))
    assert parts == ["a00002-2.xhtml", "a00002-3.xhtml", "a00002-4.xhtml", "a00002.xhtml"]
    assert sum(len(documents[name]) for name in parts) > 3 * epub.DEFAULT_MAX_DOCUMENT_BYTES
    assert api.loads(data, "epub") == digest
    # The contents and the NCX lead to the article's start only, in the reading order.
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        ncx = archive.read("EPUB/toc.ncx").decode()
        opf = archive.read("EPUB/content.opf").decode()
    for navigation in (documents["nav.xhtml"].decode(), ncx):
        assert "a00002.xhtml" in navigation
        assert "a00002-" not in navigation
    spine = re.findall(r'<itemref idref="(a0000[^"]*)"', opf)
    assert spine == ["a00001", "a00002", "a00002-2", "a00002-3", "a00002-4", "a00003"]
    assert '<meta property="digestkit:layout">3</meta>' in opf
    assert '<meta property="digestkit:layout">2</meta>' in _opf(written["sample"])


def _opf(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("EPUB/content.opf").decode()


def _paragraphs(page: bytes) -> list[bytes]:
    return re.findall(rb"<p>.*?</p>\n", page, flags=re.DOTALL)


# Limits about the size of an empty article document, so that most articles split.
@given(digests(), st.integers(min_value=350, max_value=900))
def test_splitting_round_trips_with_as_few_documents_as_fit(digest: Digest, limit: int) -> None:
    with warnings.catch_warnings():
        # Small limits leave single paragraphs over them: warned about, tested elsewhere.
        warnings.simplefilter("ignore", WriteWarning)
        data = api.dumps(digest, "epub", max_document_bytes=limit)
    assert api.loads(data, "epub") == digest
    documents = _documents(data)
    for index, article in enumerate(digest.articles, start=1):
        names = [f"a{index:05d}.xhtml"]
        while f"a{index:05d}-{len(names) + 1}.xhtml" in documents:
            names.append(f"a{index:05d}-{len(names) + 1}.xhtml")
        pages = [documents[name] for name in names]
        for number, page in enumerate(pages):
            # Over the limit only when it could not be smaller: one paragraph alone.
            alone = len(_paragraphs(page)) <= 1
            assert len(page) <= limit or alone
            if number:
                # Greedy: the next document's first paragraph did not fit in this one.
                assert len(pages[number - 1]) + len(_paragraphs(page)[0]) > limit
        assert sum(len(_paragraphs(page)) for page in pages) == len(article.body)


def test_a_book_over_its_limit_is_written_with_a_warning() -> None:
    digest = sample()
    with pytest.warns(WriteWarning, match=r"the book is [0-9,]+ bytes, over the 5,000"):
        data = api.dumps(digest, "epub", max_book_bytes=5000)
    assert len(data) > 5000
    assert api.loads(data, "epub") == digest


def test_the_command_reports_the_warning_and_strict_fails_on_it(tmp_path, capsys) -> None:
    source = tmp_path / "big.txt"
    source.write_text("Headline\n\n" + "word " * 70_000 + "\n\nKeep reading\n", "utf-8")
    out = tmp_path / "big.epub"
    assert main(["convert", str(source), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert f"{out}: warning: 1 document over 300,000 bytes" in err
    assert api.loads(out.read_bytes(), "epub").articles[0].headline == "Headline"
    strict = tmp_path / "strict.epub"
    assert main(["convert", str(source), "-o", str(strict), "--strict"]) == 1
    err = capsys.readouterr().err
    assert f"{strict}: error: 1 document over 300,000 bytes" in err
    assert "(strict mode)" in err
    assert not strict.exists()
    # A batch reports it the same way, per output file.
    folder = tmp_path / "batch"
    assert main(["convert", str(source), "-d", str(folder), "-t", "epub", "--strict"]) == 1
    assert f"{folder / 'big.epub'}: error: 1 document over" in capsys.readouterr().err
    assert not (folder / "big.epub").exists()
