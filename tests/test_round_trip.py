"""Every registered format that reads and writes gives back the digest it wrote.

One property over the whole registry, so a plugin format (the example in tests/plugins/ is
installed by `make venv`) is held to the same rule as a built-in one. It runs at the
Hypothesis profile in force: quick by default, thorough when CI is set (see conftest.py).
"""

from __future__ import annotations

import pytest
from hypothesis import given

import digestkit
from digestkit.model import Digest
from digestkit.testing import digests

pytestmark = pytest.mark.slow  # started first on a worker: it is among the longest files

_ROUND_TRIPPING = [f.name for f in digestkit.default_registry().all() if f.reader and f.writer]


def test_every_built_in_and_the_plugin_are_covered() -> None:
    # Guards the parametrisation below: an empty or shrunken list would pass vacuously.
    assert {"text", "json", "jsonl", "xml", "epub", "markdown"} <= set(_ROUND_TRIPPING)


@pytest.mark.parametrize("name", _ROUND_TRIPPING)
@given(digest=digests())
def test_loads_of_dumps_is_the_digest(name: str, digest: Digest) -> None:
    written = digestkit.dumps(digest, name)
    diagnostics: list[digestkit.Diagnostic] = []
    assert digestkit.loads(written, name, diagnostics=diagnostics) == digest
    # What a format wrote it reads back without guessing (strict mode would not object);
    # only an empty digest may be reported as one (plain text warns "no article found").
    assert not diagnostics or not digest.articles
