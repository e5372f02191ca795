"""digestkit.folders: finding the files of a job, and error records."""

from __future__ import annotations

from pathlib import Path

from digestkit.errors import ParseError, WriteError
from digestkit.folders import error_record, find_files


def test_find_files_skips_hidden_and_underscore_names(tmp_path: Path) -> None:
    for name in ["a.txt", "sub/b.json", ".hidden.txt", "_SUCCESS", "part/_metadata", ".x/c.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    assert find_files(tmp_path) == [str(tmp_path / "a.txt"), str(tmp_path / "sub" / "b.json")]
    assert find_files([str(tmp_path / "*.txt")]) == [str(tmp_path / "a.txt")]


def test_error_records_locate_the_fault() -> None:
    located = ParseError("bad byte", source="a.txt", line=3, column=7)
    assert error_record(located, "a.txt") == {
        "source": "a.txt",
        "line": 3,
        "column": 7,
        "message": "bad byte",
    }
    unnamed = error_record(ParseError("bad", source="<string>"), "b.txt")
    assert unnamed["source"] == "b.txt"
    other = error_record(KeyError("x"), "c.txt")
    assert other["message"] == "unexpected KeyError: 'x'"
    assert other["line"] is None
    assert error_record(WriteError("disk full"), "d.txt")["message"] == "disk full"
