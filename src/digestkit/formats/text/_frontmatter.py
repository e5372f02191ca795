"""The plain-text format's front matter: the digest's metadata between two ``---`` lines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from digestkit.errors import ValidationError
from digestkit.formats.text._grammar import FENCE
from digestkit.model import DEFAULT_LANGUAGE, Metadata, check_line
from digestkit.registry import ReadContext

__all__ = ["front_matter_lines", "read_front_matter"]


def front_matter_lines(meta: Metadata) -> list[str]:
    """Return the front matter that carries ``meta``, both fences included."""
    lines = [FENCE]
    if meta.title is not None:
        lines.append(f"title: {meta.title}")
    if meta.language != DEFAULT_LANGUAGE:
        lines.append(f"language: {meta.language}")
    if meta.date is not None:
        lines.append(f"date: {meta.date.isoformat()}")
    if meta.source is not None:
        lines.append(f"source: {meta.source}")
    if meta.identifier is not None:
        lines.append(f"identifier: {meta.identifier}")
    lines.append(FENCE)
    return lines


_META_KEYS = ("title", "language", "date", "source", "identifier")


def read_front_matter(lines: Iterator[tuple[int, str]], context: ReadContext) -> Metadata:
    """Parse front matter from the line after its opening fence through its closing one.

    ``lines`` yields (line number, line) pairs and is left just after the closing fence, so
    the caller reads on from there: the whole-text reader and the streaming reader share this.
    """
    values: dict[str, Any] = {}
    number = 1
    for number, raw in lines:
        line = raw.strip(" \t")
        if line == FENCE:
            try:
                return Metadata(**values)
            except ValidationError as err:  # an invalid combination, should one exist
                raise context.error(f"front matter: {err}", number, 1) from err
        if not line:
            continue
        key, sep, value = line.partition(":")
        key = key.strip(" \t")
        if not sep or key not in _META_KEYS:
            raise context.error(
                f"front matter: expected 'key: value' with a key among {', '.join(_META_KEYS)}"
                f" or the closing {FENCE!r}, found {line[:60]!r}",
                number,
                1,
            )
        if key in values:
            raise context.error(f"front matter: {key!r} given twice", number, 1)
        value = value.strip(" \t")
        try:
            if key == "date":
                values[key] = dt.date.fromisoformat(value)
            else:
                values[key] = check_line(key, value) if key != "language" else value
            if key == "language":
                Metadata(language=value)
        except (ValueError, ValidationError) as err:
            raise context.error(f"front matter: bad {key}: {err}", number, 1) from err
    raise context.error(f"front matter opened on line 1 is not closed by a {FENCE!r} line", 1, 1)
