"""Claims as data: what is claimed, by whom, in which sentences, about where and when.

A claim (``[[claims]]`` in the project file) is kept apart from its evidence and
from its places: its words, the articles that make it (each with the sentence
it stands in, found in the article and kept by offsets), who asserts it, its
places or border line, the period it describes, its scope, a status and
optional Admiralty-code grades (the source's reliability A–F and the claim's
credibility 1–6, graded separately). ``contests`` and ``narrows`` link a claim
to others that it disputes or whose scope it narrows.

:func:`read_claims` validates the table (called by :mod:`bordermap.config`);
:func:`check_links` the links between claims and layers; :func:`locate` finds
each quoted sentence in its article, once the corpus is read.

>>> claims = locate(config, articles)                     # doctest: +SKIP
>>> claims["upgrades"].sources[0].start                   # doctest: +SKIP
412
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bordermap.articles import Article
from bordermap.dates import UNKNOWN, Period, parse_period
from bordermap.errors import ConfigError, DateError
from bordermap.origins import Origins

if TYPE_CHECKING:
    from bordermap.layers import Annotation
    from bordermap.toml_reader import Reader

__all__ = [
    "ASSERTERS",
    "STATUSES",
    "RELIABILITY",
    "CREDIBILITY",
    "SourceConfig",
    "ClaimConfig",
    "Source",
    "Claim",
    "read_claims",
    "check_links",
    "fill",
    "locate",
    "CLAIM_PROPERTY_NAMES",
    "feature_properties",
    "Cited",
    "count_note",
    "scope_note",
]

#: Who asserts a claim.
ASSERTERS = ("outlet", "anonymous source", "official", "expert")
#: Where a claim stands (Airwars-style: a contested claim is still drawn, and says so).
STATUSES = ("reported", "corroborated", "contested", "retracted")
#: Admiralty code: reliability of the source (A completely reliable … E unreliable,
#: F cannot be judged) and credibility of the information (1 confirmed … 5 improbable,
#: 6 cannot be judged).
RELIABILITY = ("A", "B", "C", "D", "E", "F")
CREDIBILITY = (1, 2, 3, 4, 5, 6)

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass(frozen=True)
class SourceConfig:
    """One article that makes a claim, and the sentence of it that does (may be empty)."""

    article: str
    sentence: str = ""


@dataclass(frozen=True)
class ClaimConfig:
    """A claim as the project file states it (``[[claims]]``)."""

    id: str
    text: str
    sources: tuple[SourceConfig, ...] = ()
    layer: str = ""
    asserted_by: str = "outlet"
    asserter: str = ""
    places: tuple[str, ...] = ()
    line: str = ""
    period: Period = UNKNOWN
    scope: str = ""
    status: str = "reported"
    reliability: str = ""
    credibility: int | None = None
    contests: tuple[str, ...] = ()
    narrows: tuple[str, ...] = ()
    key: str = ""  # where it stands in the project file ("claims[2]"), for messages
    file: str = ""  # the project file as named where it was read, for messages

    @property
    def articles(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.article for s in self.sources))

    @property
    def grade(self) -> str:
        """The Admiralty grade, e.g. ``"C3"``, ``"C"``, ``"3"`` or ``""``."""
        return self.reliability + (str(self.credibility) if self.credibility else "")


def read_claims(root: Reader) -> tuple[ClaimConfig, ...]:
    """Every ``[[claims]]`` table of a project file, validated key by key.

    Raises
    ------
    ConfigError
        Naming the file and key path: a missing id or text, an unknown
        ``asserted_by``/``status``/``line``, a grade out of range, a bad
        ``period``, a claim id used twice.
    """
    out: list[ClaimConfig] = []
    for r in root.tables("claims"):
        cid = r.text("id", pattern=_ID, expected="an id of lower-case letters, digits, - or _")
        if any(c.id == cid for c in out):
            raise r.fail("id", "an id no other claim has", cid)
        sources = []
        for s in r.tables("sources"):
            s.path = f"{r.path}.{s.path}"
            sources.append(
                SourceConfig(s.text("article"), " ".join(s.text("sentence", "").split()))
            )
            s.done()
        period_text = r.text("period", "unknown")
        try:
            period = parse_period(period_text)
        except DateError as exc:
            raise ConfigError(f"{r.file}: {r.path}.period: {exc}") from None
        credibility = r.get("credibility", None)
        if credibility is not None and (
            isinstance(credibility, bool) or credibility not in CREDIBILITY
        ):
            raise r.fail("credibility", "a whole number from 1 to 6 (Admiralty code)", credibility)
        claim = ClaimConfig(
            id=cid,
            text=r.text("text"),
            sources=tuple(sources),
            layer=r.text("layer", ""),
            asserted_by=_choice(r, "asserted_by", ASSERTERS, "outlet"),
            asserter=r.text("asserter", ""),
            places=r.strs("places"),
            line=r.text("line", ""),
            period=period,
            scope=r.text("scope", ""),
            status=_choice(r, "status", STATUSES, "reported"),
            reliability=_choice(r, "reliability", ("", *RELIABILITY), ""),
            credibility=credibility,
            contests=r.strs("contests"),
            narrows=r.strs("narrows"),
            key=r.path,
            file=r.file,
        )
        r.done()
        out.append(claim)
    return tuple(out)


def fill(item: Any, claims: Sequence[ClaimConfig], listed: Sequence[str] = ()) -> Any:
    """A layer or annotation config with its claims' words as its ``claim`` (when it has
    none of its own) and, for an annotation without ``articles``, its claims' articles."""
    import dataclasses

    drawn = [c for c in claims if c.id in listed or c.layer == item.id]
    if not drawn:
        return item
    changes: dict[str, Any] = {}
    if not item.claim:
        changes["claim"] = " ".join(c.text for c in drawn)
    if hasattr(item, "spacing_m") and not item.articles:
        changes["articles"] = tuple(dict.fromkeys(a for c in drawn for a in c.articles))
    rules = ("places", "kinds", "countries", "articles", "keywords")
    if getattr(item, "source", "") == "mentions" and not item.rest:
        if not any(getattr(item, r) for r in rules):
            # A layer of claims alone draws its claims' places in their articles.
            changes["places"] = tuple(dict.fromkeys(p for c in drawn for p in c.places))
            changes["articles"] = tuple(dict.fromkeys(a for c in drawn for a in c.articles))
    return dataclasses.replace(item, **changes) if changes else item


