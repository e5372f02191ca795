"""A folder of digests into one Parquet file, read back, and queried with DuckDB."""

from __future__ import annotations

from pathlib import Path

import duckdb

import digestkit
from digestkit.formats.parquet import iter_digests, write_digests


def folder_to_parquet(inbox: Path, target: Path) -> int:
    """Write every text digest of a folder into one Parquet file; return how many."""
    paths = sorted(inbox.glob("*.txt"))
    digests = (digestkit.load(path) for path in paths)  # one at a time
    return write_digests(digests, target, source_files=[str(path) for path in paths])


def titles(target: Path) -> list[str | None]:
    """Read the digests back, one at a time, and return their titles."""
    return [digest.metadata.title for digest in iter_digests(target)]


def articles_per_language(target: Path) -> list[tuple[str, int]]:
    """Count the articles of each language with DuckDB, straight from the file."""
    query = "SELECT language, count(*) FROM read_parquet(?) GROUP BY language ORDER BY language"
    return duckdb.execute(query, [str(target)]).fetchall()
