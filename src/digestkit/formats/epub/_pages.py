"""The documents of digestkit's EPUB, as bytes: content pages, contents page, NCX, SVG cover.

Each is written as text in one pass over the digest, so that a book of 40,000 articles
costs time in proportion to its size (ebooklib's own NCX and navigation builders search
the tree once per entry). Every document opens with an XML declaration naming its
encoding, as Send-to-Kindle asks.
"""

from __future__ import annotations

import unicodedata

from digestkit._language import direction
from digestkit.codec import format_date
from digestkit.formats.epub._layout import CONTINUED, NAV_NAME, article_name, contents_heading
from digestkit.model import Article, Digest, Metadata

__all__ = [
    "STYLESHEET",
    "article_pages",
    "contents_page",
    "cover_page",
    "cover_svg",
    "escape",
    "ncx",
    "title_page",
]

STYLESHEET = """\
/* digestkit: plain type that reflows on phones and stays crisp on e-ink. */
body { margin: 0 4%; line-height: 1.45; }
h1 { font-size: 1.35em; line-height: 1.2; margin: 1.2em 0 0.7em; font-weight: bold;
     page-break-after: avoid; break-after: avoid; }
p { margin: 0 0 0.75em; text-indent: 0; orphans: 2; widows: 2; }
header p.lead { font-size: 1.08em; line-height: 1.4; margin-bottom: 1em; }
section.cover { text-align: center; }
section.cover img { max-width: 100%; max-height: 95vh; }
section.titlepage { margin-top: 25%; text-align: center; }
section.titlepage h1 { font-size: 1.8em; margin-bottom: 1em; }
nav ol { list-style: none; padding: 0; }
nav li { margin: 0 0 0.7em; }
"""
"""The stylesheet of every content document: relative sizes only, black on the reader's
background, no fixed fonts, so the reading system's settings win. The lead, the standfirst
in the article's ``<header>``, is set a little larger, not in bold."""

_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
_XHTML_OPEN = (
    _DECLARATION + "<!DOCTYPE html>\n"
    '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
    'lang="{lang}" xml:lang="{lang}" dir="{dir}">\n<head>\n<title>{title}</title>\n'
    '<link rel="stylesheet" type="text/css" href="style.css"/>\n</head>\n<body>\n'
)
_XHTML_CLOSE = "</body>\n</html>\n"


def escape(text: str) -> str:
    """Return ``text`` escaped for XML character data and double-quoted attributes."""
    # Chained replace is an order of magnitude faster than str.translate with a dict here.
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _attribute(text: str) -> str:
    """Return ``text`` escaped for a double-quoted attribute, keeping its TABs.

    XML turns a TAB in an attribute value into a space; a character reference keeps it.
    """
    return escape(text).replace("\t", "&#9;")


def _head(language: str, title: str) -> str:
    return _XHTML_OPEN.format(lang=escape(language), dir=direction(language), title=escape(title))


def _document(language: str, title: str, body: list[str]) -> bytes:
    return (_head(language, title) + "".join(body) + _XHTML_CLOSE).encode("utf-8")


def title_page(meta: Metadata, title: str) -> bytes:
    """Return the title page: the title, then the date, the author, the source when known."""
    body = ['<section class="titlepage" epub:type="titlepage">\n']
    body.append(f'<h1 class="title">{escape(title)}</h1>\n')
    if meta.date is not None:
        day = format_date(meta.date)
        body.append(f'<p class="date"><time datetime="{day}">{day}</time></p>\n')
    for name in ("author", "source", "publisher"):
        value = getattr(meta, name)
        if value is not None:
            body.append(f'<p class="{name}">{escape(value)}</p>\n')
    body.append("</section>\n")
    return _document(meta.language, title, body)


