"""Safe XML reading: DTDs, entities and XInclude are refused, and nothing is fetched.

Every test runs on each XML-based format: digestkit's XML and Atom read with the same parser
settings, and each is attacked through a document of its own vocabulary.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import attrs
import pytest

import digestkit
from digestkit.errors import ParseError

XI = "http://www.w3.org/2001/XInclude"


@attrs.frozen
class Vocabulary:
    """How to build a document of one XML-based format around an attack."""

    format: str
    open: str
    """The root's start tag and what must come before the first article."""
    article: str
    """One article, ``{text}`` where its headline goes."""
    close: str

    def body(self, text: str) -> str:
        return self.open + self.article.format(text=text) + self.close


VOCABULARIES = [
    Vocabulary(
        "xml",
        '<digest xmlns="urn:digestkit:digest:1"><metadata><language>en</language></metadata>',
        "<article><headline>{text}</headline></article>",
        "</digest>",
    ),
    Vocabulary(
        "atom",
        '<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:x:feed</id><title>T</title>'
        "<updated>2025-10-20T00:00:00Z</updated>",
        "<entry><id>urn:x:1</id><title>{text}</title><updated>2025-10-20T00:00:00Z</updated>"
        "</entry>",
        "</feed>",
    ),
]


@pytest.fixture(params=VOCABULARIES, ids=lambda v: v.format)
def vocabulary(request: pytest.FixtureRequest) -> Vocabulary:
    """Each XML-based format in turn."""
    return request.param


def _refused(vocabulary: Vocabulary, data: str | bytes) -> ParseError:
    with pytest.raises(ParseError) as info:
        digestkit.loads(data, vocabulary.format, source="evil.xml")
    assert info.value.source == "evil.xml"
    assert info.value.format == vocabulary.format
    return info.value


def billion_laughs(vocabulary: Vocabulary) -> str:
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE digest [\n <!ENTITY lol "lol">\n'
        + "".join(
            f' <!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">\n'
            for n in range(1, 10)
        )
        + "]>\n"
        + vocabulary.body("&lol9;")
    )


def test_billion_laughs_is_refused_quickly_without_expansion(vocabulary):
    start = time.process_time()  # CPU time: a loaded machine must not fail the test
    error = _refused(vocabulary, billion_laughs(vocabulary))
    assert time.process_time() - start < 2
    assert "lollollol" not in str(error)


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE digest [<!ENTITY name "Inner">]>',
        "<!DOCTYPE digest>",
        '<!DOCTYPE digest [<!ELEMENT digest ANY><!ATTLIST digest a CDATA "x">]>',
    ],
)
def test_any_doctype_is_refused_with_its_line(vocabulary, doctype):
    text = '<?xml version="1.0"?>\n\n' + doctype + "\n" + vocabulary.body("H")
    error = _refused(vocabulary, text)
    assert "DOCTYPE is not allowed" in error.message
    assert error.line == 3


def test_internal_entity_is_not_substituted(vocabulary):
    text = '<!DOCTYPE digest [<!ENTITY name "Inner">]>' + vocabulary.body("&name;")
    assert "Inner" not in str(_refused(vocabulary, text))


@pytest.fixture
def secret_file(tmp_path) -> Iterator[str]:
    path = tmp_path / "secret.txt"
    path.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    return path.as_uri()


def test_external_file_entity_is_not_read(vocabulary, secret_file):
    text = f'<!DOCTYPE digest [<!ENTITY x SYSTEM "{secret_file}">]>' + vocabulary.body("&x;")
    assert "TOP-SECRET-CONTENT" not in str(_refused(vocabulary, text))


def test_external_parameter_entity_from_a_file_is_not_read(vocabulary, tmp_path):
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ENTITY secret "TOP-SECRET-DTD">', encoding="utf-8")
    text = f'<!DOCTYPE digest [<!ENTITY % p SYSTEM "{dtd.as_uri()}"> %p;]>' + vocabulary.body(
        "&secret;"
    )
    assert "TOP-SECRET-DTD" not in str(_refused(vocabulary, text))


def test_external_dtd_from_a_file_is_not_read(vocabulary, tmp_path):
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ENTITY secret "TOP-SECRET-DTD">', encoding="utf-8")
    text = f'<!DOCTYPE digest SYSTEM "{dtd.as_uri()}">' + vocabulary.body("&secret;")
    assert "TOP-SECRET-DTD" not in str(_refused(vocabulary, text))


def test_xinclude_is_refused_and_not_followed(vocabulary, secret_file):
    text = vocabulary.body(f'<xi:include xmlns:xi="{XI}" href="{secret_file}" parse="text"/>')
    error = _refused(vocabulary, text)
    assert "TOP-SECRET-CONTENT" not in str(error)
    assert "XInclude" in error.message


def test_xinclude_as_an_element_of_the_root_is_refused(vocabulary):
    text = vocabulary.open + f'\n<xi:include xmlns:xi="{XI}" href="other.xml"/>' + vocabulary.close
    error = _refused(vocabulary, text)
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
    "attack",
    [
        '<!DOCTYPE digest SYSTEM "{url}/x.dtd">{body:H}',
        '<!DOCTYPE digest PUBLIC "-//X//DTD X//EN" "{url}/x.dtd">{body:H}',
        '<!DOCTYPE digest [<!ENTITY % p SYSTEM "{url}/p.dtd"> %p;]>{body:H}',
        '<!DOCTYPE digest [<!ENTITY x SYSTEM "{url}/x.txt">]>{body:&x;}',
        '{open}<xi:include xmlns:xi="' + XI + '" href="{url}/d.xml"/>{close}',
    ],
)
def test_network_entities_are_not_fetched(vocabulary, listener, attack):
    url = f"http://127.0.0.1:{listener.port}"
    text = (
        attack.replace("{url}", url)
        .replace("{body:H}", vocabulary.body("H"))
        .replace("{body:&x;}", vocabulary.body("&x;"))
        .replace("{open}", vocabulary.open)
        .replace("{close}", vocabulary.close)
    )
    _refused(vocabulary, text)
    time.sleep(0.2)  # a connection attempt, had one been made, has reached the listener
    assert listener.connections == 0


def test_the_listener_does_see_connections(listener):
    # Proves the test above can fail: a real connection is counted.
    socket.create_connection(("127.0.0.1", listener.port)).close()
    time.sleep(0.3)
    assert listener.connections == 1


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deep_nesting_is_refused_at_once(vocabulary, depth):
    # XML checks its vocabulary as elements open, a chunk of input at a time: the first <x>
    # is refused, or, nested deeper within the first chunk than even huge_tree allows (2048
    # levels), the parser refuses it. Atom's parser keeps libxml2's depth limit (256).
    error = _refused(vocabulary, vocabulary.body("<x>" * depth + "</x>" * depth))
    assert "holds text only, found <x> inside" in error.message or (
        "Excessive depth" in error.message
    )


def test_nesting_within_the_parser_limit_gets_past_the_parser(vocabulary):
    # The control for the test above: the same document, less deep, is parsed; the reader
    # then refuses it by its vocabulary (XML) or reads the markup as text (an Atom title).
    data = vocabulary.body("<x>" * 100 + "</x>" * 100)
    if vocabulary.format == "atom":
        assert isinstance(digestkit.loads(data, "atom"), digestkit.Digest)
    else:
        assert not _refused(vocabulary, data).message.startswith("not well-formed XML:")
