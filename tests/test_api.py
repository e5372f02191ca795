"""The json-style public API: loads/dumps, load/dump, atomic writes."""

from __future__ import annotations

import errno
import io
import os
import types
from pathlib import Path

import pytest

import digestkit
from digestkit import Article, Digest, DigestError, Format, FormatError, OptionError, ParseError

DIGEST = Digest([Article("Headline", "Lead.", ["Body."])])
TEXT = "Headline\n\nLead.\n\nBody.\n\nKeep reading\n"


def test_public_names() -> None:
    for name in digestkit.__all__:
        assert hasattr(digestkit, name), name
    assert digestkit.__version__.count(".") >= 2


def test_dumps_returns_str_for_text() -> None:
    assert digestkit.dumps(DIGEST) == TEXT
    assert digestkit.loads(TEXT) == DIGEST


def test_load_and_dump_infer_the_format_from_the_extension(tmp_path: Path) -> None:
    path = tmp_path / "d.txt"
    digestkit.dump(DIGEST, path)
    assert path.read_text(encoding="utf-8") == TEXT
    assert digestkit.load(path) == DIGEST
    assert digestkit.load(str(path)) == DIGEST


def test_file_objects(tmp_path: Path) -> None:
    binary = io.BytesIO()
    digestkit.dump(DIGEST, binary, "text")
    assert binary.getvalue() == TEXT.encode()
    binary.seek(0)
    assert digestkit.load(binary, "text") == DIGEST
    textual = io.StringIO()
    digestkit.dump(DIGEST, textual, "text")
    assert textual.getvalue() == TEXT
    with (tmp_path / "named.txt").open("wb") as handle:
        digestkit.dump(DIGEST, handle)
    with (tmp_path / "named.txt").open("rb") as handle:
        assert digestkit.load(handle) == DIGEST


def test_a_nameless_stream_needs_a_format() -> None:
    with pytest.raises(FormatError, match="without a name"):
        digestkit.load(io.BytesIO(TEXT.encode()))


def test_load_of_a_text_stream_is_refused() -> None:
    with pytest.raises(TypeError, match="binary file object"):
        digestkit.load(io.StringIO(TEXT), "text")  # type: ignore[arg-type]


def test_load_limits_size_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text(TEXT * 10)
    with pytest.raises(ParseError, match="larger than the limit") as info:
        digestkit.load(path, max_bytes=100)
    assert info.value.source == str(path)
    with pytest.raises(ParseError, match="larger than the limit"):
        digestkit.load(io.BytesIO(TEXT.encode() * 10), "text", max_bytes=100)


def test_missing_file_is_a_parse_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="cannot read") as info:
        digestkit.load(tmp_path / "absent.txt")
    assert info.value.source.endswith("absent.txt")


def test_unknown_option_is_refused() -> None:
    with pytest.raises(OptionError, match="no option 'indent'"):
        digestkit.loads(TEXT, indent=2)
    with pytest.raises(OptionError, match="no option 'marker_typo'"):
        digestkit.dumps(DIGEST, marker_typo="x")


def test_errors_share_a_base_and_a_builtin() -> None:
    assert issubclass(ParseError, DigestError)
    assert issubclass(ParseError, ValueError)
    assert issubclass(FormatError, LookupError)
    assert issubclass(OptionError, TypeError)


def _failing_writer(digest: Digest, /) -> bytes:
    raise DigestError("the writer failed half way")


FAILING = Format("failing", ("fail",), "x/fail", "fails", writer=_failing_writer)


class _Exploding(Exception):
    pass


def test_failed_dump_keeps_the_previous_file(tmp_path: Path) -> None:
    path = tmp_path / "d.txt"
    path.write_text("previous content")
    with pytest.raises(DigestError, match="half way"):
        digestkit.dump(DIGEST, path, FAILING)
    assert path.read_text() == "previous content"
    assert sorted(os.listdir(tmp_path)) == ["d.txt"]


def test_atomic_writer_leaves_nothing_on_failure(tmp_path: Path) -> None:
    path = tmp_path / "out.bin"
    path.write_bytes(b"old")

    def write_then_fail() -> None:
        with digestkit.atomic_writer(path) as out:
            out.write(b"new but incomplete")
            raise _Exploding

    with pytest.raises(_Exploding):
        write_then_fail()
    assert path.read_bytes() == b"old"
    assert sorted(os.listdir(tmp_path)) == ["out.bin"]


def test_atomic_writer_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path) -> None:
    path = tmp_path / "out.txt"
    path.write_bytes(b"old")
    path.chmod(0o640)
    digestkit.dump(DIGEST, path)
    assert path.stat().st_mode & 0o777 == 0o640
    assert path.read_text() == TEXT


def test_atomic_writer_in_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(digestkit.WriteError, match="cannot write"):
        digestkit.dump(DIGEST, tmp_path / "no" / "such" / "d.txt")


def test_dumps_refuses_a_non_digest() -> None:
    with pytest.raises(TypeError, match="expected a Digest"):
        digestkit.dumps("not a digest")  # type: ignore[call-overload]


def test_the_package_namespace_is_its_public_names() -> None:
    # `from __future__ import annotations` would leave a stray `annotations` name here.
    public = {name for name in dir(digestkit) if not name.startswith("_")}
    assert "annotations" not in public
    extra = public - set(digestkit.__all__)
    assert all(isinstance(getattr(digestkit, name), types.ModuleType) for name in extra)


@pytest.mark.parametrize("function", ["load", "iter_articles"])
def test_a_missing_file_is_caught_as_file_not_found(tmp_path: Path, function: str) -> None:
    missing = tmp_path / "nope.txt"
    for caught in (FileNotFoundError, OSError, digestkit.ParseError):
        with pytest.raises(caught) as info:
            getattr(digestkit, function)(missing)
        assert str(info.value) == f"{missing}: cannot read: No such file or directory"
        assert isinstance(info.value, FileNotFoundError)
        assert info.value.errno == errno.ENOENT