def cover_page(meta: Metadata, title: str, image: str) -> bytes:
    """Return the cover page: the cover image, with the title as its text alternative."""
    body = [
        '<section class="cover">\n',
        f'<img epub:type="cover" role="doc-cover" src="{image}" alt="{_attribute(title)}"/>\n',
        "</section>\n",
    ]
    return _document(meta.language, title, body)


def article_pages(article: Article, language: str, limit: int) -> list[bytes]:
    """Return one article's documents: a header with the headline and the lead, the body.

    One document, unless it would pass ``limit`` bytes: then the body is split between
    paragraphs over as few documents as keep each within ``limit``, the first holding the
    header, each next one a continuation (``CONTINUED``). A paragraph that does not fit in a
    document of its own still gets one, over the limit (the writer warns about it).
    """
    head = _head(language, article.headline)
    header = ["<article>\n<header>\n", f'<h1 class="headline">{escape(article.headline)}</h1>\n']
    if article.lead is not None:
        header.append(f'<p class="lead">{escape(article.lead)}</p>\n')
    header.append("</header>\n")
    paragraphs = [f"<p>{escape(paragraph)}</p>\n" for paragraph in article.body]
    tail = "</article>\n" + _XHTML_CLOSE
    whole = (head + "".join(header) + "".join(paragraphs) + tail).encode("utf-8")
    if len(whole) <= limit or not paragraphs:
        return [whole]
    # Only an article over the limit pays for measuring each paragraph.
    frame = len(head.encode("utf-8")) + len(tail)
    pages: list[list[str]] = [header]
    size = frame + len("".join(header).encode("utf-8"))
    for paragraph in paragraphs:
        length = len(paragraph.encode("utf-8"))
        if size + length > limit and (len(pages) == 1 or len(pages[-1]) > 1):
            opening = f'<article class="{CONTINUED}">\n'
            pages.append([opening])
            size = frame + len(opening)
        pages[-1].append(paragraph)
        size += length
    return [(head + "".join(page) + tail).encode("utf-8") for page in pages]


def _entries(digest: Digest, title: str) -> list[tuple[str, str]]:
    """The contents: each article's file and headline; the title page if there is none."""
    entries = [
        (article_name(index), article.headline)
        for index, article in enumerate(digest.articles, start=1)
    ]
    return entries or [("title.xhtml", title)]


def contents_page(digest: Digest, title: str) -> bytes:
    """Return the navigation document, also the contents page: the toc and the landmarks."""
    language = digest.metadata.language
    heading, heading_language = contents_heading(language)
    marked = "" if heading_language == language else ' lang="en" xml:lang="en"'
    body = [
        '<nav epub:type="toc" id="toc" role="doc-toc">\n',
        f"<h1{marked}>{escape(heading)}</h1>\n<ol>\n",
    ]
    body.extend(
        f'<li><a href="{href}">{escape(label)}</a></li>\n'
        for href, label in _entries(digest, title)
    )
    body.append("</ol>\n</nav>\n")
    body.append('<nav epub:type="landmarks" id="landmarks" hidden="">\n<ol>\n')
    body.append(f'<li><a epub:type="cover" href="cover.xhtml">{escape(title)}</a></li>\n')
    body.append(
        f'<li><a epub:type="toc" href="{NAV_NAME}#toc"{marked}>{escape(heading)}</a></li>\n'
    )
    if digest.articles:
        first = escape(digest.articles[0].headline)
        body.append(f'<li><a epub:type="bodymatter" href="{article_name(1)}">{first}</a></li>\n')
    body.append("</ol>\n</nav>\n")
    return _document(language, heading, body)


