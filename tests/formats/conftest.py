"""What the format tests share: Debian's chromium, driven headless by playwright."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# No network, no updates, no first-run dialogs: the browser only opens local files.
_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def missing_tool(what: str, installer: str = "make deps-web") -> None:
    """Skip (or, in CI, fail) a test whose tool is not installed."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing; CI must have it ({installer} installs it)")
    pytest.skip(f"{what} is missing ({installer} installs it)")


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """A headless chromium (never a downloaded browser: ``make deps-web`` installs Debian's)."""
    if not CHROMIUM.is_file():
        missing_tool(f"chromium ({CHROMIUM})")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing_tool("the playwright package")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=_ARGS)
        yield launched
        launched.close()
