"""Formats, and the registry that finds them by name, file extension or media type.

A format is a [`Format`][digestkit.registry.Format] object published under the entry-point group
``digestkit.formats``; the entry point's name is the format's name. The built-in formats are
published through that same group by digestkit's own ``pyproject.toml``, so a third-party
format is found exactly as a built-in one is. Entry points are loaded lazily: looking a format
up by name imports that format's module and no other, and format modules import their heavy
dependencies (lxml, ebooklib) only when they read or write.

>>> registry = default_registry()
>>> registry.for_path("digest.txt").name, registry.get("epub").media_type
('text', 'application/epub+zip')
>>> sorted(registry.get("epub").reader_options())
['max_member_bytes', 'max_members', 'max_nodes', 'max_spine', 'max_total_bytes']
"""

from __future__ import annotations

import functools
import importlib
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import PurePath
from types import MappingProxyType
from typing import Any

import attrs

from digestkit.errors import (
    Diagnostic,
    FormatError,
    OptionError,
    ParseError,
    PluginWarning,
    Severity,
)
from digestkit.model import Article, Digest, Metadata

__all__ = [
    "BUILTIN_FORMATS",
    "ENTRY_POINT_GROUP",
    "Format",
    "ReadContext",
    "Reader",
    "Registry",
    "StreamReader",
    "StreamWriter",
    "Writer",
    "default_registry",
]

ENTRY_POINT_GROUP = "digestkit.formats"
"""The entry-point group a package publishes its formats under."""


@attrs.define
class ReadContext:
    """What a reader is told about its input, and where it reports diagnostics.

    Readers call [`warn`][digestkit.registry.ReadContext.warn] for what they had to guess
    and raise [`error`][digestkit.registry.ReadContext.error] for what they cannot read; the
    context turns warnings into errors when ``strict`` is set.
    """

    source: str = "<string>"
    """The file name, ``"<stdin>"`` or ``"<string>"``, for messages."""
    format: str = ""
    """The name of the format being read."""
    strict: bool = False
    """Whether a warning is raised as a [`ParseError`][digestkit.errors.ParseError]."""
    diagnostics: list[Diagnostic] | None = None
    """Where warnings are appended; ``None`` drops them."""

    def error(self, message: str, line: int | None = None, column: int | None = None) -> ParseError:
        """Return a [`ParseError`][digestkit.errors.ParseError] located in this input, to raise."""
        return ParseError(message, source=self.source, line=line, column=column, format=self.format)

    def warn(self, message: str, line: int | None = None, column: int | None = None) -> None:
        """Report something the reader had to guess.

        Raises:
            ParseError: the context is strict.
        """
        if self.strict:
            raise self.error(message + " (strict mode)", line, column)
        if self.diagnostics is not None:
            self.diagnostics.append(
                Diagnostic(
                    message,
                    source=self.source,
                    line=line,
                    column=column,
                    severity=Severity.WARNING,
                )
            )


Reader = Callable[..., Digest]
"""Reads a whole input into a digest: ``reader(data: bytes, context: ReadContext, /, *,
option=...) -> Digest``; options are keyword-only and named in the signature."""

Writer = Callable[..., bytes]
"""Writes a digest: ``writer(digest, /, *, option=...) -> bytes``; the same digest and options
give the same bytes."""


StreamReader = Callable[..., tuple[Metadata, Iterator[Article]]]
"""Reads a digest article by article from a binary stream, in memory that does not grow.

``stream_reader(stream, context, /, **options)`` returns the digest's metadata (read before the
first article) and a lazy iterator over its articles. It takes the same options as the
format's ``Reader``.
"""

StreamWriter = Callable[..., int]
"""Writes articles to a binary stream as they come; returns how many it wrote.

``stream_writer(articles, stream, /, *, metadata, **options)`` takes the same options as the
format's ``Writer``, and writes the bytes the writer writes for the same digest.
"""


