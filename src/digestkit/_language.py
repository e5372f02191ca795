"""What a language tag says about layout: the one rule for the writing direction.

The HTML page and the EPUB writer both set ``dir`` from it.
"""

from __future__ import annotations

__all__ = ["direction"]

# Languages written right to left (ISO 639 codes) and scripts (ISO 15924) that are.
_RTL_LANGUAGES = frozenset(
    {"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ji", "khw", "ks", "mzn", "nqo", "pnb", "ps"}
    | {"sd", "syr", "ug", "ur", "yi"}
)
_RTL_SCRIPTS = frozenset({"arab", "hebr", "thaa", "syrc", "nkoo", "adlm", "rohg", "mand", "samr"})
_LTR_SCRIPTS = frozenset({"latn", "cyrl", "grek"})


def direction(language: str) -> str:
    """Return ``"rtl"`` for a language tag written right to left, else ``"ltr"``."""
    subtags = language.lower().split("-")
    for subtag in subtags[1:]:
        if len(subtag) == 4 and subtag in _RTL_SCRIPTS:
            return "rtl"
        if len(subtag) == 4 and subtag in _LTR_SCRIPTS:
            return "ltr"
    return "rtl" if subtags[0] in _RTL_LANGUAGES else "ltr"
