"""Where a syntax error is in XML that a feed parser refused: the one home of that rule.

The XML and EPUB readers parse a chunk at a time (``XMLPullParser``), so that what they
build can be checked and capped as it is parsed. A feed parser loses the position of some
errors (an undefined entity is reported at the end as "no element found"); parsing the same
bytes again into a target that builds nothing finds it, in memory that does not grow with the
input. The error path only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["syntax_error"]


class _Nothing:
    """A parser target that builds nothing."""

    def close(self) -> None:
        return None


def syntax_error(etree: Any, chunks: Iterable[bytes], err: Any) -> Any:
    """Return ``err`` if it has a position, else the error a non-feed parse finds.

    Args:
        etree: the ``lxml.etree`` module.
        chunks: the bytes the feed parser was given, again.
        err: the ``XMLSyntaxError`` the feed parser raised.
    """
    if err.position != (0, 0):
        return err
    parser = etree.XMLParser(
        target=_Nothing(), resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True
    )
    try:
        for chunk in chunks:
            parser.feed(chunk)
        parser.close()
    except etree.XMLSyntaxError as found:
        return found
    return err
