"""The resource cases of issue 12, each with its limit, measured in a child process.

Each test names its item. The figures in the comments are this machine's, before the fix and
after it; the assertions are the limits, well between the two.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
import time
import tracemalloc
import zipfile

import pytest

import digestkit
from digestkit.cli._job import SPOOL_BYTES
from digestkit.errors import ParseError
from digestkit.formats import _jsonpos
from digestkit.formats.text._input import numbered_lines

from . import _inputs
from ._measure import MIB, measure


def test_item4_epub_member_of_tiny_paragraphs_is_refused_by_max_nodes(written):
    # 16 MiB of <p>a</p> in one member (a 16 KB file): before, read in 564 MiB and 9 s;
    # after, refused by max_nodes in 0.1 s and 28 MiB.
    cost = measure(written(_inputs.epub_tiny_paragraphs(16 * MIB)), "epub")
    assert "max_nodes" in cost.outcome, cost
    assert cost.within_bound(), cost


def test_item4_epub_member_of_comments_builds_nothing(written):
    # 16 MiB of comments: before, 382 MiB; after, 0.7 MiB (comments never reach the tree).
    cost = measure(written(_inputs.epub_comments(16 * MIB)), "epub")
    assert cost.outcome == "read", cost
    assert cost.grown < 16 * MIB, cost


def test_item4_spine_longer_than_max_spine_is_refused(written):
    # 20,000 entries naming one document (a 3 KB file): before, read in 2.8 s (100,000
    # entries: 70 MiB and 13.8 s); after, refused by max_spine in 0.1 s (100,000 entries are
    # refused by max_nodes first).
    cost = measure(written(_inputs.epub_repeated_spine(20_000)), "epub")
    assert "max_spine" in cost.outcome, cost
    assert cost.within_bound(), cost


def test_item4_repeated_spine_entries_are_read_once():
    diagnostics: list[digestkit.Diagnostic] = []
    digest = digestkit.loads(_inputs.epub_repeated_spine(50), "epub", diagnostics=diagnostics)
    assert len(digest.articles) == 1
    assert any("49 repeated entries" in d.message for d in diagnostics)


def test_item4_max_nodes_and_max_spine_can_be_raised():
    data = _inputs.epub_tiny_paragraphs(2 * MIB)
    with pytest.raises(ParseError, match="max_nodes"):
        digestkit.loads(data, "epub", max_nodes=1000)
    digest = digestkit.loads(data, "epub", max_nodes=1_000_000)
    assert len(digest.articles[0].body) == 2 * MIB // 8 - 1
    with pytest.raises(ParseError, match="max_spine"):
        digestkit.loads(_inputs.epub_repeated_spine(3), "epub", max_spine=2)


@pytest.mark.parametrize(("method", "name"), [(zipfile.ZIP_LZMA, "14"), (zipfile.ZIP_BZIP2, "12")])
def test_item4_only_stored_and_deflate_members_are_read(method, name):
    with pytest.raises(ParseError, match=f"compression method {name} is not allowed"):
        digestkit.loads(_inputs.epub_method(method), "epub")


def test_item4_damaged_lzma_header_is_a_parse_error_not_lzmaerror():
    data = bytearray(_inputs.epub_method(zipfile.ZIP_LZMA))
    # An LZMA properties header asking for a 4 GiB dictionary, as a hostile archive would.
    at = data.find(b"c.xhtml", data.find(b"PK\x03\x04", 100)) + len(b"c.xhtml")
    data[at + 4 : at + 9] = b"\x5d\xff\xff\xff\xff"
    with pytest.raises(ParseError):
        digestkit.loads(bytes(data), "epub")


def test_item5_json_position_of_a_late_fault_is_counted_not_built():
    # locate() on 256 KiB of [] (87,000 arrays): before, it built a tree of 9 MiB of Python
    # objects (tracemalloc); after, it holds nothing (well under the text's own size).
    text = _inputs.json_fault_at_end(MIB // 4).decode()
    tracemalloc.start()
    try:
        where = _jsonpos.locate(text, "articles[80000]")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert where == (1, 68 + 3 * 80_000)
    assert peak < len(text) // 4


def test_item5_json_fault_at_end_within_bound(written):
    # Before: 135 MiB and 1.2 s for 1 MiB; after: 25 MiB (json.loads' own arrays) and 0.3 s.
    cost = measure(written(_inputs.json_fault_at_end(MIB)), "json")
    assert "expected an object" in cost.outcome, cost
    assert cost.within_bound(), cost


def test_item5_text_fault_at_end_within_bound(written):
    cost = measure(written(_inputs.text_fault_at_end(MIB)), "text")
    assert ":1048577:1: U+0001" in cost.outcome, cost
    assert cost.grown < 8 * MIB, cost


def test_item6_max_bytes_reads_at_most_one_byte_more_from_dev_zero():
    # Before: load("/dev/zero", max_bytes=1 MiB) read until MemoryError; after, 0.04 s. In a
    # child under RLIMIT_AS, so that a regression fails instead of taking the machine.
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    code = (
        "import resource, digestkit\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
        "try:\n"
        "    digestkit.load('/dev/zero', 'json', max_bytes=1 << 20)\n"
        "except digestkit.ParseError as err:\n"
        "    print(err)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert "limit of 1048576 bytes" in done.stdout, done.stderr[-1000:]


def test_item6_max_bytes_bounds_a_fifo(tmp_path):
    fifo = tmp_path / "in.json"
    os.mkfifo(fifo)
    sent = []

    def feed() -> None:
        try:
            with open(fifo, "wb") as out:
                for _ in range(64):
                    out.write(b" " * 65536)
                    sent.append(65536)
        except BrokenPipeError:
            pass

    writer = threading.Thread(target=feed)
    writer.start()
    try:
        with pytest.raises(ParseError, match="limit of 100000 bytes"):
            digestkit.load(fifo, max_bytes=100_000)
    finally:
        writer.join(timeout=10)
    assert sum(sent) < 64 * 65536  # the reader stopped; the writer met a closed pipe


def test_item7_streaming_a_long_line_is_linear():
    # One 1 MiB line in 64-byte chunks: before, 12.6 s (the tail re-split on every chunk);
    # after, 0.04 s.
    start = time.process_time()
    lines = list(numbered_lines(io.BytesIO(b"a" * MIB), source="s", format="text", chunk_size=64))
    assert lines == [(1, "a" * MIB)]
    assert time.process_time() - start < 1.0


@pytest.mark.parametrize(
    ("build", "before"),
    [
        (_inputs.xml_foreign_elements, "176 MiB"),
        (_inputs.xml_headline_comments, "47 MiB"),
        (_inputs.xml_tiny_paragraphs, "126 MiB"),
    ],
    ids=["1M <x/>", "comments in a headline", "tiny paragraphs"],
)
def test_item8_xml_costs_under_20_times_its_size(build, before, written):
    # 2 MiB of each; before: the figure given; after: 5, 0.2 and 18 MiB.
    cost = measure(written(build(2 * MIB)), "xml")
    assert cost.grown < 20 * cost.size, f"{cost} (before the fix: {before})"


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "streamed"])
def test_item8_text_tiny_paragraphs_cost_under_20_times_their_size(stream, written):
    # 1 MiB of one-letter paragraphs (350,000 in one article): before, 27.3 MiB read whole
    # and 24.6 MiB streamed; after, 15.7 and 15.4 MiB, most of it the article itself (a line
    # number's int object and two tuple slots per paragraph).
    cost = measure(written(_inputs.text_tiny_paragraphs(MIB)), "text", stream=stream)
    assert cost.outcome == "read", cost
    assert cost.grown < 20 * cost.size, cost


_CONVERT_TO_STDOUT = r"""
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
from digestkit.cli import main
import digestkit.formats.jsonl, digestkit.formats.text


