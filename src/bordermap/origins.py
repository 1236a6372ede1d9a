"""Origins: articles that retell one report are counted once.

An article says what it retells with ``derived_from`` in its front matter
(``derived_from: "003"``). :func:`group` joins articles linked that way into
connected groups, its *origins*: seed 004 retells 003, so the two make
"2 articles, 1 origin". An article that names several reports is joined to the
first it names (two independent reports one article combines stay two origins).
An origin is named by its earliest article (by date, then id).

:func:`near_duplicates` proposes links the front matter does not state: pairs
of articles whose texts share many word shingles, found with MinHash and
locality-sensitive hashing, so the cost grows with the corpus, not with its
pairs. It only proposes (``bordermap origins``); nothing is merged unless a
person adds the ``derived_from`` line.
"""

from __future__ import annotations

import logging
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from bordermap.articles import Article
from bordermap.text import fold

__all__ = ["Origins", "group", "Pair", "near_duplicates", "shingles", "SHINGLE_WORDS"]

log = logging.getLogger("bordermap")

#: Words per shingle.
SHINGLE_WORDS = 3
#: MinHash signature: BANDS bands of ROWS rows (128 hashes); two texts of Jaccard
#: similarity s share a band with probability 1 - (1 - s**ROWS)**BANDS
#: (0.2: 19 %, 0.3: 64 %, 0.5: 99.98 %).
BANDS, ROWS = 32, 4
_PRIME = (1 << 61) - 1
_MIX = np.uint64(0x9E3779B97F4A7C15)
#: In a band bucket an article is compared with the first and this many before it.
WINDOW = 16
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Origins:
    """Article id → origin id (the earliest article of its connected group)."""

    origin: dict[str, str]

    def of(self, article_id: str) -> str:
        return self.origin.get(article_id, article_id)

    def count(self, article_ids: Iterable[str]) -> int:
        return len({self.of(a) for a in article_ids})

    def members(self, origin_id: str) -> list[str]:
        return sorted(a for a, o in self.origin.items() if o == origin_id)

    def mark(self, entry: dict[str, str]) -> dict[str, str]:
        """A provenance entry that names the origin its article retells (its own id if none)."""
        if not entry.get("article"):
            return entry
        return {**entry, "origin": self.of(entry["article"])}


def group(articles: dict[str, Article]) -> Origins:
    """The origins of ``articles``: groups joined by ``derived_from`` (union–find).

    A ``derived_from`` id the corpus does not have is reported as a warning on the
    ``bordermap`` logger naming the article's file, and ignored.
    """
    parent = {a: a for a in articles}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a in articles.values():
        joined = False
        for other in a.derived_from:
            if other not in articles:
                log.warning(
                    "%s: front matter derived_from: no article %r in the corpus; ignored",
                    a.path or a.id,
                    other,
                )
                continue
            if joined:
                # An article that retells two reports does not make them one: it is
                # counted with the first it names, and the other stays its own origin.
                continue
            joined = True
            ra, rb = root(a.id), root(other)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    members: dict[str, list[str]] = {}
    for aid in articles:
        members.setdefault(root(aid), []).append(aid)

    def first(ids: list[str]) -> str:
        def key(i: str) -> tuple[int, str, str]:
            p = articles[i].period
            return (0 if p.start else 1, p.start.isoformat() if p.start else "", i)

        return min(ids, key=key)

    return Origins({a: first(ids) for ids in members.values() for a in ids})


def shingles(text: str, k: int = SHINGLE_WORDS) -> set[int]:
    """The text's ``k``-word shingles (folded, punctuation dropped), as 64-bit hashes: each
    word's CRC-32, the ``k`` of a shingle mixed by odd multipliers (arithmetic mod 2**64),
    all at once in numpy (hashing each shingle's text took half of a search)."""
    words = _WORD.findall(fold(text))
    if not words:
        return set()
    h = np.fromiter((zlib.crc32(w.encode("utf-8")) for w in words), np.uint64, len(words))
    n = max(len(words) - k + 1, 1)
    mixed = np.zeros(n, dtype=np.uint64)
    for j in range(min(k, len(words))):
        mixed = mixed * _MIX + h[j : j + n]
    return set(mixed.tolist())