def _choice(r: Reader, key: str, choices: Sequence[str], default: str) -> str:
    value = r.text(key, default)
    if value not in choices:
        raise r.fail(key, "one of " + ", ".join(f'"{c}"' for c in choices if c), value)
    return value


def check_links(
    file: str,
    claims: Sequence[ClaimConfig],
    layer_ids: Sequence[str],
    layer_claims: dict[str, tuple[str, ...]],
    line_ids: Sequence[str] = ("yalu", "land", "tumen"),
) -> None:
    """Claims name known layers and claims, layers name known claims, no claim links itself.

    ``layer_claims`` maps a layer id to its ``claims`` list; ``line_ids`` are the
    lines the project can use (shipped and its own).

    Raises
    ------
    ConfigError
        Naming the key: ``claims[1].contests[0]: no claim 'x' (known: a, b)``,
        ``claims[1].narrows[0]: a claim cannot narrow itself``,
        ``layers[2].claims[0]: no claim 'x' …``.
    """
    ids = [c.id for c in claims]
    known = ", ".join(ids) or "none"
    for c in claims:
        if c.line and c.line not in line_ids:
            lines = ", ".join(f'"{x}"' for x in line_ids)
            raise ConfigError(f"{file}: {c.key}.line: expected one of {lines}, got {c.line!r}")
        if c.layer and c.layer not in layer_ids:
            raise ConfigError(
                f"{file}: {c.key}.layer: no layer {c.layer!r} (known: {', '.join(layer_ids)})"
            )
        for key in ("contests", "narrows"):
            for j, other in enumerate(getattr(c, key)):
                where = f"{file}: {c.key}.{key}[{j}]"
                if other == c.id:
                    raise ConfigError(f"{where}: a claim cannot {key[:-1]} itself")
                if other not in ids:
                    raise ConfigError(f"{where}: no claim {other!r} (known: {known})")
    for i, (lid, names) in enumerate(layer_claims.items()):
        for j, name in enumerate(names):
            if name not in ids:
                raise ConfigError(
                    f"{file}: layers[{i}].claims[{j}]: no claim {name!r} (known: {known}); "
                    f"layer {lid!r} draws claims by id"
                )


@dataclass(frozen=True)
class Source:
    """A claim's source, located: ``article.text[start:end]`` is the sentence (-1 if none)."""

    article: str
    sentence: str
    start: int
    end: int
    origin: str
    date: Period

    def as_dict(self) -> dict[str, Any]:
        return {
            "article": self.article,
            "sentence": self.sentence,
            "start": self.start,
            "end": self.end,
            "origin": self.origin,
            "date": self.date.text,
        }


