"""The schemas of digestkit's machine formats, shipped as package data.

* ``digest.schema.json`` — JSON Schema (draft 2020-12) of a document of the ``json`` format.
* ``digest-line.schema.json`` — JSON Schema of one line of the ``jsonl`` format (the header
  line or an article line); it refers to the definitions of ``digest.schema.json``, which
  must sit beside it.
* ``digest.xsd`` — W3C XML Schema of a document of the ``xml`` format.

They are versioned with the package: a schema describes the format version that this
digestkit writes (see ``docs/formats.md``).
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import json
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = [
    "JSON_LINE_SCHEMA",
    "JSON_SCHEMA",
    "XSD",
    "json_line_schema",
    "json_schema",
    "path",
    "xml_schema_path",
    "xsd",
]

JSON_SCHEMA = "digest.schema.json"
"""File name of the JSON Schema of a ``json`` document."""
JSON_LINE_SCHEMA = "digest-line.schema.json"
"""File name of the JSON Schema of one line of a ``jsonl`` document."""
XSD = "digest.xsd"
"""File name of the XML Schema of an ``xml`` document."""

_files = contextlib.ExitStack()
atexit.register(_files.close)


def _read(name: str) -> bytes:
    return (resources.files(__name__) / name).read_bytes()


@functools.cache
def path(name: str) -> Path:
    """Return a file system path of the schema file ``name`` (one of the names above).

    If the package is installed in a zip archive, the file is extracted to a temporary
    file that lives until the interpreter exits.
    """
    if name not in (JSON_SCHEMA, JSON_LINE_SCHEMA, XSD):
        raise ValueError(f"no schema named {name!r}")
    return _files.enter_context(resources.as_file(resources.files(__name__) / name))


def json_schema() -> dict[str, Any]:
    """Return the JSON Schema of a ``json`` document, freshly parsed (safe to modify)."""
    result: dict[str, Any] = json.loads(_read(JSON_SCHEMA))
    return result


def json_line_schema() -> dict[str, Any]:
    """Return the JSON Schema of one line of a ``jsonl`` document, freshly parsed.

    Its references to ``digest.schema.json#/$defs/...`` resolve against `json_schema`.
    """
    result: dict[str, Any] = json.loads(_read(JSON_LINE_SCHEMA))
    return result


def xsd() -> bytes:
    """Return the bytes of the XML Schema of an ``xml`` document."""
    return _read(XSD)


def xml_schema_path() -> Path:
    """Return a file system path of the XML Schema, for tools such as ``xmllint --schema``."""
    return path(XSD)