def ncx(digest: Digest, title: str, identifier: str) -> bytes:
    """Return the NCX of EPUB 2 reading systems: one level, the entries of the contents."""
    parts = [
        _DECLARATION,
        '<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1" '
        f'xml:lang="{escape(digest.metadata.language)}">\n<head>\n',
        f'<meta name="dtb:uid" content="{_attribute(identifier)}"/>\n',
        '<meta name="dtb:depth" content="1"/>\n',
        '<meta name="dtb:totalPageCount" content="0"/>\n',
        '<meta name="dtb:maxPageNumber" content="0"/>\n',
        f"</head>\n<docTitle><text>{escape(title)}</text></docTitle>\n<navMap>\n",
    ]
    for order, (href, label) in enumerate(_entries(digest, title), start=1):
        parts.append(
            f'<navPoint id="np{order}" playOrder="{order}"><navLabel><text>{escape(label)}'
            f'</text></navLabel><content src="{href}"/></navPoint>\n'
        )
    parts.append("</navMap>\n</ncx>\n")
    return "".join(parts).encode("utf-8")


_COVER_WIDTH, _COVER_HEIGHT = 600, 800
_COVER_LINE = 18  # title characters a line holds at the title's size
_COVER_LINES = 6


def _wrap(text: str, width: int, lines: int) -> list[str]:
    """Break ``text`` into at most ``lines`` lines of about ``width`` columns.

    Lines break at spaces, and anywhere in a run of wide (CJK) characters, which count two
    columns; if text is left out, the last line shown ends with an ellipsis.
    """
    tokens: list[tuple[str, str]] = []  # each piece, and the glue before it
    for word in text.replace("\t", " ").split(" "):
        if not word:
            continue
        glue = " " if tokens else ""
        if any(_columns(char) == 2 for char in word):
            tokens.extend((char, glue if at == 0 else "") for at, char in enumerate(word))
        else:
            tokens.append((word, glue))
    out: list[str] = []
    line, columns = "", 0
    for piece, glue in tokens:
        size = sum(_columns(char) for char in piece)
        if line and columns + len(glue) + size > width:
            out.append(line)
            line, columns = piece, size
        else:
            line, columns = line + (glue if line else "") + piece, columns + len(glue) + size
    if line:
        out.append(line)
    if len(out) > lines:
        out = out[:lines]
        out[-1] += "…"
    return out


def _columns(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def cover_svg(meta: Metadata, title: str) -> bytes:
    """Return the cover: an SVG drawing of the title, the date and the source.

    Text only, drawn by the reading system's own fonts: the same metadata gives the same
    bytes, and no image library is needed.
    """
    language = escape(meta.language)
    rtl = direction(meta.language) == "rtl"
    text = 'text-anchor="middle" font-family="serif" fill="#1b1b1b"' + (
        ' direction="rtl" unicode-bidi="embed"' if rtl else ""
    )
    parts = [
        _DECLARATION,
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" xml:lang="{language}" '
        f'viewBox="0 0 {_COVER_WIDTH} {_COVER_HEIGHT}" role="img" aria-labelledby="cover-title">\n',
        f'<title id="cover-title">{escape(title)}</title>\n',
        f'<rect width="{_COVER_WIDTH}" height="{_COVER_HEIGHT}" fill="#fdfdfd"/>\n',
        f'<rect x="30" y="30" width="{_COVER_WIDTH - 60}" height="{_COVER_HEIGHT - 60}" '
        'fill="none" stroke="#1b1b1b" stroke-width="3"/>\n',
    ]
    y = 260
    for line in _wrap(title, _COVER_LINE, _COVER_LINES):
        parts.append(
            f'<text x="{_COVER_WIDTH // 2}" y="{y}" font-size="44" font-weight="bold" {text}>'
            f"{escape(line)}</text>\n"
        )
        y += 56
    y += 40
    extra = [format_date(meta.date)] if meta.date is not None else []
    extra += [value for value in (meta.source,) if value is not None]
    for value in extra:
        for line in _wrap(value, 30, 2):
            parts.append(
                f'<text x="{_COVER_WIDTH // 2}" y="{y}" font-size="28" {text}>'
                f"{escape(line)}</text>\n"
            )
            y += 38
    parts.append("</svg>\n")
    return "".join(parts).encode("utf-8")
