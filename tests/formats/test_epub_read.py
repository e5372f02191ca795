"""The EPUB reader: digestkit's own EPUBs read back exactly; others on a best-effort basis."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from digestkit import api
from digestkit.errors import ParseError
from digestkit.model import Article, Digest, Metadata

CONTAINER = (
    '<?xml version="1.0"?><container version="1.0" '
    'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
    '<rootfile full-path="OEBPS/book.opf" media-type="application/oebps-package+xml"/>'
    "</rootfiles></container>"
)
FOREIGN_OPF = """<?xml version="1.0"?>
<package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="b">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:title>  A   foreign book </dc:title><dc:identifier id="b">isbn:9</dc:identifier>
<dc:language>fr</dc:language><dc:date>2021-03-04T10:00:00Z</dc:date></metadata>
<manifest><item id="c1" href="text/one.xhtml" media-type="application/xhtml+xml"/>
<item id="c2" href="text/two%20x.xhtml" media-type="application/xhtml+xml"/>
<item id="c3" href="text/empty.xhtml" media-type="application/xhtml+xml"/>
<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
<item id="font" href="https://fonts.test/a.woff2" media-type="font/woff2"/></manifest>
<spine toc="ncx"><itemref idref="c1"/><itemref idref="c2"/><itemref idref="c3"/></spine>
</package>"""
PAGE = (
    '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN" '
    '"http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd">\n'
    '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>{title}</title></head>'
    "<body>{body}</body></html>"
)


def _zip(members: dict[str, str | bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in members.items():
            kind = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, content, compress_type=kind)
    return out.getvalue()


def _foreign(opf: str = FOREIGN_OPF) -> bytes:
    return _zip(
        {
            "mimetype": "application/epub+zip",
            "META-INF/container.xml": CONTAINER,
            "OEBPS/book.opf": opf,
            "OEBPS/text/one.xhtml": PAGE.format(
                title="t1",
                body="<div><h2>First\n  <em>story</em></h2><p>Lead\u00a0 text\n wrapped.</p>"
                "<h3>Sub</h3><p>Body <b>bold</b>.</p></div>",
            ),
            "OEBPS/text/two x.xhtml": PAGE.format(title="Second", body="<p>Only text.</p>"),
            "OEBPS/text/empty.xhtml": PAGE.format(title="", body="<div></div>"),
            "OEBPS/toc.ncx": "<ncx/>",
        }
    )


def test_sample_round_trips(sample_bytes):
    digest = api.loads(sample_bytes)
    diagnostics: list = []
    assert api.loads(api.dumps(digest, "epub"), "epub", diagnostics=diagnostics) == digest
    assert diagnostics == []


@pytest.mark.parametrize(
    "digest",
    [
        Digest(),
        Digest([Article("Only a headline")]),
        Digest([Article("H", "L")], Metadata(title="News digest")),
        Digest([Article("H\u00a0", "\u202fL", ["B\u00a0"])], Metadata(identifier="urn:uuid:x")),
    ],
    ids=["empty", "headline-only", "title-equal-to-default", "edge-spaces"],
)
def test_edge_digests_round_trip(digest):
    assert api.loads(api.dumps(digest, "epub"), "epub") == digest


def test_foreign_epub_is_read_best_effort():
    diagnostics: list = []
    digest = api.loads(_foreign(), "epub", source="f.epub", diagnostics=diagnostics)
    assert digest.metadata == Metadata(
        title="A foreign book",
        language="fr",
        date=dt.date(2021, 3, 4),
        identifier="isbn:9",
    )
    assert digest.articles == (
        Article("First story", "Lead\u00a0 text wrapped.", ["Body bold."]),
        Article("Second", "Only text."),
    )
    messages = [d.message for d in diagnostics]
    assert any("not written by digestkit" in m for m in messages)
    assert any("one.xhtml: 2 headings" in m for m in messages)
    assert any("two x.xhtml: no heading; its <title>" in m for m in messages)
    assert any("empty.xhtml: no heading and no title" in m for m in messages)
    assert all(d.source == "f.epub" for d in diagnostics)


def test_foreign_epub_is_refused_in_strict_mode():
    with pytest.raises(ParseError, match="strict mode"):
        api.loads(_foreign(), "epub", strict=True)


def _with_opf(epub: bytes, old: str, new: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(epub)) as archive:
        members: dict[str, str | bytes] = {
            info.filename: archive.read(info) for info in archive.infolist()
        }
    opf = members["EPUB/content.opf"]
    assert isinstance(opf, bytes)
    assert old.encode() in opf
    members["EPUB/content.opf"] = opf.replace(old.encode(), new.encode())
    return _zip(members)


@pytest.mark.parametrize("spelling", ["20251020", "2025-W43-1", "2025-293", "2025-10-20T00:00"])
def test_own_epub_date_is_spelled_as_every_format_spells_it(spelling):
    dated = api.dumps(Digest([Article("H", "L")], Metadata(date=dt.date(2025, 10, 20))), "epub")
    edited = _with_opf(dated, "<dc:date>2025-10-20</dc:date>", f"<dc:date>{spelling}</dc:date>")
    with pytest.raises(ParseError, match=r"invalid metadata: date: expected a day as YYYY-MM-DD"):
        api.loads(edited, "epub")


@pytest.mark.parametrize(
    ("spelling", "date"),
    [
        ("2021-03-04", dt.date(2021, 3, 4)),
        ("2021-03-04T10:00:00+02:00", dt.date(2021, 3, 4)),
        ("2021-W09-4", None),
        ("20210304", None),
        ("2021-02-30", None),
    ],
)
def test_foreign_epub_date_takes_the_day_of_a_date_time(spelling, date):
    foreign = _foreign(FOREIGN_OPF.replace("2021-03-04T10:00:00Z", spelling))
    diagnostics: list = []
    digest = api.loads(foreign, "epub", diagnostics=diagnostics)
    assert digest.metadata.date == date
    refused = [d.message for d in diagnostics if "metadata date" in d.message]
    assert len(refused) == (date is None)


def _epub2(pages: dict[str, str], guide: str = "", title: str = "Book") -> bytes:
    items = "".join(
        f'<item id="p{i}" href="{name}" media-type="application/xhtml+xml"/>'
        for i, name in enumerate(pages)
    )
    refs = "".join(f'<itemref idref="p{i}"/>' for i in range(len(pages)))
    opf = (
        '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="2.0" '
        'unique-identifier="b"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<dc:title>{title}</dc:title><dc:identifier id="b">x</dc:identifier>'
        f"<dc:language>en</dc:language></metadata><manifest>{items}</manifest>"
        f"<spine>{refs}</spine>{guide}</package>"
    )
    members: dict[str, str | bytes] = {
        "mimetype": "application/epub+zip",
        "META-INF/container.xml": CONTAINER,
        "OEBPS/book.opf": opf,
    }
    for name, body in pages.items():
        members[f"OEBPS/{name}"] = PAGE.format(title=name, body=body)
    return _zip(members)


def test_one_document_is_split_at_its_repeated_heading_level():
    body = (
        "<h1>Section</h1><h2>One</h2><p>Lead 1</p><p>Body 1</p><h3>Aside</h3><p>More</p>"
        "<h2>Two</h2><p>Lead 2</p><p>Keep reading</p><h2>Three</h2>"
    )
    diagnostics: list = []
    digest = api.loads(_epub2({"all.xhtml": body}), "epub", diagnostics=diagnostics)
    assert digest.articles == (
        Article("One", "Lead 1", ["Body 1", "More"]),
        Article("Two", "Lead 2"),
        Article("Three"),
    )
    assert any("3 <h2> headings" in d.message for d in diagnostics)


def test_html_named_entities_in_epub2_are_read_from_the_built_in_table():
    body = "<h1>Caf&eacute;&nbsp;news</h1><p>A&nbsp;lead &mdash; <i>x</i>&hellip;</p>"
    digest = api.loads(_epub2({"one.xhtml": body}), "epub")
    assert digest.articles == (Article("Café\u00a0news", "A\u00a0lead — x…"),)


def test_an_unknown_entity_is_refused_with_its_name():
    with pytest.raises(ParseError, match="unknown entity &bogus;"):
        api.loads(_epub2({"one.xhtml": "<h1>A&bogus;</h1><p>L</p>"}), "epub")


def test_epub2_front_matter_is_skipped_by_the_guide_or_a_title_only_page():
    pages = {
        "cover.xhtml": "<h1>Cover</h1><p>Art</p>",
        "title.xhtml": "<h1>My  Book</h1>",
        "one.xhtml": "<h1>Story</h1><p>Lead</p>",
    }
    guide = '<guide><reference type="cover" title="Cover" href="cover.xhtml"/></guide>'
    digest = api.loads(_epub2(pages, guide, title="My Book"), "epub")
    assert digest.articles == (Article("Story", "Lead"),)


def test_paragraphs_with_end_markers_are_read_as_the_text_format_reads_lines():
    body = "<p>Head one</p><p>Lead one</p><p>Keep reading</p><p>Head two</p><p>Lead two</p>"
    digest = api.loads(_epub2({"raw.xhtml": body}), "epub")
    assert digest.articles == (Article("Head one", "Lead one"), Article("Head two", "Lead two"))
