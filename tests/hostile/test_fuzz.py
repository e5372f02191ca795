"""Every reader of the registry, on mutations of valid files: only ``DigestError`` escapes.

Each format's writer writes a digest from :mod:`digestkit.testing`; Hypothesis then mutates
the bytes (flips, deletions, insertions of structural bytes, duplicated spans, truncation) and,
for a zip archive, the members inside it, rewritten with the methods a hostile archive might
use. A reader may read the result or refuse it; anything but a ``DigestError`` is a bug. A
format without a writer is fuzzed from the sample digest's bytes.
"""

from __future__ import annotations

import contextlib
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import digestkit
from digestkit import testing
from digestkit.errors import DigestError

pytestmark = pytest.mark.slow  # started first on a worker: it is among the longest files

SAMPLE = Path(__file__).resolve().parents[2] / "seeds" / "000_e763484b695398bd.txt"
_FORMATS = [fmt for fmt in digestkit.default_registry().all() if fmt.reader is not None]
_INSERTS = [b"\x00", b"\x01", b"\xff", b"<", b">", b"&", b"[", b"{", b'"', b"\n", b"\r", b"---\n"]


# Strategies built once: a fresh strategy object per draw is validated anew, which cost more
# than the reading itself.
_STEPS = st.integers(1, 4)
_KINDS = st.sampled_from(("flip", "delete", "insert", "duplicate", "truncate"))
_XORS = st.integers(1, 255)
_DELETED = st.integers(1, 64)
_INSERTED = st.sampled_from(_INSERTS) | st.binary(max_size=8)
_DUPLICATED = st.integers(1, 256)
_METHODS = st.sampled_from((zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED))
_DIGESTS = testing.digests(max_articles=3)


@st.composite
def _mutated(draw: st.DrawFn, data: bytes) -> bytes:
    for _ in range(draw(_STEPS)):
        at = draw(st.integers(0, len(data)))
        kind = draw(_KINDS)
        if kind == "flip" and at < len(data):
            data = data[:at] + bytes([data[at] ^ draw(_XORS)]) + data[at + 1 :]
        elif kind == "delete":
            data = data[:at] + data[at + draw(_DELETED) :]
        elif kind == "insert":
            data = data[:at] + draw(_INSERTED) + data[at:]
        elif kind == "duplicate":
            data = data[:at] + data[at : at + draw(_DUPLICATED)] * 2 + data[at:]
        elif kind == "truncate":
            data = data[:at]
    return data


@st.composite
def _mutated_archive(draw: st.DrawFn, data: bytes) -> bytes:
    """Mutate one member of a zip archive and write it back, stored or deflated."""
    source = zipfile.ZipFile(io.BytesIO(data))
    names = source.namelist()
    target = draw(st.sampled_from(names))
    method = draw(_METHODS)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            member = source.read(info)
            if info.filename == target:
                member = draw(_mutated(member))
            archive.writestr(info.filename, member, method)
    return out.getvalue()


def _valid(fmt: digestkit.Format, digest: digestkit.Digest) -> bytes:
    if fmt.writer is None:
        return SAMPLE.read_bytes()
    return fmt.writer(digest)


@pytest.mark.parametrize("fmt", _FORMATS, ids=[fmt.name for fmt in _FORMATS])
@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_only_digest_errors_escape_a_reader(fmt, data):
    digest = data.draw(_DIGESTS, label="digest")
    valid = _valid(fmt, digest)
    if valid.startswith(b"PK\x03\x04") and data.draw(st.booleans(), label="inside the archive"):
        mutated = data.draw(_mutated_archive(valid), label="archive")
    else:
        mutated = data.draw(_mutated(valid), label="bytes")
    with contextlib.suppress(DigestError):
        digestkit.loads(mutated, fmt)


# What the fuzz found at the CI profile, kept as fixed examples (format, input).
_FOUND = [
    ("mdexample", b"---\ntitle: Keep reading\ndate: 0000-01-01\n---\n"),
]


@pytest.mark.parametrize(("name", "data"), _FOUND, ids=[name for name, _ in _FOUND])
def test_what_the_fuzz_found_raises_a_digest_error(name, data):
    with pytest.raises(DigestError):
        digestkit.loads(data, name)
