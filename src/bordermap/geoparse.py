"""Finding place mentions in article text and resolving them.

The pipeline for one article:

1. fold the text (:func:`bordermap.text.fold`, same length as the original);
2. find every gazetteer key in one Aho–Corasick pass, keeping matches on word
   boundaries whose surface starts with a capital (CJK names need neither);
3. keep the leftmost-longest matches, then drop those that sit inside a name
   of something else: people (``Kim Jong Un``), organisations (``Kim Chaek
   University of Technology``, ``Korea Central News Agency``);
4. look up capitalised words the index does not know among focus-region
   names one edit away (``Pyongang`` → Pyongyang), with lower confidence;
5. list ``X River`` / ``X Province`` phrases that resolve to nothing, with
   null coordinates;
6. resolve: unambiguous mentions first, then the rest ranked by
   :func:`bordermap.resolve.rank` against those.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass

from bordermap.articles import Article
from bordermap.gazetteer import FOCUS_BBOX, Gazetteer, Place
from bordermap.resolve import Ranked, rank
from bordermap.text import fold, is_cjk, sentence_spans

__all__ = ["Mention", "extract", "extract_all"]

# Words that make a capitalised phrase the name of an organisation or a work.
ORG_WORDS = frozenset(
    """
    university agency institute society ministry party news times daily corporation corp
    company co inc ltd bank group committee office association airlines airline air radio
    network net holding holdings telecom telecoms telecommunications publishing house press
    inquirer weekly voice review magazine circle center centre foundation council department
    bureau service services command army guard hotel school college academy hospital stadium
    division studies program programme project forum library museum television tv broadcasting
    channel club team union federation league post gazette herald tribune journal chronicle
    observer today nk express mail online media communications cooperation trading
    enterprise factory publication publications encyclopedia assembly congress
    """.split()
)

# Words a place name may carry after it without becoming another thing.
PLACE_WORDS = frozenset(
    """
    river province city county prefecture district island islands mountain mountains mount
    bridge port bay region zone area border station airport harbour harbor customs lake
    valley peninsula strait sea gun si do shi xian sheng jiang gang kang san
    """.split()
)

# Surnames that open a person's name (Korean and Chinese romanisations).
SURNAMES = frozenset(
    """
    kim lee yi ri park pak choi choe jung jeong chung kang cho jo yoon yun jang chang lim im
    han oh shin sin seo suh kwon hwang ahn an song jeon chun hong mun moon yang ko koh bae
    baek paek ryu yu nam noh no ha heo hyon hyun jin xi li wang zhang liu chen zhao huang zhou
    wu xu sun ma zhu hu guo he lin luo zheng xie tang deng feng cao peng zeng xiao pan du wei
    """.split()
)

GENERIC_SUFFIX = re.compile(
    r"\b((?:[A-Z][\w’'-]+\s){1,3})(River|Province|County|Prefecture|Island|Mountains?|Bay)\b"
)

_TOKEN = re.compile(r"[^\W\d_][\w’'.-]*")
_CONNECTORS = frozenset({"of", "the", "for", "de", "du", "la"})
_FUZZY_TOKEN = re.compile(r"\b[A-Z][a-z’']{5,}\b")

CONFIDENT_MARGIN = 1.0
BASE_SCORE = {"curated": 0.95, "gazetteer": 0.85, "fuzzy": 0.6, "unresolved": 0.3}


@dataclass(frozen=True)
class Mention:
    """One place mention in one article.

    ``text`` equals ``article.text[start:end]``. ``lat``/``lon`` are None for a
    phrase that looks like a place but resolved to nothing.
    """

    article: str
    start: int
    end: int
    text: str
    name: str | None
    kind: str | None
    country: str | None
    lat: float | None
    lon: float | None
    ref: str | None
    score: float
    sentence: str
    match: str  # curated, gazetteer, fuzzy or unresolved

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


# Far from the focus region, a small settlement is far likelier to be a
# capitalised word or a name of something else than the place meant.
MIN_FAR_POPULATION = 5_000
# A one-word, non-curated name opening a sentence must be a town at least this big.
MIN_SENTENCE_START_POPULATION = 100_000


Run = tuple[int, int, list[str]]  # start, end, words of a capitalised run


@dataclass
class _Hit:
    start: int
    end: int
    keys: tuple[int, ...]  # key ids
    match: str


def _runs(text: str) -> list[Run]:
    """Capitalised runs: maximal sequences of title-case tokens (``of``/``the`` may join)."""
    runs: list[Run] = []
    cur: list[re.Match[str]] = []
    pending: list[re.Match[str]] = []

    def close() -> None:
        if cur:
            words = [m.group(0).rstrip(".") for m in cur]
            runs.append((cur[0].start(), cur[-1].end(), words))
        cur.clear()
        pending.clear()

    prev_end = -1
    for m in _TOKEN.finditer(text):
        tok = m.group(0)
        gap = text[prev_end : m.start()] if prev_end >= 0 else ""
        joined = prev_end >= 0 and gap in (" ", "-")
        prev_end = m.end()
        if tok[0].isupper():
            if cur and not joined:
                close()
            if pending and joined:
                cur.extend(pending)
            pending.clear()
            possessive = tok.endswith(("'s", "’s"))
            cur.append(m)
            if possessive or tok.endswith("."):
                close()
                prev_end = -1
        elif cur and joined and tok in _CONNECTORS and not pending:
            pending.append(m)
        else:
            close()
    close()
    return runs


def _run_at(runs: list[Run], start: int) -> Run | None:
    for run in runs:
        if run[0] <= start < run[1]:
            return run
    return None


def _inside_other_name(hit: _Hit, text: str, runs: list[Run], curated: bool) -> bool:
    run = _run_at(runs, hit.start)
    if run is None:
        return False
    r_start, r_end, words = run
    # Only the run's other capitalised words count: "the Cairo-based group"
    # and "South Korea's" keep their place.
    before = _title_words(text[r_start : hit.start])
    after = _title_words(text[hit.end : r_end])
    others = before + after
    if not others:
        return False
    folded_words = [fold(w).strip("'").replace("'s", "") for w in words]
    if any(w in ORG_WORDS for w in folded_words):
        return True
    if folded_words and folded_words[0] in SURNAMES and len(words) <= 4 and before:
        return True
    if not before and folded_words and folded_words[0] in SURNAMES and len(words) <= 4:
        # The hit opens the run: a surname-shaped place (e.g. "Kang") followed by given names.
        if all(w not in PLACE_WORDS for w in others):
            return not curated or hit.end - hit.start <= 4
    if all(w in PLACE_WORDS for w in others):
        return False
    # A title-case word glued to a weak (non-curated) one-word hit: a name of something else.
    return not curated and " " not in fold(text[hit.start : hit.end]).strip()


def _title_words(chunk: str) -> list[str]:
    words = re.split(r"[\s\-‐]+", chunk)
    return [
        fold(w).strip("'").removesuffix("'s")
        for w in words
        if w and w[0].isupper() and w not in ("The", "A", "An")
    ]


def _raw_hits(text: str, folded: str, gaz: Gazetteer) -> list[_Hit]:
    hits: list[_Hit] = []
    n = len(folded)
    key_len = gaz.key_len
    for end_idx, kid in gaz.automaton.iter(folded):
        start = end_idx - key_len[kid] + 1
        first = text[start]
        # Cheapest test first: most raw matches are lower-case inner syllables.
        if first.isascii():
            if not first.isupper():
                continue
        elif not is_cjk(first) and not first.isupper():
            continue
        end = end_idx + 1
        if not is_cjk(first):
            if start > 0 and folded[start - 1].isalnum():
                continue
            if end < n and folded[end].isalnum():
                continue
            key = folded[start:end]
            surface = text[start:end]
            exact = gaz.exact_case.get(key)
            if exact is not None:
                if surface.replace("’", "'") != exact:
                    continue
            elif " " not in key and surface.isupper() and len(surface) <= 5:
                continue  # acronyms: NET, KPTC, OIH
        hits.append(_Hit(start, end, (kid,), "gazetteer"))
    # Leftmost-longest, non-overlapping.
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    chosen: list[_Hit] = []
    last_end = -1
    for h in hits:
        if h.start >= last_end:
            chosen.append(h)
            last_end = h.end
    return chosen


def _fuzzy_hits(text: str, gaz: Gazetteer, taken: list[tuple[int, int]]) -> list[_Hit]:
    covered = bytearray(len(text) + 1)
    for s, e in taken:
        covered[s:e] = b"\x01" * (e - s)
    hits = []
    for m in _FUZZY_TOKEN.finditer(text):
        if any(covered[m.start() : m.end()]):
            continue
        token = fold(m.group(0)).replace("'", "")
        if gaz.has_key(token) or token in gaz.stopwords:
            continue
        # A slip of the pen rarely changes a name's first letter.
        keys = [k for k in gaz.fuzzy_keys(token) if k[0] == token[0]]
        if keys:
            hits.append(_Hit(m.start(), m.end(), tuple(gaz.key_id(k) for k in keys), "fuzzy"))
    return hits


def _sentence_of(spans: list[tuple[int, int]], text: str, start: int) -> str:
    for s, e in spans:
        if s <= start < e:
            return " ".join(text[s:e].split())
    return ""


def extract(article: Article, gaz: Gazetteer, focus: object = None) -> list[Mention]:
    """The place mentions of one article, in text order."""
    text = article.text
    folded = fold(text)
    runs = _runs(text)
    hits: list[_Hit] = []
    blocked: list[tuple[int, int]] = []
    spans = list(sentence_spans(text))
    for hit in _raw_hits(text, folded, gaz):
        places = [p for p, _ in _candidates(hit, gaz)]
        curated = any(p.curated for p in places)
        if not places or _weak_at_sentence_start(hit, places, text, folded, spans):
            continue
        if _inside_other_name(hit, text, runs, curated):
            run = _run_at(runs, hit.start)
            if run:
                blocked.append((run[0], run[1]))
            continue
        hits.append(hit)
    taken = [(h.start, h.end) for h in hits] + blocked
    for hit in _fuzzy_hits(text, gaz, taken):
        if not _inside_other_name(hit, text, runs, False):
            hits.append(hit)
    taken = [(h.start, h.end) for h in hits] + blocked
    for m in GENERIC_SUFFIX.finditer(text):
        s, e = m.start(), m.end()
        if not any(a < e and s < b for a, b in taken):
            hits.append(_Hit(s, e, (), "unresolved"))
    hits.sort(key=lambda h: h.start)
    return _resolve(article, text, hits, gaz, spans)


def _plausible(place: Place, primary: bool) -> bool:
    return (
        place.curated
        or place.kind == "country"
        or place.population >= MIN_FAR_POPULATION
        # GeoNames' 0 means "unknown" (often a county seat): trust the main name only.
        or (place.population == 0 and primary)
        or _near_focus(place)
    )


def _near_focus(place: Place) -> bool:
    w, s, e, n = FOCUS_BBOX
    return w <= place.lon <= e and s <= place.lat <= n


def _candidates(hit: _Hit, gaz: Gazetteer) -> list[tuple[Place, bool]]:
    """Plausible ``(place, primary)`` candidates of a hit."""
    seen: dict[str, tuple[Place, bool]] = {}
    for kid in hit.keys:
        for place, primary in gaz.entries(kid):
            if not _plausible(place, primary):
                continue
            old = seen.get(place.ref)
            seen[place.ref] = (place, primary or (old[1] if old else False))
    return list(seen.values())


def _weak_at_sentence_start(
    hit: _Hit, places: list[Place], text: str, folded: str, spans: list[tuple[int, int]]
) -> bool:
    """A capitalised common word opening a sentence ("Outlook.", "Aim:")."""
    if " " in folded[hit.start : hit.end] or any(p.curated for p in places):
        return False
    if any(_near_focus(p) or p.population >= MIN_SENTENCE_START_POPULATION for p in places):
        return False
    for s, e in spans:
        if s <= hit.start < e:
            return not any(c.isalnum() for c in text[s : hit.start])
    return True


def _resolve(
    article: Article,
    text: str,
    hits: list[_Hit],
    gaz: Gazetteer,
    spans: list[tuple[int, int]],
) -> list[Mention]:
    entries = [_candidates(h, gaz) for h in hits]
    cands = [[p for p, _ in e] for e in entries]
    # Pass 1: mentions that need no context: one plausible candidate.
    anchors = [
        (cs[0].name, cs[0].lon, cs[0].lat)
        for hit, cs in zip(hits, cands, strict=True)
        if hit.match != "fuzzy" and len(cs) == 1
    ]
    countries = {
        cs[0].country
        for hit, cs in zip(hits, cands, strict=True)
        if hit.match != "fuzzy" and len(cs) == 1 and cs[0].kind == "country"
    }
    # Pass 2: rank every mention against the anchors; pass 3 ranks again
    # against pass 2's confident picks, so that ambiguous places in the same
    # article (Donggang and Pingtung in Taiwan) support each other.
    best: list[list[Ranked]] = []
    for round_ in range(2):
        # Each distinct place counts once, and each distinct name is ranked once.
        context = list(dict.fromkeys(anchors if round_ == 0 else _confident(best, hits) or anchors))
        memo: dict[tuple[tuple[int, ...], str], list[Ranked]] = {}
        best = []
        for hit, cs, entry in zip(hits, cands, entries, strict=True):
            if not cs:
                best.append([])
                continue
            surface = text[hit.start : hit.end]
            key = (hit.keys, surface)
            if key not in memo:
                primary = {p.ref for p, is_primary in entry if is_primary}
                near = [a for a in context if a[0] != surface]
                memo[key] = rank(cs, near, primary, countries)
            best.append(memo[key])
    mentions = []
    for hit, ranked in zip(hits, best, strict=True):
        surface = text[hit.start : hit.end]
        sentence = _sentence_of(spans, text, hit.start)
        if not ranked:
            mentions.append(
                Mention(
                    article.id, hit.start, hit.end, surface, None, None, None, None, None,
                    None, BASE_SCORE["unresolved"], sentence, "unresolved",
                )
            )  # fmt: skip
            continue
        top = ranked[0]
        match = (
            hit.match if hit.match == "fuzzy" else ("curated" if top.place.curated else "gazetteer")
        )
        mentions.append(
            Mention(
                article=article.id,
                start=hit.start,
                end=hit.end,
                text=surface,
                name=top.place.name,
                kind=top.place.kind,
                country=top.place.country or None,
                lat=round(top.place.lat, 5),
                lon=round(top.place.lon, 5),
                ref=top.place.ref,
                score=_confidence(match, ranked),
                sentence=sentence,
                match=match,
            )
        )
    return mentions


def _confident(best: list[list[Ranked]], hits: list[_Hit]) -> list[tuple[str, float, float]]:
    """Context points from picks that beat their runner-up clearly."""
    points = []
    for ranked, hit in zip(best, hits, strict=True):
        if not ranked or hit.match == "fuzzy":
            continue
        if len(ranked) == 1 or ranked[0].score - ranked[1].score >= CONFIDENT_MARGIN:
            p = ranked[0].place
            points.append((p.name, p.lon, p.lat))
    return points


def _confidence(match: str, ranked: list[Ranked]) -> float:
    base = BASE_SCORE[match]
    if len(ranked) > 1:
        margin = ranked[0].score - ranked[1].score
        if margin < 1.0:
            base *= 0.75 + 0.25 * max(margin, 0.0)
    return round(base, 3)


def extract_all(
    articles: Iterable[Article], gaz: Gazetteer
) -> Iterator[tuple[Article, list[Mention]]]:
    """Each article with its mentions."""
    for article in articles:
        yield article, extract(article, gaz)
