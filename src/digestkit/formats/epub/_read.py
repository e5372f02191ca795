"""The EPUB reader: zipfile and lxml, within limits, never ebooklib.

An EPUB digestkit wrote (its package says ``digestkit:layout``) reads back to an equal
digest. Any other EPUB is read on a best-effort basis: each document of the spine, in order,
becomes an article headed by its first heading, with its paragraphs as lead and body; each
guess is reported through the read context.

ebooklib's reader is not used: it reads whole members without limits, parses with settings
digestkit does not control, and reports damage as assorted exceptions; an archive from
elsewhere is untrusted input (``docs/epub.md``, "Safe reading").
"""

from __future__ import annotations

import posixpath
from typing import Any
from urllib.parse import unquote, urlsplit

import attrs

from digestkit.codec import METADATA_FIELDS, metadata_from_strings
from digestkit.errors import MissingDependencyError, ValidationError
from digestkit.formats.epub._content import (
    collapse_space,
    is_title_page,
    make_article,
    own_document,
    parse_xml,
)
from digestkit.formats.epub._foreign import FRONT_MATTER_TYPES, foreign_articles, is_title_only
from digestkit.formats.epub._layout import (
    DC_ELEMENTS,
    LAYOUTS,
    VOCAB_PREFIX,
    derive_identifier,
    qname,
)
from digestkit.formats.epub._zipsafe import Limits, SafeArchive, check_spine, member_error
from digestkit.model import Article, Digest, Metadata
from digestkit.registry import ReadContext

__all__ = ["read"]

_MIMETYPE = b"application/epub+zip"
_PACKAGE_TYPE = "application/oebps-package+xml"
_XHTML_TYPE = "application/xhtml+xml"
_OPF = qname("opf", "")
_DC = qname("dc", "")


@attrs.frozen
class _Item:
    path: str
    """The manifest's href until resolved, then the member's name in the archive."""
    media_type: str
    properties: tuple[str, ...]


@attrs.frozen
class _Package:
    path: str
    root: Any
    spine: list[tuple[_Item, bool]]
    """The spine's items, with paths resolved in the archive, and whether each is linear."""

    def meta(self, prop: str) -> str | None:
        for element in self.root.iterfind(f"{_OPF}metadata/{_OPF}meta"):
            if element.get("property") == prop:
                return (element.text or "").strip()
        return None

    def dc(self, name: str) -> list[Any]:
        return list(self.root.iterfind(f"{_OPF}metadata/{_DC}{name}"))


def _check_mimetype(archive: SafeArchive, context: ReadContext) -> None:
    if "mimetype" not in archive.members:
        raise context.error("not an EPUB: the archive has no 'mimetype' member")
    mimetype = archive.read("mimetype")
    if mimetype.strip() != _MIMETYPE:
        raise context.error("not an EPUB: 'mimetype' does not say application/epub+zip")
    if mimetype != _MIMETYPE:
        context.warn("'mimetype' has white space around application/epub+zip")
    first = archive.first
    if first is None or first.filename != "mimetype" or first.compress_type != 0:
        context.warn("'mimetype' is not the first member stored uncompressed, as EPUB asks")


def _resolve(base: str, href: str, member: str, context: ReadContext) -> str:
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path:
        raise member_error(context, member, f"reference {href!r} is not a file in the archive")
    path = posixpath.normpath(posixpath.join(posixpath.dirname(base), unquote(parts.path)))
    if path.startswith(("../", "/")) or path == "..":
        raise member_error(context, member, f"reference {href!r} escapes the archive")
    return path


def _package_path(archive: SafeArchive, etree: Any, context: ReadContext) -> str:
    member = "META-INF/container.xml"
    if member not in archive.members:
        raise context.error(f"not an EPUB: no {member}")
    root = parse_xml(etree, archive, member, context, doctype=False)
    for rootfile in root.iter(qname("container", "rootfile")):
        if rootfile.get("media-type") == _PACKAGE_TYPE and rootfile.get("full-path"):
            return _resolve("", rootfile.get("full-path"), member, context)
    raise member_error(context, member, "names no package document (rootfile)")


def _package(archive: SafeArchive, etree: Any, context: ReadContext) -> _Package:
    path = _package_path(archive, etree, context)
    if path not in archive.members:
        raise context.error(f"the package document {path!r} is missing")
    root = parse_xml(etree, archive, path, context, doctype=False)
    if root.tag != f"{_OPF}package":
        raise member_error(context, path, f"expected an OPF <package>, found <{root.tag}>")
    items: dict[str, _Item] = {}
    for item in root.iterfind(f"{_OPF}manifest/{_OPF}item"):
        uid, href = item.get("id"), item.get("href")
        if not uid or not href:
            raise member_error(
                context, path, "a manifest item lacks an id or href", item.sourceline
            )
        # Paths are resolved for spine items only: other items are never read, and may
        # legitimately be remote.
        items[uid] = _Item(
            href,
            item.get("media-type", ""),
            tuple(item.get("properties", "").split()),
        )
    spine = []
    refs = root.findall(f"{_OPF}spine/{_OPF}itemref")
    check_spine(refs, archive, path, context)
    seen: set[str] = set()
    for ref in refs:
        idref = ref.get("idref", "")
        if idref in seen:
            continue  # check_spine reported the repeats
        seen.add(idref)
        if idref not in items:
            raise member_error(
                context,
                path,
                f"the spine names {idref!r}, which the manifest lacks",
                ref.sourceline,
            )
        item = attrs.evolve(items[idref], path=_resolve(path, items[idref].path, path, context))
        if item.path not in archive.members:
            raise member_error(
                context,
                path,
                f"manifest item {item.path!r} is missing from the archive",
                ref.sourceline,
            )
        spine.append((item, ref.get("linear", "yes") != "no"))
    return _Package(path, root, spine)


