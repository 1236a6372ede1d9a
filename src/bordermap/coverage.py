"""What the corpus does not cover: stretches of the lines no named place lies near, and
gaps in time (issue 14, after Reuters' "at least 489 km, 353 km not examined").

Along each line of ``coverage.lines`` (by default the border, every annotated line
and the project's own lines), a kilometre counts as covered when a place the
articles name lies within ``coverage.distance_km`` (default 10 km) of it; the rest
is uncovered. Only places named as precisely as a site, a town or a district count
(:data:`COVERING_PRECISIONS`): a country's or a province's point, or a river's,
says nothing about which stretch is meant. Distances along a line are kilometres
from the end the annotations count from by default: a river's mouth (the Tumen's
China stretch from the sea, so from 20.8 km), any other line's start.

In time: the span of the articles' dates (each with its precision), the years
inside it that no article's date can fall in, and the undated articles.

Cost: each distinct place is projected once and matched only against the segments
near it (an STR-tree of the line's segments), so a line costs its vertices plus its
places, never mentions × anything.

>>> cov = measure(config, mentions, articles)          # doctest: +SKIP
>>> cov.of("yalu").uncovered_km                         # doctest: +SKIP
[(0.0, 41.3), (260.2, 531.0)]
"""

from __future__ import annotations

import calendar
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import shapely
from shapely.geometry import LineString

from bordermap.articles import Article
from bordermap.claims import Claim, count_note
from bordermap.config import COVERAGE_LAYER, LayerConfig, ProjectConfig
from bordermap.dates import PRECISIONS, Period
from bordermap.geometry import GEOD, cut, local_plane
from bordermap.geoparse import Mention
from bordermap.layers import Annotation, Feature, Layer
from bordermap.lines import Line, project_lines

__all__ = [
    "COVERING_PRECISIONS",
    "TITLE",
    "Coverage",
    "LineCoverage",
    "TimeCoverage",
    "Stretch",
    "merge",
    "gaps",
    "reach",
    "places_of",
    "line_coverage",
    "time_coverage",
    "measure",
    "recount",
]

#: The precisions of a mention that pin a stretch of a line (ACLED-style geo-precision).
COVERING_PRECISIONS = ("site", "town", "district")
#: The legend's, layer switcher's and exports' name for the uncovered stretches.
TITLE = "Not covered by the corpus"
COLOR = "#888888"
#: A sentence lists at most this many uncovered stretches of a line (the longest).
MAX_LISTED = 5


# ---------------------------------------------------------------- intervals


def merge(intervals: np.ndarray) -> np.ndarray:
    """Sorted, disjoint ``(start, end)`` rows covering what the rows of ``intervals``
    cover; rows that overlap or touch are joined, rows of zero length dropped."""
    rows = np.asarray(intervals, dtype=float).reshape(-1, 2)
    if not len(rows):
        return np.empty((0, 2))
    rows = rows[np.lexsort((rows[:, 1], rows[:, 0]))]
    reach_end = np.maximum.accumulate(rows[:, 1])
    new = np.ones(len(rows), dtype=bool)
    new[1:] = rows[1:, 0] > reach_end[:-1]
    first = np.flatnonzero(new)
    last = np.append(first[1:] - 1, len(rows) - 1)
    out = np.column_stack([rows[first, 0], reach_end[last]])
    return out[out[:, 1] > out[:, 0]]


def gaps(covered: np.ndarray, length: float) -> np.ndarray:
    """The rows of ``[0, length]`` that the sorted, disjoint rows ``covered`` leave out."""
    inside = np.clip(np.asarray(covered, dtype=float).reshape(-1, 2), 0.0, length)
    edges = np.concatenate([[0.0], inside.ravel(), [length]]).reshape(-1, 2)
    return edges[edges[:, 1] > edges[:, 0]]


