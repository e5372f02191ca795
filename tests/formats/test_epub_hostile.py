"""Hostile and broken archives: each is refused with a ParseError, writing nothing."""

from __future__ import annotations

import io
import re
import struct
import tracemalloc
import warnings
import zipfile

import pytest

from digestkit import api
from digestkit.errors import ParseError
from digestkit.model import Article, Digest

MIB = 1 << 20
OPF = "EPUB/content.opf"
PAGE = "EPUB/a00001.xhtml"


@pytest.fixture(scope="module")
def members() -> list[tuple[str, bytes]]:
    data = api.dumps(Digest([Article("Headline", "Lead", ["Body"])]), "epub")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def _zip(members, **changes) -> bytes:
    """Re-zip ``members``, replacing (bytes), dropping (None) or adding members by name."""
    out = io.BytesIO()
    names = [name for name, _ in members]
    content = dict(members) | changes
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names + [n for n in changes if n not in names]:
            if content[name] is not None:
                archive.writestr(name, content[name])
    return out.getvalue()


def _sub(members, name: str, old: str, new: str) -> bytes:
    text = dict(members)[name].decode()
    assert old in text
    return text.replace(old, new, 1).encode()


def _patch_sizes(data: bytes, name: bytes, size: int) -> bytes:
    """Rewrite the uncompressed size that both headers of ``name`` declare."""
    patched = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = 0
        while (at := patched.find(signature, at)) >= 0:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if patched[name_at : name_at + len(name)] == name:
                struct.pack_into("<L", patched, at + offset, size)
            at += 4
    return bytes(patched)


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE package [<!ENTITY a "aaaaaaaaaa">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
    + ']><package xmlns="http://www.idpf.org/2007/opf">&j;</package>'
)


def _cases(members):
    container = "META-INF/container.xml"
    return {
        "not a zip": b"Headline\n\nLead\n",
        "empty input": b"",
        "truncated": _zip(members)[:400],
        "no mimetype": _zip(members, mimetype=None),
        "wrong mimetype": _zip(members, mimetype=b"application/zip"),
        "dot-dot name": _zip(members, **{"../evil.xhtml": b"x"}),
        "nested dot-dot name": _zip(members, **{"EPUB/../../evil": b"x"}),
        "absolute name": _zip(members, **{"/etc/cron.d/evil": b"x"}),
        "drive name": _zip(members, **{"C:/evil": b"x"}),
        "backslash name": _zip(members, **{"..\\evil": b"x"}),
        "href escapes": _zip(
            members, **{OPF: _sub(members, OPF, 'href="a00001', 'href="../../etc/passwd')}
        ),
        "remote spine item": _zip(
            members, **{OPF: _sub(members, OPF, 'href="a00001.xhtml', 'href="http://x.test/a')}
        ),
        "container doctype": _zip(
            members, **{container: b'<?xml version="1.0"?><!DOCTYPE container>\n<container/>'}
        ),
        "opf billion laughs": _zip(members, **{OPF: BILLION_LAUGHS.encode()}),
        "xhtml internal entity": _zip(
            members,
            **{
                PAGE: _sub(members, PAGE, "<!DOCTYPE html>", '<!DOCTYPE html [<!ENTITY e "boom">]>')
            },
        ),
        "xhtml external entity": _zip(
            members,
            **{
                PAGE: _sub(
                    members,
                    PAGE,
                    "<!DOCTYPE html>",
                    '<!DOCTYPE html [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
                ).replace(b">Lead<", b">&e;<")
            },
        ),
        "undeclared entity": _zip(
            members, **{PAGE: dict(members)[PAGE].replace(b">Lead<", b">&nbsp;<")}
        ),
        "spine names a missing manifest item": _zip(
            members,
            **{OPF: _sub(members, OPF, '<itemref idref="a00001"/>', '<itemref idref="gone"/>')},
        ),
        "manifest item missing from archive": _zip(members, **{PAGE: None}),
        "no package document": _zip(members, **{OPF: None}),
        "broken XHTML": _zip(members, **{PAGE: b"<html><body><p>unclosed</body></html>"}),
        "declared 4 GiB member": _patch_sizes(_zip(members), PAGE.encode(), 0xFFFFFFF0),
        "declared size too small": _patch_sizes(_zip(members), PAGE.encode(), 10),
        "zip bomb past the default cap": _zip(members, **{PAGE: bytes(65 * MIB)}),
        "ten thousand and one members": _zip(
            members, **{f"EPUB/x{i}.txt": b"" for i in range(10_001)}
        ),
    }


