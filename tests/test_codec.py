"""The one metadata codec: field order, date spellings, round trip."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given

from digestkit.codec import (
    METADATA_FIELDS,
    format_date,
    metadata_from_strings,
    metadata_to_strings,
    parse_date,
)
from digestkit.errors import ValidationError
from digestkit.model import Metadata
from digestkit.testing import metadata as metadata_strategy


def test_default_metadata_spells_only_the_language() -> None:
    assert metadata_to_strings(Metadata()) == {"language": "en"}
    assert metadata_to_strings(Metadata(), skip_defaults=True) == {}


def test_order_is_the_field_order() -> None:
    meta = Metadata(
        publisher="P",
        author="A",
        identifier="id",
        source="src",
        date=dt.date(2025, 1, 2),
        title="T",
    )
    assert tuple(metadata_to_strings(meta)) == METADATA_FIELDS
    assert METADATA_FIELDS[:3] == ("title", "language", "date")


@pytest.mark.parametrize("text", ["2025-10-20", "0001-01-01", "9999-12-31", "2024-02-29"])
def test_dates_spelled_as_full_date_are_read(text: str) -> None:
    assert format_date(parse_date(text)) == text


@pytest.mark.parametrize(
    "text",
    [
        "2025-W43-1",  # ISO week date
        "20251020",  # ISO basic format
        "2025-293",  # ordinal date
        "2025-10-20T00:00:00",
        " 2025-10-20",
        "2025-10-20\n",
        "２０２５-10-20",  # full-width digits
        "٢٠٢٥-10-20",  # Arabic-Indic digits
        "2025-02-30",  # no such day
        "2025-13-01",
        "",
    ],
)
def test_other_date_spellings_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_date(text)


def test_unknown_field_is_named() -> None:
    with pytest.raises(ValidationError, match="unknown metadata field") as info:
        metadata_from_strings({"editor": "x"})
    assert info.value.field == "editor"


def test_bad_date_is_a_validation_error_naming_the_field() -> None:
    with pytest.raises(ValidationError) as info:
        metadata_from_strings({"date": "2025-W43-1"})
    assert info.value.field == "date"
    assert str(info.value).count("2025-W43-1") == 1  # the value is shown once


def test_non_string_value_is_refused() -> None:
    with pytest.raises(ValidationError, match="expected str"):
        metadata_from_strings({"title": 3})  # type: ignore[dict-item]


def test_none_leaves_the_default() -> None:
    assert metadata_from_strings({"title": None, "language": None}) == Metadata()


def test_model_checks_values() -> None:
    with pytest.raises(ValidationError) as info:
        metadata_from_strings({"title": " padded"})
    assert info.value.field == "title"


@given(metadata_strategy())
def test_round_trip(meta: Metadata) -> None:
    assert metadata_from_strings(metadata_to_strings(meta)) == meta
    assert metadata_from_strings(metadata_to_strings(meta, skip_defaults=True)) == meta
