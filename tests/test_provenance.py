"""Provenance by reference: every mention and every entry joins back to its article and sentence.

The exports write each article and each sentence once (``articles.csv``,
``sentences.csv``, the GeoPackage's ``articles``/``sentences`` tables) and
refer to them by id. These tests join them back, with the csv module and
with sqlite3 on the GeoPackage, and compare with the mentions and features
the pipeline holds in memory: nothing of "which article says what" is lost.
"""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bordermap.build import build
from bordermap.config import load_config
from bordermap.export import KML_QUOTES
from bordermap.formats import place_key
from bordermap.pipeline import Parts, load
from bordermap.provenance import (
    PLACE_COLUMNS,
    Places,
    References,
    Sentences,
    by_reference,
    entry_claim,
)
from support import CONFIG, many_sources_project

KML = {"k": "http://www.opengis.net/kml/2.2"}


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Parts, Path]:
    parts = load(load_config(CONFIG))
    out = tmp_path_factory.mktemp("refs")
    build(parts, out, tiles="none")
    return parts, out


def test_sentences_are_numbered_once_in_order_of_appearance() -> None:
    s = Sentences()
    assert [s.add(t) for t in ("b.", "a.", "b.", "c.")] == [1, 2, 1, 3]
    assert s.rows() == [(1, "b."), (2, "a."), (3, "c.")]
    assert s.rows([3, 1, 3]) == [(1, "b."), (3, "c.")]


def test_places_are_numbered_once_with_empty_cells_for_what_is_unknown() -> None:
    places = Places()
    dandong = ("geonames:2037886", "Dandong", "city", "CN", 40.12, 124.39, "town")
    moved = ("geonames:2037886", "Dandong", "city", "CN", 40.2, 124.3, "town")  # a correction
    vague = ("project:x", "X", None, None, 1.0, 2.0, "site")
    assert [places.add(k) for k in (dandong, vague, dandong, moved)] == [1, 2, 1, 3]
    assert places.rows([2]) == [(2, "project:x", "X", "", "", 1.0, 2.0, "site")]
    assert [r[0] for r in places.rows()] == [1, 2, 3] and len(PLACE_COLUMNS) == 8


def test_an_entry_keeps_what_the_tables_do_not_say() -> None:
    s = Sentences()
    row = {"a1": {"title": "T", "outlet": "O", "date": "2020", "origin": "a0"}}
    entry = {"article": "a1", "title": "T", "outlet": "Other", "date": "2020", "origin": "a0",
             "claim": "Own words.", "sentence": "In X.", "mark": [3, 4], "corrected": "yes"}  # fmt: skip
    assert by_reference(entry, row, "Layer claim.", s) == {
        "article": "a1", "outlet": "Other", "claim": "Own words.", "sentence": 1,
        "mark": [3, 4], "corrected": "yes",
    }  # fmt: skip
    # An article the table lacks (a border line's source) keeps every key.
    line = {"article": "", "title": "geo/border.geojson", "claim": "", "sentence": ""}
    assert by_reference(line, row, "", s) == {"article": "", "title": "geo/border.geojson"}
    assert entry_claim("Arrests.", "") == "Arrests." and entry_claim("", "n") == "n"


def test_every_mention_joins_back_to_its_sentence_and_article(seeds) -> None:
    parts, out = seeds
    sentences = {r["id"]: r["text"] for r in rows(out / "sentences.csv")}
    articles = {r["id"]: r for r in rows(out / "articles.csv")}
    mentions = rows(out / "mentions.csv")
    assert len(mentions) == len(parts.mentions) > 0
    assert len(sentences) == len({m.sentence for m in parts.mentions})  # each sentence once
    places = {r["id"]: r for r in rows(out / "places.csv")}
    assert len(places) == len({place_key(m) for m in parts.mentions} - {None})  # each once
    for row, m in zip(mentions, parts.mentions, strict=True):
        assert (row["article"], int(row["start"]), int(row["end"])) == (m.article, m.start, m.end)
        assert (row["text"], float(row["score"]), row["match"]) == (m.text, m.score, m.match)
        assert sentences[row["sentence_id"]] == m.sentence
        if m.ref is None and m.name is None:
            assert row["place_id"] == ""  # a phrase that resolved to nothing
            continue
        p = places[row["place_id"]]
        said = (p["ref"], p["name"], p["kind"], p["country"], p["precision"])
        assert said == (m.ref, m.name, m.kind or "", m.country or "", m.precision or "")
        assert (float(p["lat"]), float(p["lon"])) == (m.lat, m.lon)
        assert articles[row["article"]]["title"] == parts.articles[m.article].title
    assert [a["id"] for a in articles.values()] == list(parts.articles)
    assert articles["004"]["origin"] == "003" and articles["004"]["derived_from"] == "003"


