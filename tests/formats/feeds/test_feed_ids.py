"""Feed and item ids, and the feed's times: derived, stable, and never from the clock."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import attrs
import pytest
from lxml import etree

import digestkit
from digestkit.model import Article, Digest, Metadata

from .conftest import ARABIC, FULL, SAMPLE

ATOM = "{http://www.w3.org/2005/Atom}"


def jsonfeed_ids(digest: Digest) -> list[str]:
    return [item["id"] for item in json.loads(digestkit.dumps(digest, "jsonfeed"))["items"]]


def atom_ids(digest: Digest) -> list[str | None]:
    """The feed's id, then each entry's."""
    root = etree.fromstring(digestkit.dumps(digest, "atom").encode())
    return [
        root.findtext(f"{ATOM}id"),
        *(e.findtext(f"{ATOM}id") for e in root.iter(f"{ATOM}entry")),
    ]


_WRITE_ALL = """
import sys, digestkit
from digestkit.model import Digest
digest = digestkit.loads(open(sys.argv[1], "rb").read(), "text")
for name in ("jsonfeed", "atom"):
    sys.stdout.write(digestkit.dumps(digest, name))
"""


def test_two_processes_with_different_hash_seeds_write_the_same_feeds():
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run(
            [sys.executable, "-c", _WRITE_ALL, str(SAMPLE)],
            capture_output=True,
            check=True,
            env=env,
        )
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1]
    assert outputs[0].count(b"urn:uuid:") == 2 * 10 + 1  # ten items, ten entries, one feed


@pytest.mark.parametrize("ids", [jsonfeed_ids, atom_ids])
def test_ids_are_urn_uuids_distinct_within_a_feed(ids):
    found = ids(FULL) + ids(ARABIC)
    assert all(value.startswith("urn:uuid:") for value in found)
    assert len(set(found)) == len(found)


@pytest.mark.parametrize("ids", [jsonfeed_ids, atom_ids])
def test_ids_follow_the_identifier_and_the_position_not_the_text(ids):
    edited = Digest(
        [Article("Corrected headline", "A corrected lead."), *FULL.articles[1:]], FULL.metadata
    )
    assert ids(edited) == ids(FULL)
    renamed = attrs.evolve(FULL, metadata=attrs.evolve(FULL.metadata, identifier="urn:x:other"))
    assert not set(ids(renamed)) & set(ids(FULL))


@pytest.mark.parametrize("ids", [jsonfeed_ids, atom_ids])
@pytest.mark.parametrize(
    ("field", "value", "same"),
    [
        ("title", "Evening digest", False),
        ("date", dt.date(2025, 10, 21), False),
        ("source", "Another paper", False),
        ("language", "de", True),
    ],
)
def test_without_identifier_ids_derive_from_title_date_and_source(ids, field, value, same):
    base = attrs.evolve(FULL, metadata=attrs.evolve(FULL.metadata, identifier=None))
    changed = attrs.evolve(base, metadata=attrs.evolve(base.metadata, **{field: value}))
    assert (ids(changed) == ids(base)) is same
    assert ids(base) != ids(FULL)


def test_atom_times_are_the_digest_date_or_the_epoch():
    dated = etree.fromstring(digestkit.dumps(FULL, "atom").encode())
    times = [e.text for e in dated.iter(f"{ATOM}updated", f"{ATOM}published")]
    assert set(times) == {"2025-10-20T00:00:00Z"}
    assert len(times) == 1 + 2 * len(FULL.articles)
    undated = Digest(FULL.articles, attrs.evolve(FULL.metadata, date=None))
    root = etree.fromstring(digestkit.dumps(undated, "atom").encode())
    assert {e.text for e in root.iter(f"{ATOM}updated")} == {"1970-01-01T00:00:00Z"}
    assert root.find(f".//{ATOM}published") is None
    assert digestkit.loads(digestkit.dumps(undated, "atom"), "atom").metadata.date is None


def test_jsonfeed_items_carry_the_date_only_when_the_digest_has_one():
    items = json.loads(digestkit.dumps(FULL, "jsonfeed"))["items"]
    assert {item["date_published"] for item in items} == {"2025-10-20T00:00:00Z"}
    undated = Digest(FULL.articles, attrs.evolve(FULL.metadata, date=None))
    assert all(
        "date_published" not in i for i in json.loads(digestkit.dumps(undated, "jsonfeed"))["items"]
    )


def test_a_digest_without_a_title_gets_the_epub_default_in_the_feed_but_not_back():
    digest = Digest([Article("H")], Metadata(date=dt.date(2025, 10, 20)))
    assert json.loads(digestkit.dumps(digest, "jsonfeed"))["title"] == "News digest 2025-10-20"
    assert digestkit.loads(digestkit.dumps(digest, "jsonfeed"), "jsonfeed").metadata.title is None