def status(field):
    with open("/proc/self/status") as file:
        for line in file:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise LookupError(field)


with open("/proc/self/clear_refs", "w") as file:
    file.write("5")
before = status("VmRSS")
code = main(["convert", sys.argv[1], "-t", "jsonl"])
sys.stdout.flush()
print(json.dumps({"code": code, "grown": status("VmHWM") - before}), file=sys.stderr)
"""


def _convert_to_stdout(path, out):
    """Run ``digestkit convert PATH -t jsonl`` into ``out`` in a child; return (code, grown)."""
    with open(out, "wb") as stdout:
        done = subprocess.run(
            [sys.executable, "-c", _CONVERT_TO_STDOUT, str(path)],
            stdout=stdout,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            check=False,
        )
    report = json.loads(done.stderr.strip().splitlines()[-1])
    return report["code"], report["grown"], done.stderr


def test_item8_convert_to_stdout_holds_no_more_than_its_spool(written, tmp_path):
    # 8 MB of text to 8.4 MiB of JSON Lines on stdout: before, the output was buffered whole
    # (9.0 MiB grown); after, 1.8-2.3 MiB, the spool's SPOOL_BYTES and a little more.
    out = tmp_path / "out.jsonl"
    code, grown, _ = _convert_to_stdout(written(_inputs.text_articles(8_000_000), "in.txt"), out)
    assert code == 0
    assert out.stat().st_size > 8 * SPOOL_BYTES
    assert grown < 3 * SPOOL_BYTES, f"{grown / MIB:.1f} MiB grown"


def test_item8_a_late_fault_leaves_stdout_empty_past_the_spool(written, tmp_path):
    # The spool is on disk by the time the fault is met: still nothing reaches stdout.
    data = _inputs.text_articles(4 * SPOOL_BYTES) + b"Headline\n\nA \x01 here\n"
    out = tmp_path / "out.jsonl"
    code, _, stderr = _convert_to_stdout(written(data, "in.txt"), out)
    assert code == 1
    assert "U+0001" in stderr
    assert out.read_bytes() == b""


def test_item13_xml_paragraph_over_libxml2_text_limit_round_trips():
    # Before: the writer wrote it and the reader refused it (libxml2's 10 MB text node).
    paragraph = "word " * 2_200_000 + "end"
    digest = digestkit.Digest([digestkit.Article("H", "lead", [paragraph])])
    assert digestkit.loads(digestkit.dumps(digest, "xml"), "xml") == digest


def test_item13_epub_paragraph_over_libxml2_text_limit_round_trips():
    pytest.importorskip("ebooklib")
    paragraph = "word " * 2_200_000 + "end"
    digest = digestkit.Digest([digestkit.Article("H", "lead", [paragraph])])
    with pytest.warns(digestkit.WriteWarning, match="Send-to-Kindle"):  # one paragraph, 11 MB
        data = digestkit.dumps(digest, "epub")
    assert digestkit.loads(data, "epub") == digest
