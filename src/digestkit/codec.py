"""The one metadata codec: [`Metadata`][digestkit.model.Metadata] to and from strings.

Every format carries a digest's metadata as a set of named strings (front-matter lines, JSON
members, XML elements, EPUB ``dc:`` elements, command-line options), so each format handles
only its own syntax and this module decides the rest, once: which fields exist and in which
order (from `attrs.fields`, so a new field reaches every format), how each value is
spelled, and which spellings are accepted.

>>> from digestkit.model import Metadata
>>> import datetime
>>> strings = metadata_to_strings(Metadata(title="Morning", date=datetime.date(2025, 10, 20)))
>>> strings
{'title': 'Morning', 'language': 'en', 'date': '2025-10-20'}
>>> metadata_from_strings(strings) == Metadata(title="Morning", date=datetime.date(2025, 10, 20))
True
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping

import attrs

from digestkit.errors import ValidationError
from digestkit.model import Metadata

__all__ = [
    "METADATA_FIELDS",
    "format_date",
    "metadata_from_strings",
    "metadata_to_strings",
    "parse_date",
]

METADATA_FIELDS: tuple[str, ...] = tuple(field.name for field in attrs.fields(Metadata))
"""The names of the metadata fields, in the order every format writes them."""

_DEFAULTS = Metadata()
# ASCII digits only: \d would also take Arabic-Indic and other decimal digits.
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


def parse_date(text: str) -> _dt.date:
    """Return the day ``text`` spells as ``YYYY-MM-DD`` (RFC 3339 ``full-date``).

    This is the one spelling every format accepts, and the one each writes. Other ISO 8601
    forms (``20251020``, ``2025-W43-1``, ``2025-293``) are refused: a digest written in one
    format must read back in every other, and the schemas (JSON Schema's ``date`` format,
    ``xs:date``) and EPUB readers know only this one.

    Raises:
        ValueError: ``text`` is not a day spelled ``YYYY-MM-DD``, or no such day exists.
    """
    day, problem = _parse_date(text)
    if day is None:
        raise ValueError(f"{problem}, found {text!r}")
    return day


def _parse_date(text: str) -> tuple[_dt.date | None, str]:
    # The day, or None and what is wrong (without the value, which callers show their way).
    if not _DATE.match(text):
        return None, "expected a day as YYYY-MM-DD"
    try:
        return _dt.date.fromisoformat(text), ""
    except ValueError:
        return None, "expected a day of the calendar as YYYY-MM-DD"


def format_date(day: _dt.date) -> str:
    """Return ``day`` as ``YYYY-MM-DD``, the spelling `parse_date` reads."""
    return day.isoformat()


def metadata_to_strings(metadata: Metadata, *, skip_defaults: bool = False) -> dict[str, str]:
    """Return the fields of ``metadata`` that are set, as strings, in `METADATA_FIELDS` order.

    Args:
        metadata: the metadata to spell.
        skip_defaults: also leave out the fields that hold their default value (the
            language ``en``), for formats that keep defaults implicit.
    """
    strings: dict[str, str] = {}
    for name in METADATA_FIELDS:
        value = getattr(metadata, name)
        if value is None or (skip_defaults and value == getattr(_DEFAULTS, name)):
            continue
        strings[name] = format_date(value) if isinstance(value, _dt.date) else value
    return strings


def metadata_from_strings(strings: Mapping[str, str | None]) -> Metadata:
    """Return the [`Metadata`][digestkit.model.Metadata] that named strings describe.

    A missing name, or ``None``, leaves the field at its default. Each value is checked by
    the model, so the formats need not check it again.

    Raises:
        ValidationError: an unknown name, a value that is not a string, a date not spelled
            ``YYYY-MM-DD``, or a value the model refuses; its ``field`` names the field.
    """
    values: dict[str, object] = {}
    for name, value in strings.items():
        if name not in METADATA_FIELDS:
            raise ValidationError(
                name, value, f"unknown metadata field; expected one of {', '.join(METADATA_FIELDS)}"
            )
        if value is None:
            continue
        if not isinstance(value, str):
            raise ValidationError(name, value, f"expected str, found {type(value).__name__}")
        if name == "date":
            day, problem = _parse_date(value)
            if day is None:
                raise ValidationError(name, value, problem)
            values[name] = day
        else:
            values[name] = value
    return Metadata(**values)  # type: ignore[arg-type]  # each value is checked by the model
