"""Provenance by reference: every mention and every entry joins back to its article and sentence.

The exports write each article, place and sentence once (``articles.csv``,
``places.csv``, the GeoPackage's ``articles``/``sentences`` tables) and
refer to them by id. These tests join them back, with the csv module, with
sqlite3 and GDAL on the GeoPackage (its view ``provenance``), and compare
with the mentions and features the pipeline holds in memory: nothing of
"which article says what" is lost.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import sqlite3
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from bordermap.build import build
from bordermap.config import load_config
from bordermap.export import KML_QUOTES
from bordermap.formats import place_key
from bordermap.pipeline import Parts, load
from bordermap.provenance import PLACE_COLUMNS, Places, Sentences, by_reference, entry_claim
from support import CONFIG, ROOT, many_sources_project

KML = {"k": "http://www.opengis.net/kml/2.2"}


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def gpkg_sentences(out: Path) -> dict[str, str]:
    """The GeoPackage's sentences by id (as ``mentions.csv`` writes the id)."""
    db = sqlite3.connect(out / "bordermap.gpkg")
    try:
        return {str(i): text for i, text in db.execute("SELECT id, text FROM sentences")}
    finally:
        db.close()


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
    dandong = ("geonames:2037886", "Dandong", "city", "CN", 40.12, 124.39, "town", "curated")
    moved = ("geonames:2037886", "Dandong", "city", "CN", 40.2, 124.3, "town", "project")
    vague = ("project:x", "X", None, None, 1.0, 2.0, "site", "project")
    assert [places.add(k) for k in (dandong, vague, dandong, moved)] == [1, 2, 1, 3]
    assert places.rows([2]) == [(2, "project:x", "X", "", "", 1.0, 2.0, "site", "project")]
    assert [r[0] for r in places.rows()] == [1, 2, 3] and len(PLACE_COLUMNS) == 9


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
    sentences = gpkg_sentences(out)
    articles = {r["id"]: r for r in rows(out / "articles.csv")}
    mentions = rows(out / "mentions.csv")
    assert not (out / "sentences.csv").exists()  # the GeoPackage holds the one copy
    assert len(mentions) == len(parts.mentions) > 0
    assert len(sentences) == len({m.sentence for m in parts.mentions})  # each sentence once
    places = {r["id"]: r for r in rows(out / "places.csv")}
    assert len(places) == len({place_key(m) for m in parts.mentions} - {None})  # each once
    assert list(mentions[0]) == ["article", "start", "text", "place_id", "score", "sentence_id"]
    for row, m in zip(mentions, parts.mentions, strict=True):
        start = int(row["start"])
        assert (row["article"], start, start + len(row["text"])) == (m.article, m.start, m.end)
        assert (row["text"], float(row["score"])) == (m.text, m.score)
        assert sentences[row["sentence_id"]] == m.sentence
        if m.ref is None and m.name is None:
            assert row["place_id"] == "" and m.match == "unresolved"  # resolved to nothing
            continue
        p = places[row["place_id"]]
        said = (p["ref"], p["name"], p["kind"], p["country"], p["precision"], p["match"])
        assert said == (m.ref, m.name, m.kind or "", m.country or "", m.precision or "", m.match)
        assert (float(p["lat"]), float(p["lon"])) == (m.lat, m.lon)
        assert articles[row["article"]]["title"] == parts.articles[m.article].title
    assert [a["id"] for a in articles.values()] == list(parts.articles)
    assert articles["004"]["origin"] == "003" and articles["004"]["derived_from"] == "003"


def test_pandas_joins_the_csvs_and_the_sentences_as_the_readme_shows(seeds) -> None:
    import pandas as pd

    parts, out = seeds
    readme = (ROOT / "README.md").read_text("utf-8")
    after = readme.index("and with the CSVs and the sentences in pandas:")
    code = readme[readme.index("```python\n", after) + 10 : readme.index("```\n", after + 60)]
    scope: dict[str, Any] = {"pd": pd}
    exec(code.replace('"output/', f'"{out}/'), scope)  # the README's own lines
    m = scope["m"]
    assert len(m) == len(parts.mentions) > 10
    for row, mention in zip(m.itertuples(), parts.mentions, strict=True):
        assert (row.article, row.start, row.end) == (mention.article, mention.start, mention.end)
        assert (row.text_sentence, row.title) == (
            mention.sentence,
            parts.articles[row.article].title,
        )
        assert (row.match if mention.name else "unresolved") == mention.match
        assert (row.ref if mention.name else None) == mention.ref


