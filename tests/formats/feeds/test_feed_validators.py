"""The feeds, checked by the field's own tools: the JSON Feed 1.1 schema, RFC 4287's RELAX NG
schema, and two feed parsers (feedparser for Atom; feedparser-rs, which follows feedparser's
API and reads JSON Feed, for JSON Feed: feedparser 6.0 has no JSON Feed support)."""

from __future__ import annotations

import html
import json
import shutil
import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings

import digestkit
from digestkit.formats._feeds import item_id
from digestkit.model import Digest
from digestkit.testing import digests

from .conftest import ARABIC, FULL, SCHEMAS, atom_relaxng, jsonfeed_validator, sample_digest

ATOM = "{http://www.w3.org/2005/Atom}"


def _jsonfeed(digest: Digest) -> bytes:
    return digestkit.dumps(digest, "jsonfeed").encode("utf-8")


def _atom(digest: Digest) -> bytes:
    return digestkit.dumps(digest, "atom").encode("utf-8")


def _ids(digest: Digest) -> list[str]:
    return [item_id(digest.metadata, n) for n in range(1, len(digest.articles) + 1)]


def check_jsonfeed_schema(digest: Digest) -> None:
    errors = [e.message for e in jsonfeed_validator().iter_errors(json.loads(_jsonfeed(digest)))]
    assert errors == []


def check_atom_relaxng(digest: Digest) -> None:
    from lxml import etree

    relaxng = atom_relaxng()
    root = etree.fromstring(_atom(digest))
    assert relaxng.validate(root), relaxng.error_log
    # The RNC's two Schematron rules, which RELAX NG validation does not run.
    entries = root.findall(f"{ATOM}entry")
    assert root.find(f"{ATOM}author") is not None or all(
        e.find(f"{ATOM}author") is not None for e in entries
    )
    assert all(e.find(f"{ATOM}content") is not None for e in entries)


def check_feedparser_atom(digest: Digest) -> None:
    import feedparser

    parsed = feedparser.parse(_atom(digest))
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    # feedparser trims Unicode white space (no-break spaces too) at the edges of a title.
    assert [e.title for e in parsed.entries] == [a.headline.strip() for a in digest.articles]
    assert [e.id for e in parsed.entries] == _ids(digest)


def check_feedparser_rs_jsonfeed(digest: Digest) -> None:
    import feedparser_rs

    parsed = feedparser_rs.parse(_jsonfeed(digest))
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "json11"
    titles = [e.title for e in parsed.entries]
    assert len(titles) == len(digest.articles)
    assert [e.id for e in parsed.entries] == _ids(digest)
    # feedparser-rs treats every title as HTML, even JSON Feed's plain-text ones: it writes
    # a no-break space as &nbsp;, drops U+FEFF and rewrites markup. So a title compares
    # (unescaped, less U+FEFF) only where the headline holds no markup character.
    for title, article in zip(titles, digest.articles, strict=True):
        if not any(char in article.headline for char in "<>&"):
            assert html.unescape(title) == article.headline.replace("\ufeff", "")


# --- the sample, a digest with every metadata field, an Arabic digest -------------------


def test_jsonfeed_validates_against_the_json_feed_schema(example):
    check_jsonfeed_schema(example)


def test_jsonfeed_passes_check_jsonschema_with_formats(tmp_path):
    # check-jsonschema checks the formats (date-time, uri) that jsonschema alone skips.
    found = Path(sys.executable).with_name("check-jsonschema")
    tool = str(found) if found.exists() else shutil.which("check-jsonschema")
    assert tool, "check-jsonschema is part of the test extra"
    paths = []
    for name, digest in {"sample": sample_digest(), "full": FULL, "arabic": ARABIC}.items():
        path = tmp_path / f"{name}.feed.json"
        path.write_bytes(_jsonfeed(digest))
        paths.append(str(path))
    schema = str(SCHEMAS / "jsonfeed-1.1.schema.json")
    result = subprocess.run(
        [tool, "--schemafile", schema, *paths], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_atom_validates_against_rfc4287_relax_ng(example):
    check_atom_relaxng(example)


def test_feedparser_reads_the_atom_feed(example):
    check_feedparser_atom(example)


def test_feedparser_rs_reads_the_json_feed(example):
    check_feedparser_rs_jsonfeed(example)


def test_feedparser_reads_lead_and_paragraphs_of_the_sample():
    import feedparser

    digest = sample_digest()
    entries = feedparser.parse(_atom(digest)).entries
    assert [e.summary for e in entries] == [a.lead.strip() for a in digest.articles if a.lead]
    assert [e.content[0].value.count("<p>") for e in entries] == [
        len(a.paragraphs) for a in digest.articles
    ]


# --- each validator can fail --------------------------------------------------------------


def test_the_validators_refuse_a_broken_feed():
    import feedparser
    from lxml import etree

    feed = json.loads(_jsonfeed(FULL))
    del feed["items"][0]["id"]
    assert list(jsonfeed_validator().iter_errors(feed))
    atom = _atom(FULL).replace(
        b"<updated>2025-10-20T00:00:00Z</updated>", b"<updated>today</updated>"
    )
    assert not atom_relaxng().validate(etree.fromstring(atom))
    assert feedparser.parse(_atom(FULL).replace(b"</feed>", b"</fed>")).bozo == 1


# --- a Hypothesis sample of digests -------------------------------------------------------


@settings(max_examples=40)
@given(digest=digests(max_articles=4))
def test_every_digest_passes_every_validator(digest):
    check_jsonfeed_schema(digest)
    check_atom_relaxng(digest)
    check_feedparser_atom(digest)
    check_feedparser_rs_jsonfeed(digest)