def reach(
    xy: np.ndarray, at: np.ndarray, places: np.ndarray, distance: float
) -> tuple[np.ndarray, int]:
    """Which stretches of a line lie within ``distance`` of a place, and how many places do.

    ``xy`` are the line's vertices in a plane true to scale (metres, n×2), ``at`` each
    vertex's distance along the line (n; geodesic, so the result is too), ``places``
    m×2 points in the same plane. A point of segment *i* at fraction *t* of it stands
    ``at[i] + t·(at[i+1] − at[i])`` along the line. A place exactly ``distance`` away
    touches the line in a point: it is counted among the places, and covers no length.

    Returns the merged intervals (rows of start, end along the line) and the number
    of places within ``distance`` of the line.
    """
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    places = np.asarray(places, dtype=float).reshape(-1, 2)
    if len(xy) < 2 or not len(places):
        return np.empty((0, 2)), 0
    a, b = xy[:-1], xy[1:]
    keep = np.flatnonzero(np.any(a != b, axis=1))  # zero-length segments add nothing
    if not len(keep):
        return np.empty((0, 2)), 0
    segments = shapely.linestrings(np.stack([a[keep], b[keep]], axis=1))
    tree = shapely.STRtree(segments)
    # A slightly wider net: the exact test below decides.
    pi, si = tree.query(shapely.points(places), predicate="dwithin", distance=distance * 1.000001)
    seg = keep[si]
    d = b[seg] - a[seg]
    f = places[pi] - a[seg]
    dd = np.einsum("ij,ij->i", d, d)
    flat = dd > 0  # else a segment too short for its square: one point
    safe = np.where(flat, dd, 1.0)
    t_near = np.where(flat, np.einsum("ij,ij->i", f, d) / safe, 0.0)
    off = f - t_near[:, None] * d
    h2 = np.einsum("ij,ij->i", off, off)
    half = np.where(flat, np.sqrt(np.maximum(distance * distance - h2, 0.0) / safe), np.inf)
    # Within reach of the segment's line, and the reach overlaps the segment itself.
    hit = (h2 <= distance * distance) & (t_near - half <= 1.0) & (t_near + half >= 0.0)
    t0 = np.clip(t_near - half, 0.0, 1.0)
    t1 = np.clip(t_near + half, 0.0, 1.0)
    span = at[seg + 1] - at[seg]
    rows = np.column_stack([at[seg] + t0 * span, at[seg] + t1 * span])[hit]
    return merge(rows), int(np.unique(pi[hit]).size)


def _overlap(covered: np.ndarray, start: float, end: float) -> float:
    """How much of ``[start, end]`` the sorted, disjoint rows ``covered`` cover."""
    if not len(covered):
        return 0.0
    lo = np.maximum(covered[:, 0], start)
    hi = np.minimum(covered[:, 1], end)
    return float(np.sum(np.maximum(hi - lo, 0.0)))


def _inside(covered: np.ndarray, positions: np.ndarray) -> int:
    """How many of ``positions`` fall in one of the sorted, disjoint rows ``covered``."""
    if not len(covered) or not len(positions):
        return 0
    i = np.searchsorted(covered[:, 0], positions, side="right") - 1
    ok = i >= 0
    return int(np.count_nonzero(ok & (positions <= covered[np.maximum(i, 0), 1])))


# ---------------------------------------------------------------- along lines


def places_of(mentions: Iterable[Mention]) -> np.ndarray:
    """The distinct points (lon, lat rows, sorted) of the mentions that pin a place
    (:data:`COVERING_PRECISIONS`): one pass over the mentions."""
    seen = {
        (m.lon, m.lat)
        for m in mentions
        if m.lon is not None and m.lat is not None and m.precision in COVERING_PRECISIONS
    }
    return np.array(sorted(seen), dtype=float).reshape(-1, 2)


def _km(value_m: float) -> str:
    return f"{value_m / 1000:,.0f}"


def _span(start_km: float, end_km: float) -> str:
    """ "0–41", or "41.2–41.6" when whole kilometres would hide the stretch."""
    a, b = round(start_km), round(end_km)
    return f"{start_km:,.1f}–{end_km:,.1f}" if a == b else f"{a:,}–{b:,}"


