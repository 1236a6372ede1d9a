"""Recognising place names in text: candidate spans and the evidence against them.

Everything here is one pass (or a few) over the text, so recognition time
grows linearly with the text:

* :func:`raw_hits` finds every gazetteer key in the folded text with one
  Aho–Corasick pass, keeps matches on word boundaries whose surface starts
  with a capital (CJK names need neither), enforces the exact spelling of
  abbreviations ("U.S.", "Calif."), adds names written with their kind in
  lower case (:func:`kind_word_hits`: "the Quanhe bridge") and keeps the
  leftmost-longest;
* :func:`runs` splits the text into capitalised runs ("Columbus Police
  Department", "University of Hartford"), the phrases a name can sit in;
* :func:`people` collects evidence that a capitalised word names a person:
  a title before it ("President Obama"), a given name before it ("Ashley
  Clark"), "said" after it; a surname so found is no place anywhere in the
  article;
* :func:`inside_other_name` decides whether a hit inside a longer phrase
  still names the place: it does before organisation words ("Columbus Police
  Department") and after "of" ("University of Hartford"), not inside a
  person's name or a phrase of other names.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from bordermap.gazetteer import Gazetteer
from bordermap.text import fold, is_cjk

__all__ = ["Hit", "Run", "Runs", "raw_hits", "runs", "people", "inside_other_name"]

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
    enterprise factory publication publications encyclopedia assembly congress police fire
    sheriff court parliament government senate legislature zoo airport tech state
    """.split()
)

# Words a place name may carry after it without becoming another thing.
PLACE_WORDS = frozenset(
    """
    river province city county prefecture district island islands mountain mountains mount
    bridge port bay region zone area border station airport harbour harbor customs lake
    valley peninsula strait sea gun si do shi xian sheng jiang gang kang san beach north south
    east west northern southern eastern western central greater metro downtown upper lower
    """.split()
)