def _extensions(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(ext.lower().lstrip(".") for ext in value)


@attrs.frozen
class Format:
    """A named way to read and/or write a digest.

    Publish an instance under the ``digestkit.formats`` entry-point group, named as
    [`name`][digestkit.registry.Format.name], and digestkit finds it.
    """

    name: str
    """The format's name, as given to ``-f``/``-t`` and ``loads``/``dumps``."""
    extensions: tuple[str, ...] = attrs.field(converter=_extensions)
    """File name extensions, without the dot, lower case: ``("txt",)``."""
    media_type: str
    """The IANA media type of written documents."""
    description: str
    """One line for ``digestkit formats``."""
    # Typed as plain callables: a reader with its own keyword-only options (``marker=``) is
    # not a structural match for the ``**options`` of the Reader/Writer protocols in mypy.
    reader: Callable[..., Digest] | None = None
    """Reads bytes into a digest (see ``Reader``), or ``None`` if write-only."""
    writer: Callable[..., bytes] | None = None
    """Writes a digest as bytes, or ``None`` if the format is read-only."""
    binary: bool = False
    """``True`` if written documents are not UTF-8 text (``dumps`` then returns bytes)."""
    stream_reader: StreamReader | None = None
    """Reads article by article for [`iter_articles`][digestkit.streaming.iter_articles], or
    ``None``: then the whole document is read with [`reader`][digestkit.registry.Format.reader]
    first."""
    stream_writer: StreamWriter | None = None
    """Writes article by article for [`write_articles`][digestkit.streaming.write_articles], or
    ``None``: then the articles are gathered into a digest and written with
    [`writer`][digestkit.registry.Format.writer]."""
    collection_reader: Callable[..., Iterator[Digest]] | None = None
    """For a format whose files may hold many digests (Parquet): ``collection_reader(path)``
    yields each, in order. ``None``: a file holds one digest."""
    collection_writer: Callable[..., int] | None = None
    """For a format whose files may hold many digests: ``collection_writer(digests, path, /,
    *, source_files=...)`` writes them into one file (atomically) and returns how many."""

    def reader_options(self) -> frozenset[str] | None:
        """Names of the options the reader takes (``None``: it takes any)."""
        return None if self.reader is None else _options(self.reader, skip=2)

    def writer_options(self) -> frozenset[str] | None:
        """Names of the options the writer takes (``None``: it takes any)."""
        return None if self.writer is None else _options(self.writer, skip=1)

    def check_options(self, role: str, options: dict[str, Any]) -> None:
        """Raise [`OptionError`][digestkit.errors.OptionError] if ``role`` lacks an option, or
        if a value is not of the type the role's signature declares.

        ``role`` is ``"reader"``, ``"writer"``, ``"stream_reader"`` or ``"stream_writer"``.
        """
        function: Callable[..., object] | None
        if role == "stream_reader" and self.stream_reader is not None:
            function, skip = self.stream_reader, 2
        elif role == "stream_writer" and self.stream_writer is not None:
            function, skip = self.stream_writer, 2
        elif role.endswith("reader"):
            function, skip = self.reader, 2
        else:
            function, skip = self.writer, 1
        if function is None:
            return
        allowed = _options(function, skip)
        if allowed is not None:
            if function is self.stream_writer:
                allowed -= {"metadata"}
            unknown = sorted(set(options) - allowed)
            if unknown:
                known = ", ".join(sorted(allowed)) or "none"
                raise OptionError(
                    f"the {self.name} {role} has no option {', '.join(map(repr, unknown))} "
                    f"(its options: {known})"
                )
        from digestkit._options import wrong_type  # only when options are given

        for name, value in options.items():
            expected = wrong_type(function, name, value)
            if expected is not None:
                raise OptionError(
                    f"the {self.name} {role}'s option {name} expects {expected}, "
                    f"found {type(value).__name__} {value!r}"
                )


def _options(function: Callable[..., object], skip: int) -> frozenset[str] | None:
    import inspect  # only when options are checked, to keep start-up light

    params = list(inspect.signature(function).parameters.values())[skip:]
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
        return None
    return frozenset(
        p.name
        for p in params
        if p.kind in (inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    )


BUILTIN_FORMATS: Mapping[str, str] = MappingProxyType(
    {
        "atom": "digestkit.formats.atom:FORMAT",
        "epub": "digestkit.formats.epub:FORMAT",
        "html": "digestkit.formats.html:FORMAT",
        "json": "digestkit.formats.json:FORMAT",
        "jsonfeed": "digestkit.formats.jsonfeed:FORMAT",
        "jsonl": "digestkit.formats.jsonl:FORMAT",
        "markdown": "digestkit.formats.markdown:FORMAT",
        "parquet": "digestkit.formats.parquet:FORMAT",
        "text": "digestkit.formats.text:FORMAT",
        "xml": "digestkit.formats.xml:FORMAT",
    }
)
"""The built-in formats' entry points, as ``pyproject.toml`` publishes them.

Consulted before the entry points are scanned: scanning imports ``importlib.metadata``
and reads every installed distribution, which would double the start-up of a command that
uses only built-in formats (``docs/plugins.md``, "Names and the built-in formats").
"""


def _import(value: str) -> Callable[[], object]:
    module, _, attribute = value.partition(":")
    return lambda: getattr(importlib.import_module(module), attribute)


@attrs.frozen
class _Entry:
    name: str
    value: str
    distribution: str
    load: Callable[[], object] = attrs.field(eq=False)


class Registry:
    """Finds formats by name, extension and media type; thread-safe, loads lazily.

    Args:
        group: the entry-point group to scan.
        builtins: format name to ``"module:attribute"``, looked up before the entry points
            are scanned; by default ``BUILTIN_FORMATS`` for the ``digestkit.formats``
            group and none for any other.
    """

    def __init__(
        self, group: str = ENTRY_POINT_GROUP, builtins: Mapping[str, str] | None = None
    ) -> None:
        self._group = group
        if builtins is None:
            builtins = BUILTIN_FORMATS if group == ENTRY_POINT_GROUP else {}
        self._builtins = {
            name: _Entry(name, value, "digestkit", _import(value))
            for name, value in builtins.items()
        }
        self._lock = threading.RLock()
        self._entries: dict[str, list[_Entry]] | None = None
        self._loaded: dict[str, Format] = {}
        self._packages: dict[str, str] = {}
        self._registered: list[str] = []
        self._broken: dict[str, FormatError] = {}
        self._reported: set[str] = set()

    def _discover(self) -> dict[str, list[_Entry]]:
        """Return every claim on every name: the built-ins, then the entry points."""
        with self._lock:
            if self._entries is None:
                # Imported here: importlib.metadata costs start-up that `import digestkit`
                # and the built-in formats should not pay.
                from importlib.metadata import entry_points

                entries = {name: [entry] for name, entry in self._builtins.items()}
                for ep in entry_points(group=self._group):
                    distribution = ep.dist.name if ep.dist is not None else "(unknown)"
                    entry = _Entry(ep.name, ep.value, distribution, ep.load)
                    same = entries.setdefault(ep.name, [])
                    # One distribution seen twice on sys.path (or the built-in table and
                    # digestkit's own entry point) is one claim, not two.
                    if all(e.value != entry.value for e in same):
                        same.append(entry)
                self._entries = entries
            return self._entries

    def register(self, fmt: Format, package: str = "(registered at run time)") -> None:
        """Add a format without an entry point, for formats private to an application.

        Raises:
            FormatError: a format of that name exists already.
        """
        with self._lock:
            claims = self._discover().get(fmt.name, [])
            if fmt.name in self._loaded or claims:
                other = claims[0].distribution if claims else self._packages[fmt.name]
                raise FormatError(
                    f"format {fmt.name!r} is claimed twice: by {other} and by {package}"
                )
            self._loaded[fmt.name] = fmt
            self._packages[fmt.name] = package
            self._registered.append(fmt.name)

    def names(self) -> list[str]:
        """Every known format name, sorted, without loading any format."""
        with self._lock:
            return sorted(set(self._discover()) | set(self._loaded))

    def get(self, name: str) -> Format:
        """Return the format called ``name``.

        A built-in name is resolved from ``BUILTIN_FORMATS`` without scanning the entry
        points, so a plugin that claims it too goes unnoticed here;
        [`all`][digestkit.registry.Registry.all] reports it.

        Raises:
            FormatError: no such format (the message lists the known ones), two packages
                claim the name, or the entry point does not hold a
                [`Format`][digestkit.registry.Format].
        """
        with self._lock:
            if name in self._loaded:
                return self._loaded[name]
            builtin = self._builtins.get(name)
            return self._load(name, [builtin] if builtin else self._discover().get(name, []))

    def _load(self, name: str, claims: list[_Entry]) -> Format:
        if len(claims) > 1:
            who = " and ".join(f"{c.distribution} ({c.value})" for c in claims)
            raise FormatError(f"format {name!r} is claimed twice: by {who}")
        if name in self._loaded:
            return self._loaded[name]
        if not claims:
            raise FormatError(f"unknown format {name!r}; known formats: {', '.join(self.names())}")
        (claim,) = claims
        if name in self._broken:  # imported once: a plugin's import may have side effects
            raise self._broken[name]
        try:
            fmt = claim.load()
        except (Exception, SystemExit) as err:  # a plugin calling sys.exit() is broken too
            self._broken[name] = FormatError(
                f"format {name!r} from {claim.distribution} failed to load: "
                f"{type(err).__name__}: {err}"
            )
            raise self._broken[name] from err
        if not isinstance(fmt, Format) or fmt.name != name:
            self._broken[name] = FormatError(
                f"entry point {name!r} of {claim.distribution} ({claim.value}) must be a "
                f"digestkit.registry.Format named {name!r}, found {fmt!r:.80}"
            )
            raise self._broken[name]
        self._loaded[name] = fmt
        self._packages[name] = claim.distribution
        return fmt

    def package(self, name: str) -> str:
        """Return the distribution that provides the format called ``name``."""
        self.get(name)
        return self._packages[name]

    def all(self) -> list[Format]:
        """Load and return every format that loads, sorted by name.

        A format whose entry point fails to load (its import raises, or calls ``sys.exit``,
        or it holds no `Format`) is left out, so that the others keep working; each
        is reported once, as a [`PluginWarning`][digestkit.errors.PluginWarning]. Asking for
        it by name raises the `FormatError` that says why.

        Raises:
            FormatError: two packages claim one name (a plugin claiming a built-in name
                included).
        """
        with self._lock:
            entries = self._discover()
            formats = []
            for name in self.names():
                try:
                    formats.append(self._load(name, entries.get(name, [])))
                except FormatError as err:
                    if name not in self._broken or self._broken[name] is not err:
                        raise
                    if name not in self._reported:
                        self._reported.add(name)
                        warnings.warn(str(err), PluginWarning, stacklevel=2)
            return formats

    def _search(self, claims: Callable[[Format], bool]) -> tuple[list[Format], list[Format]]:
        """Return the formats that ``claims`` accepts, and the formats that were asked."""
        with self._lock:
            # The built-in formats (and any registered at run time) first, so that a built-in
            # extension or media type is answered without scanning the entry points; only
            # when none of them claims it are the plugins loaded.
            formats = [self.get(name) for name in self._builtins]
            formats += [self._loaded[name] for name in self._registered]
            matches = [f for f in formats if claims(f)]
            if not matches:
                formats = self.all()
                matches = [f for f in formats if claims(f)]
        return matches, formats

    def _find(
        self, claims: Callable[[Format], bool], what: str, spell: Callable[[Format], Iterable[str]]
    ) -> Format:
        matches, formats = self._search(claims)
        if not matches:
            known = sorted({spelled for f in formats for spelled in spell(f)})
            raise FormatError(f"no format for {what}; known: {', '.join(known)}")
        if len(matches) > 1:
            names = " and ".join(repr(f.name) for f in matches)
            raise FormatError(f"{what} is claimed by {names}: name the format explicitly")
        return matches[0]

    def for_extension(self, extension: str) -> Format:
        """Return the one format that claims ``extension`` (with or without the dot).

        An extension a built-in format claims is that format's, whatever plugins claim it.
        """
        ext = extension.lower().lstrip(".")
        return self._find(
            lambda f: ext in f.extensions,
            f"extension {'.' + ext!r}",
            lambda f: ("." + e for e in f.extensions),
        )

    def for_path(self, path: str | PurePath) -> Format:
        """Return the format a file name's extension names (``.txt`` -> ``text``).

        The longest extension a format claims wins: ``x.feed.json`` is JSON Feed (which
        claims ``feed.json``), ``x.json`` and ``x.v2.json`` are JSON.
        """
        suffixes = PurePath(path).suffixes
        if not suffixes:
            raise FormatError(
                f"cannot tell the format of {str(path)!r} without an extension: name it"
            )
        for start in range(len(suffixes) - 1):
            extension = "".join(suffixes[start:]).lower().lstrip(".")
            if self._search(functools.partial(_claims_extension, extension))[0]:
                return self.for_extension(extension)
        return self.for_extension(suffixes[-1])

    def for_media_type(self, media_type: str) -> Format:
        """Return the one format whose media type is ``media_type``.

        A media type a built-in format claims is that format's, whatever plugins claim it.
        """
        wanted = media_type.split(";")[0].strip().lower()
        return self._find(
            lambda f: f.media_type.lower() == wanted,
            f"media type {wanted!r}",
            lambda f: (f.media_type,),
        )


def _claims_extension(extension: str, fmt: Format) -> bool:
    return extension in fmt.extensions


_default = Registry()


def default_registry() -> Registry:
    """Return the process-wide registry that the public API uses."""
    return _default