@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="ogrinfo (gdal-bin) is not installed")
def test_ogrinfo_joins_the_csvs_and_the_sentences_as_the_readme_shows(seeds) -> None:
    parts, out = seeds
    query = (
        "SELECT m.article, m.start, p.ref, s.text FROM mentions m "
        "LEFT JOIN 'places.csv'.places p ON m.place_id = p.id "
        "LEFT JOIN 'bordermap.gpkg'.sentences s ON CAST(m.sentence_id AS INTEGER) = s.rowid"
    )
    done = subprocess.run(["ogrinfo", "-ro", "-q", "-dialect", "SQLite", "-sql", query,
                           "mentions.csv"], cwd=out, capture_output=True, text=True,
                          check=True)  # fmt: skip
    assert "Warning" not in done.stderr and "ERROR" not in done.stderr, done.stderr
    got, row = [], {}
    for line in done.stdout.splitlines():
        if line.startswith("OGRFeature"):
            row = {}
            got.append(row)
        elif " = " in line:
            key, value = line.strip().split(" = ", 1)
            row[key.split(" ")[0]] = value
    want = [{"article": m.article, "start": str(m.start), "ref": m.ref or "(null)",
             "text": m.sentence} for m in parts.mentions]  # fmt: skip
    assert got == want and len(got) > 10  # an unresolved phrase joins no place: "(null)"


#: The view's columns an in-memory entry is compared on (the rest: ``sentence``, its id).
VIEW = ("layer", "feature", "article", "title", "outlet", "date", "origin", "claim",
        "sentence_text", "mark_start", "mark_end", "mentions", "corrected")  # fmt: skip


def _in_memory(parts: Parts) -> list[dict[str, Any]]:
    """Every provenance entry of every layer's features, as a row of the view would say it."""
    out = []
    for lid, layer in parts.layers.items():
        for f in layer.features:
            for e in f.provenance:
                mark = e.get("mark") or (None, None)
                out.append({
                    "layer": lid, "feature": f.id, "article": e["article"],
                    "title": e["title"], "outlet": e["outlet"], "date": e["date"],
                    "origin": e.get("origin", ""), "claim": e["claim"],
                    "sentence_text": e["sentence"] or None, "mark_start": mark[0],
                    "mark_end": mark[1], "mentions": e.get("mentions"),
                    "corrected": e.get("corrected"),
                })  # fmt: skip
    return out


def _view(out: Path) -> list[dict[str, Any]]:
    db = sqlite3.connect(out / "bordermap.gpkg")
    db.row_factory = sqlite3.Row
    try:
        rows = [dict(r) for r in db.execute("SELECT * FROM provenance ORDER BY fid")]
    finally:
        db.close()
    return [{k: r.get(k) for k in VIEW} for r in rows]


def test_every_entry_is_a_row_of_the_provenance_view(seeds) -> None:
    # The view joins the entries (by id) with their features, articles and sentences: each
    # row is the entry whole, as the old provenance table and the pipeline's features say it.
    parts, out = seeds
    assert _view(out) == _in_memory(parts) and len(_in_memory(parts)) > 10
    db = sqlite3.connect(out / "bordermap.gpkg")
    kinds = dict(db.execute("SELECT table_name, data_type FROM gpkg_contents"))
    tables = ("provenance", "provenance_entries", "provenance_features", "articles", "sentences")
    assert [kinds[t] for t in tables] == ["attributes"] * 5
    assert db.execute("SELECT type FROM sqlite_master WHERE name = 'provenance'").fetchone() == (
        "view",
    )
    # By id: the entries table repeats neither an article's title nor a sentence's text.
    columns = {r[1] for r in db.execute("PRAGMA table_info(provenance_entries)")}
    assert "sentence_text" not in columns and "sentence" in columns
    if "title" in columns:  # only where an entry says otherwise (a border line's source)
        assert db.execute("SELECT COUNT(*) FROM provenance_entries e JOIN articles a "
                          "ON a.id = e.article WHERE e.title IS NOT NULL").fetchone() == (0,)  # fmt: skip


def test_a_correction_is_kept_in_the_view(tmp_path: Path) -> None:
    project = many_sources_project(tmp_path, 3)
    text = project.read_text("utf-8")
    project.write_text(text + '\n[[corrections]]\ntext = "Sinuiju"\nlat = 40.1\nlon = 124.4\n')
    parts = load(load_config(project))
    build(parts, tmp_path / "out", tiles="none")
    rows = _view(tmp_path / "out")
    assert rows == _in_memory(parts)
    assert {r["article"] for r in rows if r["corrected"] == "in the project file"} == {
        "a000", "a001", "a002",
    }  # fmt: skip