# Words before a name that make it a person's.
TITLES = frozenset(
    """
    mr mrs ms miss dr sen rep gov president minister premier general gen col lt capt sgt
    officer judge justice mayor chief professor prof reverend rev sir lord lady king queen
    prince princess pope coach spokesman spokeswoman leader chairman chairwoman director
    secretary ambassador senator governor councillor councilman councilwoman commissioner
    detective constable attorney sergeant lieutenant captain colonel dame
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

# Words that make a capitalised phrase a publication's name: "Tumen Ledger" is a
# newspaper, not a claim about Tumen.
PUBLICATION_WORDS = frozenset(
    """
    ledger courier gazette herald tribune times post journal chronicle observer inquirer
    sentinel dispatch bulletin examiner register telegraph mirror daily weekly review
    magazine
    """.split()
)

SPEECH = re.compile(r"\s+(?:said|says|told|added|explained|wrote|asked|stated)\b")

_TOKEN = re.compile(r"[^\W\d_][\w’'.-]*")
_CONNECTORS = frozenset({"of", "the", "for", "de", "du", "la"})


@dataclass
class Hit:
    start: int
    end: int
    keys: tuple[int, ...]  # key ids
    match: str


Run = tuple[int, int, list[str]]  # start, end, words of a capitalised run


class Runs:
    """Capitalised runs with a bisect index by start offset."""

    def __init__(self, items: list[Run]) -> None:
        self.items = items
        self.starts = [r[0] for r in items]

    def at(self, offset: int) -> Run | None:
        i = bisect.bisect_right(self.starts, offset) - 1
        if i >= 0 and self.items[i][0] <= offset < self.items[i][1]:
            return self.items[i]
        return None


def runs(text: str) -> Runs:
    """Capitalised runs: maximal sequences of title-case tokens (``of``/``the`` may join)."""
    found: list[Run] = []
    cur: list[re.Match[str]] = []
    pending: list[re.Match[str]] = []

    def close() -> None:
        if cur:
            words = [m.group(0).rstrip(".") for m in cur]
            found.append((cur[0].start(), cur[-1].end(), words))
        cur.clear()
        pending.clear()

    # Only capitalised tokens and connectors matter: a lower-case word between
    # two of them shows in the gap, which then closes the run as the word would.
    kept = [m for m in _TOKEN.finditer(text) if m[0][0].isupper() or m[0] in _CONNECTORS]
    prev_end = -1
    for m in kept:
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
            if possessive or (tok.endswith(".") and not _abbreviation(tok)):
                close()
                prev_end = -1
        elif cur and joined and tok in _CONNECTORS and not pending:
            pending.append(m)
        else:
            close()
    close()
    return Runs(found)


def _abbreviation(tok: str) -> bool:
    """Title abbreviations that do not end a run: "Mr." "Sen." "Gov." "Dr.", "U.S."."""
    core = tok.rstrip(".").lower()
    return core in TITLES or "." in tok[:-1]


def _norm(word: str) -> str:
    return fold(word).strip("'. ").removesuffix("'s").replace(".", "")


def people(text: str, all_runs: Runs, gaz: Gazetteer) -> tuple[set[str], list[tuple[int, int]]]:
    """Surnames of people the article names, and the spans of their names.

    Evidence: a title before a name ("President Obama", "Sen. Warren"), a
    given name before a surname ("Ashley Clark"), a short name followed by
    "said".
    """
    surnames: set[str] = set()
    spans: list[tuple[int, int]] = []
    given = gaz.given_names
    for start, end, words in all_runs.items:
        norm = [_norm(w) for w in words]
        person_from = -1
        for i, w in enumerate(norm[:-1]):
            if w in TITLES and norm[i + 1] not in _CONNECTORS:
                person_from = i + 1
                break
        if person_from < 0 and len(norm) in (2, 3) and norm[0] in given:
            rest = norm[1:]
            if all(w not in PLACE_WORDS and w not in ORG_WORDS for w in rest) and not any(
                _names_an_area(gaz, w) for w in rest
            ):
                person_from = 0  # "Ashley Clark", not "Georgia Tech" or "Paris, Texas"
        if person_from < 0:
            continue
        name_words = [w for w in norm[person_from:] if w not in _CONNECTORS]
        if not name_words or any(w in ORG_WORDS for w in name_words):
            continue
        surnames.add(name_words[-1])
        if len(name_words) > 1:  # "Miranda Lambert ... Miranda said": the first name too
            surnames.add(name_words[0])
        # The span of the name itself (from the first name word to the run's end).
        offset = start
        for w in words[:person_from]:
            offset = text.index(w, offset) + len(w)
        spans.append((offset, end))
    return surnames, spans


_AREAS = frozenset({"country", "province", "continent", "ocean", "sea", "region", "demonym"})


def _names_an_area(gaz: Gazetteer, word: str) -> bool:
    kid = gaz.key_id(word)
    return kid >= 0 and any(p.kind in _AREAS for p, _ in gaz.entries(kid))


def said_after(text: str, end: int) -> bool:
    """True when a speech verb follows ``end`` ("Clark said")."""
    return SPEECH.match(text, end) is not None


def inside_other_name(
    hit: Hit,
    text: str,
    all_runs: Runs,
    curated: bool,
    strong: bool,
    common: frozenset[str],
    sentence_start: int,
    named: bool = True,
    vague: bool = False,
    area: bool = False,
) -> bool:
    """Whether the hit is part of the name of something else (an organisation, a person).

    ``strong`` places (countries, divisions, continents, big cities) keep their
    place beside other capitalised words ("Alberta Premier Rachel Notley");
    a weak one-word hit (a small town) does not ("Jones Smith").
    """
    run = all_runs.at(hit.start)
    if run is None:
        return False
    r_start, r_end, words = run
    # Only the run's other capitalised words count: "the Cairo-based group"
    # and "South Korea's" keep their place; a common word opening the
    # sentence ("Yesterday Cairo ...") is no part of a name.
    lead = text[r_start : hit.start]
    written_before = _title_words(lead)
    before = written_before
    if before and r_start == sentence_start and (before[0] in common or before[0] in TITLES):
        before = before[1:]
    after = _title_words(text[hit.end : r_end])
    others = before + after
    org_before = any(w in ORG_WORDS for w in written_before)
    if not others and not org_before:
        return False
    head = []  # the run's words up to its first "of": a person's name is there
    for w in words:
        if w in _CONNECTORS:
            break
        head.append(_norm(w))
    if head and head[0] in SURNAMES and len(head) <= 4 and before:
        return True
    if not before and head and head[0] in SURNAMES and len(head) <= 4:
        # The hit opens the run: a surname-shaped place (e.g. "Kang") followed by given names.
        if all(w not in PLACE_WORDS for w in others):
            return not curated or hit.end - hit.start <= 4
    if before and before[-1] in TITLES:
        return True  # "President Obama"
    if not named or (vague and any(w in ORG_WORDS for w in written_before + after)):
        return True
    if after and (after[-1] in PUBLICATION_WORDS or (after[0] in PUBLICATION_WORDS and not area)):
        # A newspaper named for a place is no claim about the place: "the Tumen Ledger",
        # "the New York Times", "the South China Morning Post" (not "Korea Review Board").
        return True
    joined_by_of = bool(re.search(r"\b(?:of|for|de)\s+(?:the\s+)?$", lead))
    if joined_by_of and not after:
        return False  # "University of Hartford", "Bank of America"
    if org_before and not strong:
        return True  # "Air Koryo"
    if all(w in PLACE_WORDS or w in ORG_WORDS or w in TITLES or w in common for w in others):
        return False  # "Columbus Police Department", "Alberta Premier", "Northern Alberta"
    if strong:
        return False
    # A title-case word glued to a weak (non-curated) one-word hit: a name of something else.
    return not curated and " " not in fold(text[hit.start : hit.end]).strip()


def _title_words(chunk: str) -> list[str]:
    words = re.split(r"[\s\-‐]+", chunk)
    return [
        _norm(w) for w in words if w and w[0].isupper() and w not in ("The", "A", "An") and _norm(w)
    ]


_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z][a-z]{3,}(?![\w'’-])")

#: Lower-case words that end a feature's name as news often writes it ("the Quanhe
#: bridge", "the Mississippi river"): the blanked text hides them from the index, so
#: the capitalised words before one and the word are looked up as one key.
KIND_WORDS = frozenset(
    "bridge crossing river lake dam reservoir canal strait bay island mountains".split()
)
_BEFORE_KIND_WORD = re.compile(
    r"(?<![\w'’-])((?:[A-Z][\w'’-]*[ \t]+){1,4})(" + "|".join(sorted(KIND_WORDS)) + r")\b"
)


def kind_word_hits(text: str, gaz: Gazetteer) -> list[Hit]:
    """Names whose kind follows them in lower case ("Sino-Korean Friendship bridge"), where
    the index has the name with its kind: of the capitalised words before the kind word,
    the most that make a key with it."""
    hits = []
    for m in _BEFORE_KIND_WORD.finditer(text):
        starts = [w.start() + m.start(1) for w in re.finditer(r"\S+", m.group(1))]
        for start in starts:  # the longest name first
            key = fold(" ".join(text[start : m.end()].split()))
            kid = gaz.key_id(key)
            if kid >= 0 and key not in gaz.exact_case:
                hits.append(Hit(start, m.end(), (kid,), "gazetteer"))
                break
    return hits


def _blank(m: re.Match[str]) -> str:
    return " " * (m.end() - m.start())


# After a dateline's place, in capitals at the start of a line, up to the dash that
# ends the dateline: "SEOUL —", "RAJIN, North Korea —", "JI'AN, China (Reuters) -",
# "PARIS, Mo. —" (an acronym opening a line, "NIS, the agency said", "NGO-run", has none).
_DATELINE = re.compile(r"(?:,[^\n—–()]{1,40}?)?(?:\s*\([^)\n]{1,30}\))?\s+[—–-](?:\s|$)")


def _line_start(text: str, start: int) -> bool:
    """Whether ``start`` opens a line (spaces and tabs before it aside)."""
    i = start - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i < 0 or text[i] == "\n"


def raw_hits(text: str, folded: str, gaz: Gazetteer) -> list[Hit]:
    """Leftmost-longest gazetteer matches on word boundaries, capitalised, spelt as required."""
    hits: list[Hit] = []
    n = len(folded)
    key_len = gaz.key_len
    # No name starts inside or at a lower-case word of four letters or more
    # ("during", "river"): blanking them first spares the automaton most of
    # its matches; offsets do not move.
    scan = fold(_LOWER_WORD.sub(_blank, text))
    for end_idx, kid in gaz.automaton.iter(scan):
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
            dateline = surface.isupper() and _DATELINE.match(text, end) and _line_start(text, start)
            if exact is not None and not dateline:
                spelt = [s for s in exact if text[start : start + len(s)].replace("’", "'") == s]
                if not spelt:
                    continue
                end = start + max(len(s) for s in spelt)
            elif " " not in key and surface.isupper() and len(surface) <= 5 and not dateline:
                continue  # acronyms: NET, KPTC, OIH (not a dateline's "SEOUL —")
        hits.append(Hit(start, end, (kid,), "gazetteer"))
    hits.extend(kind_word_hits(text, gaz))
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    chosen: list[Hit] = []
    last_end = -1
    for h in hits:
        if h.start >= last_end:
            chosen.append(h)
            last_end = h.end
    return chosen


_FUZZY_TOKEN = re.compile(r"\b[A-Z][a-z’']{5,}\b")


def fuzzy_hits(text: str, gaz: Gazetteer, taken: list[tuple[int, int]]) -> list[Hit]:
    """Capitalised words the index does not know, one edit from a focus-region name."""
    covered = bytearray(len(text) + 1)
    for s, e in taken:
        covered[s:e] = b"\x01" * (e - s)
    hits = []
    for m in _FUZZY_TOKEN.finditer(text):
        if any(covered[m.start() : m.end()]):
            continue
        token = fold(m.group(0)).replace("'", "")
        if gaz.has_key(token) or token in gaz.stopwords or token in gaz.common_words:
            continue
        # A slip of the pen rarely changes a name's first letter.
        keys = [k for k in gaz.fuzzy_keys(token) if k[0] == token[0]]
        if keys:
            hits.append(Hit(m.start(), m.end(), tuple(gaz.key_id(k) for k in keys), "fuzzy"))
    return hits