@dataclass(frozen=True)
class LineCoverage:
    """The stretches of one line with a named place within the distance, and the rest.

    ``covered`` holds (start, end) rows in metres along ``line`` (oriented from the end
    distances are counted from); ``lead_m`` is added to give distances from that end
    (the Tumen's China stretch starts 20.8 km from the sea).
    """

    id: str
    name: str
    measured_from: str
    line: LineString
    length_m: float  # geodesic, vertex to vertex
    lead_m: float
    distance_km: float
    covered: np.ndarray = field(repr=False)
    places: int = 0
    same_as: str = "mouth"  # the count_from this orientation stands for

    @property
    def uncovered(self) -> np.ndarray:
        return gaps(self.covered, self.length_m)

    def _as_km(self, rows: np.ndarray) -> list[tuple[float, float]]:
        return [(round((float(a) + self.lead_m) / 1000, 1),
                 round((float(b) + self.lead_m) / 1000, 1)) for a, b in rows]  # fmt: skip

    @property
    def covered_km(self) -> list[tuple[float, float]]:
        """Covered stretches, in km from where distances are counted (0.1 km)."""
        return self._as_km(self.covered)

    @property
    def uncovered_km(self) -> list[tuple[float, float]]:
        return self._as_km(self.uncovered)

    def sentence(self) -> str:
        """ "Yalu: 312 of 851 km have no place named within 10 km (km 0–41, 260–531 from
        the river mouth)." """
        total, gone = self.length_m, float(np.sum(np.diff(self.uncovered, axis=1)))
        d = f"{self.distance_km:g} km"
        if gone <= 0:
            return f"{self.name}: every km has a place named within {d}."
        if not len(self.covered):
            return f"{self.name}: none of its {_km(total)} km has a place named within {d}."
        rows = self.uncovered
        longest = np.sort(np.argsort(-(rows[:, 1] - rows[:, 0]), kind="stable")[:MAX_LISTED])
        spans = [_span((rows[i, 0] + self.lead_m) / 1000, (rows[i, 1] + self.lead_m) / 1000)
                 for i in longest]  # fmt: skip
        more = len(rows) - len(longest)
        listed = ", ".join(spans) + (f" and {more} shorter" if more else "")
        return (
            f"{self.name}: {_km(gone)} of {_km(total)} km have no place named within {d} "
            f"(km {listed} from {self.measured_from})."
        )

    def counted(self, ann: Annotation) -> tuple[int, float]:
        """How many of ``ann``'s points stand on covered stretches, and how many km of
        its stretch are covered (its points' distances are from its own ``count_from``)."""
        cf = ann.config.count_from
        lead = self.lead_m if cf == "mouth" else 0.0
        pos = np.asarray(ann.points.distance_m, dtype=float) - lead
        start = float(pos[0]) if len(pos) else 0.0
        end = start + float(ann.points.length_m)
        if cf != self.same_as:  # counted from the other end
            total = self.length_m
            pos, start, end = total - pos, total - end, total - start
        return _inside(self.covered, pos), _overlap(self.covered, start, end) / 1000.0

    def stretches(self) -> list[Stretch]:
        """The uncovered stretches as line features, with their km."""
        out = []
        for k, (a, b) in enumerate(self.uncovered.tolist()):
            part = cut(self.line, a, b)
            first, last = (a + self.lead_m) / 1000, (b + self.lead_m) / 1000
            out.append(
                Stretch(
                    id=f"{COVERAGE_LAYER}:{self.id}:{k + 1}",
                    name=f"{self.name}, km {_span(first, last)}",
                    kind="uncovered",
                    country="",
                    coords=tuple((round(x, 5), round(y, 5)) for x, y in part.coords),
                    provenance=(),
                    length_km=round((b - a) / 1000, 1),
                    note=(
                        f"No place the corpus names lies within {self.distance_km:g} km of "
                        f"this stretch, {first:,.1f}–{last:,.1f} km from {self.measured_from}: "
                        "the articles do not report on it, which says nothing of what is there."
                    ),
                    line=self.id,
                    from_km=round(first, 1),
                    to_km=round(last, 1),
                )
            )
        return out

    def manifest(self) -> dict[str, Any]:
        covered = float(np.sum(np.diff(self.covered, axis=1)))
        return {
            "name": self.name,
            "measured_from": self.measured_from,
            "length_km": round(self.length_m / 1000, 1),
            "covered_km": round(covered / 1000, 1),
            "uncovered_km": round((self.length_m - covered) / 1000, 1),
            "places": self.places,
            "covered": [list(x) for x in self.covered_km],
            "uncovered": [list(x) for x in self.uncovered_km],
        }


