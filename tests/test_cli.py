"""The command line, through main(argv) and its exit code: parsing, dispatch and convert."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import digestkit
from digestkit.cli import _METADATA_HELP, main
from digestkit.codec import METADATA_FIELDS
from digestkit.model import Digest, Metadata
from digestkit.registry import Format, ReadContext, Registry


def test_convert_to_stdout_round_trips(
    sample_path: Path, sample_bytes: bytes, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    assert main(["convert", str(sample_path), "-t", "text"]) == 0
    assert capsysbinary.readouterr().out.rstrip(b"\n") == sample_bytes


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"digestkit {digestkit.__version__}\n"


def test_convert_reads_stdin(
    sample_bytes: bytes,
    monkeypatch: pytest.MonkeyPatch,
    capsysbinary: pytest.CaptureFixture[bytes],
) -> None:
    class Stdin:
        buffer = __import__("io").BytesIO(sample_bytes)

    monkeypatch.setattr("sys.stdin", Stdin)
    assert main(["convert", "-", "-t", "text", "--title", "Daily"]) == 0
    digest = digestkit.loads(capsysbinary.readouterr().out)
    assert digest.metadata == Metadata(title="Daily")
    assert digest.articles == digestkit.loads(sample_bytes).articles


_FORMATS = digestkit.default_registry().all()
_PAIRS = [(a.name, b.name) for a in _FORMATS if a.reader and a.writer for b in _FORMATS if b.writer]


@pytest.mark.parametrize(("source", "target"), _PAIRS)
def test_convert_between_every_pair_of_formats(
    sample_path: Path, tmp_path: Path, source: str, target: str
) -> None:
    registry = digestkit.default_registry()
    digest = digestkit.load(sample_path)
    given = tmp_path / f"in.{registry.get(source).extensions[0]}"
    digestkit.dump(digest, given, source)
    out = tmp_path / f"out.{registry.get(target).extensions[0]}"
    assert main(["convert", str(given), "-o", str(out)]) == 0
    if registry.get(target).reader is not None:
        assert digestkit.load(out) == digest


def test_marker_option_reaches_the_text_reader(tmp_path: Path) -> None:
    given = tmp_path / "in.txt"
    given.write_text("Headline\n\nLead.\n\nRead on\n\nNext\n\nMore.\n\nRead on\n")
    out = tmp_path / "out.txt"
    assert main(["convert", str(given), "-o", str(out), "--marker", "Read on", "--strict"]) == 0
    assert len(digestkit.load(out).articles) == 2
    assert main(["convert", str(given), "-o", str(out), "--strict"]) == 1


def test_metadata_options_override_the_input(sample_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    argv = ["convert", str(sample_path), "-o", str(out), "--language", "de", "--date", "2025-10-20"]
    assert main([*argv, "--source", "RT", "--identifier", "urn:x:1"]) == 0
    meta = digestkit.load(out).metadata
    assert (meta.language, meta.date.isoformat() if meta.date else None) == ("de", "2025-10-20")
    assert (meta.source, meta.identifier) == ("RT", "urn:x:1")


def test_every_metadata_field_is_an_option(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["convert", "--help"]) == 0
    shown = capsys.readouterr().out
    for name in METADATA_FIELDS:
        assert f"--{name} {name.upper()}" in shown
    assert set(_METADATA_HELP) <= set(METADATA_FIELDS)  # no help for a field that is gone


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--date", "20 Oct", "--date: expected a day as YYYY-MM-DD"),
        # Other ISO 8601 spellings are refused, as every format refuses them.
        ("--date", "2025-W43-1", "--date: expected a day as YYYY-MM-DD"),
        ("--date", "20251020", "--date: expected a day as YYYY-MM-DD"),
        ("--date", "2025-02-30", "--date: expected a day of the calendar as YYYY-MM-DD"),
        ("--language", "not a tag", "--language: expected a BCP 47 language tag"),
        ("--title", " padded", "--title: must not begin or end with a space"),
        ("--source", "a\u2028b", "--source: holds a line break"),
    ],
)
def test_bad_metadata_is_a_usage_error(
    sample_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    option: str,
    value: str,
    message: str,
) -> None:
    out = tmp_path / "out.txt"
    assert main(["convert", str(sample_path), "-o", str(out), option, value]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["-t", "nope"], "unknown format 'nope'"),
        ([], "name the output format with -t"),
        (["-t", "text", "-j", "0"], "-j/--jobs"),
        (["extra.txt", "-t", "text", "-o", "x.txt"], "use -d OUTDIR"),
    ],
)
def test_usage_errors_exit_2(
    sample_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(["convert", str(sample_path), *argv]) == 2
    assert message in capsys.readouterr().err


def test_bad_input_exits_1_with_location(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"Headline\n\nLead \x1b here\n")
    assert main(["convert", str(bad), "-t", "text"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"{bad}:3:6: error: U+001B" in captured.err


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> Registry:
    """A fresh default registry, so that formats registered by a test do not leak."""
    fresh = Registry()
    monkeypatch.setattr("digestkit.registry._default", fresh)
    return fresh


def _plain_reader(data: bytes, context: ReadContext, /) -> Digest:
    return digestkit.loads(data, source=context.source)


def test_reader_option_only_goes_to_readers_that_take_it(
    registry: Registry, sample_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    registry.register(
        Format("plain", ("plain",), "text/x-plain", "no options", reader=_plain_reader)
    )
    copy = tmp_path / "in.plain"
    copy.write_bytes(sample_path.read_bytes())
    assert main(["convert", str(copy), "-t", "text", "--marker", "Keep reading"]) == 2
    assert "--marker is not an option of the plain reader (its options: none)" in (
        capsys.readouterr().err
    )
    assert main(["convert", str(copy), "-t", "text"]) == 0


def _half_writer(articles: object, stream: object, /, *, metadata: Metadata) -> int:
    stream.write(b"half of a document")  # type: ignore[attr-defined]
    raise digestkit.WriteError("the disk caught fire")


def test_a_failing_write_leaves_the_old_file(
    registry: Registry, sample_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    registry.register(
        Format("half", ("half",), "text/x-half", "fails half way", stream_writer=_half_writer)
    )
    out = tmp_path / "out.half"
    out.write_bytes(b"the old content")
    assert main(["convert", str(sample_path), "-o", str(out)]) == 1
    assert "the disk caught fire" in capsys.readouterr().err
    assert out.read_bytes() == b"the old content"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.half"]


def test_a_parse_error_late_in_the_input_leaves_the_old_file(
    sample_bytes: bytes, tmp_path: Path
) -> None:
    # Text is streamed: articles are written before the bad line is reached.
    source = tmp_path / "in.txt"
    source.write_bytes(sample_bytes + b"\n\nLate\n\nbad \x01 byte\n")
    out = tmp_path / "out.txt"
    out.write_bytes(b"the old content")
    assert main(["convert", str(source), "-o", str(out)]) == 1
    assert out.read_bytes() == b"the old content"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.txt", "out.txt"]


def test_interrupt_exits_130_and_keeps_the_old_file(
    sample_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    out = tmp_path / "out.txt"
    out.write_bytes(b"the old content")
    monkeypatch.setattr("digestkit.formats.text.dump_article", interrupted)
    assert main(["convert", str(sample_path), "-o", str(out)]) == 130
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]
    assert out.read_bytes() == b"the old content"


@pytest.mark.parametrize("batch", [False, True])
def test_quiet_hides_warnings_but_not_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], batch: bool
) -> None:
    unmarked = tmp_path / "unmarked.txt"
    unmarked.write_text("Headline\n\nLead.\n")  # no end marker: a warning
    where = ["-d", str(tmp_path / "out")] if batch else ["-o", str(tmp_path / "out.json")]
    assert main(["convert", str(unmarked), "-t", "json", *where]) == 0
    assert "warning: " in capsys.readouterr().err
    assert main(["convert", str(unmarked), "-t", "json", *where, "-q"]) == 0
    assert capsys.readouterr().err == ""
    missing = str(tmp_path / "missing.txt")
    assert main(["convert", missing, "-t", "json", *where, "-q"]) == 1
    assert "error: " in capsys.readouterr().err


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("digest.dat", "digest.dat: no format claims the extension .dat: name the format with -f"),
        ("notes", "notes: no extension to tell the format by: name the format with -f"),
        ("digest.docx", "digest.docx: a Word document, which digestkit does not read"),
    ],
)
def test_an_unknown_input_format_says_what_to_do(
    sample_bytes: bytes,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
    expected: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    Path(name).write_bytes(sample_bytes)
    assert main(["convert", name, "-t", "json"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"digestkit: error: {expected}")
    assert "-f text" in err
    assert "epub" not in err  # nothing suggests a format that would not read it
    assert err.count(f"{name}:") == 1  # the path is said once


def test_an_output_folder_given_to_o_points_to_d(
    sample_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for extra in ([], ["-t", "json"]):
        assert main(["convert", str(sample_path), "-o", str(tmp_path), *extra]) == 2
        err = capsys.readouterr().err
        assert "use -d for a folder" in err
        assert err.count(str(tmp_path)) == 1


class _Terminal:
    def __init__(self, stream: object) -> None:
        self.stream = stream

    def isatty(self) -> bool:
        return True

    def __getattr__(self, name: str) -> object:
        return getattr(self.stream, name)


def test_binary_output_is_not_written_to_a_terminal(
    sample_path: Path, monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    pytest.importorskip("ebooklib")
    monkeypatch.setattr(sys, "stdout", _Terminal(sys.stdout))
    assert main(["convert", str(sample_path), "-t", "epub"]) == 2
    captured = capsysbinary.readouterr()
    assert captured.out == b""
    assert b"name the output file with -o" in captured.err


@pytest.mark.parametrize("command", ["convert", "check", "stats"])
def test_standard_input_is_read_when_no_input_is_named(
    sample_bytes: bytes,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: str,
) -> None:
    piped = io.TextIOWrapper(io.BytesIO(sample_bytes))
    monkeypatch.setattr(sys, "stdin", piped)
    extra = ["-t", "json"] if command == "convert" else []
    assert main([command, *extra]) == 0
    monkeypatch.setattr(sys, "stdin", _Terminal(piped))
    assert main([command, *extra]) == 2
    assert "no input: name a file or a folder, or pipe a digest in" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["check", "stats"])
def test_check_and_stats_read_a_folder(
    sample_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_bytes(sample_path.read_bytes())
    assert main([command, str(sample_path), "--format", "json"]) == 0
    one = json.loads(capsys.readouterr().out)
    assert main([command, str(tmp_path), "--format", "json"]) == 0
    both = json.loads(capsys.readouterr().out)
    if command == "check":
        assert [entry["source"] for entry in both] == [
            str(tmp_path / "a.txt"),
            str(tmp_path / "b.txt"),
        ]
    else:
        assert both["articles"] == 2 * one["articles"]


def test_check_names_standard_input_one_way() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "digestkit", "check", "-"],
        input=b"Headline\n\nLead.\n",
        capture_output=True,
        check=True,
        timeout=120,
    )
    assert done.stdout.startswith(b"<stdin>:1:1: warning: ")
    assert done.stderr.startswith(b"<stdin>: 1 article, 1 warning")


def test_metadata_key_value_sets_any_field(sample_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    argv = ["convert", str(sample_path), "-o", str(out), "--metadata", "author=Ann"]
    assert (
        main([*argv, "--metadata", "publisher=P=Q", "--metadata", "title=T", "--title", "U"]) == 0
    )
    metadata = digestkit.load(out).metadata
    assert (metadata.author, metadata.publisher, metadata.title) == ("Ann", "P=Q", "U")
    assert main([*argv[:-1], "editor=x"]) == 2
    assert main([*argv[:-1], "author"]) == 2


def test_epub_writer_options_and_the_input_name_as_title(sample_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.epub"
    cover = tmp_path / "c.png"
    cover.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(16))
    argv = ["convert", str(sample_path), "-o", str(out), "--modified", "2025-01-02"]
    assert main([*argv, "--cover", str(cover), "--conforms-to", "X", "--certified-by", "Y"]) == 0
    with zipfile.ZipFile(out) as book:
        opf = book.read("EPUB/content.opf").decode()
        assert book.read("EPUB/cover.png") == cover.read_bytes()
    assert f"<dc:title>{sample_path.stem}</dc:title>" in opf
    assert "2025-01-02T00:00:00Z" in opf
    assert '<meta property="dcterms:conformsTo">X</meta>' in opf
    assert '<meta property="a11y:certifiedBy">Y</meta>' in opf
    assert digestkit.load(out).metadata.title is None
    # A writer without the option refuses it; a missing cover file is a usage error.
    assert main(["convert", str(sample_path), "-t", "json", "--modified", "now"]) == 2
    assert main([*argv, "--cover", str(tmp_path / "missing.png")]) == 2


def test_a_spool_that_cannot_be_written_names_its_folder(
    tmp_path: Path,
    sample_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Output to stdout waits in a temporary file past SPOOL_BYTES: when that cannot be
    # written, the message says where and what to do, and stdout gets nothing.
    import tempfile

    from digestkit.cli import _job

    monkeypatch.setattr(_job, "SPOOL_BYTES", 16)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "missing"))
    assert main(["convert", str(sample_path), "-t", "jsonl"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert (
        f"<stdout>: error: cannot hold the output in a temporary file in {tmp_path}" in captured.err
    )
    assert "set TMPDIR, or write to a file with -o" in captured.err


@pytest.mark.parametrize("size", [0, 5, 16, 17, 1000])
def test_the_stdout_spool_gives_back_what_was_written(size: int) -> None:
    # Held in memory up to `size` bytes, then in a temporary file: pieces across the limit,
    # a bytearray and a memoryview come back whole and in order.
    from digestkit.cli import _job

    pieces = [b"abc", bytearray(b"defgh"), b"", memoryview(b"ijklmnop"), b"q" * 40]
    with _job._Spool(size) as spool:
        for piece in pieces:
            assert spool.write(piece) == len(piece)
        assert spool.tell() == 56
        out = io.BytesIO()
        spool.copy_to(out)
    assert out.getvalue() == b"".join(bytes(p) for p in pieces)
