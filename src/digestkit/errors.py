"""The exceptions digestkit raises, and the diagnostics its readers report.

Every exception derives from [`DigestError`][digestkit.errors.DigestError], and each
subclass also derives from the built-in exception it refines, so ``except ValueError`` keeps
working for code that does not know digestkit.
"""

from __future__ import annotations

import enum
import errno as _errno

import attrs

__all__ = [
    "Diagnostic",
    "DigestError",
    "FormatError",
    "InputNotFoundError",
    "MissingDependencyError",
    "OptionError",
    "ParseError",
    "PluginWarning",
    "Severity",
    "ValidationError",
    "WriteError",
    "WriteWarning",
]


class DigestError(Exception):
    """Base class of every error digestkit raises on purpose."""


class ValidationError(DigestError, ValueError):
    """A model was given a value that breaks one of its invariants.

    Attributes:
        field: the name of the offending field (``"headline"``, ``"body[2]"``, ``"title"`` ...).
        value: the value that was refused.
        reason: what was expected, in words.
    """

    def __init__(self, field: str, value: object, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        shown = repr(value)
        if len(shown) > 80:
            shown = shown[:77] + "..."
        super().__init__(f"{field}: {reason} (got {shown})")

    def __reduce__(self) -> tuple[object, ...]:
        # The default pickling of exceptions calls the class with ``self.args`` (the one
        # message), which this __init__ does not take: a worker's error would then fail to
        # unpickle in the parent (BrokenProcessPool, or a multiprocessing.Pool that hangs).
        return (type(self), (self.field, self.value, self.reason))


class ParseError(DigestError, ValueError):
    """Input could not be read as a digest.

    Attributes:
        message: what was expected and what was found.
        source: the file name, ``"<stdin>"`` or ``"<string>"``.
        line: the 1-based line number, when the input has lines.
        column: the 1-based column number, when known.
        format: the name of the format that was reading.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str = "<string>",
        line: int | None = None,
        column: int | None = None,
        format: str | None = None,
    ) -> None:
        self.message = message
        self.source = source
        self.line = line
        self.column = column
        self.format = format
        super().__init__(self.location() + ": " + message)

    def location(self) -> str:
        """Return ``source:line:column``, leaving out what is unknown."""
        parts = [self.source]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __reduce__(self) -> tuple[object, ...]:
        # Keyword-only arguments do not survive the default pickling of exceptions, and
        # errors cross process boundaries in batch conversions.
        return (
            _rebuild_parse_error,
            (type(self), self.message, self.source, self.line, self.column, self.format),
        )


def _rebuild_parse_error(
    cls: type[ParseError],
    message: str,
    source: str,
    line: int | None,
    column: int | None,
    format: str | None,
) -> ParseError:
    return cls(message, source=source, line=line, column=column, format=format)


class InputNotFoundError(ParseError, FileNotFoundError):
    """The input file does not exist.

    A [`ParseError`][digestkit.errors.ParseError] like every failure to read an input (the
    command reports it with the others), and a `FileNotFoundError`, so that
    ``except FileNotFoundError`` and ``except OSError`` catch ``load("nope.txt")`` as they
    would ``open("nope.txt")``. ``errno`` is ``ENOENT`` and ``filename`` the source.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str = "<string>",
        line: int | None = None,
        column: int | None = None,
        format: str | None = None,
    ) -> None:
        super().__init__(message, source=source, line=line, column=column, format=format)
        self.errno = _errno.ENOENT
        self.filename = source

    def __str__(self) -> str:
        # OSError's own __str__ ("[Errno 2] ...") would replace the located message.
        return f"{self.location()}: {self.message}"


class FormatError(DigestError, LookupError):
    """A format name, extension or media type is unknown, ambiguous or claimed twice."""


class MissingDependencyError(DigestError, ImportError):
    """A format needs an optional dependency that is not installed.

    Attributes:
        extra: the extra that installs it: ``pip install 'digestkit[extra]'``.
        name: the module that could not be imported (as on every ``ImportError``).
        task: what needed it (``"reading EPUB"``).
    """

    def __init__(self, extra: str, module: str, task: str) -> None:
        self.extra = extra
        self.task = task
        super().__init__(
            f"{task} needs {module}, which is not installed: pip install 'digestkit[{extra}]'",
            name=module,
        )

    def __reduce__(self) -> tuple[object, ...]:
        # Errors cross process boundaries in batch conversions; ImportError would pickle
        # only the message.
        return (type(self), (self.extra, self.name, self.task))


class OptionError(DigestError, TypeError):
    """A reader or writer was given an option it does not take, or a value it cannot take."""


class PluginWarning(UserWarning):
    """A format plugin failed to load: it is left out, and the other formats keep working."""


class WriteError(DigestError, OSError):
    """Output could not be produced or stored."""


class WriteWarning(UserWarning):
    """Output was produced, but some reading systems may refuse it.

    Issued through `warnings.warn`: an EPUB with a document or an archive over the sizes
    Send-to-Kindle takes (``docs/epub.md``). The command line reports it as a warning about
    the output file, and ``--strict`` fails on it, leaving no output.
    """


class Severity(enum.Enum):
    """How serious a diagnostic is."""

    WARNING = "warning"
    ERROR = "error"


@attrs.frozen
class Diagnostic:
    """Something a reader noticed about its input: where, and how serious."""

    message: str
    """What was noticed, in words a user can act on."""
    source: str = "<string>"
    """The file name, ``"<stdin>"`` or ``"<string>"``."""
    line: int | None = None
    """1-based line number, when the input has lines."""
    column: int | None = None
    """1-based column number, when known."""
    severity: Severity = Severity.WARNING
    """Warnings leave the digest usable; errors mean it could not be read."""

    def __str__(self) -> str:
        where = [self.source]
        if self.line is not None:
            where.append(str(self.line))
            where.append(str(self.column if self.column is not None else 1))
        return f"{':'.join(where)}: {self.severity.value}: {self.message}"

    @classmethod
    def from_error(cls, error: ParseError) -> Diagnostic:
        """Turn a [`ParseError`][digestkit.errors.ParseError] into an error-severity diagnostic."""
        return cls(
            error.message,
            source=error.source,
            line=error.line,
            column=error.column,
            severity=Severity.ERROR,
        )