@dataclass(frozen=True)
class Stretch(Feature):
    """An uncovered stretch of a line: a line feature that also says which line and
    where it starts and ends (km, as the line's distances are counted)."""

    line: str = ""
    from_km: float = 0.0
    to_km: float = 0.0

    # Three more columns than a Feature's (mypy types the base's tuple by its length).
    PROPERTY_NAMES = (*Feature.PROPERTY_NAMES, "line", "from_km", "to_km")  # type: ignore[assignment]

    def properties(self, layer: str) -> dict[str, Any]:
        return {**super().properties(layer), "line": self.line, "from_km": self.from_km,
                "to_km": self.to_km}  # fmt: skip


def _short(line: Line) -> str:
    """ "Yalu", "Land border", "Tumen (Russia–North Korea)", a project line's name."""
    text = line.label.removeprefix("the ")
    return text[:1].upper() + text[1:]


def line_coverage(line: Line, places: np.ndarray, distance_km: float) -> list[LineCoverage]:
    """The coverage of ``line`` by ``places`` (lon, lat rows): one entry, or one per
    part for a line of separate parts (``"fence:2"``, "…, part 2")."""
    count_from = "mouth" if line.mouth is not None else "start"
    try:
        parts = [line.oriented(count_from)]
    except ValueError:  # separate parts: each on its own, from its first vertex
        parts = list(line.parts)
    out = []
    for k, part in enumerate(parts):
        coords = np.asarray(part.coords, dtype=float)[:, :2]
        w, s = coords.min(axis=0)
        e, n = coords.max(axis=0)
        plane = local_plane(round((w + e) / 2, 6), round((s + n) / 2, 6))
        # Places near the line's box only (a cheap cut before projecting).
        dlat = distance_km / 110.0 * 1.5 + 0.01
        dlon = dlat / max(math.cos(math.radians(min(max(abs(s), abs(n)) + dlat, 89.0))), 0.01)
        box = ((places[:, 0] >= w - dlon) & (places[:, 0] <= e + dlon)
               & (places[:, 1] >= s - dlat) & (places[:, 1] <= n + dlat))  # fmt: skip
        near = places[box]
        _, _, seg = GEOD.inv(coords[:-1, 0], coords[:-1, 1], coords[1:, 0], coords[1:, 1])
        at = np.concatenate([[0.0], np.cumsum(seg)])
        xy = plane(coords[:, 0], coords[:, 1])
        pxy = plane(near[:, 0], near[:, 1]) if len(near) else np.empty((0, 2))
        covered, count = reach(xy, at, pxy, distance_km * 1000.0)
        several = len(parts) > 1
        out.append(
            LineCoverage(
                id=f"{line.id}:{k + 1}" if several else line.id,
                name=_short(line) + (f", part {k + 1}" if several else ""),
                measured_from=line.measured_from(count_from) if not several else "its start",
                line=part,
                length_m=float(at[-1]),
                lead_m=line.lead(count_from) if not several else 0.0,
                distance_km=distance_km,
                covered=covered,
                places=count,
                same_as=count_from,
            )
        )
    return out


# ---------------------------------------------------------------- in time

_PRECISION_WORDS = {"day": "to the day", "month": "to the month",
                    "part": "to part of a month or year", "year": "to the year",
                    "range": "as a range"}  # fmt: skip


