"""Text normalisation shared by the gazetteer and the geoparser.

:func:`fold` maps every character to exactly one character, so offsets in the
folded text are offsets in the original: ``text[start:end]`` is always the
surface form of a match found in ``fold(text)``.

Folding lowercases, strips diacritics (``Sinŭiju`` → ``sinuiju``), turns every
apostrophe-like mark into ``'`` and every other punctuation mark into a space.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

__all__ = [
    "fold",
    "name_keys",
    "is_cjk",
    "sentence_spans",
    "APOSTROPHES",
]

APOSTROPHES = "'’‘ʼʻ`´′"


def _fold_char(ch: str) -> str:
    if ch in APOSTROPHES:
        return "'"
    if ch.isalnum():
        if is_cjk(ch):
            return ch
        base = unicodedata.normalize("NFKD", ch)
        # Keep the first letter or digit of the decomposition (not a mark: Thai
        # SARA AM decomposes to NIKHAHIT, a mark, and SARA AA); length must stay
        # one, and folding a folded text changes nothing.
        for b in base:
            if not unicodedata.combining(b) and b.isalnum():
                low = b.lower()[0]
                if low == ch:
                    return low
                return low if low.isalnum() and _fold_char(low) == low else " "
        return " "
    return " "


class _FoldTable(dict[int, str]):
    """A ``str.translate`` table that computes and caches entries on demand."""

    def __missing__(self, code: int) -> str:
        value = _fold_char(chr(code))
        self[code] = value
        return value


_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Fold ``text`` for matching; the result has the same length.

    Articles are read in NFC (see :mod:`bordermap.articles`), so accents are
    part of their letters; a stray combining mark folds to a space.

    >>> fold("Namp’o, Sinŭiju-si")
    "namp'o  sinuiju si"
    """
    return text.translate(_TABLE)


_SPACES = re.compile(r"\s+")


def name_keys(name: str) -> set[str]:
    """The folded lookup keys for a gazetteer name.

    Each name gives its folded form with single spaces, and variants without
    apostrophes and without the spaces that stood for hyphens, so that
    ``P'yŏngyang``, ``Pyongyang`` and ``Rajin-Sonbong``/``Rajinsonbong`` all
    meet the text's folded form; a name with a dot before a space ("St. Louis")
    also keeps the two spaces the text's folding gives.
    """
    folded = _SPACES.sub(" ", fold(name)).strip()
    if not folded:
        return set()
    keys = {folded, folded.replace("'", "")}
    # "St. Louis" folds to "st  louis" in a text: a dot before a space keeps its place.
    if ". " in name:
        spaced = fold(name).strip()
        keys |= {spaced, spaced.replace("'", "")}
    if "-" in name or "‐" in name:
        dehyphen = _SPACES.sub(" ", fold(name.replace("-", "").replace("‐", ""))).strip()
        keys |= {dehyphen, dehyphen.replace("'", "")}
    return {k for k in keys if k}


def is_cjk(ch: str) -> bool:
    """True for Han, Hangul and kana characters (scripts written without spaces)."""
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0xAC00 <= o <= 0xD7AF
        or 0x1100 <= o <= 0x11FF
        or 0x3130 <= o <= 0x318F
        or 0x3040 <= o <= 0x30FF
        or 0xF900 <= o <= 0xFAFF
    )


# A sentence ends at . ! ? or 。 followed by space, or at a blank line / a
# Markdown list item. Abbreviations such as "St." are rare enough in this
# domain that a simple rule serves.
_SENTENCE_END = re.compile(r"(?<=[.!?。])[\"”’)\]]*\s+|\n\s*\n|\n(?=\s*(?:[-*+] |\d+\. |#))")


def sentence_spans(text: str) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` of each sentence, stripped of surrounding space."""
    pos = 0
    for m in _SENTENCE_END.finditer(text):
        yield from _strip_span(text, pos, m.start())
        pos = m.end()
    yield from _strip_span(text, pos, len(text))


def _strip_span(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield (start, end)