@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="ogrinfo (gdal-bin) is not installed")
def test_ogrinfo_joins_the_csvs_as_the_readme_shows(seeds) -> None:
    parts, out = seeds
    query = (
        "SELECT m.article, m.start, p.ref, s.text FROM mentions m "
        "LEFT JOIN 'places.csv'.places p ON m.place_id = p.id "
        "LEFT JOIN 'sentences.csv'.sentences s ON m.sentence_id = s.id"
    )
    done = subprocess.run(["ogrinfo", "-ro", "-q", "-sql", query, "mentions.csv"], cwd=out,
                          capture_output=True, text=True, check=True)  # fmt: skip
    got, row = [], {}
    for line in done.stdout.splitlines():
        if line.startswith("OGRFeature"):
            row = {}
            got.append(row)
        elif " = " in line:
            key, value = line.strip().split(" = ", 1)
            row[key.split(" ")[0]] = value
    want = [{"m.article": m.article, "m.start": str(m.start), "p.ref": m.ref or "(null)",
             "s.text": m.sentence} for m in parts.mentions]  # fmt: skip
    assert got == want and len(got) > 10  # an unresolved phrase joins no place: "(null)"


def _in_memory(parts: Parts) -> set[tuple[Any, ...]]:
    """(layer, feature, article, title, outlet, claim, sentence, mark, mentions) of every entry."""
    out = set()
    for lid, layer in parts.layers.items():
        for f in layer.features:
            for e in f.provenance:
                if e["article"]:
                    mark = tuple(e["mark"]) if "mark" in e else (None, None)
                    out.add((lid, f.id, e["article"], e["title"], e["outlet"], e["claim"],
                             e["sentence"] or None, *mark, e["mentions"]))  # fmt: skip
    return out


def test_every_entry_joins_back_in_the_geopackage(seeds) -> None:
    parts, out = seeds
    db = sqlite3.connect(out / "bordermap.gpkg")
    claims = dict(db.execute("SELECT table_name, description FROM gpkg_contents"))
    notes = {(lid, fid): note for lid in parts.layers
             for fid, note in db.execute(f'SELECT id, note FROM "{lid}"')}  # fmt: skip
    joined = set()
    query = (
        "SELECT p.layer, p.feature, p.article, a.title, a.outlet, p.claim, s.text, "
        "p.mark_start, p.mark_end, p.mentions FROM provenance p "
        "JOIN articles a ON a.id = p.article LEFT JOIN sentences s ON s.id = p.sentence"
    )
    for layer, fid, article, title, outlet, claim, text, *rest in db.execute(query):
        said = claim if claim is not None else entry_claim(claims[layer], notes[layer, fid])
        joined.add((layer, fid, article, title, outlet, said, text, *rest))
    assert joined == _in_memory(parts) and len(joined) > 10
    # Each table is what GDAL calls an attribute table: no geometry column.
    kinds = dict(db.execute("SELECT table_name, data_type FROM gpkg_contents"))
    assert [kinds[t] for t in ("provenance", "articles", "sentences")] == ["attributes"] * 3


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    """Builds of 10 and 40 articles naming Dandong and Sinuiju; the first has a long title."""
    built = {}
    for n in (10, 40):
        root = tmp_path_factory.mktemp(f"many{n}")
        project = many_sources_project(root, n, hostile_title="A very long title " * 200)
        build(load(load_config(project)), root / "out", tiles="none")
        built[n] = root / "out"
    return built