def _signature(hashes: set[int], a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if not hashes:
        return np.full(len(a), _PRIME, dtype=np.uint64)
    x = np.fromiter(hashes, dtype=np.uint64, count=len(hashes)) % np.uint64(_PRIME)
    # (a * x + b) mod p with Python ints would be exact but slow; uint64 wraps, which
    # is still a fixed, well-mixed permutation family for the purpose of banding.
    return np.min(a[:, None] * x[None, :] + b[:, None], axis=1)


@dataclass(frozen=True)
class Pair:
    """Two articles whose texts look alike: ``later`` probably retells ``earlier``."""

    earlier: str
    later: str
    similarity: float  # Jaccard similarity of their shingle sets
    stated: bool  # already linked by derived_from

    @property
    def suggestion(self) -> str:
        return f'derived_from: "{self.earlier}"'


def near_duplicates(
    articles: dict[str, Article], threshold: float = 0.2, origins: Origins | None = None
) -> list[Pair]:
    """For each article that looks like a retelling, the earlier article it is most like
    (shingle similarity at least ``threshold``): pairs most similar first.

    An article has at most two pairs: its best match in another origin (a proposal)
    and its best in its own origin (already stated by ``derived_from``); of equally
    similar earlier articles, the earliest. The earlier of a pair is the one with the
    earlier date (then the lower id). So a report copied by 200 outlets gives 199
    lines, each naming the first, not 19,900, and a line each is what joins them.

    Candidates come from MinHash bands: within each band bucket, in date order, an
    article is compared (exact Jaccard similarity of the shingle sets) with the
    bucket's first article and the :data:`WINDOW` before it, so the cost grows with
    the corpus, whatever the size of its clusters of copies (at most
    ``BANDS * (WINDOW + 1)`` comparisons an article). The best match and the earliest
    of equals are those among these candidates: a copy that shares no bucket with an
    earlier one as its first or in its window is not compared with it.
    ``origins``: the corpus's :func:`group`, when the caller has it (else grouped here,
    its warnings said again).
    """
    rng = np.random.default_rng(20261201)
    a = rng.integers(1, _PRIME, size=BANDS * ROWS, dtype=np.uint64)
    b = rng.integers(0, _PRIME, size=BANDS * ROWS, dtype=np.uint64)
    order = sorted(articles, key=lambda i: (_date_key(articles[i]), i))
    sets = [shingles(articles[i].text) for i in order]
    sigs = np.stack([_signature(x, a, b) for x in sets]) if sets else np.empty((0, BANDS * ROWS))
    buckets: dict[tuple[int, bytes], list[int]] = {}
    for n, sig in enumerate(sigs):
        for band in range(BANDS):
            key = (band, sig[band * ROWS : (band + 1) * ROWS].tobytes())
            buckets.setdefault(key, []).append(n)
    earlier: dict[int, set[int]] = {}
    for members in buckets.values():
        for n in range(1, len(members)):
            got = earlier.setdefault(members[n], set())
            got.add(members[0])
            got.update(members[max(1, n - WINDOW) : n])
    origins = group(articles) if origins is None else origins
    pairs = []
    for y, later in enumerate(order):
        sy = sets[y]
        best: dict[bool, tuple[float, int, str]] = {}
        for x in earlier.get(y, ()):  # (sim, -x) orders them whatever the set's order
            sx = sets[x]
            shared = len(sx & sy)
            union = len(sx) + len(sy) - shared  # no union set made
            if not union:
                continue  # two texts without a word are not alike
            sim = shared / union
            if sim < threshold:
                continue
            stated = origins.of(order[x]) == origins.of(later)
            rated = (sim, -x, order[x])  # the most similar, then the earliest
            if stated not in best or rated > best[stated]:
                best[stated] = rated
        for stated, (sim, _, first) in sorted(best.items()):
            pairs.append(Pair(first, later, round(sim, 3), stated))
    pairs.sort(key=lambda p: (-p.similarity, p.earlier, p.later))
    return pairs


def _date_key(article: Article) -> str:
    start = article.period.start
    return start.isoformat() if start else "9999"
