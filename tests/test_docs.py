"""The documentation: its examples run, and every public name is documented."""

from __future__ import annotations

import importlib
import importlib.util
import inspect
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"


_DOCUMENTED = ("digestkit", "api", "streaming", "model", "registry", "errors", "testing")


def _public() -> list[tuple[str, object]]:
    """Every public name of the modules the API reference shows, and their public methods."""
    found = []
    for short in _DOCUMENTED:
        module = importlib.import_module(
            "digestkit" if short == "digestkit" else f"digestkit.{short}"
        )
        for name in module.__all__:
            value = getattr(module, name)
            found.append((f"{module.__name__}.{name}", value))
            if inspect.isclass(value):
                found.extend(
                    (f"{module.__name__}.{name}.{member}", attr)
                    for member, attr in vars(value).items()
                    if not member.startswith("_") and inspect.isfunction(attr)
                )
    return found


@pytest.mark.parametrize(
    ("name", "value"), _public(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_public_name_has_a_docstring(name: str, value: object) -> None:
    if inspect.isclass(value) or inspect.isfunction(value) or inspect.ismodule(value):
        assert inspect.getdoc(value), f"{name} has no docstring"
