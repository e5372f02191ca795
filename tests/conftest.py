"""Shared fixtures and the Hypothesis profiles.

``dev`` (the default) is quick; ``ci`` is thorough and is chosen when the CI environment
variable is set, or explicitly with HYPOTHESIS_PROFILE=ci.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=60, deadline=None)
settings.register_profile(
    "ci",
    max_examples=500,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "seeds" / "000_e763484b695398bd.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the files marked ``slow`` first (a stable sort): with a file per xdist worker,
    one started last would keep its worker running long after the other has finished."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture
def sample_bytes() -> bytes:
    """The bundled sample digest, as bytes."""
    return SAMPLE.read_bytes()


@pytest.fixture
def sample_path() -> Path:
    """The path of the bundled sample digest."""
    return SAMPLE
