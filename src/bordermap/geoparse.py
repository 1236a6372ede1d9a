"""Finding place mentions in article text and resolving them.

The pipeline for one article (linear in its length):

1. fold the text (:func:`bordermap.text.fold`, same length as the original);
2. find gazetteer keys in one pass and the capitalised runs they sit in
   (:mod:`bordermap.recognise`);
3. drop hits that are something else: a common English word opening a
   sentence ("Tours were cancelled"), a person's name (a title, a given name
   or "said" beside it, or a surname the article gave a person before), the
   name of an organisation or person around a small town's name; keep names
   inside organisation names ("Columbus Police Department") and after "of"
   ("University of Hartford");
4. with a focus region, look up capitalised words the index does not know
   among its names one edit away (``Pyongang`` → Pyongyang), with lower
   confidence;
5. list ``X River`` / ``X Province`` phrases that resolve to nothing, with
   null coordinates;
6. resolve (:func:`bordermap.resolve.rank`): the hierarchy the text gives
   ("Alexandria, Va."), the divisions and countries it names, distance to
   its unambiguous places and, if given, the focus region.

Every mention says how precise it is (``precision``: site, town, district,
province, country, river, sea, continent or region; see
:data:`bordermap.resolve.PRECISION`). Demonyms ("American", "Korean") are
mentions of kind ``demonym`` pointing at their country, so that maps can
leave them out.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields, replace

from bordermap.articles import Article
from bordermap.context import AREA_KINDS, LIST_GAP, Entries, candidates, near_focus, rank_hits
from bordermap.gazetteer import FOCUS_BBOX, BBox, Gazetteer, Place
from bordermap.recognise import (
    KIND_WORDS,
    Hit,
    fuzzy_hits,
    inside_other_name,
    people,
    raw_hits,
    runs,
    said_after,
)
from bordermap.resolve import PRECISION, Ranked
from bordermap.text import fold, sentence_spans

__all__ = ["Mention", "extract", "iter_mentions", "extract_all", "CHUNK_CHARS"]

GENERIC_SUFFIX = re.compile(
    r"\b((?:[A-Z][\w’'-]+\s){1,3})(River|Province|County|Prefecture|Island|Mountains?|Bay)\b"
)
_SUFFIX_PRECISION = {"river": "river", "province": "province", "county": "district"}

BASE_SCORE = {"curated": 0.95, "gazetteer": 0.85, "fuzzy": 0.6, "unresolved": 0.3}
VAGUE_KINDS = frozenset({"continent", "ocean", "sea", "region"})


@dataclass(frozen=True, slots=True)
class Mention:
    """One place mention in one article.

    ``text`` equals ``article.text[start:end]``. ``lat``/``lon`` are None for a
    phrase that looks like a place but resolved to nothing. ``precision`` says
    what the point stands for (a town, a province, a country, ...).
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
    precision: str | None = None

    def as_dict(self) -> dict[str, object]:
        # Every field is a plain value: no recursive copy (dataclasses.asdict) needed.
        return {name: getattr(self, name) for name in _MENTION_FIELDS}


_MENTION_FIELDS = tuple(f.name for f in fields(Mention))

# Strong places keep their name beside other capitalised words.
STRONG_POPULATION = 100_000
# A common English word opening a sentence is that word, unless it names a big city.
SENTENCE_START_KEEP_POPULATION = 1_000_000


class _Sentences:
    def __init__(self, text: str) -> None:
        self.spans = list(sentence_spans(text))
        self.starts = [s for s, _ in self.spans]
        self.text = text
        self._joined: dict[tuple[int, int], str] = {}

    def span(self, offset: int) -> tuple[int, int] | None:
        i = bisect.bisect_right(self.starts, offset) - 1
        if i >= 0 and self.spans[i][0] <= offset < self.spans[i][1]:
            return self.spans[i]
        return None

    def sentence(self, offset: int) -> str:
        sp = self.span(offset)
        if sp is None:
            return ""
        # The mentions of one sentence share one string (a large corpus holds millions).
        found = self._joined.get(sp)
        if found is None:
            found = self._joined[sp] = " ".join(self.text[sp[0] : sp[1]].split())
        return found

    def opens(self, offset: int) -> bool:
        sp = self.span(offset)
        if sp is None:
            return True
        return not any(c.isalnum() for c in self.text[sp[0] : offset])


