"""The books the EPUB checkers look at: the sample, right-to-left and CJK digests, every
metadata field, and many articles (shared by the EPUBCheck, Ace, Kindle and browser tests)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from digestkit import api
from digestkit.model import Article, Digest, Metadata

SAMPLE = Path(__file__).resolve().parents[2] / "seeds" / "000_e763484b695398bd.txt"

ARABIC = Digest(
    [
        Article(
            "روسيا تعترف باستقلال أوكرانيا",
            "قال وزير الخارجية «إن موسكو تعترف باستقلال أوكرانيا».",
            ["وأضاف أن الوضع تغير كثيرا منذ عام 2014."],
        ),
        Article("عنوان بلا نص"),
    ],
    Metadata(title="موجز الأخبار", language="ar", date=dt.date(2025, 10, 20), source="مصدر"),
)
HEBREW = Digest(
    [Article("כותרת ראשית", "פסקת פתיחה של הכתבה.", ["גוף הכתבה, שורה שנייה."])],
    Metadata(title="תקציר חדשות", language="he", date=dt.date(2025, 10, 20)),
)
JAPANESE = Digest(
    [Article("東京で新しい駅が開業", "新しい駅が今朝開業した。", ["多くの人が訪れた。"])],
    Metadata(title="朝のニュース", language="ja", date=dt.date(2025, 10, 20), source="通信社"),
)
EVERY_FIELD = Digest(
    [
        Article("Markup & <brackets> in a “headline”", 'A lead with "quotes" and a tab\there.'),
        Article("Third", "Lead\u00a0", ["Body <p> & more.", "Last\u202f"]),
    ],
    Metadata(
        title="Morning <digest> & more",
        language="pt-BR",
        date=dt.date(2025, 10, 20),
        source="The Source & Co",
        identifier="urn:uuid:2f1e5b0c-6d3a-4f4e-9a57-0d8c2b1e7a10",
        author="Ana Autora",
        publisher="Editora & Filhos",
    ),
)
EVERY_FIELD_OPTIONS = {
    "conforms_to": "EPUB Accessibility 1.1 - WCAG 2.1 Level AA",
    "certified_by": "Example Evaluators",
    "modified": "2025-10-21T06:00:00Z",
}


def sample() -> Digest:
    """The bundled sample digest."""
    return api.loads(SAMPLE.read_bytes(), "text")


def many(count: int) -> Digest:
    """A digest of ``count`` articles made from the sample's."""
    articles = sample().articles
    return Digest(
        [
            Article(f"{a.headline} ({i})", a.lead, a.body)
            for i in range(count // len(articles) + 1)
            for a in articles
        ][:count],
        Metadata(title="Many articles", date=dt.date(2025, 10, 20)),
    )


def books() -> dict[str, bytes]:
    """Each checked book's EPUB bytes, by name."""
    return {
        "sample": api.dumps(sample(), "epub"),
        "arabic": api.dumps(ARABIC, "epub"),
        "hebrew": api.dumps(HEBREW, "epub"),
        "japanese": api.dumps(JAPANESE, "epub"),
        "every-field": api.dumps(EVERY_FIELD, "epub", **EVERY_FIELD_OPTIONS),
        "200-articles": api.dumps(many(200), "epub"),
    }


def long_article() -> Digest:
    """A digest whose second article would take about 950 KB in one document: the sample's
    paragraphs (no-break spaces, curly quotes and all) over and over, between short ones."""
    articles = sample().articles
    body = [p for i in range(500) for p in (f"{i}.", *articles[i % len(articles)].body)]
    return Digest(
        [articles[0], Article("A very long article", articles[1].lead, body), articles[2]],
        Metadata(title="Long read", date=dt.date(2025, 10, 20)),
    )
