"""Fixtures of the hostile-input suite: where to write the generated inputs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest


@pytest.fixture
def written(tmp_path: Path) -> Callable[[bytes, str], Path]:
    """Return a function that writes bytes to a file in the test's folder and returns its path."""

    def write(data: bytes, name: str = "input") -> Path:
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return write