CASES = {
    "not a zip": "not a zip archive",
    "empty input": "not a zip archive",
    "truncated": "not a zip archive",
    "no mimetype": "no 'mimetype' member",
    "wrong mimetype": "does not say application/epub",
    "dot-dot name": "unsafe member name",
    "nested dot-dot name": "unsafe member name",
    "absolute name": "unsafe member name",
    "drive name": "unsafe member name",
    "backslash name": "unsafe member name",
    "href escapes": "escapes the archive",
    "remote spine item": "not a file in the archive",
    "container doctype": "has a DOCTYPE",
    "opf billion laughs": "amplification",
    "xhtml internal entity": "declares entities",
    "xhtml external entity": "declares entities",
    "undeclared entity": "Entity 'nbsp' not defined",
    "spine names a missing manifest item": "which the manifest lacks",
    "manifest item missing from archive": "is missing from the archive",
    "no package document": "package document 'EPUB/content.opf' is missing",
    "broken XHTML": "not well-formed XML",
    "declared 4 GiB member": "decompresses to at least 4294967280 bytes",
    "declared size too small": "Bad CRC-32",
    "zip bomb past the default cap": "past the limits of 67108864 bytes per member",
    "ten thousand and one members": "the limit is 10000 members",
}


@pytest.fixture(scope="module")
def cases(members):
    return _cases(members)


@pytest.mark.parametrize(("case", "message"), CASES.items(), ids=list(CASES))
def test_hostile_archive_is_refused(case, message, cases, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ParseError, match=re.escape(message)) as caught:
        api.loads(cases[case], "epub", source="in.epub")
    assert caught.value.source.startswith("in.epub")
    assert caught.value.format == "epub"
    assert list(tmp_path.iterdir()) == []


def test_the_sample_of_the_cases_is_otherwise_readable(members):
    assert api.loads(_zip(members), "epub").articles == (Article("Headline", "Lead", ["Body"]),)


@pytest.mark.parametrize(
    ("option", "value"), [("max_member_bytes", MIB), ("max_total_bytes", 2 * MIB)]
)
def test_bomb_is_stopped_while_streaming(members, option, value):
    bomb = _zip(members, **{PAGE: bytes(200 * MIB)})
    tracemalloc.start()
    try:
        with pytest.raises(ParseError, match=option):
            api.loads(bomb, "epub", **{option: value})
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < value + 4 * MIB


def test_declared_member_count_is_checked_before_parsing(members):
    data = bytearray(_zip(members))
    end = data.rfind(b"PK\x05\x06")
    struct.pack_into("<HH", data, end + 8, 0xFFFE, 0xFFFE)
    with pytest.raises(ParseError, match="declares 65534 members"):
        api.loads(bytes(data), "epub", max_members=1000)


def test_duplicate_member_names_are_refused(members):
    out = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(out, "w") as archive:
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate it is asked for
        for name, content in [*members, (PAGE, b"<html/>")]:
            archive.writestr(name, content)
    with pytest.raises(ParseError, match=re.escape("two members named 'EPUB/a00001.xhtml'")):
        api.loads(out.getvalue(), "epub")


def test_member_limit_is_an_option(members):
    data = _zip(members)
    with pytest.raises(ParseError, match="max_members"):
        api.loads(data, "epub", max_members=5)
