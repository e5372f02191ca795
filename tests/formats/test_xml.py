"""The XML format: round trips, the XSD, exact text, structure errors with lines."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

import digestkit
from digestkit import schemas
from digestkit.errors import OptionError, ParseError
from digestkit.model import Article, Digest, Metadata
from digestkit.testing import digests

XSD = etree.XMLSchema(etree.fromstring(schemas.xsd()))
NS = "urn:digestkit:digest:1"

DIGEST = Digest(
    [
        Article("\u00a0Head\tline\u00a0", "Lead <&> ]]> \u202f", ["Body\t\tone", "“Two”\u00a0"]),
        Article("Only a headline"),
    ],
    Metadata(title="T & U", language="de", date=dt.date(2025, 10, 20), source="S", identifier="I"),
)


def valid(data: bytes) -> bool:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return XSD.validate(etree.fromstring(data, parser))


def dumps(digest: Digest, **options: object) -> str:
    """Write a digest as XML, asserting the document matches the XSD."""
    text = digestkit.dumps(digest, "xml", **options)
    assert valid(text.encode()), XSD.error_log
    return text


@given(digests(), st.sampled_from([None, 0, 2]))
def test_round_trip_and_every_written_document_matches_the_xsd(digest, indent):
    data = dumps(digest, indent=indent).encode()
    assert digestkit.loads(data, "xml") == digest


def test_shape():
    text = dumps(Digest([Article("H", "L", ["P"])], Metadata(title="T")))
    assert text == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<digest xmlns="{NS}">\n'
        "  <metadata>\n"
        "    <title>T</title>\n"
        "    <language>en</language>\n"
        "  </metadata>\n"
        "  <article>\n"
        "    <headline>H</headline>\n"
        "    <lead>L</lead>\n"
        "    <p>P</p>\n"
        "  </article>\n"
        "</digest>\n"
    )


def test_compact_output_has_no_whitespace_between_elements():
    text = dumps(Digest([Article("H")]), indent=None)
    assert text.splitlines()[1] == (
        f'<digest xmlns="{NS}"><metadata><language>en</language></metadata>'
        "<article><headline>H</headline></article></digest>"
    )


def test_text_is_written_and_read_exactly():
    data = dumps(DIGEST).encode()
    assert "<headline>\u00a0Head\tline\u00a0</headline>".encode() in data
    assert "<lead>Lead &lt;&amp;&gt; ]]&gt; \u202f</lead>".encode() in data
    read = digestkit.loads(data, "xml")
    assert read == DIGEST
    assert read.articles[0].headline == "\u00a0Head\tline\u00a0"


def test_output_is_utf8_and_does_not_depend_on_the_hash_seed():
    # One process always repeats itself; processes with other hash seeds show whether an
    # order comes from a set or from hashing.
    data = digestkit.dumps(DIGEST, "xml").encode()
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    code = (
        "import sys, digestkit\n"
        "digest = digestkit.loads(sys.stdin.buffer.read(), 'xml')\n"
        "sys.stdout.buffer.write(digestkit.dumps(digest, 'xml').encode())\n"
    )
    for seed in ("0", "1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run(
            [sys.executable, "-c", code], input=data, capture_output=True, check=True, env=env
        )
        assert result.stdout == data


@pytest.mark.parametrize("indent", [-1, "  ", 1.5, True])
def test_bad_indent_is_refused(indent):
    with pytest.raises(OptionError):
        digestkit.dumps(DIGEST, "xml", indent=indent)


def _doc(articles: str = "<article><headline>H</headline></article>", meta: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<digest xmlns="{NS}">\n'
        f"<metadata>{meta or '<language>en</language>'}</metadata>\n{articles}\n</digest>\n"
    ).encode()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            _doc(
                "<!-- c --><article><!-- c --><headline>H<!-- c -->I</headline><?pi x?></article>"
            ),
            Digest([Article("HI")]),
        ),
        (_doc("<article><headline><![CDATA[<b>]]></headline></article>"), Digest([Article("<b>")])),
        (
            _doc("<article><headline>&#160;&#x9;x</headline><lead>&lt;</lead></article>"),
            Digest([Article("\u00a0\tx", "<")]),
        ),
        (
            _doc(meta="<language>fr</language><date>\n 2024-02-29 </date>"),
            Digest([Article("H")], Metadata(language="fr", date=dt.date(2024, 2, 29))),
        ),
        (_doc("<?xml-stylesheet href='x'?>"), Digest([])),
        (
            _doc("<article><headline>é</headline></article>")
            .replace(b"UTF-8", b"ISO-8859-1")
            .replace("é".encode(), b"\xe9"),
            Digest([Article("é")]),
        ),
        (_doc().decode().replace("UTF-8", "UTF-16").encode("utf-16"), Digest([Article("H")])),
    ],
)
def test_accepted_variants_agree_with_the_xsd(data, expected):
    assert valid(data)
    assert digestkit.loads(data, "xml") == expected


@pytest.mark.parametrize(
    ("data", "line", "fragment"),
    [
        (_doc("<article>\n<lead>L</lead></article>"), 4, "must begin with a <headline>"),
        (_doc("<article>\n</article>"), 4, "must begin with a <headline>"),
        (_doc("<article><headline>H</headline>\n<p>P</p></article>"), 5, "unexpected <p>"),
        (
            _doc("<article><headline>H</headline><lead>L</lead>\n<lead>M</lead></article>"),
            5,
            "unexpected <lead>",
        ),
        (_doc("<article><headline>H</headline>\n<footer/></article>"), 5, "unexpected <footer>"),
        (_doc("<article>\ntext<headline>H</headline></article>"), 4, "text is not allowed"),
        (_doc("<article><headline>H</headline>\n</article>tail"), 4, "(found after <article>)"),
        (_doc("<article><headline>\n<b>H</b></headline></article>"), 5, "holds text only"),
        (_doc('<article>\n<headline class="x">H</headline></article>'), 5, "takes no attributes"),
        (
            _doc('<article>\n<x:headline xmlns:x="urn:other">H</x:headline></article>'),
            5,
            "unknown element <headline> in namespace urn:other",
        ),
        (_doc("<article>\n<headline> H</headline></article>"), 5, "<headline>: must not begin"),
        (
            _doc("<article><headline>H</headline><lead>L</lead>\n<p></p></article>"),
            5,
            "<p>: must not be empty",
        ),
        (
            _doc("<article><headline>H</headline>\n<lead>a&#10;b</lead></article>"),
            5,
            "<lead>: holds a line break",
        ),
        (
            _doc("<article><headline>H</headline>\n<lead>a\x85b</lead></article>"),
            5,
            "<lead>: holds a line break (U+0085)",
        ),
        (_doc("<article><headline>H&#x1FFFE;</headline></article>"), 4, "<headline>: holds"),
        (_doc("\n<article/>"), 5, "must begin with a <headline>"),
        (_doc(meta="<title>T</title>"), 3, "<metadata> has no <language>"),
        (_doc(meta="<language>en</language>\n<title>T</title>"), 4, "repeated or out of order"),
        (_doc(meta="<language>en</language>\n<language>de</language>"), 4, "repeated"),
        (_doc(meta="<language>en</language>\n<editor>A</editor>"), 4, "unknown element <editor>"),
        (_doc(meta="<language>e n</language>"), 3, "<language>: expected a BCP 47"),
        (
            _doc(meta="<language>en</language><date>2025-02-30</date>"),
            3,
            "<date>: expected a day of the calendar",
        ),
        (_doc(meta="<language>en</language><date>20250210</date>"), 3, "<date>: expected a day as"),
        (
            _doc(meta="<language>en</language><date>2025-02-10Z</date>"),
            3,
            "<date>: expected a day as",
        ),
        (
            f'<digest xmlns="{NS}">\n<article><headline>H</headline></article></digest>'.encode(),
            2,
            "must begin with <metadata>",
        ),
        (f'<digest xmlns="{NS}"/>'.encode(), 1, "must begin with <metadata>"),
        (_doc("<metadata><language>en</language></metadata>"), 4, "unexpected <metadata>"),
        (b"<digest/>", 1, "unknown element <digest> in no namespace"),
        (f'<article xmlns="{NS}"/>'.encode(), 1, "expected the root element <digest>"),
        (_doc().replace(NS.encode(), b"urn:digestkit:digest:2"), 2, "XML format version 2"),
        (_doc().replace(NS.encode(), b"urn:digestkit:digest:" + b"9" * 5000), 2, "is newer"),
        (_doc().replace(NS.encode(), b"urn:digestkit:digest:" + b"0" * 5000 + b"2"), 2, "is newer"),
    ],
)
def test_structure_errors_name_the_line_and_agree_with_the_xsd(data, line, fragment):
    with pytest.raises(ParseError) as info:
        digestkit.loads(data, "xml", source="in.xml")
    assert fragment in info.value.message
    assert (info.value.source, info.value.line) == ("in.xml", line)
    assert not valid(data)


@pytest.mark.parametrize(
    ("data", "line", "column"),
    [
        (b"", 1, 1),
        (b"<digest", 1, 8),
        (_doc("<article><headline>H</article>"), 4, 31),
        (_doc("<article><headline>&nbsp;</headline></article>"), 4, 26),
        (b"\x00\x01", 1, 1),
        (_doc().replace(b"</digest>", b"</digest><second/>"), 5, 10),
    ],
)
def test_malformed_xml_gives_line_and_column(data, line, column):
    with pytest.raises(ParseError) as info:
        digestkit.loads(data, "xml")
    assert "not well-formed XML" in info.value.message
    assert (info.value.line, info.value.column) == (line, column)


_PIECES = st.sampled_from(
    [
        "<article>",
        "</article>",
        "<headline>",
        "</headline>",
        "<lead>",
        "</lead>",
        "<p>",
        "</p>",
        "x",
        " ",
        "\n",
        "&amp;",
        "<!--c-->",
        "<![CDATA[y]]>",
        "<p/>",
        "\u00a0",
        "<?pi?>",
    ]
)


@given(st.lists(_PIECES, max_size=12))
def test_element_soups_parse_or_raise_parse_error_as_the_xsd_says(pieces):
    data = _doc("".join(pieces))
    try:
        digestkit.loads(data, "xml")
        accepted = True
    except ParseError:
        accepted = False
    try:
        valid_ = valid(data)
    except etree.XMLSyntaxError:
        valid_ = False
    assert accepted == valid_


def test_lxml_is_imported_only_to_read_xml():
    code = (
        "import sys, digestkit\n"
        "from digestkit.formats import xml\n"
        "d = digestkit.loads('H\\n\\nL\\n\\nKeep reading\\n')\n"
        "for f in ('json', 'jsonl', 'xml'):\n"
        "    digestkit.loads(digestkit.dumps(d, f), f) if f != 'xml' else digestkit.dumps(d, f)\n"
        "assert 'lxml' not in sys.modules, 'lxml imported'\n"
        "digestkit.loads(digestkit.dumps(d, 'xml'), 'xml')\n"
        "assert 'lxml' in sys.modules\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_reading_without_lxml_says_which_extra_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "lxml", None)
    with pytest.raises(digestkit.MissingDependencyError, match=r"needs lxml.*digestkit\[xml\]"):
        digestkit.loads(_doc(), "xml")
    assert digestkit.dumps(DIGEST, "xml")  # writing needs no lxml


def test_text_after_a_comment_is_refused():
    # Comments never reach the tree (the parser drops them, so a million of them cost
    # nothing): the stray text is found after the element before the comment.
    with pytest.raises(ParseError, match=r"text is not allowed directly in <digest>"):
        digestkit.loads(_doc("<!-- c -->stray"), "xml")
