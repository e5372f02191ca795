"""Fixtures for the feed formats: example digests, and the published validators."""

from __future__ import annotations

import datetime as dt
import functools
import json
from pathlib import Path
from typing import Any

import pytest

import digestkit
from digestkit.model import Article, Digest, Metadata

SCHEMAS = Path(__file__).resolve().parent / "schemas"
SAMPLE = Path(__file__).resolve().parents[3] / "seeds" / "000_e763484b695398bd.txt"

FEED_FORMATS = ("jsonfeed", "atom")

FULL = Digest(
    [
        Article(
            "Markup <b>&amp;</b> ]]> in a\theadline\u00a0",
            "A lead with “quotes”, a TAB\tand an edge no-break space\u00a0",
            ["A body paragraph.", "\u00a0Another, starting with a no-break space", "<p>"],
        ),
        Article("A headline-only article"),
        Article("A lead-only article", "Its lead."),
    ],
    Metadata(
        title="Morning digest & more",
        language="pt-BR",
        date=dt.date(2025, 10, 20),
        source="The Daily <Example>",
        identifier="urn:isbn:978-3-16-148410-0",
    ),
)
"""A digest with every metadata field and the text a naive writer gets wrong."""

ARABIC = Digest(
    [
        Article(
            "روسيا تعترف باستقلال أوكرانيا",
            "قال وزير الخارجية الروسي إن موسكو تعترف باستقلال أوكرانيا.",
            ["وأضاف في مقابلة مع قناة مجرية أن أوكرانيا اليوم تختلف كثيراً.", "«نحن نعترف» – قال."],
        ),
        Article("عنوان بلا نص"),
    ],
    Metadata(title="النشرة الصباحية", language="ar", date=dt.date(2025, 10, 20), source="مثال"),
)
"""A right-to-left digest in Arabic."""


def sample_digest() -> Digest:
    """The bundled sample, read by the text format."""
    return digestkit.loads(SAMPLE.read_bytes(), "text")


EXAMPLES = {"sample": sample_digest, "full": lambda: FULL, "arabic": lambda: ARABIC}


@pytest.fixture(params=sorted(EXAMPLES))
def example(request: pytest.FixtureRequest) -> Digest:
    """The sample, a digest with every metadata field, and an Arabic digest."""
    return EXAMPLES[request.param]()


@functools.cache
def jsonfeed_validator() -> Any:
    """A JSON Schema validator of the published JSON Feed 1.1 schema."""
    import jsonschema

    schema = json.loads((SCHEMAS / "jsonfeed-1.1.schema.json").read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)


@functools.cache
def atom_relaxng() -> Any:
    """RFC 4287's RELAX NG schema, as lxml validates with it."""
    from lxml import etree

    return etree.RelaxNG(etree.parse(str(SCHEMAS / "atom.rng")))
