"""The documentation: its examples run, and every public name is documented."""

from __future__ import annotations

import functools
import importlib
import importlib.metadata
import importlib.util
import inspect
import os
import re
import subprocess
import sys
from pathlib import Path

import griffe
import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PACKAGE = ROOT / "src" / "digestkit"


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


@functools.cache
def _package() -> griffe.Module:
    """The package as the API reference reads it: from the source, by griffe."""
    loaded = griffe.load(PACKAGE.name, search_paths=[str(PACKAGE.parent)])
    assert isinstance(loaded, griffe.Module)
    return loaded


# __version__ (read through the package's __getattr__) means what PEP 396 says; the test
# holds it to that meaning instead.
_SELF_EXPLAINING = {"digestkit.__version__"}


@pytest.mark.parametrize(
    ("name", "value"), _public(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_public_name_has_a_docstring(name: str, value: object) -> None:
    if inspect.isclass(value) or inspect.isfunction(value) or inspect.ismodule(value):
        assert inspect.getdoc(value), f"{name} has no docstring"
    elif name in _SELF_EXPLAINING:
        assert value == importlib.metadata.version("digestkit")
    else:
        # A constant or a type alias is documented by the string literal below it, which
        # only the source shows (the value itself is an int, a str, a typing alias …).
        found = _package()[name.removeprefix(PACKAGE.name + ".")]
        assert found.docstring is not None, f"{name} has no docstring"
        assert found.docstring.value.strip(), f"{name} has an empty docstring"


# A Sphinx role as Markdown renders it (``:class:`Format``` -> ":class:<code>Format</code>"),
# or as it stays when the Markdown is not rendered at all.
_RAW_ROLE = re.compile(r":(?:py:)?(?:class|func|mod|meth|attr|data|exc|obj):(?:<code>|`)([^<`]*)")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The documentation site, built as `make docs` builds it (strict) into a fresh folder."""
    out = tmp_path_factory.mktemp("site")
    mkdocs = Path(sys.executable).parent / "mkdocs"
    subprocess.run(
        [str(mkdocs), "build", "--strict", "--quiet", "--site-dir", str(out)],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=True,
    )
    return out


def test_the_built_site_shows_no_raw_sphinx_role(site: Path) -> None:
    # mkdocstrings renders Markdown: a cross-reference is `[Format][digestkit.registry.Format]`.
    pages = sorted(site.rglob("*.html"))
    assert site / "api" / "index.html" in pages
    raw = [
        f"{page.relative_to(site)}: {match.group(0)}"
        for page in pages
        for match in _RAW_ROLE.finditer(page.read_text(encoding="utf-8"))
    ]
    assert not raw, f"{len(raw)} raw Sphinx roles in the site: " + "; ".join(raw[:10])


def test_the_api_reference_links_its_cross_references(site: Path) -> None:
    # A cross-reference in docstring text renders as a link around code, to an entry of the
    # page (signatures link too, but not around code: they do not count here).
    page = (site / "api" / "index.html").read_text(encoding="utf-8")
    anchors = re.findall(r'<a class="autorefs autorefs-internal"[^>]*href="#([\w.]+)"><code>', page)
    assert anchors, "no cross-reference in the API reference's docstrings"
    assert [anchor for anchor in anchors if f'id="{anchor}"' not in page] == []