# A text longer than this is parsed in parts cut at paragraph breaks, each
# with its own context, so that memory stays bounded however long the text.
CHUNK_CHARS = 1_000_000


def extract(article: Article, gaz: Gazetteer, focus: BBox | None = FOCUS_BBOX) -> list[Mention]:
    """The place mentions of one article, in text order.

    ``focus`` is the region the corpus is about, ``(west, south, east, north)``
    in degrees (a project's ``focus.bbox``): its small towns count and its
    namesakes win. With None the prior is neutral.

    >>> from bordermap.gazetteer import load_gazetteer
    >>> [m.name for m in extract(Article("a", "Trucks left Dandong."), load_gazetteer())]
    ['Dandong']
    """
    return list(iter_mentions(article, gaz, focus))


def iter_mentions(
    article: Article, gaz: Gazetteer, focus: BBox | None = FOCUS_BBOX
) -> Iterator[Mention]:
    """The mentions of :func:`extract`, yielded part by part for a very long text.

    A text of more than :data:`CHUNK_CHARS` characters is cut at paragraph
    breaks (else at a line or a space) and each part parsed on its own, with
    offsets into the whole text; the article's context then is the part's.
    """
    text = article.text
    if len(text) <= CHUNK_CHARS:
        yield from _extract(article, gaz, focus)
        return
    start = 0
    while start < len(text):
        end = _cut(text, start)
        part = Article(id=article.id, text=text[start:end], meta=article.meta, path=article.path)
        for m in _extract(part, gaz, focus):
            yield replace(m, start=m.start + start, end=m.end + start)
        start = end


