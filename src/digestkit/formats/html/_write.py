"""The HTML writer: one self-contained HTML5 page, deterministic, readable on a phone.

The page has a header (title, date, source), a table of contents, and a ``<main>`` with one
``<article>`` per article: its ``<header>`` holds the ``<h2>`` headline and the lead, body
paragraphs follow. Schema.org ``NewsArticle`` items are given as JSON-LD. The digest's
metadata, as the metadata codec spells it, rides on ``<main>`` as ``data-*`` attributes (the
language is the page's ``lang``) so that `_read` gets the digest back exactly.
"""

from __future__ import annotations

import json

from digestkit._language import direction
from digestkit.codec import metadata_to_strings
from digestkit.model import Digest

__all__ = ["GENERATOR", "direction", "write"]

GENERATOR = "digestkit"
"""The ``<meta name="generator">`` content that marks a page digestkit wrote."""

# Light by default, dark when the reader's system asks; text contrast well above WCAG AA
# (axe-core checks it in both schemes).
_STYLE = """\
:root{color-scheme:light dark;--fg:#1b1b1b;--bg:#fdfdfd;--muted:#4a4a4a;--link:#0b4f9c;\
--rule:#d8d8d8}
@media (prefers-color-scheme:dark){:root{--fg:#ececec;--bg:#141414;--muted:#c2c2c2;\
--link:#9cc7ff;--rule:#3a3a3a}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:42rem;padding:1rem;font:1.0625rem/1.6 system-ui,sans-serif;\
color:var(--fg);background:var(--bg);overflow-wrap:anywhere}
h1{font-size:1.75rem;line-height:1.25;margin:.5rem 0}
h2{font-size:1.3rem;line-height:1.3;margin:0 0 .5rem}
a{color:var(--link)}
.meta{color:var(--muted);margin:0}
nav{border-block:1px solid var(--rule);padding:.5rem 0;margin:1rem 0}
nav h2{font-size:1rem}
nav ol{margin:0;padding-inline-start:1.5rem}
article{border-block-end:1px solid var(--rule);padding-block:1rem}
article>header p{font-weight:600}
"""


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attribute(value: str) -> str:
    return _text(value).replace('"', "&quot;")


def _json_ld(digest: Digest) -> str:
    meta = digest.metadata
    items = []
    for article in digest.articles:
        item: dict[str, object] = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": article.headline,
        }
        if article.lead is not None:
            item["description"] = article.lead
            item["articleBody"] = "\n\n".join(article.paragraphs)
        item["inLanguage"] = meta.language
        if meta.date is not None:
            item["datePublished"] = meta.date.isoformat()
        if meta.source is not None:
            item["publisher"] = {"@type": "Organization", "name": meta.source}
        items.append(item)
    # "<" escaped, so that no text can close the script element or open a comment.
    return json.dumps(items, ensure_ascii=False, indent=1).replace("<", "\\u003c")


def write(digest: Digest, /) -> bytes:
    """Write a digest as one HTML5 page (UTF-8, LF line ends); the same digest, the same bytes."""
    meta = digest.metadata
    strings = metadata_to_strings(meta)
    language = strings.pop("language")
    title = meta.title or "Digest"
    data = "".join(f' data-{name}="{_attribute(value)}"' for name, value in strings.items())
    # digestkit's own words are English whatever the page's language.
    english = "" if language.lower().split("-")[0] == "en" else ' lang="en" dir="ltr"'
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{_attribute(language)}" dir="{direction(language)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="{GENERATOR}">',
        f"<title>{_text(title)}</title>",
        f"<style>\n{_STYLE}</style>",
        f'<script type="application/ld+json">\n{_json_ld(digest)}\n</script>',
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{_text(meta.title)}</h1>" if meta.title else f"<h1{english}>Digest</h1>",
    ]
    about = []
    if meta.date is not None:
        about.append(f'<time datetime="{meta.date.isoformat()}">{meta.date.isoformat()}</time>')
    if meta.source is not None:
        about.append(_text(meta.source))
    if about:
        out.append(f'<p class="meta">{" · ".join(about)}</p>')
    out.append("</header>")
    if digest.articles:
        out.append('<nav aria-labelledby="contents">')
        out.append(f'<h2 id="contents"{english}>Contents</h2>')
        out.append("<ol>")
        for number, article in enumerate(digest.articles, 1):
            out.append(f'<li><a href="#article-{number}">{_text(article.headline)}</a></li>')
        out.append("</ol>")
        out.append("</nav>")
    out.append(f"<main{data}>")
    for number, article in enumerate(digest.articles, 1):
        out.append(f'<article id="article-{number}">')
        out.append("<header>")
        out.append(f"<h2>{_text(article.headline)}</h2>")
        if article.lead is not None:
            out.append(f"<p>{_text(article.lead)}</p>")
        out.append("</header>")
        out.extend(f"<p>{_text(paragraph)}</p>" for paragraph in article.body)
        out.append("</article>")
    out += ["</main>", "</body>", "</html>", ""]
    return "\n".join(out).encode("utf-8")
