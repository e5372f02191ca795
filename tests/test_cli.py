"""The command line, through main(argv) and its exit code: parsing, dispatch and convert."""

from __future__ import annotations

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
    bad.write_bytes(b"Headline\n\nLead \x0c here\n")
    assert main(["convert", str(bad), "-t", "text"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"{bad}:3:6: error: U+000C" in captured.err


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
