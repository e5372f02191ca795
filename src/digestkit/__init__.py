"""digestkit: plain-text news digests to structured data and e-books, and back.

>>> import digestkit
>>> digest = digestkit.loads("Headline\\n\\nLead.\\n\\nKeep reading\\n")
>>> digest.articles[0].headline
'Headline'
>>> print(digestkit.dumps(digest, "text"), end="")
Headline
<BLANKLINE>
Lead.
<BLANKLINE>
Keep reading
"""

import typing as _typing

from digestkit.api import DEFAULT_MAX_BYTES, atomic_writer, dump, dumps, load, loads
from digestkit.errors import (
    Diagnostic,
    DigestError,
    FormatError,
    InputNotFoundError,
    MissingDependencyError,
    OptionError,
    ParseError,
    PluginWarning,
    Severity,
    ValidationError,
    WriteError,
    WriteWarning,
)
from digestkit.model import Article, Digest, Metadata
from digestkit.registry import Format, ReadContext, default_registry
from digestkit.streaming import ArticleStream, iter_articles, write_articles

__all__ = [
    "DEFAULT_MAX_BYTES",
    "Article",
    "ArticleStream",
    "Diagnostic",
    "Digest",
    "DigestError",
    "Format",
    "FormatError",
    "InputNotFoundError",
    "Metadata",
    "MissingDependencyError",
    "OptionError",
    "ParseError",
    "PluginWarning",
    "ReadContext",
    "Severity",
    "ValidationError",
    "WriteError",
    "WriteWarning",
    "__version__",
    "atomic_writer",
    "default_registry",
    "dump",
    "dumps",
    "iter_articles",
    "load",
    "loads",
    "write_articles",
]


def __getattr__(name: str) -> _typing.Any:
    # The version is read from the installed metadata only when asked for, to keep
    # `import digestkit` cheap.
    if name == "__version__":
        from importlib.metadata import version

        return version("digestkit")
    if name == "arrow_schema":
        # The Arrow schema of article rows; pyarrow (the parquet extra) is imported only here.
        from digestkit.arrow import arrow_schema

        return arrow_schema()
    raise AttributeError(f"module 'digestkit' has no attribute {name!r}")
