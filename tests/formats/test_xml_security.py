"""Safe XML reading: DTDs, entities and XInclude are refused, and nothing is fetched."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

import digestkit
from digestkit.errors import ParseError

NS = "urn:digestkit:digest:1"
BODY = (
    f'<digest xmlns="{NS}"><metadata><language>en</language></metadata>'
    "<article><headline>{text}</headline></article></digest>"
)


def _refused(data: str | bytes) -> ParseError:
    with pytest.raises(ParseError) as info:
        digestkit.loads(data, "xml", source="evil.xml")
    assert info.value.source == "evil.xml"
    assert info.value.format == "xml"
    return info.value


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE digest [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">\n'
        for n in range(1, 10)
    )
    + "]>\n"
    + BODY.format(text="&lol9;")
)


def test_billion_laughs_is_refused_quickly_without_expansion():
    start = time.perf_counter()
    error = _refused(BILLION_LAUGHS)
    assert time.perf_counter() - start < 2
    assert "lollollol" not in str(error)


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE digest [<!ENTITY name "Inner">]>',
        "<!DOCTYPE digest>",
        '<!DOCTYPE digest [<!ELEMENT digest ANY><!ATTLIST digest a CDATA "x">]>',
    ],
)
def test_any_doctype_is_refused_with_its_line(doctype):
    text = '<?xml version="1.0"?>\n\n' + doctype + "\n" + BODY.format(text="H")
    error = _refused(text)
    assert "DOCTYPE is not allowed" in error.message
    assert error.line == 3


def test_internal_entity_is_not_substituted():
    text = '<!DOCTYPE digest [<!ENTITY name "Inner">]>' + BODY.format(text="&name;")
    assert "Inner" not in str(_refused(text))


@pytest.fixture
def secret_file(tmp_path) -> Iterator[str]:
    path = tmp_path / "secret.txt"
    path.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    return path.as_uri()


def test_external_file_entity_is_not_read(secret_file):
    text = f'<!DOCTYPE digest [<!ENTITY x SYSTEM "{secret_file}">]>' + BODY.format(text="&x;")
    assert "TOP-SECRET-CONTENT" not in str(_refused(text))


def test_external_parameter_entity_from_a_file_is_not_read(tmp_path):
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ENTITY secret "TOP-SECRET-DTD">', encoding="utf-8")
    text = f'<!DOCTYPE digest [<!ENTITY % p SYSTEM "{dtd.as_uri()}"> %p;]>' + BODY.format(
        text="&secret;"
    )
    assert "TOP-SECRET-DTD" not in str(_refused(text))


def test_external_dtd_from_a_file_is_not_read(tmp_path):
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ENTITY secret "TOP-SECRET-DTD">', encoding="utf-8")
    text = f'<!DOCTYPE digest SYSTEM "{dtd.as_uri()}">' + BODY.format(text="&secret;")
    assert "TOP-SECRET-DTD" not in str(_refused(text))


def test_xinclude_is_refused_and_not_followed(secret_file):
    text = (
        f'<digest xmlns="{NS}" xmlns:xi="http://www.w3.org/2001/XInclude">'
        "<metadata><language>en</language></metadata><article><headline>"
        f'<xi:include href="{secret_file}" parse="text"/></headline></article></digest>'
    )
    error = _refused(text)
    assert "TOP-SECRET-CONTENT" not in str(error)
    assert "XInclude" in error.message


def test_xinclude_as_an_element_of_the_digest_is_refused():
    text = (
        f'<digest xmlns="{NS}"><metadata><language>en</language></metadata>\n'
        '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="other.xml"/></digest>'
    )
    error = _refused(text)
    assert "XInclude is not allowed" in error.message
    assert error.line == 2


class _Listener:
    """A local TCP server that records every connection made to it."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.1)
        self.port = self.server.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.server.accept()
            except TimeoutError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.server.close()


@pytest.fixture
def listener() -> Iterator[_Listener]:
    server = _Listener()
    yield server
    server.close()


@pytest.mark.parametrize(
    "template",
    [
        '<!DOCTYPE digest SYSTEM "{url}/x.dtd">' + BODY.format(text="H"),
        '<!DOCTYPE digest PUBLIC "-//X//DTD X//EN" "{url}/x.dtd">' + BODY.format(text="H"),
        '<!DOCTYPE digest [<!ENTITY % p SYSTEM "{url}/p.dtd"> %p;]>' + BODY.format(text="H"),
        '<!DOCTYPE digest [<!ENTITY x SYSTEM "{url}/x.txt">]>' + BODY.format(text="&x;"),
        f'<digest xmlns="{NS}" xmlns:xi="http://www.w3.org/2001/XInclude">'
        '<metadata><language>en</language></metadata><xi:include href="{url}/d.xml"/></digest>',
    ],
)
def test_network_entities_are_not_fetched(listener, template):
    _refused(template.replace("{url}", f"http://127.0.0.1:{listener.port}"))
    time.sleep(0.2)  # a connection attempt, had one been made, has reached the listener
    assert listener.connections == 0


def test_the_listener_does_see_connections(listener):
    # Proves the test above can fail: a real connection is counted.
    socket.create_connection(("127.0.0.1", listener.port)).close()
    time.sleep(0.3)
    assert listener.connections == 1


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deep_nesting_is_refused_at_once(depth):
    # The vocabulary is checked as elements open, a chunk of input at a time: the first <x>
    # is refused, or, nested deeper within the first chunk than even huge_tree allows (2048
    # levels), the parser refuses it; the tree never grows with the depth.
    error = _refused(BODY.format(text="<x>" * depth + "</x>" * depth))
    assert "<headline> holds text only, found <x> inside" in error.message or (
        "Excessive depth" in error.message
    )
    assert error.line == 1


def test_nesting_within_the_parser_limit_reaches_the_vocabulary_check():
    # The control for the test above: the same document, less deep, is parsed.
    error = _refused(BODY.format(text="<x>" * 100 + "</x>" * 100))
    assert "<headline> holds text only" in error.message