@pytest.mark.skipif(shutil.which("ogr2ogr") is None, reason="ogr2ogr (gdal-bin) is not installed")
def test_gdal_reads_the_view_as_the_layers_count_it(many, tmp_path: Path) -> None:
    # ogrinfo lists the view as a table without a warning, and ogr2ogr -f CSV gives one row
    # per feature and article: the articles and mentions each GeoJSON feature counts.
    out = many[40]
    listed = subprocess.run(["ogrinfo", "-ro", str(out / "bordermap.gpkg")],
                            capture_output=True, text=True, check=True)  # fmt: skip
    assert re.search(r"^\d+: provenance \(None\)$", listed.stdout, flags=re.M), listed.stdout
    assert "Warning" not in listed.stderr + listed.stdout, listed.stderr
    csv_out = tmp_path / "provenance.csv"
    done = subprocess.run(["ogr2ogr", "-f", "CSV", str(csv_out), str(out / "bordermap.gpkg"),
                           "provenance"], capture_output=True, text=True, check=True)  # fmt: skip
    assert "Warning" not in done.stderr and "ERROR" not in done.stderr, done.stderr
    read = rows(csv_out)
    assert [{k: r[k] for k in ("layer", "feature", "article", "title")} for r in read] == [
        {k: str(e[k]) for k in ("layer", "feature", "article", "title")}
        for e in _view(out)
    ]  # fmt: skip
    fc = json.loads((out / "layers" / "crossings.geojson").read_text("utf-8"))
    for f in fc["features"]:
        p = f["properties"]
        mine = [r for r in read if (r["layer"], r["feature"]) == ("crossings", p["id"])]
        assert ",".join(r["article"] for r in mine) == p["articles"]
        assert sum(int(r["mentions"]) for r in mine) == p["mentions"] == 40
        assert all(r["sentence_text"][int(r["mark_start"]):int(r["mark_end"])] == p["name"]
                   for r in mine)  # fmt: skip


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
    data = {d.get("name"): d.text for d in mark.iterfind(".//k:SchemaData/k:SimpleData", KML)}
    assert (data["mentions"], data["article_count"], data["origins"]) == ("40", "40", "40")
    assert not {"articles", "name", "layer", "provenance", "sources"} & set(data)
    # Typed once for the folder: a Schema declares each field the placemarks fill.
    url = mark.find(".//k:SchemaData", KML).get("schemaUrl")  # type: ignore[union-attr]
    schemas = {"#" + x.get("id", ""): x for x in doc.iterfind("k:Document/k:Schema", KML)}
    types = {f.get("name"): f.get("type") for f in schemas[url].iterfind("k:SimpleField", KML)}
    assert set(data) <= set(types) and len(schemas) == 2  # the layer's, the uncovered lines'
    assert (types["mentions"], types["origins"], types["contested"]) == ("int", "int", "bool")
    assert (types["id"], data["contested"]) == ("string", "0")
    assert text.count('"Traders crossed the Yalu') == KML_QUOTES
    # Four times the articles: the same description but for its numbers.
    assert len(text) - len(small["Dandong"]) <= 4


@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="ogrinfo (gdal-bin) is not installed")
def test_gdal_reads_the_kml_data_with_its_types(many) -> None:
    done = subprocess.run(["ogrinfo", "-ro", "-al", str(many[40] / "bordermap.kml")],
                          capture_output=True, text=True, check=True)  # fmt: skip
    assert "Warning" not in done.stderr and "ERROR" not in done.stderr, done.stderr
    assert "mentions (Integer) = 40" in done.stdout and "origins (Integer) = 40" in done.stdout
    assert "contested (Integer) = 0" in done.stdout and "sources (" not in done.stdout
    assert "length_km (Real) = " in done.stdout  # an uncovered stretch's


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


@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="ogrinfo (gdal-bin) is not installed")
def test_layers_named_like_the_reference_tables_keep_the_view_whole(tmp_path: Path) -> None:
    # A layer called provenance or sentences keeps its name; the reference tables and the
    # view step aside (bordermap_…) and still join.
    project = many_sources_project(tmp_path, 3)
    text = project.read_text("utf-8").replace('id = "crossings"', 'id = "provenance"')
    project.write_text(text + '[[layers]]\nid = "sentences"\ntitle = "S"\nplaces = ["Sinuiju"]\n')
    parts = load(load_config(project))
    build(parts, tmp_path / "out", tiles="none")
    gpkg = tmp_path / "out" / "bordermap.gpkg"
    db = sqlite3.connect(gpkg)
    db.row_factory = sqlite3.Row
    rows = [dict(r) for r in db.execute("SELECT * FROM bordermap_provenance ORDER BY fid")]
    assert [{k: r.get(k) for k in VIEW} for r in rows] == _in_memory(parts) and len(rows) == 9
    assert {r["layer"] for r in rows} == {"provenance", "sentences"}
    assert all(r["sentence_text"] for r in rows if r["article"])
    listed = subprocess.run(["ogrinfo", "-ro", str(gpkg)], capture_output=True, text=True,
                            check=True)  # fmt: skip
    assert "Warning" not in listed.stderr + listed.stdout, listed.stderr
    for name in ("provenance", "sentences", "bordermap_provenance", "bordermap_sentences"):
        assert re.search(rf"^\d+: {name} ", listed.stdout, flags=re.M), listed.stdout
