"""Claims as data: the [[claims]] table validated, sentences found by offset, layers drawing
claims, origins counted once, and the test project of issue 14 through a real build."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from bordermap.articles import parse_article
from bordermap.claims import locate
from bordermap.config import load_config, parse_config
from bordermap.errors import ConfigError
from bordermap.origins import group, near_duplicates
from bordermap.pipeline import load

ROOT = Path(__file__).resolve().parents[1]
PROJECT = ROOT / "tests" / "data" / "claims-project"

HEAD = """
[project]
title = "T"
corpus = ["seeds"]

[[layers]]
id = "towns"
title = "Towns"
places = ["Sinuiju"]
"""


def claim(extra: str = "", cid: str = "c1") -> str:
    return f'\n[[claims]]\nid = "{cid}"\ntext = "Guards were added."\n{extra}\n'


def parse(text: str):
    return parse_config(text, Path("t.toml"))


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('status = "rumoured"', 't.toml: claims[0].status: expected one of "reported", '
         '"corroborated", "contested", "retracted", got \'rumoured\''),
        ('asserted_by = "a friend"', "t.toml: claims[0].asserted_by: expected one of"),
        ('reliability = "G"', 't.toml: claims[0].reliability: expected one of "A", "B"'),
        ("credibility = 7", "t.toml: claims[0].credibility: expected a whole number from 1 to 6"),
        ('period = "2021-02-30"', "t.toml: claims[0].period: '2021-02-30' is not a date on the "
         "calendar (2021-02-30)"),
        ('contests = ["c1"]', "t.toml: claims[0].contests[0]: a claim cannot contest itself"),
        ('narrows = ["nope"]', "t.toml: claims[0].narrows[0]: no claim 'nope' (known: c1)"),
        ('layer = "roads"', "t.toml: claims[0].layer: no layer 'roads' (known: towns)"),
        ('line = "amur"', 't.toml: claims[0].line: expected one of "yalu", "land", "tumen"'),
        ("colour = 1", "t.toml: claims[0].colour: unknown key"),
    ],
)  # fmt: skip
def test_bad_claims_name_the_key(extra: str, message: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse(HEAD + claim(extra))
    assert str(err.value).startswith(message)


def test_a_layer_naming_an_unknown_claim_is_an_error() -> None:
    text = HEAD.replace('places = ["Sinuiju"]', 'claims = ["ghost"]') + claim()
    with pytest.raises(ConfigError, match=r"t.toml: layers\[0\].claims\[0\]: no claim 'ghost'"):
        parse(text)


def test_a_claim_id_used_twice_is_an_error() -> None:
    with pytest.raises(ConfigError, match=r"claims\[1\].id: expected an id no other claim has"):
        parse(HEAD + claim() + claim())


def test_layers_draw_claims_listed_or_naming_them_and_take_their_words() -> None:
    text = HEAD + '\n[[layers]]\nid = "other"\ntitle = "O"\nclaims = ["c2"]\n'
    text += claim('layer = "towns"\nperiod = "2022"') + claim('places = ["Dandong"]', "c2")
    cfg = parse(text)
    assert [c.id for c in cfg.claims_of("towns")] == ["c1"]
    assert [c.id for c in cfg.claims_of("other")] == ["c2"]
    towns, other = cfg.layers
    assert towns.claim == "Guards were added." and towns.places == ("Sinuiju",)
    assert other.places == ("Dandong",)  # a layer of claims alone draws its claims' places
    assert cfg.claims[0].period.precision == "year"


def test_a_layer_per_claim_file_keeps_working() -> None:
    cfg = parse(HEAD + 'claim = "Towns are named."\n')
    assert cfg.claims == () and cfg.layers[0].claim == "Towns are named."


def _article(aid: str, text: str, meta: str = "") -> object:
    return parse_article(f'---\nid: "{aid}"\n{meta}---\n{text}', f"{aid}.md", aid)


def test_sentences_are_found_by_offset_or_the_error_names_the_key() -> None:
    body = "Trucks crossed.\nBorder guards were\nadded at Sinuiju in March."
    articles = {"a": _article("a", body)}
    sourced = claim('[[claims.sources]]\narticle = "a"\nsentence = "guards were added at Sinuiju"')
    cfg = parse(HEAD + sourced)
    found = locate("t.toml", cfg.claims, articles, group(articles))["c1"].sources[0]
    assert articles["a"].text[found.start : found.end] == "guards were\nadded at Sinuiju"
    missing = sourced.replace("at Sinuiju", "at Dandong")
    with pytest.raises(ConfigError) as err:
        locate("t.toml", parse(HEAD + missing).claims, articles, group(articles))
    assert str(err.value) == (
        "t.toml: claims[0].sources[0].sentence: not found in article 'a' (a.md); "
        "quote the article's words exactly"
    )
    unknown = sourced.replace('article = "a"', 'article = "zz"')
    with pytest.raises(ConfigError, match=r"claims\[0\].sources\[0\].article: no article 'zz'"):
        locate("t.toml", parse(HEAD + unknown).claims, articles, group(articles))


def test_origins_join_derived_articles_and_warn_on_unknown_ids(caplog) -> None:
    articles = {
        "1": _article("1", "First report.", 'date: "2022"\n'),
        "2": _article("2", "Retold.", 'derived_from: "1"\n'),
        "3": _article("3", "Retold again.", 'derived_from: "2, 9"\n'),
        "4": _article("4", "Another story."),
    }
    o = group(articles)
    assert [o.of(a) for a in articles] == ["1", "1", "1", "4"]
    assert o.count(["2", "3"]) == 1 and o.count(["1", "4"]) == 2
    assert "3.md: front matter derived_from: no article '9' in the corpus" in caplog.text


def test_an_article_retelling_two_reports_does_not_make_them_one_origin() -> None:
    articles = {
        "a07": _article("a07", "Smuggling in Hyesan.", 'date: "2023-01-02"\n'),
        "a15": _article("a15", "A fence on the Tumen.", 'date: "2023-02-03"\n'),
        "a19": _article("a19", "Both stories.", 'derived_from: ["a15", "a07"]\n'),
    }
    o = group(articles)
    assert [o.of(a) for a in articles] == ["a07", "a15", "a15"]  # a19: the first it names
    assert o.count(articles) == 2


def test_near_duplicates_are_proposed_not_merged() -> None:
    base = " ".join(f"word{i}" for i in range(300))
    articles = {
        "a": _article("a", base, 'date: "2021"\n'),
        "b": _article("b", base.replace("word10 ", "changed ").replace("word200", "x"), 'date: "2022"\n'),
        "c": _article("c", " ".join(f"other{i}" for i in range(300))),
    }  # fmt: skip
    pairs = near_duplicates(articles, 0.5)
    assert [(p.earlier, p.later, p.stated) for p in pairs] == [("a", "b", False)]
    assert 0.9 < pairs[0].similarity < 1.0 and pairs[0].suggestion == 'derived_from: "a"'
    assert group(articles).count(articles) == 3  # nothing merged


def test_copies_of_one_report_give_a_line_each_naming_the_first() -> None:
    """200 outlets carrying one report: 199 proposals, not 19,900 pairs; the best match of
    each (the earliest of equals), and a stated one listed apart from a proposal."""
    base = [f"word{i}" for i in range(300)]
    articles = {}
    for n in range(200):
        words = list(base)
        if n:
            words[n % 300] = f"edit{n}"  # each copy a word apart from the report, c000
        meta = f'date: "2021-01-{1 + n // 10:02d}"\n' + ('derived_from: "c000"\n' if n == 5 else "")
        articles[f"c{n:03d}"] = _article(f"c{n:03d}", " ".join(words), meta)
    articles["other"] = _article("other", " ".join(f"other{i}" for i in range(300)))
    pairs = near_duplicates(articles, 0.5)
    assert len(pairs) == 199 + 1  # c005 also has its best match outside its stated origin
    later = {}
    for p in pairs:
        later.setdefault(p.later, []).append(p)
    assert sorted(later) == [f"c{n:03d}" for n in range(1, 200)]
    assert {p.earlier for p in pairs if p.later != "c005"} == {"c000"}
    ((stated, inside), (proposed, outside)) = [(p.earlier, p.stated) for p in later["c005"]]
    assert (stated, inside) == ("c000", True) and not outside and proposed != "c000"
    assert all(p.earlier < p.later for p in pairs) and all(p.similarity > 0.9 for p in pairs)


def test_the_default_project_counts_003_and_004_as_one_origin() -> None:
    parts = load(load_config(ROOT / "bordermap.toml"))
    assert len(parts.config.claims) == 6
    upgrades = parts.claims["upgrades-huawei"]
    assert upgrades.counted == "2 articles, 1 origin"
    props = parts.layers["upgrades"].features[0].properties("upgrades")
    assert props["sources"] == "2 articles, 1 origin" and props["claims"] == "upgrades-huawei"
    cams = parts.annotations["cameras"].claim_props
    assert cams["scope"].startswith("near the Yalu")
    assert cams["count"] == "≈ 8,513 cameras if the whole Yalu is covered"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    from bordermap.build import build

    out = tmp_path_factory.mktemp("claims") / "out"
    build(load(load_config(PROJECT / "bordermap.toml")), out)
    return out


def test_the_test_project_in_claims_csv(built: Path) -> None:
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO((built / "claims.csv").read_text()))}
    added, denied = rows["guards-added"], rows["no-guards"]
    assert (added["contested"], added["contests"], denied["contests"]) == (
        "true", "no-guards", "guards-added")  # fmt: skip
    assert added["sources"] == "2 articles, 1 origin" and added["origins"] == "a1"
    assert (denied["period_start"], denied["period_end"], denied["period_precision"]) == (
        "2022-03-01", "2022-05-31", "range")  # fmt: skip
    assert added["sentences"].startswith('a1:1-61 "Border guards were added at Sinuiju')


def test_the_test_project_in_geojson(built: Path) -> None:
    (guard,) = json.loads((built / "layers" / "guards.geojson").read_text())["features"]
    (deny,) = json.loads((built / "layers" / "denial.geojson").read_text())["features"]
    p = guard["properties"]
    assert (p["contested"], p["contests"], p["origins"], p["sources"]) == (
        True, "no-guards", 1, "2 articles, 1 origin")  # fmt: skip
    # The feature names its articles; the articles table says which origin each retells.
    origins = {r["id"]: r["origin"] for r in csv.DictReader(io.StringIO(
        (built / "articles.csv").read_text("utf-8")))}  # fmt: skip
    assert [origins[a] for a in p["articles"].split(",")] == ["a1", "a1"]
    # "near Sinuiju" in a1 and b1: a point with an uncertainty radius, not a crisp pin
    assert guard["geometry"]["type"] == "Point" and p["radius_km"] == 15.0
    assert (
        deny["properties"]["radius_km"] == 15.0 and deny["properties"]["contests"] == "guards-added"
    )
    manifest = json.loads((built / "manifest.json").read_text())
    by_id = {a["id"]: a for a in manifest["articles"]}
    assert origins["a2"] == "a1" and len(by_id["a2"]["sha256"]) == 64


@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="needs GDAL's ogrinfo")
def test_the_test_project_in_gpkg_and_kml(built: Path) -> None:
    for name, layer in (("bordermap.gpkg", "guards"), ("bordermap.kml", "Guards added")):
        out = subprocess.run(["ogrinfo", "-ro", "-al", str(built / name), layer],
                             capture_output=True, text=True, check=True)  # fmt: skip
        assert "ERROR" not in out.stderr and "Warning" not in out.stderr, out.stderr
        assert "guards-added" in out.stdout and "2 articles, 1 origin" in out.stdout
        assert "no-guards" in out.stdout


def _mention(text: str, kind: str, precision: str, country: str, ref: str, start: int = 0):
    from bordermap.geoparse import Mention

    return Mention("a", start, start + len(text), text, text, kind, country, 40.0, 127.0, ref,
                   0.9, "", "curated", precision)  # fmt: skip


def test_places_are_drawn_as_precisely_as_named() -> None:
    from shapely.geometry import Point, shape

    from bordermap.areas import shape_of

    articles = {"a": _article("a", "Trucks waited near Sinuiju.")}
    nk, _ = shape_of([_mention("North Korea", "country", "country", "KP", "x")], articles)
    assert nk is not None and shape(nk).contains(Point(125.75, 39.02))  # Pyongyang
    eg, _ = shape_of([_mention("Egypt", "country", "country", "EG", "x")], articles)
    assert eg is not None and shape(eg).contains(Point(31.24, 30.04))  # Cairo
    yalu, _ = shape_of([_mention("Yalu", "river", "river", "", "regional:river-yalu")], articles)
    assert yalu is not None and yalu["type"] == "LineString"
    jilin, radius = shape_of(
        [_mention("Jilin", "province", "province", "CN", "regional:cn-province-jilin")], articles
    )
    assert jilin is not None and jilin["type"] == "MultiPolygon" and radius is None
    assert shape(jilin).contains(Point(125.32, 43.88))  # Changchun
    assert not shape(jilin).contains(Point(123.43, 41.80))  # Shenyang is in Liaoning
    # A province the shipped outlines do not link (Nampo's point lies in South
    # Pyongan) keeps the radius that stands for its extent.
    assert shape_of([_mention("Nampo", "province", "province", "KP", "regional:kp-province-nampo")],
                    articles) == (None, 150.0)  # fmt: skip
    near = _mention("Sinuiju", "city", "town", "KP", "x", start=19)
    assert shape_of([near], articles) == (None, 15.0)
    assert shape_of([_mention("Trucks", "city", "town", "KP", "x")], articles) == (None, None)


def test_every_province_outline_stands_for_gazetteer_provinces_of_its_country() -> None:
    import csv

    from shapely.geometry import Point, shape

    from bordermap.files import data_text

    rows = {}
    for source in ("regional", "world"):
        for row in csv.DictReader(data_text(f"{source}.csv").splitlines()):
            rows[f"{source}:{row['id']}"] = row
    outlines = json.loads(data_text("provinces.geojson"))["features"]
    linked = {ref for f in outlines for ref in f["properties"]["refs"]}
    for f in outlines:
        for ref in f["properties"]["refs"]:
            row = rows[ref]
            assert row["kind"] == "province" and row["country"] == f["properties"]["iso_a2"], ref
    # Every curated province of the border's two countries is drawn as its outline,
    # but for the one whose outline Natural Earth folds into another (Nampo).
    curated = {r for r, row in rows.items() if r.startswith("regional:")
               and row["kind"] == "province" and row["country"] in ("CN", "KP")}  # fmt: skip
    assert curated - linked == {"regional:kp-province-nampo"}
    by_ref = {ref: shape(f["geometry"]) for f in outlines for ref in f["properties"]["refs"]}
    assert by_ref["regional:kp-province-north-pyongan"].contains(Point(124.40, 40.10))  # Sinuiju
    assert by_ref["regional:kp-province-ryanggang"].contains(Point(128.29, 41.09))  # Kapsan


def test_the_starter_projects_commented_claim_is_valid_once_uncommented(tmp_path: Path) -> None:
    import re

    from bordermap.starter import init

    init(tmp_path / "p")
    toml = tmp_path / "p" / "bordermap.toml"
    text = toml.read_text("utf-8")
    block = text[text.index("# [[claims]]") :]
    toml.write_text(text.replace(block, re.sub(r"^# ", "", block, flags=re.MULTILINE)), "utf-8")
    cfg = load_config(toml)
    parts = load(cfg)
    (c,) = parts.claims.values()
    s = c.sources[0]
    assert parts.articles["example"].text[s.start : s.end].startswith("Trucks cross the")
    assert cfg.claims_of("crossings")[0].period.precision == "month"


def test_the_python_api_gives_claims_and_origins() -> None:
    from bordermap import Project

    p = Project.load(ROOT / "bordermap.toml")
    assert p.claims["upgrades-huawei"].counted == "2 articles, 1 origin"
    assert p.origins.of("004") == "003" and p.origins.members("003") == ["003", "004"]


def test_an_unknown_source_article_names_the_file_as_read_and_the_nearest_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(PROJECT, tmp_path / "p")
    toml = tmp_path / "p" / "bordermap.toml"
    toml.write_text(toml.read_text("utf-8").replace('article = "b1"', 'article = "b11"'), "utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as err:
        assert load(load_config("p/bordermap.toml")).claims is None
    assert str(err.value) == (
        "p/bordermap.toml: claims[1].sources[0].article: no article 'b11' in the corpus "
        '(did you mean "b1"?); name an article id of the corpus'
    )
