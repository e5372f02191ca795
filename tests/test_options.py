"""Options of the wrong type: one check, from the signatures, for every reader and writer."""

from __future__ import annotations

import inspect
import io
from typing import Any

import pytest

import digestkit
from digestkit._options import wrong_type
from digestkit.errors import OptionError
from digestkit.model import Article, Digest
from digestkit.streaming import iter_articles, write_articles

_SKIP = {"reader": 2, "stream_reader": 2, "writer": 1, "stream_writer": 2}
_DIGEST = Digest([Article("Headline", "Lead.")])


def _every_option() -> list[object]:
    cases: list[object] = []
    for fmt in digestkit.default_registry().all():
        for role, skip in _SKIP.items():
            function = getattr(fmt, role)
            if function is None:
                continue
            params = list(inspect.signature(function).parameters.values())[skip:]
            cases.extend(
                pytest.param(fmt, role, param.name, id=f"{fmt.name}-{role}-{param.name}")
                for param in params
                if param.kind is param.KEYWORD_ONLY and param.name != "metadata"
            )
    return cases


def _run(fmt: digestkit.Format, role: str, options: dict[str, Any]) -> None:
    if role == "writer":
        digestkit.dumps(_DIGEST, fmt, **options)
    elif role == "stream_writer":
        write_articles(iter(_DIGEST.articles), io.BytesIO(), fmt, **options)
    elif role == "reader":
        digestkit.loads(digestkit.dumps(_DIGEST, fmt) if fmt.writer else b"", fmt, **options)
    else:
        with iter_articles(io.BytesIO(), fmt, **options) as stream:
            list(stream)


@pytest.mark.parametrize(("fmt", "role", "name"), _every_option())
def test_every_option_of_every_format_refuses_a_value_of_no_type(fmt, role, name):
    # object() is of no type an option declares: each must be refused, by name, before the
    # format runs. Before the check, EPUB raised TypeError or a WriteError about an
    # AttributeError, and text took final_newline=object() for True.
    assert wrong_type(getattr(fmt, role), name, object()) is not None, "not annotated?"
    with pytest.raises(OptionError, match=rf"option {name} expects .*, found object"):
        _run(fmt, role, {name: object()})


@pytest.mark.parametrize(
    ("format", "options"),
    [
        ("epub", {"cover": 123}),
        ("epub", {"modified": 5}),
        ("epub", {"conforms_to": 5}),
        ("epub", {"certified_by": ["me"]}),
        ("epub", {"default_title": b"Title"}),
        ("json", {"indent": "2"}),
        ("json", {"indent": True}),
        ("json", {"ensure_ascii": 1}),
        ("jsonl", {"ensure_ascii": "yes"}),
        ("xml", {"indent": 2.0}),
        ("text", {"final_newline": "no"}),
        ("text", {"marker": 5}),
        ("text", {"marker": ["Fin", 1]}),
        ("parquet", {"row_group_size": "100"}),
    ],
    ids=repr,
)
def test_a_wrong_type_is_an_option_error_naming_the_option(format, options):
    with pytest.raises(OptionError, match=f"option {next(iter(options))} expects"):
        digestkit.dumps(_DIGEST, format, **options)


@pytest.mark.parametrize(
    ("format", "options"),
    [
        ("epub", {"max_nodes": "1000"}),
        ("epub", {"max_spine": 10.0}),
        ("text", {"markers": "Fin"}),  # one string where a list of markers is expected
    ],
    ids=repr,
)
def test_a_reader_option_of_the_wrong_type_is_an_option_error(format, options):
    with pytest.raises(OptionError, match=f"option {next(iter(options))} expects"):
        digestkit.loads(b"Headline\n\nLead.\n", format, **options)


@pytest.mark.parametrize(
    ("format", "options"),
    [
        ("text", {"marker": "Fin", "final_newline": False}),
        ("text", {"marker": ("Fin", "End")}),
        ("json", {"indent": None, "ensure_ascii": True}),
        ("xml", {"indent": 0}),
        ("epub", {"modified": "2025-10-20", "cover": bytearray(b"\x89PNG\r\n\x1a\n")}),
    ],
    ids=repr,
)
def test_values_of_the_declared_types_are_taken(format, options):
    digestkit.dumps(_DIGEST, format, **options)


def test_a_row_group_size_below_one_is_an_option_error():
    pytest.importorskip("pyarrow")
    with pytest.raises(OptionError, match="row_group_size must be at least 1"):
        digestkit.dumps(_DIGEST, "parquet", row_group_size=0)
