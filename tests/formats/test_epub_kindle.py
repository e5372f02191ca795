"""The rules Send-to-Kindle is known to reject books on, checked on what the writer produces.

Every XML document opens with a declaration naming its encoding; ``dc:language`` is one
Kindle supports; no link points at a ``<body>`` id; every ``<img>`` has a ``src``; every
document is under 300 KB and the book under 50 MB.
"""

from __future__ import annotations

import io
import re
import zipfile
from urllib.parse import urlsplit

import pytest
from lxml import etree

from digestkit import api
from digestkit.model import Article, Digest, Metadata

from .epub_books import books

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
    return books()


@pytest.mark.parametrize(
    "name", ["sample", "arabic", "hebrew", "japanese", "every-field", "200-articles"]
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
    big = api.dumps(Digest([Article("H", "x" * DOCUMENT_LIMIT)], Metadata(language="xx")), "epub")
    problems = kindle_problems(big)
    assert any("at least 300 KB" in p for p in problems)
    assert any("not supported" in p for p in problems)