@dataclass(frozen=True)
class Claim:
    """A claim with its sources found in their articles, its origins and links both ways."""

    config: ClaimConfig
    sources: tuple[Source, ...]
    contested_by: tuple[str, ...]  # claims that contest this one
    narrowed_by: tuple[str, ...]  # claims that narrow this one

    @property
    def id(self) -> str:
        return self.config.id

    @property
    def origins(self) -> tuple[str, ...]:
        return tuple(sorted({s.origin for s in self.sources}))

    @property
    def contested(self) -> bool:
        """Disputed: so marked, or contesting another claim, or contested by one."""
        c = self.config
        return c.status == "contested" or bool(c.contests or self.contested_by)

    @property
    def rivals(self) -> tuple[str, ...]:
        """Every claim this one disputes or is disputed by, sorted."""
        return tuple(sorted({*self.config.contests, *self.contested_by}))

    @property
    def counted(self) -> str:
        """ "2 articles, 1 origin" (or "no article")."""
        n, o = len(self.config.articles), len(self.origins)
        if not n:
            return "no article"
        return f"{n} article{'s' * (n != 1)}, {o} origin{'s' * (o != 1)}"


def _find(sentence: str, text: str) -> tuple[int, int] | None:
    """Offsets of ``sentence`` in ``text``, any run of white space matching any other."""
    words = sentence.split()
    if not words:
        return None
    m = re.search(r"\s+".join(re.escape(w) for w in words), text)
    return (m.start(), m.end()) if m else None


def locate(
    file: str, claims: Sequence[ClaimConfig], articles: dict[str, Article], origins: Origins
) -> dict[str, Claim]:
    """Each claim with its sentences found by offset in its articles, by id, in file order.

    Errors name the project file as the claim was read from it (:attr:`ClaimConfig.file`),
    as every other error about it does; ``file`` names it for a claim made otherwise.

    Raises
    ------
    ConfigError
        If a source names an article the corpus does not have, or quotes a
        sentence its article does not contain (the message names the key and
        the article's file).
    """
    contested: dict[str, list[str]] = {}
    narrowed: dict[str, list[str]] = {}
    for c in claims:
        for other in c.contests:
            contested.setdefault(other, []).append(c.id)
        for other in c.narrows:
            narrowed.setdefault(other, []).append(c.id)
    out: dict[str, Claim] = {}
    for c in claims:
        found = []
        for j, s in enumerate(c.sources):
            where = f"{c.file or file}: {c.key}.sources[{j}]"
            article = articles.get(s.article)
            if article is None:
                from bordermap.hints import Nearest  # a hint, not every id of the corpus

                raise ConfigError(
                    f"{where}.article: no article {s.article!r} in the corpus"
                    f"{Nearest(articles).hint(s.article)}; name an article id of the corpus"
                )
            start = end = -1
            if s.sentence:
                span = _find(s.sentence, article.text)
                if span is None:
                    raise ConfigError(
                        f"{where}.sentence: not found in article {s.article!r} "
                        f"({article.path}); quote the article's words exactly"
                    )
                start, end = span
            sentence = article.text[start:end] if start >= 0 else ""
            found.append(
                Source(s.article, sentence, start, end, origins.of(s.article), article.period)
            )
        out[c.id] = Claim(
            c, tuple(found), tuple(contested.get(c.id, ())), tuple(narrowed.get(c.id, ()))
        )
    return out


#: The claim properties of every feature (GeoJSON, GeoPackage columns, KML data).
CLAIM_PROPERTY_NAMES = ("claims", "status", "contested", "contests", "narrows", "narrowed_by",
                        "asserted_by", "grade", "scope", "period", "period_start", "period_end",
                        "period_precision", "origins", "sources")  # fmt: skip


def _join(values: Sequence[str]) -> str:
    return ",".join(dict.fromkeys(v for v in values if v))


def feature_properties(
    claims: Sequence[Claim], article_ids: Sequence[str], articles: dict[str, Article],
    origins: Origins,
) -> dict[str, Any]:  # fmt: skip
    """The claim properties of a feature that draws ``claims``, cited by ``article_ids``.

    The period is the span of the claims' periods; when none is known, the span
    of the articles' dates. ``sources`` says "2 articles, 1 origin".
    """
    periods = [c.config.period for c in claims if c.config.period.known]
    if not periods:
        periods = [articles[a].period for a in article_ids if a in articles]
        periods = [p for p in periods if p.known]
    ids = sorted(set(article_ids))
    return _properties(claims, periods, len(ids), origins.count(ids))