def _cut(text: str, start: int) -> int:
    limit = start + CHUNK_CHARS
    if limit >= len(text):
        return len(text)
    for sep in ("\n\n", "\n", " "):
        i = text.rfind(sep, start + CHUNK_CHARS // 2, limit)
        if i > start:
            return i + len(sep)
    return limit


def _extract(article: Article, gaz: Gazetteer, focus: BBox | None) -> list[Mention]:
    text = article.text
    folded = fold(text)
    all_runs = runs(text)
    sentences = _Sentences(text)
    surnames, person_spans = people(text, all_runs, gaz)
    person_starts = [s for s, _ in person_spans]
    raw = raw_hits(text, folded, gaz)
    raw = _with_postal_codes(raw, text, gaz)
    within = _hierarchy(raw, text, gaz)
    hits: list[Hit] = []
    blocked: list[tuple[int, int]] = []
    found: dict[int, Entries] = {}  # candidates by hit start
    for i, hit in enumerate(raw):
        word = folded[hit.start : hit.end].strip()
        entries: Entries = candidates(hit, gaz, focus, i in within, word)
        division = _division_entries(text, hit.end, word, gaz)
        if not division and i - 1 in within and _placing(raw, i, text):
            division = [e for e in entries if e[0].kind in ("province", "country")]
        if division:
            entries = division  # "Jilin province", "Tumen, Jilin": the division
        elif _THE_BEFORE.search(text, max(0, hit.start - 4), hit.start):
            river = gaz.key_id(f"{word} river")
            extra = [(p, False) for p, _ in gaz.entries(river)] if river >= 0 else []
            entries = _the_feature([*entries, *extra])
        found[hit.start] = entries
        places = [p for p, _ in entries]
        if not places:
            continue
        vague = all(p.kind in VAGUE_KINDS for p in places)
        curated = any(p.curated for p in places)
        area = any(p.kind in AREA_KINDS for p in places)
        strong = curated or area or any(p.population >= STRONG_POPULATION for p in places)
        one_word = " " not in word
        if _in_spans(person_spans, person_starts, hit.start) and not curated:
            continue
        if one_word and not curated and not area and word.replace("'", "") in surnames:
            continue
        if (
            one_word
            and not strong
            and said_after(text, hit.end)
            and not _in_focus_any(places, focus)
        ):
            surnames.add(word)
            continue
        if one_word and _common_at_sentence_start(hit, places, word, gaz, sentences, focus):
            continue
        if not curated and not area and _ordinary(hit, text, word, gaz, strong):
            continue
        if _before_a_surname(hit, text, all_runs, surnames) and not curated:
            continue  # "Vladimir Putin", once the article shows Putin is a person
        if _an_agent(hit, text, places):
            continue  # "photos obtained by Rimjingang": an outlet named after the Imjin
        named = curated or area or any(primary for _, primary in entries)
        start = _sentence_start(sentences, hit)
        if inside_other_name(
            hit, text, all_runs, curated, strong, gaz.common_words, start, named, vague, area
        ):
            run = all_runs.at(hit.start)
            if run:
                blocked.append((run[0], run[1]))
            continue
        hits.append(hit)
    # A surname found later ("Clark said") clears earlier bare mentions of it.
    hits = [
        h
        for h in hits
        if folded[h.start : h.end].strip() not in surnames
        or any(p.curated or p.kind in AREA_KINDS for p, _ in found[h.start])
    ]
    if focus is not None:
        taken = [(h.start, h.end) for h in hits] + blocked
        for hit in fuzzy_hits(text, gaz, taken):
            if not inside_other_name(hit, text, all_runs, False, False, gaz.common_words, -1):
                hits.append(hit)
    covered = bytearray(len(text) + 1)
    for a, b in [(h.start, h.end) for h in hits] + blocked:
        covered[a:b] = b"\x01" * (b - a)
    for m in GENERIC_SUFFIX.finditer(text):
        s, e = m.start(), m.end()
        if not any(covered[s:e]):
            hits.append(Hit(s, e, (), "unresolved"))
    hits.sort(key=lambda h: h.start)
    within_by_start = {raw[i].start: w for i, w in within.items()}
    return _resolve(article, text, folded, hits, gaz, sentences, focus, within_by_start, found)


def _ordinary(hit: Hit, text: str, word: str, gaz: Gazetteer, strong: bool) -> bool:
    """A capitalised common word that is no big town's name ("Patrol", "Vice", "The range")."""
    words = word.split()
    if len(words) > 1:
        # Place names are written in title case: "The range" is a phrase ("the Quanhe
        # bridge" is a name with its kind after it: recognise.kind_word_hits).
        later = text[hit.start : hit.end].split()[1:]
        if later and later[-1] in KIND_WORDS:
            later.pop()
        return any(w[:1].islower() for w in later)
    # A big town keeps its name ("Buffalo", "Dallas Police"): sentence openers
    # are decided apart.
    return not strong and word in gaz.common_words


# Who did something: a river or a range named here is an outlet, a group or a ship.
_AGENT_BEFORE = re.compile(
    r"\b(?:(?:seen|obtained|reported|published|released|filmed|photographed|shared|provided"
    r"|acquired|posted|broadcast|aired|interviewed|cited|quoted|run|founded)\s+by"
    r"|according\s+to|told)\s+$",
    re.IGNORECASE,
)
# Nouns after a place's name that make it where people are, not who acted ("seen by Yalu
# fishermen").
_OF_PLACE = frozenset(
    "residents officials guards traders smugglers authorities police people villagers "
    "workers locals fishermen soldiers farmers".split()
)


def _an_agent(hit: Hit, text: str, places: list[Place]) -> bool:
    """Whether a river's (a range's) name is the one who saw, reported or was told."""
    if not all(p.kind in FEATURE_KINDS and p.kind not in ("region", "zone") for p in places):
        return False
    if not _AGENT_BEFORE.search(text, max(0, hit.start - 40), hit.start):
        return False
    following = text[hit.end : hit.end + 30].split(maxsplit=1)
    return not (following and following[0].strip(".,;:").lower() in _OF_PLACE)


def _before_a_surname(hit: Hit, text: str, all_runs, surnames: set[str]) -> bool:
    run = all_runs.at(hit.start)
    if run is None:
        return False
    after = text[hit.end : run[1]].split()
    return bool(after) and fold(after[0]).strip("'. ").removesuffix("'s") in surnames


_THE_BEFORE = re.compile(r"\bthe $")
FEATURE_KINDS = frozenset({"river", "sea", "ocean", "mountain", "region", "zone"})


def _the_feature(entries: Entries) -> Entries:
    """After "the", a river (a sea, a range) before a town of its name: "across the Tumen"."""
    features = [e for e in entries if e[0].kind in FEATURE_KINDS]
    if features and all(
        p.kind in FEATURE_KINDS or p.kind in ("city", "county") for p, _ in entries
    ):
        return features
    return entries


def _in_spans(spans: list[tuple[int, int]], starts: list[int], offset: int) -> bool:
    i = bisect.bisect_right(starts, offset) - 1
    return i >= 0 and spans[i][0] <= offset < spans[i][1]


# A division's name with its kind after it in lower case ("Jilin province", "Jilin
# provincial officials"), which the index, matching only capitalised names, reads as
# the bare name ("Jilin", a city). ("state" is left out: "Georgia state media".)
_DIVISION_AFTER = re.compile(r"\s+provinc(?:e|ial)\b", re.IGNORECASE)


def _division_entries(text: str, end: int, word: str, gaz: Gazetteer) -> Entries:
    """The provinces named ``word`` when the text calls it one right after it."""
    if _DIVISION_AFTER.match(text, end) is None:
        return []
    kid = gaz.key_id(f"{word} province")
    if kid < 0:
        return []
    return [(p, True) for p, _ in gaz.entries(kid) if p.kind == "province"]


def _sentence_start(sentences: _Sentences, hit: Hit) -> int:
    sp = sentences.span(hit.start)
    return sp[0] if sp else -1


def _in_focus_any(places: list[Place], focus: BBox | None) -> bool:
    return focus is not None and any(near_focus(p, focus) for p in places)


# "Alexandria, Va.", "Hamilton (Ontario)", "Ji'an, a city in Jiangxi", "Ji'an in Jilin".
_HIERARCHY_GAP = re.compile(
    r",\s*|\s+\(|,?\s+in\s+(?:the\s+)?|,\s+(?:a|an|the)\s+(?:[a-z-]+\s+){1,3}(?:in|of)\s+(?:the\s+)?"
)


_POSTAL = re.compile(r",\s*([A-Z]{2})(?![\w.])")
_POSTAL_KEYS: dict[int, dict[str, int]] = {}


def _postal_keys(gaz: Gazetteer) -> dict[str, int]:
    """US postal codes ("TX") to the key id of their state's name."""
    got = _POSTAL_KEYS.get(id(gaz))
    if got is None:
        got = {}
        for i in range(len(gaz)):
            row = gaz.rows[i]
            if row[0].startswith("world:admin1-US-"):
                kid = gaz.key_id(" ".join(fold(row[1]).split()))
                if kid >= 0:
                    got[row[7]] = kid
        _POSTAL_KEYS.clear()
        _POSTAL_KEYS[id(gaz)] = got
    return got


def _with_postal_codes(raw: list[Hit], text: str, gaz: Gazetteer) -> list[Hit]:
    """A US state's postal code right after a place is that state: "Dallas, TX"."""
    codes = None
    out: list[Hit] = []
    for i, hit in enumerate(raw):
        out.append(hit)
        m = _POSTAL.match(text, hit.end)
        if m is None or (i + 1 < len(raw) and raw[i + 1].start < m.end()):
            continue
        if codes is None:
            codes = _postal_keys(gaz)
        kid = codes.get(m.group(1))
        if kid is not None:
            out.append(Hit(m.start(1), m.end(1), (kid,), "gazetteer"))
    return out


def _placing(raw: list[Hit], i: int, text: str) -> bool:
    """Whether the hit ``i`` reads as the division that places the one before it: after a
    comma ("Tumen, Jilin", not "in New York"), and in no list ("Washington, New York and
    Boston", "Seoul, Tokyo, Washington")."""
    if not text[raw[i - 1].end : raw[i].start].startswith(","):
        return False
    if i >= 2 and LIST_GAP.fullmatch(text[raw[i - 2].end : raw[i - 1].start]):
        return False  # "Envoys from Seoul, Tokyo, Washington": the list's last name
    return i + 1 >= len(raw) or not LIST_GAP.fullmatch(text[raw[i].end : raw[i + 1].start])


def _hierarchy(raw: list[Hit], text: str, gaz: Gazetteer) -> dict[int, set[tuple[str, str]]]:
    """Hits placed in a division or country by the text: "Alexandria, Va.", "Hamilton, Ontario"."""
    out: dict[int, set[tuple[str, str]]] = {}
    for i in range(len(raw) - 1):
        a, b = raw[i], raw[i + 1]
        gap = text[a.end : b.start]
        if not _HIERARCHY_GAP.fullmatch(gap):
            continue
        parents = {
            (p.country, p.admin1 if p.kind == "province" else "")
            for kid in b.keys
            for p, _ in gaz.entries(kid)
            if p.kind in ("province", "country") and p.ref.startswith(("world:", "regional:"))
            and (p.kind == "country" or p.admin1)
        }  # fmt: skip
        if parents:
            out[i] = parents
    return out


def _common_at_sentence_start(
    hit: Hit,
    places: list[Place],
    word: str,
    gaz: Gazetteer,
    sentences: _Sentences,
    focus: BBox | None,
) -> bool:
    """A common English word opening a sentence ("Tours were cancelled.", "Aim:")."""
    if any(p.curated or p.kind in AREA_KINDS for p in places):
        return False
    if _in_focus_any(places, focus):
        return False
    if word not in gaz.common_words and word not in gaz.stopwords:
        return False
    if any(p.population >= SENTENCE_START_KEEP_POPULATION for p in places):
        return False
    return sentences.opens(hit.start)


def _resolve(
    article: Article,
    text: str,
    folded: str,
    hits: list[Hit],
    gaz: Gazetteer,
    sentences: _Sentences,
    focus: BBox | None,
    within: dict[int, set[tuple[str, str]]],
    found: dict[int, Entries],
) -> list[Mention]:
    best = rank_hits(text, folded, hits, gaz, focus, within, found)
    mentions = []
    for hit, ranked in zip(hits, best, strict=True):
        surface = text[hit.start : hit.end]
        sentence = sentences.sentence(hit.start)
        if not ranked:
            suffix = surface.rsplit(None, 1)[-1].lower()
            mentions.append(
                Mention(
                    article.id, hit.start, hit.end, surface, None, None, None, None, None,
                    None, BASE_SCORE["unresolved"], sentence, "unresolved",
                    _SUFFIX_PRECISION.get(suffix, "site" if suffix == "bay" else "district"),
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
                precision=PRECISION.get(top.place.kind, "site"),
            )
        )
    return mentions


def _confidence(match: str, ranked: list[Ranked]) -> float:
    base = BASE_SCORE[match]
    if len(ranked) > 1:
        margin = ranked[0].score - ranked[1].score
        if margin < 1.0:
            base *= 0.75 + 0.25 * max(margin, 0.0)
    return round(base, 3)


def extract_all(
    articles: Iterable[Article], gaz: Gazetteer, focus: BBox | None = FOCUS_BBOX
) -> Iterator[tuple[Article, list[Mention]]]:
    """Each article with its mentions."""
    for article in articles:
        yield article, extract(article, gaz, focus)