def _placemarks(out: Path) -> dict[str, str]:
    doc = ET.parse(out / "bordermap.kml").getroot()
    return {
        p.findtext("k:name", namespaces=KML) or "": p.findtext("k:description", namespaces=KML)
        or ""
        for folder in doc.iterfind(".//k:Folder", KML)
        if folder.findtext("k:name", namespaces=KML) != "Not covered by the corpus"
        for p in folder.iterfind("k:Placemark", KML)
    }


def test_a_kml_placemark_per_place_with_counts_and_a_bounded_description(many) -> None:
    small, big = _placemarks(many[10]), _placemarks(many[40])
    assert sorted(big) == ["Dandong", "Sinuiju"]  # one placemark per place, not per mention
    text = big["Dandong"]
    assert "40 mentions in 40 articles" in text and "… and 37 more in bordermap.gpkg" in text
    # Its data counts the articles; their ids, the name and the layer are said elsewhere.
    doc = ET.parse(many[40] / "bordermap.kml").getroot()
    mark = next(p for p in doc.iterfind(".//k:Placemark", KML)
                if p.findtext("k:name", namespaces=KML) == "Dandong")  # fmt: skip
    data = {d.get("name"): d.findtext("k:value", namespaces=KML)
            for d in mark.iterfind(".//k:Data", KML)}  # fmt: skip
    assert (data["mentions"], data["article_count"]) == ("40", "40")
    assert not {"articles", "name", "layer", "provenance"} & set(data)
    assert text.count('"Traders crossed the Yalu') == KML_QUOTES
    # Four times the articles: the same description but for its numbers.
    assert len(text) - len(small["Dandong"]) <= 4


def test_an_article_is_written_once_whatever_cites_it(many) -> None:
    out = many[40]
    title = "A very long title " * 200
    assert (out / "articles.csv").read_text("utf-8").count(title.strip()) == 1
    assert title.strip() not in (out / "layers" / "crossings.geojson").read_text("utf-8")
    assert title.strip() not in (out / "mentions.csv").read_text("utf-8")
    db = sqlite3.connect(out / "bordermap.gpkg")
    found = db.execute("SELECT id, title FROM articles WHERE title LIKE 'A very long%'").fetchall()
    assert found == [("a000", rows(out / "articles.csv")[0]["title"])]
    # The GeoJSON counts what the GeoPackage's provenance table holds row by row.
    fc = json.loads((out / "layers" / "crossings.geojson").read_text("utf-8"))
    props = {f["properties"]["id"]: f["properties"] for f in fc["features"]}
    by_feature = dict(db.execute("SELECT feature, COUNT(*) FROM provenance "
                                 "WHERE layer = 'crossings' GROUP BY feature"))  # fmt: skip
    assert sum(by_feature.values()) == 80
    assert {k: len(p["articles"].split(",")) for k, p in props.items()} == by_feature
    assert all(p["mentions"] == 40 and p["provenance"] == [] for p in props.values())


_ENTRY = st.fixed_dictionaries(
    {},
    optional={
        "article": st.sampled_from(["a1", "a2", "", "gone"]),
        "title": st.sampled_from(["T1", "T2", ""]),
        "outlet": st.sampled_from(["O", ""]),
        "claim": st.sampled_from(["C", "D"]),
        "sentence": st.sampled_from(["", "S1", "S2"]),
        "mark": st.just([0, 2]),
        "mentions": st.integers(1, 3),
        "origin": st.sampled_from(["a1", "a2"]),
    },
)


@given(st.lists(st.lists(_ENTRY, max_size=4), max_size=4))
def test_entries_are_each_by_reference(features: list[list[dict[str, Any]]]) -> None:
    """References.entries (inlined for speed) gives what by_reference gives, entry by entry."""
    rows = {"a1": {"title": "T1", "outlet": "O", "origin": "a1"}, "a2": {"title": "T2"}}
    refs, sentences = References(rows), Sentences()
    for entries in features:
        assert refs.entries(entries, "C") == [
            by_reference(e, rows, "C", sentences) for e in entries
        ]
    assert refs.sentences.rows() == sentences.rows()