def _text(elements: list[Any], own: bool) -> str | None:
    """Return the first element's text: exact in digestkit's layout, else with HTML spacing."""
    if not elements:
        return None
    text = elements[0].text or ""
    return text if own else collapse_space(text)


def _identifier(package: _Package, own: bool) -> str | None:
    wanted = package.root.get("unique-identifier")
    found = package.dc("identifier")
    chosen = [e for e in found if e.get("id") == wanted] or found
    return _text(chosen, own)


def _metadata(package: _Package, own: bool, context: ReadContext) -> Metadata:
    # Each metadata field is the Dublin Core element of the same name (see _layout).
    strings = {
        name: _text(package.dc(DC_ELEMENTS.get(name, name)), own) or None
        for name in METADATA_FIELDS
    }
    strings["identifier"] = _identifier(package, own) or None
    if own and package.meta(f"{VOCAB_PREFIX}:default-title") == "true":
        strings["title"] = None
    date = strings["date"]
    if not own and date is not None:
        # Other tools write a W3CDTF date-time (2021-03-04T10:00:00Z): its day is the date.
        strings["date"] = date[:10]
    # Each refused field falls back to its default once, so this ends.
    while True:
        try:
            return metadata_from_strings(strings)
        except ValidationError as err:
            if own or err.field not in strings:
                raise member_error(context, package.path, f"invalid metadata: {err}") from err
            context.warn(f"metadata {err.field} {err.value!r} cannot be kept: {err.reason}")
            strings[err.field] = None


def _front_matter(package: _Package, context: ReadContext) -> set[str]:
    """The members the EPUB 2 guide names as cover, title page or contents: not articles."""
    found = set()
    for reference in package.root.iterfind(f"{_OPF}guide/{_OPF}reference"):
        href = reference.get("href", "")
        if reference.get("type") in FRONT_MATTER_TYPES and href:
            found.add(_resolve(package.path, href.split("#")[0], package.path, context))
    return found


def _articles(
    archive: SafeArchive, etree: Any, package: _Package, own: bool, context: ReadContext
) -> list[Article]:
    articles: list[Article] = []
    # The article being read in digestkit's layout, whose body continuation documents may
    # extend: its first document, headline, lead and paragraphs.
    pending: tuple[str, str, str | None, list[str]] | None = None
    title_seen = False
    front = set() if own else _front_matter(package, context)
    book_title = _text(package.dc("title"), own)
    for item, linear in package.spine:
        if item.media_type != _XHTML_TYPE or "nav" in item.properties:
            if not own:
                context.warn(
                    f"spine item {item.path!r} ({item.media_type}) is not an article: skipped"
                )
            continue
        if not linear and not (own and not title_seen):
            context.warn(f"spine item {item.path!r} is outside the reading order: skipped")
            continue
        if item.path in front:
            context.warn(f"spine item {item.path!r} is front matter in the guide: skipped")
            continue
        root = parse_xml(etree, archive, item.path, context, doctype=True)
        if is_title_page(root):
            title_seen = True
            continue
        if own:
            if not title_seen:
                raise member_error(context, item.path, "expected the title page first")
            headline, lead, paragraphs = own_document(root, item.path, context)
            if headline is not None:
                if pending is not None:
                    articles.append(make_article(pending[0], context, *pending[1:]))
                pending = (item.path, headline, lead, paragraphs)
            elif pending is None:
                raise member_error(context, item.path, "continues no article")
            else:
                pending[3].extend(paragraphs)
        elif not articles and is_title_only(root, book_title):
            context.warn(f"spine item {item.path!r} holds only the title: skipped")
        else:
            articles.extend(foreign_articles(root, item.path, context))
    if pending is not None:
        articles.append(make_article(pending[0], context, *pending[1:]))
    return articles


def read(
    data: bytes,
    context: ReadContext,
    /,
    *,
    max_members: int,
    max_member_bytes: int,
    max_total_bytes: int,
    max_nodes: int,
    max_spine: int,
) -> Digest:
    """Read an EPUB publication as a digest (the door, ``digestkit.formats.epub.read``)."""
    try:
        from lxml import etree
    except ImportError as err:
        raise MissingDependencyError("epub", err.name or "lxml", "reading EPUB") from err
    limits = Limits(max_members, max_member_bytes, max_total_bytes, max_nodes, max_spine)
    archive = SafeArchive(data, context, limits)
    _check_mimetype(archive, context)
    package = _package(archive, etree, context)
    own = package.meta(f"{VOCAB_PREFIX}:layout") in LAYOUTS
    if not own:
        context.warn(
            "not written by digestkit: each spine document is read as an article headed by "
            "its first heading"
        )
    metadata = _metadata(package, own, context)
    articles = _articles(archive, etree, package, own, context)
    try:
        digest = Digest(articles, metadata)
    except ValidationError as err:
        raise context.error(f"not a valid digest: {err}") from err
    title = _text(package.dc("title"), own) or ""
    if own and metadata.identifier == derive_identifier(metadata, title):
        digest = Digest(articles, attrs.evolve(metadata, identifier=None))
    return digest
