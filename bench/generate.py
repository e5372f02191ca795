"""Generate large digests for the benchmark, deterministically, from the bundled sample.

The output has the sample's form (headline, blank line, lead, body paragraphs, ``Keep
reading``, each block separated by one blank line, no newline after the last marker) and is
built from the sample's own headlines, paragraphs and sentences, chosen by a seeded
:class:`random.Random`: the same size always gives the same bytes.

    python bench/generate.py 1MB 10MB           # writes bench/data/digest-1MB.txt ...
    python bench/generate.py 10MB --headings    # also digest-10MB.md, headlines as "# ..."

The ``.md`` twin holds the same articles with each headline written as a Markdown heading, so
that pandoc can be timed on the job with the structure it would otherwise not see.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "seeds" / "000_e763484b695398bd.txt"
DATA = Path(__file__).resolve().parent / "data"
MARKER = "Keep reading"
SEED = 20251020
UNITS = {"KB": 10**3, "MB": 10**6, "GB": 10**9}

# A sentence ends at . ! ? or … (perhaps inside a closing quote) followed by a space.
_SENTENCE_END = re.compile(r"(?<=[.!?…][”’\"])\s+|(?<=[.!?…])\s+")


def parse_size(label: str) -> int:
    """Return the byte count a label such as ``10MB`` names (decimal units)."""
    match = re.fullmatch(r"(\d+)(KB|MB|GB)", label.upper())
    if match is None:
        raise argparse.ArgumentTypeError(f"expected a size such as 10MB or 1GB, found {label!r}")
    return int(match.group(1)) * UNITS[match.group(2)]


def data_path(label: str, suffix: str = ".txt") -> Path:
    """Return where the digest of a size label lives: ``bench/data/digest-10MB.txt``."""
    return DATA / f"digest-{label.upper()}{suffix}"


class Pools:
    """The sample's headlines, leads, body paragraphs and sentences."""

    def __init__(self, text: str) -> None:
        self.headlines: list[str] = []
        self.leads: list[str] = []
        self.paragraphs: list[str] = []
        for block in text.split("\n\n" + MARKER):
            blocks = [b for b in block.split("\n\n") if b.strip()]
            if not blocks:
                continue
            self.headlines.append(blocks[0])
            if len(blocks) > 1:
                self.leads.append(blocks[1])
            self.paragraphs.extend(blocks[2:])
        self.sentences = [
            s for p in self.leads + self.paragraphs for s in _SENTENCE_END.split(p) if s
        ]
        # Short enough to pass for a headline (the reader warns about long ones).
        self.titles = [s.rstrip(".") for s in self.sentences if len(s) <= 120]


def _paragraph(rng: random.Random, pools: Pools) -> str:
    if rng.random() < 0.5:
        return rng.choice(pools.paragraphs)
    return " ".join(rng.choices(pools.sentences, k=rng.randint(1, 5)))


def articles(rng: random.Random, pools: Pools) -> Iterator[tuple[str, list[str]]]:
    """Yield endless (headline, paragraphs) pairs; the lead is the first paragraph."""
    while True:
        headline = rng.choice(pools.headlines)
        if rng.random() < 0.3:
            # A sentence as headline, so that headlines are not only ten strings.
            headline = rng.choice(pools.titles)
        lead = rng.choice(pools.leads) if rng.random() < 0.6 else rng.choice(pools.sentences)
        body = [_paragraph(rng, pools) for _ in range(rng.randint(0, 12))]
        yield headline, [lead, *body]


def generate(size: int, out: Path, headings: Path | None = None, seed: int = SEED) -> int:
    """Write a digest of at least ``size`` bytes (whole articles) to ``out``.

    Args:
        size: the least number of bytes to write; the last article is written whole.
        out: the plain-text digest to write.
        headings: if given, also write the same articles there with ``# `` headlines.
        seed: the seed of the articles' choice (``bench/scale.py`` varies it per digest).

    Returns:
        The number of bytes written to ``out``.
    """
    pools = Pools(SAMPLE.read_text(encoding="utf-8"))
    rng = random.Random(seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with open(out, "wb") as plain, open(headings or Path("/dev/null"), "wb") as markdown:
        separator = b""
        for headline, paragraphs in articles(rng, pools):
            rest = "\n\n".join([*paragraphs, MARKER]).encode("utf-8")
            chunk = separator + headline.encode("utf-8") + b"\n\n" + rest
            plain.write(chunk)
            if headings is not None:
                markdown.write(separator + b"# " + headline.encode("utf-8") + b"\n\n" + rest)
            written += len(chunk)
            separator = b"\n\n"
            if written >= size:
                return written
    raise AssertionError("unreachable: articles() is endless")


def with_headings(text: str) -> str:
    """Return a digest with each headline written as a Markdown heading (``# ...``)."""
    blocks = text.split("\n\n")
    starts = True
    for index, block in enumerate(blocks):
        if starts and block.strip():
            blocks[index] = "# " + block
            starts = False
        elif block.strip() == MARKER:
            starts = True
    return "\n\n".join(blocks)


def ensure(label: str, *, headings: bool = False) -> Path:
    """Return the digest of a size label, generating it (and its ``.md`` twin) if missing."""
    out = data_path(label)
    twin = data_path(label, ".md") if headings else None
    if not out.exists() or (twin is not None and not twin.exists()):
        partial = out.with_name(out.name + ".part")
        partial_twin = twin.with_name(twin.name + ".part") if twin else None
        generate(parse_size(label), partial, partial_twin)
        partial.replace(out)
        if twin is not None and partial_twin is not None:
            partial_twin.replace(twin)
    return out


def main(argv: list[str] | None = None) -> int:
    """Generate the digests named on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="+", help="sizes such as 1MB 10MB 100MB 1GB")
    parser.add_argument(
        "--headings", action="store_true", help="also write a .md twin with # headlines"
    )
    args = parser.parse_args(argv)
    for label in args.sizes:
        parse_size(label)
        path = ensure(label, headings=args.headings)
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