def _when(period: Period) -> str:
    """A known period in ISO 8601 at the precision it has: "2021-03-03", "2021-06",
    "2021", "2022-05/2022-08" (mid-2022), "2016/2020", "2021-10-01/2021-10-10"."""
    start, end = period.start, period.end
    assert start is not None and end is not None
    if start == end:
        return start.isoformat()
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        a, b = str(start.year), str(end.year)
    elif start.day == 1 and end.day == calendar.monthrange(end.year, end.month)[1]:
        a, b = f"{start:%Y-%m}", f"{end:%Y-%m}"
    else:
        a, b = start.isoformat(), end.isoformat()
    return a if a == b else f"{a}/{b}"


def _how(precisions: Sequence[tuple[str, int]]) -> str:
    """ "dated to the day", or with mixed precisions how many are dated to each:
    "3 dated to the day, 1 to the month, 1 to part of a month or year"."""
    (first, n), *rest = precisions
    if not rest:
        return f"dated {_PRECISION_WORDS[first]}"
    others = ", ".join(f"{k} {_PRECISION_WORDS[p]}" for p, k in rest)
    return f"{n} dated {_PRECISION_WORDS[first]}, {others}"


@dataclass(frozen=True)
class TimeCoverage:
    """The span of the articles' dates, the years in it no article can be from, the
    undated articles, and how many dated articles have each precision (most precise
    first, as :data:`bordermap.dates.PRECISIONS`; none with no count)."""

    first: Period | None
    last: Period | None
    gap_years: tuple[tuple[int, int], ...]
    undated: tuple[str, ...]
    articles: int
    precisions: tuple[tuple[str, int], ...]

    def sentence(self) -> str:
        """ "Articles from 2019 to 2021-06 (1 dated to the month, 2 to the year); none
        from 2020; 2 of 5 articles undated (003, 004)." Both ends are in ISO 8601 at
        their own precision (:func:`_when`)."""
        n = len(self.undated)
        ids = ", ".join(self.undated[:MAX_LISTED]) + (", …" if n > MAX_LISTED else "")
        undated = f"{n} of {self.articles} article{'s' * (self.articles != 1)} undated ({ids})"
        if self.first is None or self.last is None:
            return f"No article is dated ({undated})." if n else "The corpus has no article."
        how = _how(self.precisions)
        first, last = _when(self.first), _when(self.last)
        if first == last:
            text = f"Articles from {first} only ({how})"
        else:
            text = f"Articles from {first} to {last} ({how})"
        if self.gap_years:
            runs = ", ".join(str(x) if x == y else f"{x}–{y}" for x, y in self.gap_years)
            text += f"; none from {runs}"
        return text + (f"; {undated}." if n else "; every article is dated.")

    def manifest(self) -> dict[str, Any]:
        def date(p: Period | None) -> dict[str, Any] | None:
            if p is None:
                return None
            return {"date": p.text, "precision": p.precision, "start": p.start.isoformat()
                    if p.start else None, "end": p.end.isoformat() if p.end else None}  # fmt: skip

        return {
            "first": date(self.first),
            "last": date(self.last),
            "gap_years": [list(g) for g in self.gap_years],
            "undated": list(self.undated),
            "articles": self.articles,
            "precisions": dict(self.precisions),
        }


