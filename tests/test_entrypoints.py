"""The start-up entry-point scan agrees with importlib.metadata."""

from __future__ import annotations

from importlib import metadata

import pytest

from digestkit._entrypoints import entry_points


def _reference(group: str) -> set[tuple[str, str, str]]:
    return {
        (ep.name, ep.value, ep.dist.name if ep.dist else "?")
        for ep in metadata.entry_points(group=group)
    }


@pytest.mark.parametrize(
    "group", ["digestkit.formats", "console_scripts", "pytest11", "mkdocs.plugins"]
)
def test_same_entry_points_as_importlib_metadata(group: str) -> None:
    found = {(ep.name, ep.value, ep.distribution) for ep in entry_points(group)}
    assert found == _reference(group)
    assert found, f"the test environment declares entry points in {group}"


def test_load_resolves_the_value() -> None:
    (text,) = [ep for ep in entry_points("digestkit.formats") if ep.name == "text"]
    from digestkit.formats.text import FORMAT

    assert text.load() is FORMAT
    assert text.distribution == "digestkit"