def _properties(
    claims: Sequence[Claim], periods: Sequence[Period], n: int, o: int
) -> dict[str, Any]:
    """:func:`feature_properties` from the known ``periods`` it spans, ``n`` articles
    and ``o`` origins."""
    start = min((p.start for p in periods if p.start), default=None)
    end = max((p.end for p in periods if p.end), default=None)
    if len(periods) == 1:
        period = periods[0]
    elif periods:
        assert start is not None and end is not None
        period = Period(f"{start.isoformat()}/{end.isoformat()}", start, end, "range")
    else:
        period = UNKNOWN
    return {
        "claims": _join([c.id for c in claims]),
        "status": _join([c.config.status for c in claims]),
        "contested": any(c.contested for c in claims),
        "contests": _join([r for c in claims for r in c.rivals]),
        "narrows": _join([r for c in claims for r in c.config.narrows]),
        "narrowed_by": _join([r for c in claims for r in c.narrowed_by]),
        "asserted_by": _join([c.config.asserted_by for c in claims]),
        "grade": _join([c.config.grade for c in claims]),
        "scope": "; ".join(dict.fromkeys(c.config.scope for c in claims if c.config.scope)),
        **period.as_dict(),
        "origins": o,
        "sources": f"{n} article{'s' * (n != 1)}, {o} origin{'s' * (o != 1)}" if n else "",
    }


class Cited:
    """What the features of one build take from each article they cite, looked up once
    per article rather than once per feature and entry: its title, outlet and date,
    its origin and its known period.

    :meth:`properties` is :func:`feature_properties` for article ids that are
    sorted and distinct already (as a layer's entries are).
    """

    def __init__(self, articles: dict[str, Article], origins: Origins) -> None:
        self.articles = articles
        self.origins = origins
        self._front: dict[str, tuple[str, str, str]] = {}
        self._origin: dict[str, str] = {}
        self._period: dict[str, Period | None] = {}

    def front(self, article_id: str) -> tuple[str, str, str]:
        """(title, outlet, date) of the article (empty for one the corpus lacks)."""
        found = self._front.get(article_id)
        if found is None:
            a = self.articles.get(article_id)
            found = self._front[article_id] = (a.title, a.outlet, a.date) if a else ("", "", "")
        return found

    def origin(self, article_id: str) -> str:
        found = self._origin.get(article_id)
        if found is None:
            found = self._origin[article_id] = self.origins.of(article_id)
        return found

    def period(self, article_id: str) -> Period | None:
        """The article's period if it is known (``None`` if not, or no such article)."""
        if article_id in self._period:
            return self._period[article_id]
        a = self.articles.get(article_id)
        p = a.period if a is not None else None
        found = self._period[article_id] = p if p is not None and p.known else None
        return found

    def properties(self, claims: Sequence[Claim], ids: Sequence[str]) -> dict[str, Any]:
        """:func:`feature_properties` of ``claims`` cited by ``ids`` (sorted, distinct)."""
        periods = [c.config.period for c in claims if c.config.period.known]
        if not periods:
            periods = [p for a in ids if (p := self.period(a)) is not None]
        origin = self.origin
        return _properties(claims, periods, len(ids), len({origin(a) for a in ids}))


def count_note(
    ann: Annotation, claims: Sequence[Claim], covered: tuple[int, float, float] | None = None
) -> str:
    """The count with the assumption it rests on: "≈ 8,513 cameras if the whole Yalu
    is covered"; when the claim's scope is contested or narrowed, a range from none.

    ``covered`` is (points, km, distance km) on the stretches the corpus names places
    along (:mod:`bordermap.coverage`); the count on them comes first: "≈ 3,120 cameras
    on the 312 km the corpus names places along; ≈ 8,513 if the whole Yalu is covered".
    """
    where = "stretch" if ann.stretch else (ann.line_label or ann.config.line).removeprefix("the ")
    whole = f"≈ {ann.count:,} {ann.config.nouns} if the whole {where} is covered"
    if covered is not None:
        n, km, distance = covered
        if km > 0:
            shown = f"{km:,.0f}" if km >= 10 else f"{km:,.1f}"
            on = f"≈ {n:,} {ann.config.nouns} on the {shown} km the corpus names places along"
        else:
            on = f"no place the corpus names lies within {distance:g} km of it"
        whole = f"{on}; {whole}"
    contested = {r for c in claims for r in c.rivals}
    narrowed = {r for c in claims for r in c.narrowed_by}
    if not contested and not narrowed:
        return whole
    return (
        f"0 – {ann.count:,} {ann.config.nouns}: {whole}, fewer if only part of it is "
        f"({scope_note(contested, narrowed)})"
    )


def scope_note(contested: Iterable[str], narrowed: Iterable[str]) -> str:
    """ "scope disputed by a, b", "scope narrowed by c", or "scope disputed by a;
    narrowed by c": the claims that contest a count's claim, and those that only narrow
    its scope (a claim that does both is named as disputing it)."""
    disputing = sorted(set(contested))
    narrowing = sorted(set(narrowed) - set(disputing))
    said = [f"disputed by {', '.join(disputing)}" if disputing else "",
            f"narrowed by {', '.join(narrowing)}" if narrowing else ""]  # fmt: skip
    return "scope " + "; ".join(s for s in said if s)
