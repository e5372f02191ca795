"""The one check of an option's value against the type its reader or writer declares.

Every reader and writer states its options' types in its signature (``indent: int | None``),
so [`Format.check_options`][digestkit.registry.Format.check_options] checks every value given
against that annotation before the format runs: a wrong type is an
[`OptionError`][digestkit.errors.OptionError] naming the option, for every format, plugins
included, instead of whatever the format's code would meet first (a `TypeError`, an
`AttributeError` deep in a library, or a truthy ``final_newline="no"`` taken as ``True``).

Only what an annotation can say is checked here: ranges (a negative ``indent``) are the
format's own rule. An annotation this module cannot resolve or judge (a plugin's name
imported only for type checkers, a protocol) accepts any value.
"""

from __future__ import annotations

import collections.abc
import functools
import inspect
import types
import typing
from collections.abc import Callable
from typing import Any

__all__ = ["wrong_type"]


@functools.cache
def _declared(function: Callable[..., object], name: str) -> tuple[Any, str]:
    """Return the annotation of ``function``'s parameter ``name``, resolved, and as written.

    Each annotation is resolved alone (``typing.get_type_hints`` gives up on all of them
    when one names what only type checkers import, as ``digest: Digest`` often does).
    """
    param = inspect.signature(function).parameters.get(name)  # absent: taken by **options
    annotation = inspect.Parameter.empty if param is None else param.annotation
    if annotation is inspect.Parameter.empty:
        return Any, "any value"
    if not isinstance(annotation, str):
        return annotation, inspect.formatannotation(annotation)
    try:
        namespace = getattr(inspect.unwrap(function), "__globals__", {})
        return eval(annotation, dict(namespace), {}), annotation  # noqa: S307  # as typing does
    except Exception:  # any error of evaluating someone's annotation: nothing to judge by
        return Any, annotation


def wrong_type(function: Callable[..., object], name: str, value: object) -> str | None:
    """Return what ``function`` declares for its option ``name`` if ``value`` is not that.

    Returns:
        ``None`` if ``value`` matches the annotation (or there is none to judge by); else the
        annotation, as written, for the message.
    """
    hint, written = _declared(function, name)
    return None if _matches(value, hint) else written


def _matches(value: object, hint: Any) -> bool:  # one branch per kind of annotation
    if hint is Any or hint is object:
        return True
    if hint is None or hint is type(None):
        return value is None
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin is typing.Union or origin is types.UnionType:
        return any(_matches(value, arg) for arg in args)
    if origin is typing.Literal:
        return value in args
    if origin is None:
        if not isinstance(hint, type):
            return True  # a TypeVar, a NewType...: not judged
        if hint is bool:
            return type(value) is bool
        if isinstance(value, bool) and hint in (int, float):
            return False  # True is an int to Python, never an indent or a size
        if hint is float:
            return isinstance(value, (int, float))
        if hint is bytes:
            return isinstance(value, (bytes, bytearray))  # as type checkers long promoted it
        return _is_instance(value, hint)
    if not isinstance(origin, type):
        return True  # an annotation of a kind not judged here
    if not _is_instance(value, origin):
        return False
    homogeneous = (origin is tuple and len(args) == 2 and args[1] is Ellipsis) or (
        len(args) == 1 and issubclass(origin, collections.abc.Iterable)
    )
    if not homogeneous:
        return True  # a mapping, a fixed-length tuple...: the container is enough
    items = args[0]
    if isinstance(value, (str, bytes)):
        return False  # a sequence of lines, not one ("str | Sequence[str]" says so if it is)
    if not isinstance(value, collections.abc.Collection):
        return True  # an iterator is not consumed to look at its items
    return all(_matches(item, items) for item in value)


def _is_instance(value: object, cls: type) -> bool:
    try:
        return isinstance(value, cls)
    except TypeError:  # a protocol that is not runtime-checkable
        return True
