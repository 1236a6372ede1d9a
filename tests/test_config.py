"""The project file: every key validated, errors name file, key path and what was expected."""

from __future__ import annotations

from pathlib import Path

import pytest

from bordermap.config import load_config, parse_config
from bordermap.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]
GOOD = """
[project]
title = "T"
corpus = ["seeds"]

[[layers]]
id = "towns"
title = "Towns"
color = "#112233"
places = ["Hyesan"]

[[annotations]]
id = "cams"
title = "Cameras"
line = "yalu"
spacing_m = 100
"""


def test_default_project_file_is_valid() -> None:
    cfg = load_config(ROOT / "bordermap.toml")
    assert cfg.layer_ids == ("border", "checkpoints", "arrests", "upgrades", "context", "cameras")
    assert cfg.corpus == (ROOT / "seeds",)
    assert cfg.output == ROOT / "output"
    assert set(cfg.extents) == {"border", "upgrade-cities", "yalu-mouth"}


def test_minimal_file_gets_defaults(tmp_path: Path) -> None:
    cfg = parse_config(GOOD, tmp_path / "p.toml")
    assert cfg.tiles == "OpenStreetMap"
    assert cfg.maps[0].id == "index" and cfg.maps[0].layers == ("towns", "cams")
    assert cfg.annotations[0].offset_m == 150.0 and cfg.annotations[0].side == "KP"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('title = "T"', "title = 3", "project.title: expected a string, got 3"),
        ('color = "#112233"', 'color = "red"', 'layers[0].color: expected a colour like "#d62728", got \'red\''),
        ('id = "towns"', 'id = "Towns!"', "layers[0].id: expected an id of lower-case letters, digits, - or _, got 'Towns!'"),
        ('places = ["Hyesan"]', 'places = "Hyesan"', "layers[0].places: expected a list of strings, got 'Hyesan'"),
        ('places = ["Hyesan"]', 'placse = ["Hyesan"]', "layers[0].placse: unknown key; did you mean 'places'?"),
        ('color = "#112233"', 'colour = "#112233"', "layers[0].colour: unknown key; did you mean 'color'?"),
        ("spacing_m = 100", "spacing_m = 0", "annotations[0].spacing_m: expected a positive number, got 0"),
        ('line = "yalu"', 'line = "amazon"', 'annotations[0].line: expected one of "yalu", "land", "tumen", "tumen-ru", "mdl", got \'amazon\''),
        ('title = "Cameras"\n', "", "annotations[0].title: expected a value (the key is required)"),
        ('corpus = ["seeds"]', 'corpus = ["seeds"]\n[basemap]\ntiles = "Google"', 'basemap.tiles: expected one of "OpenStreetMap", "none", got \'Google\''),
        ('id = "cams"', 'id = "towns"', "layer id 'towns' is used twice"),
        ("spacing_m = 100", "spacing_m = nan", "annotations[0].spacing_m: expected a positive number, got nan"),
        ("spacing_m = 100", "spacing_m = inf", "annotations[0].spacing_m: expected a positive number, got inf"),
        ("spacing_m = 100", "spacing_m = 0.05", "annotations[0].spacing_m: expected a number from 1 to 1,000,000 m, got 0.05"),
        ("spacing_m = 100", "spacing_m = 100\noffset_m = 1e9", "annotations[0].offset_m: expected a number from 0 to 10,000 m, got 1000000000.0"),
        ('id = "towns"', 'id = "index"', "layer id 'index' would overwrite the overview map index.html: rename the layer, or give the project its own [[maps]]"),
        *[('id = "towns"', f'id = "{lid}"', f"layer id '{lid}' is a name the GeoPackage keeps for its own tables (gpkg…, sqlite_…, rtree_…, layer_styles): rename the layer")
          for lid in ("layer_styles", "gpkg_contents", "gpkg", "sqlite_master", "rtree_towns_geom")],
        ('id = "cams"', 'id = "gpkg-cams"', "layer id 'gpkg-cams' is a name the GeoPackage keeps for its own tables (gpkg…, sqlite_…, rtree_…, layer_styles): rename the layer"),
    ],
)  # fmt: skip
def test_errors_name_file_key_and_expectation(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    assert old in GOOD
    path = tmp_path / "p.toml"
    with pytest.raises(ConfigError) as err:
        parse_config(GOOD.replace(old, new, 1), path)
    assert str(err.value) == f"{path}: {message}"


def test_map_and_layer_sharing_an_id(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    text = GOOD + '\n[[maps]]\nid = "towns"\nlayers = ["towns"]\n'
    with pytest.raises(ConfigError) as err:
        parse_config(text, path)
    assert str(err.value) == (
        f"{path}: maps[0].id: 'towns' is also a layer id and both would be towns.html: "
        "rename the map or the layer"
    )


def test_map_naming_an_unknown_layer(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    text = GOOD + '\n[[maps]]\nid = "m"\nlayers = ["towns", "nope"]\n'
    with pytest.raises(ConfigError) as err:
        parse_config(text, path)
    assert str(err.value) == (
        f"{path}: maps[0].layers[1]: expected one of the layer ids (towns, cams), got 'nope'"
    )


def test_not_toml_and_missing(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text("[project\n")
    with pytest.raises(ConfigError, match=r"p.toml: not valid TOML \("):
        load_config(path)
    with pytest.raises(ConfigError) as err:
        load_config(tmp_path / "none.toml")
    assert str(err.value) == (f"{tmp_path / 'none.toml'}: no such project file (make one with "
                              "`bordermap init`, or name it with --config)")  # fmt: skip


def test_a_byte_order_mark_is_read_and_another_encoding_says_what_to_do(tmp_path: Path) -> None:
    seeds = (ROOT / "bordermap.toml").read_text("utf-8").replace(
        'corpus = ["seeds"]', f'corpus = ["{ROOT / "seeds"}"]')  # fmt: skip
    path = tmp_path / "p.toml"
    path.write_bytes(b"\xef\xbb\xbf" + seeds.encode("utf-8"))  # as Notepad saves it
    assert load_config(path).title == load_config(ROOT / "bordermap.toml").title
    path.write_bytes(seeds.replace("China–North", "Chin\u00e9 North").encode("latin-1", "replace"))
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(err.value).startswith(f"{path}: not UTF-8 (byte ")
    assert str(err.value).endswith("); save the file as UTF-8")


def test_bad_bbox(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    text = GOOD + "\n[extents]\nmouth = [124.6, 39.8, 124.1, 40.2]\n"
    with pytest.raises(ConfigError) as err:
        parse_config(text, path)
    assert str(err.value) == (
        f"{path}: extents.mouth: expected [west, south, east, north] in degrees, "
        "got [124.6, 39.8, 124.1, 40.2]"
    )


def test_a_missing_corpus_path_names_the_key(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    cfg = parse_config(GOOD.replace('corpus = ["seeds"]', 'corpus = ["seeds", "gone"]'), path)
    (tmp_path / "seeds").mkdir()
    with pytest.raises(ConfigError) as err:
        cfg.check_corpus()
    assert str(err.value) == (
        f"{path.resolve()}: project.corpus[1]: no such file or folder "
        f"{str(tmp_path.resolve() / 'gone')!r}; corpus paths are relative to the project file"
    )


@pytest.mark.parametrize(("table", "value", "hint"), [("places", "China", ""),
                                                      ("corrections", "cn", " (did you mean 'CN'?)")])  # fmt: skip
def test_a_country_of_a_place_or_correction_is_an_iso_code(
    tmp_path: Path, table: str, value: str, hint: str
) -> None:
    seeds = (ROOT / "bordermap.toml").read_text("utf-8")
    body = 'id = "x"\nname = "X"' if table == "places" else 'text = "Dandong"'
    path = tmp_path / "p.toml"
    path.write_text(f'{seeds}\n[[{table}]]\n{body}\ncountry = "{value}"\nlat = 40.0\nlon = 124.0\n',
                    "utf-8")  # fmt: skip
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(err.value) == (
        f"{path}: {table}[0].country: expected an ISO 3166-1 alpha-2 code in capitals such as "
        f"'CN', 'KP', 'KR' or 'RU', got {value!r}{hint}"
    )


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        # The misspelt table comes first, not the unknown layer id it makes in a map and a claim.
        ("[[annotations]]", "[[annotation]]", "annotation: unknown key; did you mean 'annotations'?"),
        ("[[layers]]", "[[layer]]", "layer: unknown key; did you mean 'layers'?"),
        ("[[annotations]]", "[[xyz]]", "xyz: unknown key; known: project, focus, basemap, "
         "layers, annotations, maps, places, corrections, lines, coverage, border, claims, extents"),
    ],
)  # fmt: skip
def test_a_misspelt_table_is_the_first_error_with_the_nearest_known_one(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    after = '\n[[maps]]\nid = "all"\nlayers = ["towns", "cams"]\n'
    after += '\n[[claims]]\nid = "c"\ntext = "Cameras."\nlayer = "cams"\n'
    path = tmp_path / "p.toml"
    with pytest.raises(ConfigError) as err:
        parse_config((GOOD + after).replace(old, new, 1), path)
    assert str(err.value) == f"{path}: {message}"


def test_errors_after_reading_name_the_file_as_it_was_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "p.toml").write_text(GOOD.replace('corpus = ["seeds"]', 'corpus = ["gone"]'))
    monkeypatch.chdir(tmp_path)
    cfg = load_config("p.toml")
    assert cfg.file == "p.toml" and cfg.path == tmp_path.resolve() / "p.toml"
    with pytest.raises(ConfigError) as err:
        cfg.check_corpus()
    assert str(err.value) == (
        f"p.toml: project.corpus[0]: no such file or folder {str(tmp_path.resolve() / 'gone')!r}; "
        "corpus paths are relative to the project file"
    )
