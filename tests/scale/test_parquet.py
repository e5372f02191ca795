"""The Parquet format: many digests per file, streamed row groups, DuckDB's reading, bad files.

The one-digest round trip is the registry-wide property's; here are the rest.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import sys
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

import digestkit
from digestkit.arrow import ARTICLE_COLUMNS, DIGEST_COLUMNS, arrow_schema
from digestkit.codec import METADATA_FIELDS
from digestkit.errors import ParseError
from digestkit.formats.parquet import iter_digests, write_digests
from digestkit.model import Article, Digest, Metadata
from digestkit.testing import digests

from .conftest import example

duckdb = pytest.importorskip("duckdb")


def _written(items: list[Digest], **options: object) -> io.BytesIO:
    out = io.BytesIO()
    write_digests(items, out, **options)  # type: ignore[arg-type]
    out.seek(0)
    return out


def test_schema_columns_follow_the_codec() -> None:
    schema = arrow_schema()
    assert tuple(schema.names) == (*DIGEST_COLUMNS, *ARTICLE_COLUMNS)
    assert tuple(schema.names[2 : 2 + len(METADATA_FIELDS)]) == METADATA_FIELDS
    assert schema.field("date").type == pa.date32()
    assert schema.field("body").type == pa.list_(pa.field("item", pa.string(), False))
    assert not schema.field("language").nullable
    assert schema.field("title").nullable
    assert all(field.metadata[b"description"] for field in schema)
    assert digestkit.arrow_schema == schema


def test_import_digestkit_does_not_import_pyarrow() -> None:
    code = (
        "import sys, digestkit; digestkit.default_registry().get('parquet'); "
        "print('pyarrow' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


@given(st.lists(digests(max_articles=4), max_size=5), st.integers(1, 4))
def test_a_file_of_many_digests_reads_back_as_each(items: list[Digest], size: int) -> None:
    assert list(iter_digests(_written(items, row_group_size=size))) == items


def test_empty_digests_keep_their_metadata_and_place() -> None:
    items = [
        Digest((), Metadata(title="Empty first", date=dt.date(2025, 10, 20))),
        Digest([Article("Headline", "Lead", ["Body"])]),
        Digest((), Metadata(language="de")),
    ]
    out = _written(items)
    assert list(iter_digests(out)) == items
    assert pq.read_table(out).num_rows == 1


def test_writer_is_pure(sample_path: Path) -> None:
    digest = digestkit.load(sample_path)
    assert digestkit.dumps(digest, "parquet") == digestkit.dumps(digest, "parquet")


def test_rows_carry_source_files_and_lines(sample_path: Path, tmp_path: Path) -> None:
    digest = digestkit.load(sample_path)
    target = tmp_path / "out.parquet"
    write_digests([digest], target, source_files=[str(sample_path)])
    table = pq.read_table(target)
    assert set(table.column("source_file").to_pylist()) == {str(sample_path)}
    assert table.column("line").to_pylist() == [(a.lines or ())[0] for a in digest.articles]
    assert table.column("line").to_pylist()[0] == 1


def _generated(count: int) -> Iterator[Digest]:
    for number in range(count):
        body = [f"Paragraph {number}.{n} " + "words " * 30 + "end." for n in range(4)]
        yield Digest([Article(f"Headline {number}.{n}", "Lead.", body) for n in range(50)])


def _peak(job: Callable[[], object]) -> int:
    """The peak of Python allocations while ``job`` runs."""
    tracemalloc.start()
    try:
        job()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("count", [40, 400])
def test_streamed_write_and_read_memory_does_not_grow(tmp_path: Path, count: int) -> None:
    """Ten times the input costs about the same memory: one row group at a time."""
    target = tmp_path / "big.parquet"
    write_peak = _peak(lambda: write_digests(_generated(count), target, row_group_size=500))
    assert target.stat().st_size > 0
    seen = []
    read_peak = _peak(lambda: seen.append(sum(1 for _ in iter_digests(target))))
    assert seen == [count]
    # 400 digests are ~25 MB of text; 40 are ~2.5 MB. A row group of 500 articles is ~0.5 MB.
    assert write_peak < 8_000_000, write_peak
    assert read_peak < 8_000_000, read_peak


def test_stream_writer_writes_what_the_writer_writes(sample_path: Path) -> None:
    digest = digestkit.load(sample_path)
    out = io.BytesIO()
    digestkit.write_articles(iter(digest.articles), out, "parquet", metadata=digest.metadata)
    assert out.getvalue() == digestkit.dumps(digest, "parquet")
    with digestkit.iter_articles(io.BytesIO(out.getvalue()), "parquet") as stream:
        assert stream.metadata == digest.metadata
        assert tuple(stream) == digest.articles


def test_duckdb_agrees_on_rows_and_headlines(sample_path: Path, tmp_path: Path) -> None:
    sample = digestkit.load(sample_path)
    items = [
        sample,
        Digest((), Metadata(title="Nothing today")),
        Digest(sample.articles[::-1], Metadata(date=dt.date(2025, 10, 21), language="uk")),
    ]
    target = tmp_path / "digests.parquet"
    write_digests(items, target, row_group_size=3)
    rows = duckdb.sql(
        "SELECT digest, article, headline, lead, body, date, language "
        f"FROM read_parquet('{target}') ORDER BY digest, article"
    ).fetchall()
    expected = [
        (position, index, a.headline, a.lead, list(a.body), d.metadata.date, d.metadata.language)
        for position, d in enumerate(items)
        for index, a in enumerate(d.articles)
    ]
    assert rows == expected
    [(groups,)] = duckdb.sql(
        f"SELECT count(*) FROM parquet_metadata('{target}') WHERE column_id = 0"
    ).fetchall()
    assert groups == 7  # 20 rows in row groups of 3


def _table_bytes(table: pa.Table) -> bytes:
    out = io.BytesIO()
    pq.write_table(table, out)
    return out.getvalue()


def _rows(items: list[Digest]) -> pa.Table:
    return pq.read_table(_written(items))


def test_refuses_what_is_not_parquet(sample_bytes: bytes) -> None:
    with pytest.raises(ParseError, match="not a Parquet file") as info:
        digestkit.loads(sample_bytes, "parquet", source="sample.parquet")
    assert info.value.source == "sample.parquet"
    data = digestkit.dumps(Digest([Article("H", "L")]), "parquet")
    with pytest.raises(ParseError, match="not a Parquet file"):
        digestkit.loads(data[: len(data) // 2], "parquet")


def test_refuses_a_missing_or_mistyped_column() -> None:
    table = _rows([Digest([Article("H", "L")])])
    with pytest.raises(ParseError, match=r"'headline'.*missing"):
        digestkit.loads(_table_bytes(table.drop_columns(["headline"])), "parquet")
    wrong = table.set_column(
        table.schema.get_field_index("article"), "article", pa.array(["0"], pa.string())
    )
    with pytest.raises(ParseError, match="'article' is string, expected int32"):
        digestkit.loads(_table_bytes(wrong), "parquet")


def _replace(table: pa.Table, name: str, values: Sequence[object]) -> bytes:
    index = table.schema.get_field_index(name)
    return _table_bytes(
        table.set_column(index, table.field(name), pa.array(values, table.field(name).type))
    )


def test_refuses_rows_that_do_not_describe_digests() -> None:
    table = _rows([Digest([Article("A", "L"), Article("B", "L"), Article("C", "L")])])
    with pytest.raises(ParseError, match="row 2: article 5 out of order"):
        digestkit.loads(_replace(table, "article", [0, 1, 5]), "parquet")
    with pytest.raises(ParseError, match="row 1: the metadata differs"):
        digestkit.loads(_replace(table, "title", [None, "Other", None]), "parquet")
    with pytest.raises(ParseError, match=r"row 1: .*headline.*line break"):
        digestkit.loads(_replace(table, "headline", ["A", "B\nB", "C"]), "parquet")
    with pytest.raises(ParseError, match=r"row 0: .*language.*BCP 47"):
        digestkit.loads(_replace(table, "language", ["not a tag"] * 3), "parquet")
    # Digest positions must ascend: here digest 1 comes back after it closed.
    many = _rows([Digest([Article("A", "L")]), Digest([Article("B", "L")])])
    swapped = pa.concat_tables([many, many.slice(0, 1)])
    with pytest.raises(ParseError, match="row 2: digest 0 out of order"):
        list(iter_digests(io.BytesIO(_table_bytes(swapped))))


def test_the_first_fault_in_row_order_is_named() -> None:
    # A batch's order is checked before its articles are built: a value the model refuses
    # on an earlier row than an order fault is still the one reported.
    table = _rows([Digest([Article("A", "L"), Article("B", "L"), Article("C", "L")])])
    bad = _replace(table, "headline", ["A", "B ", "C"])
    both = _replace(pq.read_table(io.BytesIO(bad)), "article", [0, 1, 7])
    with pytest.raises(ParseError, match=r"row 1: .*headline.*begin or end"):
        digestkit.loads(both, "parquet")


def test_rows_are_checked_across_batches() -> None:
    # One digest over more rows than a reading batch holds: the metadata is compared with
    # the open digest's on the first row of the next batch too.
    count = 1100
    table = _rows([Digest([Article(f"H{i}", "L") for i in range(count)])])
    titles = [None] * 1024 + ["Other"] * (count - 1024)
    with pytest.raises(ParseError, match="row 1024: the metadata differs"):
        digestkit.loads(_replace(table, "title", titles), "parquet")
    numbers = [*range(1024), *range(1025, count + 1)]
    with pytest.raises(ParseError, match="row 1024: article 1025 out of order"):
        digestkit.loads(_replace(table, "article", numbers), "parquet")


@pytest.mark.parametrize(
    ("column", "values", "message"),
    [
        ("headline", ["A", " B", "C"], r"row 1: .*headline.*begin or end with a space"),
        ("headline", ["A", "B", ""], r"row 2: .*headline.*must not be empty"),
        ("headline", [None, "B", "C"], r"row 0: .*headline.*expected str"),
        ("lead", ["L", "L", "L\t"], r"row 2: .*lead.*begin or end with a space"),
        ("body", [[], ["x", " "], []], r"row 1: .*body\[1\].*begin or end"),
        ("body", [[], [], ["x", ""]], r"row 2: .*body\[1\].*must not be empty"),
        ("body", [["x\u2028y"], [], []], r"row 0: .*body\[0\].*line break \(U\+2028\)"),
        ("title", ["T "] * 3, r"row 0: .*title.*begin or end with a space"),
    ],
)
def test_refuses_values_the_model_refuses(column: str, values: list[object], message: str) -> None:
    # Each batch is cleared as a whole when it can be: one bad value anywhere in it must
    # still be found, and named by its row, as the model would name it.
    table = _rows([Digest([Article("A", "L"), Article("B", "L"), Article("C", "L")])])
    field = table.field(column).with_nullable(True)  # another tool may write nulls
    index = table.schema.get_field_index(column)
    data = _table_bytes(table.set_column(index, field, pa.array(values, field.type)))
    with pytest.raises(ParseError, match=message):
        digestkit.loads(data, "parquet")


def test_loads_refuses_a_file_of_several_digests() -> None:
    data = _written([Digest(), Digest()]).getvalue()
    with pytest.raises(ParseError, match="holds 2 digests, not one"):
        digestkit.loads(data, "parquet")


def test_refuses_a_bad_footer() -> None:
    table = _rows([Digest([Article("H", "L")])])
    for footer, message in [
        (b"{", "key-value metadata is invalid"),
        (b'{"digests": 1, "empty": [{"digest": 3, "metadata": {}}]}', "not in 0..0"),
        (b'{"digests": 2, "empty": []}', "digest 1 has no row"),
        (b'{"digests": 0, "empty": []}', "past the 0 the file declares"),
    ]:
        data = _table_bytes(table.replace_schema_metadata({b"digestkit": footer}))
        with pytest.raises(ParseError, match=message):
            list(iter_digests(io.BytesIO(data)))


def test_docs_example(sample_path: Path, tmp_path: Path) -> None:
    docs = example("scale_parquet")
    sample = digestkit.load(sample_path)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name, language, articles in [("a", "en", 10), ("b", "de", 4), ("c", "de", 0)]:
        digest = Digest(sample.articles[:articles], Metadata(title=name, language=language))
        digestkit.dump(digest, inbox / f"{name}.txt")
    target = tmp_path / "digests.parquet"
    assert docs.folder_to_parquet(inbox, target) == 3
    assert docs.titles(target) == ["a", "b", "c"]
    assert docs.articles_per_language(target) == [("de", 4), ("en", 10)]


def test_docs_sql_runs(sample_path: Path, tmp_path: Path) -> None:
    page = (Path(__file__).resolve().parents[2] / "docs" / "scale-out.md").read_text()
    (sql,) = re.findall(r"```sql\n(.*?)```", page, flags=re.DOTALL)
    digest = digestkit.load(sample_path)
    target = tmp_path / "digests.parquet"
    write_digests([digest, digest], target, source_files=["a.txt", "b.txt"])
    rows = duckdb.sql(sql.replace("'digests.parquet'", f"'{target}'")).fetchall()
    assert rows == [("en", 2 * len(digest.articles), 2)]


def test_equal_digests_give_equal_files(sample_bytes: bytes) -> None:
    """Source lines take no part in equality, so they stay out of a file without sources."""
    from_text = digestkit.loads(sample_bytes)
    from_json = digestkit.loads(digestkit.dumps(from_text, "json"), "json")
    assert from_text == from_json
    assert [a.lines for a in from_text.articles] != [a.lines for a in from_json.articles]
    assert digestkit.dumps(from_text, "parquet") == digestkit.dumps(from_json, "parquet")
