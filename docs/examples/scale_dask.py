"""Digests on a Dask cluster: a dataframe of articles, and the files that could not be read."""

from __future__ import annotations

from typing import Any

from digestkit.dask import read_digests, to_dataframe


def articles_per_language(inbox: str) -> dict[str, int]:
    """Count the articles of each language in every digest under ``inbox``."""
    frame = to_dataframe(inbox, files_per_partition=16)  # straight from the files
    counts = frame.groupby("language").size().compute()
    return {str(language): int(count) for language, count in counts.items()}


def bad_files(inbox: str) -> list[dict[str, Any]]:
    """One record (source, line, column, message) per file that could not be read."""
    _, errors = read_digests(inbox, files_per_partition=16)
    return list(errors.compute())
