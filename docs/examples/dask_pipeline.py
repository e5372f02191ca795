"""Count the words of many digests with a Dask bag (the example of docs/pipelines.md)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import dask.bag as db

import digestkit


def words(article: digestkit.Article) -> int:
    """The words of an article's paragraphs."""
    return sum(len(paragraph.split()) for paragraph in article.paragraphs)


def article_words(path: str) -> list[tuple[str, int]]:
    """Read one digest and return (headline, words) for each article."""
    return [(a.headline, words(a)) for a in digestkit.iter_articles(path)]


def longest_articles(
    paths: Iterable[Path], top: int = 5, scheduler: str = "processes"
) -> list[tuple[str, int]]:
    """Return the ``top`` longest articles of all the digests, longest first."""
    bag = db.from_sequence([str(p) for p in paths], npartitions=4)
    pairs = bag.map(article_words).flatten()
    return list(pairs.topk(top, key=lambda pair: pair[1]).compute(scheduler=scheduler))