def time_coverage(articles: dict[str, Article]) -> TimeCoverage:
    """The dates of ``articles``: earliest start, latest end, the years between with no
    article whose date can fall in them (an imprecise date counts as its whole span),
    the undated ones (in corpus order). Linear in the articles and the years spanned."""
    dated = [a.period for a in articles.values() if a.period.known]
    undated = tuple(a.id for a in articles.values() if not a.period.known)
    if not dated:
        return TimeCoverage(None, None, (), undated, len(articles), ())
    counts = Counter(p.precision for p in dated)
    precisions = tuple((p, counts[p]) for p in PRECISIONS if counts[p])
    first = min(dated, key=lambda p: (p.start, p.end, p.text))
    last = max(dated, key=lambda p: (p.end, p.start, p.text))
    assert first.start is not None and last.end is not None
    y0, y1 = first.start.year, last.end.year
    marks = np.zeros(y1 - y0 + 2, dtype=int)
    for p in dated:
        assert p.start is not None and p.end is not None
        marks[p.start.year - y0] += 1
        marks[p.end.year - y0 + 1] -= 1
    empty = np.flatnonzero(np.cumsum(marks)[:-1] == 0) + y0
    runs: list[tuple[int, int]] = []
    for y in empty.tolist():
        if runs and runs[-1][1] == y - 1:
            runs[-1] = (runs[-1][0], y)
        else:
            runs.append((y, y))
    return TimeCoverage(first, last, tuple(runs), undated, len(articles), precisions)


# ---------------------------------------------------------------- the whole


@dataclass(frozen=True)
class Coverage:
    """What the corpus covers along its lines and in time, computed once per build."""

    distance_km: float
    lines: tuple[LineCoverage, ...]
    time: TimeCoverage

    def of(self, line_id: str) -> LineCoverage | None:
        """The coverage of line ``line_id`` (None when it is not checked, or in parts)."""
        return next((x for x in self.lines if x.id == line_id), None)

    def summary(self) -> list[str]:
        """One sentence per line, then one for time: what the page says."""
        return [x.sentence() for x in self.lines] + [self.time.sentence()]

    def legend(self) -> str:
        """The legend's one line: "1,347 of 1,408 km with no place within 10 km"
        (the text view says it line by line, and the dates)."""
        if not self.lines:
            return self.time.sentence()
        gone = sum(float(np.sum(np.diff(x.uncovered, axis=1))) for x in self.lines)
        total = sum(x.length_m for x in self.lines)
        return f"{_km(gone)} of {_km(total)} km with no place within {self.distance_km:g} km"

    def layer(self) -> Layer:
        """The uncovered stretches, as the exports' ``uncovered`` layer."""
        names = ", ".join(x.name for x in self.lines) or "no line"
        config = LayerConfig(
            id=COVERAGE_LAYER, title=TITLE, color=COLOR, source="border",
            claim=f"Stretches of {names} with no place the corpus names within "
            f"{self.distance_km:g} km: where the articles do not report, not where nothing is.",
        )  # fmt: skip
        return Layer(config, [s for x in self.lines for s in x.stretches()])

    def manifest(self) -> dict[str, Any]:
        return {
            "distance_km": self.distance_km,
            "precisions": list(COVERING_PRECISIONS),
            "lines": {x.id: x.manifest() for x in self.lines},
            "time": self.time.manifest(),
            "summary": self.summary(),
        }


def measure(
    config: ProjectConfig, mentions: Sequence[Mention], articles: dict[str, Article]
) -> Coverage:
    """The coverage of ``config``'s ``coverage.lines`` by the places ``mentions`` name,
    and of time by ``articles``' dates."""
    lines = project_lines(config)
    places = places_of(mentions)
    d = config.coverage.distance_km
    along = tuple(c for lid in config.coverage.lines for c in line_coverage(lines[lid], places, d))
    return Coverage(d, along, time_coverage(articles))


def recount(
    annotations: dict[str, Annotation],
    coverage: Coverage,
    config: ProjectConfig,
    claims: dict[str, Claim],
) -> dict[str, Annotation]:
    """``annotations`` with each count also given on what the corpus covers (the count
    of :func:`bordermap.claims.count_note`); an annotation on a line not checked keeps
    its count."""
    out = {}
    for aid, ann in annotations.items():
        cov = coverage.of(ann.config.line)
        if cov is None:
            out[aid] = ann
            continue
        n, km = cov.counted(ann)
        drawn = [claims[c.id] for c in config.claims_of(aid) if c.id in claims]
        note = count_note(ann, drawn, (n, km, coverage.distance_km))
        out[aid] = replace(ann, claim_props={**ann.claim_props, "count": note})
    return out
