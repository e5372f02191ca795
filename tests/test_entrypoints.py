"""Finding formats through entry points: the built-in table, and zipped deployments."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import attrs
import digestkit_mdexample

import digestkit
from digestkit.registry import BUILTIN_FORMATS, ENTRY_POINT_GROUP


def test_builtin_table_is_what_the_package_publishes() -> None:
    published = {
        ep.name: ep.value
        for ep in metadata.entry_points(group=ENTRY_POINT_GROUP)
        if ep.dist is not None and ep.dist.name == "digestkit"
    }
    assert published == dict(BUILTIN_FORMATS)


def _add_folder(archive: zipfile.ZipFile, folder: Path) -> None:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            archive.write(path, path.relative_to(folder.parent).as_posix())


def _zipped_site_packages(target: Path) -> Path:
    """Zip digestkit, attrs and the example plugin with their .dist-info folders."""
    site_packages = Path(attrs.__file__).parent.parent
    packages = [
        Path(m.__file__).parent for m in (digestkit, digestkit_mdexample, attrs) if m.__file__
    ]
    packages.append(site_packages / "attr")
    infos = [
        info
        for name in ("digestkit", "digestkit_mdexample", "attrs")
        for info in site_packages.glob(f"{name}-*.dist-info")
    ]
    assert len(infos) == 3, infos
    with zipfile.ZipFile(target, "w") as archive:
        for folder in packages + infos:
            _add_folder(archive, folder)
    return target


_CHILD = """
import json, sys
sys.path.insert(0, sys.argv[1])
import digestkit
from digestkit.registry import Registry
digest = digestkit.loads("Headline\\n\\nLead.\\n\\nKeep reading", "text")
print(json.dumps({
    "imported_from": digestkit.__file__,
    "headline": digest.articles[0].headline,
    "scanned": Registry(builtins={}).names(),
    "plugin": digestkit.default_registry().package("mdexample"),
}))
"""


def test_zipped_site_packages_find_the_builtin_formats(tmp_path: Path) -> None:
    archive = _zipped_site_packages(tmp_path / "site-packages.zip")
    # -I -S: no site-packages, no PYTHONPATH, no user site: the stdlib and the zip only.
    result = subprocess.run(
        [sys.executable, "-I", "-S", "-c", _CHILD, str(archive)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["imported_from"].startswith(str(archive))
    assert found["headline"] == "Headline"
    # Built-in table left empty: every built-in format is found by the entry-point scan.
    assert set(BUILTIN_FORMATS) | {"mdexample"} <= set(found["scanned"])
    assert found["plugin"] == "digestkit-mdexample"
