"""The examples in the package's docstrings run as written."""

from __future__ import annotations

import doctest

import pytest

import digestkit
import digestkit.testing


@pytest.mark.parametrize("module", [digestkit, digestkit.testing])
def test_docstring_examples(module: object) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)  # type: ignore[arg-type]
    assert result.failed == 0
    assert result.attempted > 0
