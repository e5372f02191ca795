"""Digests on a Dask cluster: a dataframe of articles, and the files that could not be read."""

from __future__ import annotations

from typing import Any

import dask

from digestkit.dask import read_dataframe, read_digests, to_dataframe


def articles_per_language(inbox: str) -> dict[str, int]:
    """Count the articles of each language in every digest under ``inbox``."""
    frame = to_dataframe(inbox, files_per_partition=16)  # straight from the files
    counts = frame.groupby("language").size().compute()
    return {str(language): int(count) for language, count in counts.items()}


def bad_files(inbox: str) -> list[dict[str, Any]]:
    """One record (source, line, column, message) per file that could not be read."""
    _, errors = read_digests(inbox, files_per_partition=16)
    return list(errors.compute())


def to_parquet(inbox: str, out: str) -> int:
    """Write every article under ``inbox`` to a Parquet dataset; return how many files were
    bad. Computed together, the two results read each file once."""
    frame, errors = read_dataframe(inbox, files_per_partition=16)
    written = frame.to_parquet(out, write_index=False, compute=False)
    _, bad = dask.compute(written, errors.shape[0])
    return int(bad)
