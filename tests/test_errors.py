"""Every exception digestkit raises crosses a process boundary intact."""

from __future__ import annotations

import multiprocessing
import pickle
from concurrent.futures import ProcessPoolExecutor

import pytest

import digestkit.errors as errors_module
from digestkit.errors import (
    DigestError,
    FormatError,
    InputNotFoundError,
    MissingDependencyError,
    OptionError,
    ParseError,
    ValidationError,
    WriteError,
)

# One instance of each class, with every attribute set to something other than its default.
EXAMPLES: tuple[DigestError, ...] = (
    DigestError("base"),
    ValidationError("body[2]", "  x", "must not begin or end with a space or TAB"),
    ParseError("bad", source="in.txt", line=3, column=4, format="text"),
    InputNotFoundError("cannot read: No such file or directory", source="in.txt", format="text"),
    FormatError("unknown format 'nope'"),
    OptionError("the text reader has no option 'x'"),
    WriteError("out.json: cannot write"),
    MissingDependencyError("epub", "ebooklib", "writing EPUB"),
)


def _state(error: BaseException) -> tuple[object, ...]:
    return (
        type(error),
        str(error),
        sorted(vars(error).items()) if hasattr(error, "__dict__") else (),
    )


def _raise(index: int) -> None:
    raise EXAMPLES[index]


def test_every_public_error_class_has_an_example() -> None:
    public = {
        value
        for value in vars(errors_module).values()
        if isinstance(value, type) and issubclass(value, DigestError)
    }
    assert public == {type(error) for error in EXAMPLES}


@pytest.mark.parametrize("error", EXAMPLES, ids=lambda e: type(e).__name__)
def test_pickles(error: DigestError) -> None:
    assert _state(pickle.loads(pickle.dumps(error))) == _state(error)


@pytest.mark.parametrize("index", range(len(EXAMPLES)), ids=lambda i: type(EXAMPLES[i]).__name__)
def test_crosses_a_process_pool_executor(index: int) -> None:
    with ProcessPoolExecutor(1) as pool:
        future = pool.submit(_raise, index)
        with pytest.raises(type(EXAMPLES[index])) as info:
            future.result(timeout=20)
    assert _state(info.value) == _state(EXAMPLES[index])


@pytest.mark.parametrize("index", range(len(EXAMPLES)), ids=lambda i: type(EXAMPLES[i]).__name__)
def test_crosses_a_multiprocessing_pool(index: int) -> None:
    # A result that cannot be unpickled hangs Pool.apply_async().get() forever: the timeout
    # turns that hang into a failure.
    with multiprocessing.get_context("fork").Pool(1) as pool:
        result = pool.apply_async(_raise, (index,))
        with pytest.raises(type(EXAMPLES[index])) as info:
            result.get(timeout=20)
    assert _state(info.value) == _state(EXAMPLES[index])
