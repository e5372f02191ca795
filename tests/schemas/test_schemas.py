"""The shipped schemas: present as package data, well-formed, and as strict as the model."""

from __future__ import annotations

import re
import sys

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from digestkit import schemas
from digestkit.errors import ValidationError
from digestkit.model import check_line


def _is_line(value: str) -> bool:
    try:
        check_line("x", value)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("load", [schemas.json_schema, schemas.json_line_schema])
def test_json_schemas_are_valid_draft_2020_12(load):
    schema = load()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("name", [schemas.JSON_SCHEMA, schemas.JSON_LINE_SCHEMA, schemas.XSD])
def test_schema_files_have_paths_holding_the_shipped_bytes(name):
    path = schemas.path(name)
    assert path.is_file()
    assert path.parent.name == "schemas"
    if name == schemas.XSD:
        assert path.read_bytes() == schemas.xsd()
        assert schemas.xml_schema_path() == path


def test_unknown_schema_name_is_refused():
    with pytest.raises(ValueError, match="no schema named"):
        schemas.path("digest.rng")


def test_json_schema_is_a_fresh_copy():
    schemas.json_schema()["title"] = "changed"
    assert schemas.json_schema()["title"] != "changed"


def test_xsd_is_a_valid_xml_schema_that_tells_digests_apart():
    schema = etree.XMLSchema(etree.fromstring(schemas.xsd()))  # raises if not a schema
    ns = "urn:digestkit:digest:1"
    digest = f'<digest xmlns="{ns}"><metadata><language>en</language></metadata></digest>'
    assert schema.validate(etree.fromstring(digest))
    assert not schema.validate(etree.fromstring(f'<digest xmlns="{ns}"/>'))


_LINE = re.compile(schemas.json_schema()["$defs"]["line"]["pattern"])


def test_json_line_pattern_agrees_with_the_model_on_every_code_point():
    # Each code point inside a line, and at its ends: the schema refuses exactly what
    # check_line refuses (Python's re reads the pattern as jsonschema does).
    disagreements = [
        f"U+{code:04X}"
        for code in range(sys.maxunicode + 1)
        if (_LINE.search(f"a{chr(code)}b") is not None) != _is_line(f"a{chr(code)}b")
    ]
    assert disagreements == []


@pytest.mark.parametrize(
    "value",
    [
        "a",
        "\u00a0",
        "a\u00a0",
        "\u202fa",
        "a\tb",
        "a b",
        "",
        " ",
        "\t",
        " a",
        "a ",
        "a\t",
        "a\n",
        "a\nb",
        "\n",
        "a\r",
        "a\u2028",
        "\x00",
        "\ud800",
        "\U0001fffe",
        "\ufffe",
    ],
)
def test_json_line_pattern_edges_agree_with_the_model(value):
    assert (_LINE.search(value) is not None) == _is_line(value)


@given(st.text(max_size=20))
def test_json_line_pattern_agrees_with_the_model_on_any_text(value):
    assert (_LINE.search(value) is not None) == _is_line(value)


def _xsd_accepts_line(value: str) -> bool:
    ns = "urn:digestkit:digest:1"
    root = etree.Element(f"{{{ns}}}digest", nsmap={None: ns})
    meta = etree.SubElement(root, f"{{{ns}}}metadata")
    etree.SubElement(meta, f"{{{ns}}}title").text = value
    etree.SubElement(meta, f"{{{ns}}}language").text = "en"
    return _XSD.validate(root)


_XSD = etree.XMLSchema(etree.fromstring(schemas.xsd()))

# Characters XML 1.0 can carry at all (others cannot even reach an XSD validator).
_XML_CHARS = st.characters(exclude_categories=["Cs"]).filter(
    lambda c: c in "\t\n\r" or (c >= " " and c not in "\ufffe\uffff")
)


@pytest.mark.parametrize(
    "value",
    [
        "a",
        "\u00a0",
        "a\u00a0",
        "a\tb",
        " a",
        "a ",
        "\ta",
        "a\t",
        "a\nb",
        "a\rb",
        "a\x85b",
        "a\x7fb",
        "a\u2028b",
        "a\u2029b",
        "a\ufdd0b",
        "a\U0010fffeb",
        "a\U0001ffffb",
        "a\ue000b",
    ],
)
def test_xsd_line_type_agrees_with_the_model(value):
    assert _xsd_accepts_line(value) == _is_line(value)


@given(st.text(alphabet=_XML_CHARS, max_size=12))
def test_xsd_line_type_agrees_with_the_model_on_any_xml_text(value):
    assert _xsd_accepts_line(value) == _is_line(value)
