"""A folder of digests with corrupt files among good ones, shared by the Dask and Spark tests."""

from __future__ import annotations

import importlib.util
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

import digestkit
from digestkit.formats.parquet import write_digests
from digestkit.model import Article, Digest, Metadata

SAMPLE = Path(__file__).resolve().parents[2] / "seeds" / "000_e763484b695398bd.txt"


@dataclass
class Corpus:
    """A folder, the (source_file, digest, article, headline) of each good article, and the
    (source, line) each bad file must be reported at."""

    root: Path
    articles: list[tuple[str, int, int, str]]
    errors: dict[str, int]


def _hostile_epub() -> bytes:
    """An EPUB whose article page declares nested entities (a "billion laughs" seed)."""
    data = digestkit.dumps(Digest([Article("Headline", "Lead", ["Body"])]), "epub")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename.endswith("a00001.xhtml"):
                text = content.decode()
                assert "<!DOCTYPE html>" in text
                text = text.replace(
                    "<!DOCTYPE html>",
                    '<!DOCTYPE html [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>',
                ).replace("Body", "&b;")
                content = text.encode()
            target.writestr(info, content)
    return out.getvalue()


def make_corpus(root: Path, copies: int = 6) -> Corpus:
    """Write good digests (text, JSON, a Parquet file of three) and three bad files."""
    sample = digestkit.load(SAMPLE)
    good: list[tuple[Path, list[Digest]]] = []
    for index in range(copies):
        # Each copy drops a different number of articles, so the counts tell them apart.
        digest = Digest(sample.articles[index:], Metadata(title=f"Copy {index}"))
        folder = root / ("nested" if index % 2 else "")
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"copy-{index}.txt"
        path.write_text(digestkit.dumps(digest, "text"), encoding="utf-8")
        good.append((path, [digest]))
    json_digest = Digest(sample.articles[:2], Metadata(source="The JSON wire"))
    digestkit.dump(json_digest, root / "wire.json")
    good.append((root / "wire.json", [json_digest]))
    many = [
        Digest(sample.articles[:3], Metadata(title="First")),
        Digest((), Metadata(title="Empty")),
        Digest(sample.articles[5:], Metadata(title="Third", language="de")),
    ]
    write_digests(many, root / "many.parquet", row_group_size=4)
    good.append((root / "many.parquet", many))

    # Bad files: binary data, text with a byte that is not UTF-8 (on line 9), a hostile EPUB.
    (root / "binary.txt").write_bytes(b"\x00\x01\x02\xff\xfe binary")
    bad_utf8 = "Headline\n\nLead.\n\nKeep reading\n\nSecond\n\nCaf\xe9.\n"
    (root / "nested" / "latin1.txt").write_bytes(bad_utf8.encode("latin-1"))
    (root / "hostile.epub").write_bytes(_hostile_epub())
    errors = {
        str(root / "binary.txt"): 1,
        str(root / "nested" / "latin1.txt"): 9,
        str(root / "hostile.epub"): 2,
    }
    articles = [
        (str(path), position, index, article.headline)
        for path, digests in good
        for position, digest in enumerate(digests)
        for index, article in enumerate(digest.articles)
    ]
    return Corpus(root, sorted(articles), errors)


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """The shared folder of good and bad digests."""
    return make_corpus(tmp_path_factory.mktemp("inbox"))


def error_lines(records: list[dict[str, object]], root: Path) -> dict[str, object]:
    """Map each error record to its file (the part of ``source`` up to an archive member)."""
    found: dict[str, object] = {}
    for record in records:
        source = str(record["source"]).split("!/")[0]
        assert source.startswith(str(root)), record
        assert record["message"], record
        assert source not in found, f"two records for {source}"
        found[source] = record["line"]
    return found


DOCS_EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def example(name: str) -> ModuleType:
    """Import ``docs/examples/NAME.py``, the code docs/scale-out.md shows."""
    spec = importlib.util.spec_from_file_location(name, DOCS_EXAMPLES / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def languages(corpus: Corpus) -> dict[str, int]:
    """The articles per language of the corpus: the Parquet file's third digest is German."""
    german = sum(1 for a in corpus.articles if a[0].endswith("many.parquet") and a[1] == 2)
    return {"de": german, "en": len(corpus.articles) - german}
