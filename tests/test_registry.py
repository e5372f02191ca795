"""The registry: entry points, lazy loading, lookups, conflicts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from digestkit import Format, FormatError, OptionError, default_registry
from digestkit.registry import ENTRY_POINT_GROUP, Registry

GROUP = "digestkit.formats.testgroup"


def _fake_distribution(
    root: Path, name: str, entry_points: dict[str, str], group: str = GROUP
) -> None:
    info = root / f"{name}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    lines = [f"[{group}]"] + [f"{key} = {value}" for key, value in entry_points.items()]
    (info / "entry_points.txt").write_text("\n".join(lines) + "\n")


def _fresh_interpreter(code: str) -> list[str]:
    """Run ``code`` in a new interpreter; return the lines it prints."""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


@pytest.fixture
def fake_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    module = tmp_path / "fake_formats.py"
    module.write_text(
        "from digestkit.registry import Format\n"
        "def _write(digest, /):\n    return b'x'\n"
        "ALPHA = Format('alpha', ('alp', 'shared'), 'text/x-alpha', 'alpha', writer=_write)\n"
        "BETA = Format('beta', ('bet', 'shared'), 'text/x-beta', 'beta', writer=_write)\n"
        "WRONG = object()\n"
        "MISNAMED = Format('other', ('oth',), 'text/x-other', 'other', writer=_write)\n"
        "TEXT = Format('text', ('txt', 'alp'), 'text/plain', 'mine', writer=_write)\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


def test_duplicate_name_is_an_error_naming_both(fake_site: Path) -> None:
    _fake_distribution(fake_site, "pkg_one", {"alpha": "fake_formats:ALPHA"})
    _fake_distribution(fake_site, "pkg_two", {"alpha": "fake_formats:BETA"})
    registry = Registry(GROUP)
    with pytest.raises(FormatError, match="claimed twice") as info:
        registry.get("alpha")
    assert "pkg_one" in str(info.value)
    assert "pkg_two" in str(info.value)


def test_lookup_by_name_loads_only_that_entry_point(fake_site: Path) -> None:
    _fake_distribution(
        fake_site, "pkg_one", {"alpha": "fake_formats:ALPHA", "broken": "no_such_module:X"}
    )
    registry = Registry(GROUP)
    assert registry.get("alpha").name == "alpha"
    assert registry.package("alpha") == "pkg_one"
    assert registry.names() == ["alpha", "broken"]
    with pytest.raises(FormatError, match="failed to load"):
        registry.get("broken")


@pytest.mark.parametrize(
    ("entry", "fragment"), [("fake_formats:WRONG", "must be a"), ("fake_formats:MISNAMED", "named")]
)
def test_entry_point_must_hold_a_matching_format(
    fake_site: Path, entry: str, fragment: str
) -> None:
    _fake_distribution(fake_site, "pkg_one", {"alpha": entry})
    with pytest.raises(FormatError, match=fragment):
        Registry(GROUP).get("alpha")


def test_shared_extension_is_ambiguous(fake_site: Path) -> None:
    _fake_distribution(
        fake_site, "pkg_one", {"alpha": "fake_formats:ALPHA", "beta": "fake_formats:BETA"}
    )
    registry = Registry(GROUP)
    assert registry.for_extension(".ALP").name == "alpha"
    assert registry.for_path("x/y.bet").name == "beta"
    with pytest.raises(FormatError, match="'alpha' and 'beta'"):
        registry.for_path("digest.shared")
    assert registry.for_media_type("text/x-beta; charset=utf-8").name == "beta"


def test_plugin_claiming_a_builtin_name_is_an_error_naming_both(fake_site: Path) -> None:
    _fake_distribution(fake_site, "pkg_evil", {"text": "fake_formats:TEXT"}, ENTRY_POINT_GROUP)
    registry = Registry()
    for lookup in (registry.all, lambda: registry.for_path("a.nope")):
        with pytest.raises(FormatError, match="'text' is claimed twice") as info:
            lookup()
        assert "by digestkit (digestkit.formats.text:FORMAT)" in str(info.value)
        assert "pkg_evil (fake_formats:TEXT)" in str(info.value)
    # Documented: a built-in name or extension is answered from the built-in table alone.
    assert registry.get("text").description != "mine"
    assert registry.for_path("a.txt") is registry.get("text")


def test_builtin_lookups_do_not_scan_the_entry_points() -> None:
    code = (
        "import sys, digestkit\n"
        "registry = digestkit.default_registry()\n"
        "registry.get('json'), registry.for_path('a.txt')\n"
        "registry.for_media_type('application/xml')\n"
        "print('importlib.metadata' in sys.modules)\n"
        "registry.for_path('a.mdex')\n"
        "print('importlib.metadata' in sys.modules)\n"
    )
    assert _fresh_interpreter(code) == ["False", "True"]


def test_unknown_names_list_the_known_ones() -> None:
    with pytest.raises(FormatError, match=r"unknown format 'nope'; known formats: .*text"):
        default_registry().get("nope")
    with pytest.raises(FormatError, match=r"no format for extension '\.nope'; known: .*\.txt"):
        default_registry().for_path("a.nope")
    with pytest.raises(FormatError, match="without an extension"):
        default_registry().for_path("README")


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("digest.feed.json", "jsonfeed"),
        ("out/Digest.FEED.JSON", "jsonfeed"),
        ("digest.json", "json"),
        ("digest.v2.json", "json"),
        ("feed.json", "json"),  # "feed" is the stem here, not an extension
        ("my.feed.atom", "atom"),
        ("2025.10.20.txt", "text"),
    ],
)
def test_the_longest_claimed_extension_wins(path: str, name: str) -> None:
    assert default_registry().for_path(path).name == name


def test_a_longer_extension_is_preferred_in_a_fake_registry(fake_site: Path) -> None:
    module = fake_site / "double_formats.py"
    module.write_text(
        "from digestkit.registry import Format\n"
        "def _write(digest, /):\n    return b'x'\n"
        "OUTER = Format('outer', ('b',), 'text/x-outer', 'outer', writer=_write)\n"
        "INNER = Format('inner', ('a.b',), 'text/x-inner', 'inner', writer=_write)\n"
    )
    _fake_distribution(
        fake_site, "pkg_double", {"outer": "double_formats:OUTER", "inner": "double_formats:INNER"}
    )
    registry = Registry(GROUP)
    assert registry.for_path("x.a.b").name == "inner"
    assert registry.for_path("x.c.b").name == "outer"
    assert registry.for_path("x.z.a.b").name == "inner"


def test_register_at_run_time_refuses_a_taken_name() -> None:
    registry = Registry(GROUP)
    fmt = Format("mine", ("mine",), "text/x-mine", "mine", writer=lambda d, /: b"")
    registry.register(fmt, "my-app")
    assert registry.get("mine") is fmt
    with pytest.raises(FormatError, match="claimed twice: by my-app and by other"):
        registry.register(fmt, "other")


def test_builtin_text_comes_through_the_entry_point() -> None:
    assert default_registry().package("text") == "digestkit"
    assert default_registry().for_path("digest.TXT").name == "text"
    assert default_registry().for_media_type("text/plain").name == "text"


def test_unknown_option_names_the_known_ones() -> None:
    text = default_registry().get("text")
    with pytest.raises(OptionError, match=r"no option 'indent' \(its options: marker\)"):
        text.check_options("reader", {"indent": 2})
    assert text.writer_options() == frozenset({"marker", "final_newline"})
    anything = Format("any", (), "x/y", "", writer=lambda d, /, **kw: b"")
    assert anything.writer_options() is None
    anything.check_options("writer", {"indent": 2, "toc": False})


def test_import_is_light() -> None:
    code = (
        "import sys, digestkit\n"
        "digestkit.loads('H\\n\\nL\\n\\nKeep reading')\n"
        "heavy = sorted(m for m in ('lxml', 'ebooklib', 'hypothesis') if m in sys.modules)\n"
        "print(','.join(heavy))\n"
    )
    assert _fresh_interpreter(code) == [""]


def test_epub_door_gives_options_without_importing_the_heavy_half() -> None:
    code = (
        "import sys, digestkit\n"
        "registry = digestkit.default_registry()\n"
        "registry.for_path('a.txt')\n"  # loads every format to match the extension
        "print(sorted(registry.get('epub').reader_options()))\n"
        "heavy = ('digestkit.formats.epub._read', 'digestkit.formats.epub._zipsafe', 'lxml')\n"
        "print(*(name in sys.modules for name in heavy))\n"
        "digestkit.loads(digestkit.dumps(digestkit.Digest(), 'epub'), 'epub')\n"
        "print(*(name in sys.modules for name in heavy))\n"
    )
    assert _fresh_interpreter(code) == [
        "['max_member_bytes', 'max_members', 'max_total_bytes']",
        "False False False",
        "True True True",
    ]
