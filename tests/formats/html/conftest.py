"""The pages the field's own checkers look at, and where those checkers live.

The Nu Html Checker (npm ``vnu-jar``) and axe-core (npm ``axe-core``) are installed into
``tests/web/node_modules`` by ``make deps-web`` (``npm ci``); the browser is Debian's
``chromium``. A missing tool skips these tests on a developer's machine and fails them in CI.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

import digestkit
from digestkit.model import Article, Digest, Metadata

WEB = Path(__file__).resolve().parents[2] / "web" / "node_modules"
VNU_JAR = WEB / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = WEB / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
SAMPLE = Path(__file__).resolve().parents[3] / "seeds" / "000_e763484b695398bd.txt"

ARABIC = Digest(
    [
        Article(
            "روسيا تعترف باستقلال أوكرانيا",
            "قال وزير الخارجية إن موسكو تعترف باستقلال أوكرانيا.",
            ["وأضاف أن الوضع تغير كثيرا منذ عام 2014."],
        ),
        Article("عنوان بلا نص"),
    ],
    Metadata(title="موجز الأخبار", language="ar", date=dt.date(2025, 10, 20), source="مصدر"),
)
"""An Arabic digest: the page must be right to left."""

EVERY_FIELD = Digest(
    [
        Article("Markup & <brackets> in a “headline”", 'A lead with "quotes" and a tab\there.'),
        Article("Headline only"),
        Article("Third", "Lead\u00a0", ["Body <p> & more.", "Last\u202f"]),
    ],
    Metadata(
        title="Morning <digest> & more",
        language="pt-BR",
        date=dt.date(2025, 10, 20),
        source="The Source & Co",
        identifier="urn:uuid:2f1e5b0c-6d3a-4f4e-9a57-0d8c2b1e7a10",
    ),
)
"""A digest with every metadata field set, and text HTML must escape."""


def missing(what: str) -> None:
    """Skip (or, in CI, fail) a test whose checker is not installed."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing; CI must have it (make deps-web installs it)")
    pytest.skip(f"{what} is missing (make deps-web installs it)")


@pytest.fixture(scope="session")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample, the Arabic digest and the every-field digest, written as HTML pages."""
    folder = tmp_path_factory.mktemp("pages")
    digests = {
        "sample": digestkit.loads(SAMPLE.read_bytes(), "text"),
        "arabic": ARABIC,
        "every-field": EVERY_FIELD,
    }
    paths = {}
    for name, digest in digests.items():
        paths[name] = folder / f"{name}.html"
        paths[name].write_bytes(digestkit.dumps(digest, "html").encode("utf-8"))
    return paths


@pytest.fixture(scope="session")
def java() -> str:
    """The java command, for the Nu Html Checker."""
    found = shutil.which("java")
    if found is None:
        missing("java")
    return str(found)
