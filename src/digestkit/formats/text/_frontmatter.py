"""The plain-text format's front matter: the digest's metadata between two ``---`` lines.

Only the syntax lives here (``key: value`` lines between fences); which keys exist, in which
order, and how each value is spelled (dates as ``YYYY-MM-DD``) is `digestkit.codec`'s.
"""

from __future__ import annotations

from collections.abc import Iterator

from digestkit.codec import METADATA_FIELDS, metadata_from_strings, metadata_to_strings
from digestkit.errors import ValidationError
from digestkit.formats.text._grammar import FENCE
from digestkit.model import Metadata
from digestkit.registry import ReadContext

__all__ = ["front_matter_lines", "read_front_matter"]


def front_matter_lines(meta: Metadata) -> list[str]:
    """Return the front matter that carries ``meta``, both fences included.

    Fields that hold their default value are left out, as the reader restores them.
    """
    fields = metadata_to_strings(meta, skip_defaults=True)
    return [FENCE, *(f"{name}: {value}" for name, value in fields.items()), FENCE]


def read_front_matter(lines: Iterator[tuple[int, str]], context: ReadContext) -> Metadata:
    """Parse front matter from the line after its opening fence through its closing one.

    ``lines`` yields (line number, line) pairs and is left just after the closing fence, so
    the caller reads on from there: the whole-text reader and the streaming reader share this.

    Raises:
        ParseError: a line that is not ``key: value`` with a known key, a key given twice, a
            value the codec refuses (located on its line), or no closing fence.
    """
    values: dict[str, str] = {}
    for number, raw in lines:
        line = raw.strip(" \t")
        if line == FENCE:
            try:
                return metadata_from_strings(values)
            except ValidationError as err:  # an invalid combination, should one exist
                raise context.error(f"front matter: {err}", number, 1) from err
        if not line:
            continue
        key, sep, value = line.partition(":")
        key = key.strip(" \t")
        if not sep or key not in METADATA_FIELDS:
            raise context.error(
                f"front matter: expected 'key: value' with a key among "
                f"{', '.join(METADATA_FIELDS)} or the closing {FENCE!r}, found {line[:60]!r}",
                number,
                1,
            )
        if key in values:
            raise context.error(f"front matter: {key!r} given twice", number, 1)
        value = value.strip(" \t")
        values[key] = value
        try:
            metadata_from_strings({key: value})  # refused on the line where it is written
        except ValidationError as err:
            raise context.error(f"front matter: bad {key}: {err.reason}", number, 1) from err
    raise context.error(f"front matter opened on line 1 is not closed by a {FENCE!r} line", 1, 1)
