"""The world levels of the geoparser: countries, divisions, abbreviations, demonyms, context.

Short texts written for these tests (general news far from the border), parsed
with a neutral prior (``focus=None``) unless a test says otherwise.
"""

from __future__ import annotations

import csv
import io
from importlib import resources

import pytest

from bordermap.articles import Article
from bordermap.gazetteer import FOCUS_BBOX
from bordermap.geocode import geocode
from bordermap.geoparse import Mention, extract
from bordermap.resolve import PRECISION, haversine_km


def parse(gaz, text: str, focus=None) -> dict[str, Mention]:
    return {m.text: m for m in extract(Article(id="t", text=text), gaz, focus=focus)}


def world_rows() -> list[dict[str, str]]:
    text = resources.files("bordermap").joinpath("data").joinpath("world.csv").read_text()
    return list(csv.DictReader(io.StringIO(text)))


def test_every_country_has_one_entry_with_a_point() -> None:
    rows = [r for r in world_rows() if r["kind"] == "country"]
    codes = [r["country"] for r in rows]
    assert len(codes) == len(set(codes)) >= 245
    for r in rows:
        assert -90 <= float(r["lat"]) <= 90 and -180 <= float(r["lon"]) <= 180, r["id"]
    by_code = {r["country"]: r for r in rows}
    # Countries whose capital's spelling matches no city entry (the old bug) are there.
    for code in ("BR", "CO", "IS", "KZ", "CM"):
        assert code in by_code
    # gazetteer.country_codes reads only the rows whose id starts "country-".
    from bordermap.gazetteer import country_codes

    assert all(r["id"].startswith("country-") for r in rows)
    assert country_codes() == frozenset(codes)


@pytest.mark.parametrize(
    ("name", "code", "lat", "lon"),
    [
        ("Brazil", "BR", -10.0, -55.0),
        ("Canada", "CA", 60.1, -113.6),  # its own point, not Ottawa
        ("Kazakhstan", "KZ", 48.0, 68.0),
        ("Iceland", "IS", 65.0, -18.0),
    ],
)
def test_countries_resolve_to_their_own_point(gazetteer, name, code, lat, lon) -> None:
    m = parse(gazetteer, f"Exports from {name} grew last year.")[name]
    assert (m.kind, m.country, m.precision) == ("country", code, "country")
    assert haversine_km(m.lon, m.lat, lon, lat) < 161


@pytest.mark.parametrize(
    ("surface", "name", "kind"),
    [
        ("U.S.", "United States", "country"),
        ("US", "United States", "country"),
        ("UK", "United Kingdom", "country"),
        ("DPRK", "North Korea", "country"),
        ("PRC", "China", "country"),
        ("ROK", "South Korea", "country"),
        ("EU", "European Union", "region"),
        ("Calif.", "California", "province"),
        ("Va.", "Virginia", "province"),
        ("B.C.", "British Columbia", "province"),
    ],
)
def test_abbreviations(gazetteer, surface: str, name: str, kind: str) -> None:
    m = parse(gazetteer, f"Officials in {surface} disagreed.")[surface]
    assert (m.name, m.kind) == (name, kind)


def test_abbreviations_only_as_spelt(gazetteer) -> None:
    assert parse(gazetteer, "Let us go. Miss Lee said the man was ill. Va va voom.") == {}


def test_demonyms_are_mentions_of_their_own_kind(gazetteer) -> None:
    ms = parse(gazetteer, "American and Russian diplomats met Turkish officials.")
    assert {k: (m.kind, m.country) for k, m in ms.items()} == {
        "American": ("demonym", "US"),
        "Russian": ("demonym", "RU"),
        "Turkish": ("demonym", "TR"),
    }
    assert all(m.precision == "country" for m in ms.values())


@pytest.mark.parametrize(
    ("text", "surface", "kind", "precision"),
    [
        ("Flights to Africa resumed.", "Africa", "continent", "continent"),
        ("Ships crossed the Mediterranean Sea.", "Mediterranean Sea", "sea", "sea"),
        (
            "Voters in California and Alberta went to the polls.",
            "California",
            "province",
            "province",
        ),
        ("Voters in California and Alberta went to the polls.", "Alberta", "province", "province"),
        ("Tensions in the Middle East rose.", "Middle East", "region", "region"),
    ],
)
def test_areas_and_their_precision(gazetteer, text, surface, kind, precision) -> None:
    m = parse(gazetteer, text)[surface]
    assert (m.kind, m.precision) == (kind, precision)


def test_precision_covers_every_kind() -> None:
    kinds = {r["kind"] for r in world_rows()}
    kinds |= {"city", "county", "river", "mountain", "island", "bridge", "crossing", "landmark"}
    kinds |= {"zone"}
    assert kinds <= set(PRECISION)


def test_a_division_is_not_its_namesake_town(gazetteer) -> None:
    assert parse(gazetteer, "Wildfires spread across California.")["California"].kind == "province"


def test_hierarchy_named_in_the_text(gazetteer) -> None:
    m = parse(gazetteer, "The company is based in Alexandria, Va., near the capital.")["Alexandria"]
    assert m.country == "US" and haversine_km(m.lon, m.lat, -77.05, 38.80) < 20


def test_the_articles_division_picks_the_namesake(gazetteer) -> None:
    text = "Lawmakers met in Atlanta, Ga., on Monday. Georgia is growing."
    assert parse(gazetteer, text)["Georgia"].country == "US"
    assert parse(gazetteer, "Tbilisi is the capital of Georgia.")["Georgia"].country == "GE"


def test_a_plainly_named_world_city_resolves_to_itself(gazetteer) -> None:
    text = (
        "She covered Tokyo and Cairo for a decade. A scholar in Philadelphia said "
        "the talks in Geneva would fail."
    )
    ms = parse(gazetteer, text)
    assert ms["Philadelphia"].country == "US"
    assert ms["Geneva"].country == "CH"


def test_names_inside_organisation_names(gazetteer) -> None:
    ms = parse(
        gazetteer,
        "A spokesman for the Columbus Police Department spoke at the University of Hartford.",
    )
    assert ms["Columbus"].country == "US"
    assert ms["Hartford"].country == "US"


def test_organisations_and_people_are_not_places(gazetteer) -> None:
    text = (
        "President Obama met Ashley Clark. Clark said Air Koryo would resume flights. "
        "Radio Free Asia reported it."
    )
    assert parse(gazetteer, text) == {}


def test_a_common_word_opening_a_sentence_is_that_word(gazetteer) -> None:
    assert "Tours" not in parse(gazetteer, "Tours were cancelled after the storm.")
    assert parse(gazetteer, "Edmonton was cold.")["Edmonton"].country == "CA"


def test_us_counties(gazetteer) -> None:
    m = parse(gazetteer, "Deputies in Orange County, Calif., made an arrest.")["Orange County"]
    assert (m.kind, m.country, m.precision) == ("county", "US", "district")
    assert haversine_km(m.lon, m.lat, -117.83, 33.67) < 60


def test_focus_region_is_a_parameter(gazetteer) -> None:
    text = "Smugglers were caught near Donggang."
    near = extract(Article(id="t", text=text), gazetteer, focus=FOCUS_BBOX)[0]
    assert near.country == "CN"
    project_bbox = (121.5, 37.0, 131.0, 44.0)
    assert extract(Article(id="t", text=text), gazetteer, focus=project_bbox)[0].country == "CN"


def test_geocode_neutral_prior(gazetteer) -> None:
    assert geocode(gazetteer, "Donggang")[0].place.country == "CN"
    neutral = geocode(gazetteer, "Donggang", focus=None)[0]
    assert all("focus region" not in r for r in neutral.reasons)


def test_long_text_offsets_stay_exact(gazetteer) -> None:
    text = (
        "Trade through Dandong and Sinuiju grew. Officials in the U.S. and Canada watched.\n\n"
        * 200
    )
    ms = extract(Article(id="t", text=text), gazetteer)
    assert len(ms) == 4 * 200
    assert all(text[m.start : m.end] == m.text for m in ms)
    assert [m.text for m in ms[:4]] == ["Dandong", "Sinuiju", "U.S.", "Canada"]


def test_us_postal_codes_after_a_town(gazetteer) -> None:
    ms = parse(gazetteer, "Police in Plano, TX arrested a man who owns a TV.")
    assert (ms["TX"].name, ms["TX"].kind) == ("Texas", "province")
    assert ms["Plano"].country == "US" and "TV" not in ms


def test_a_new_users_border_corpus(gazetteer) -> None:
    """The cases of issue 10's new user on the Tumen (default focus region)."""
    text = (
        "Tours along the river were cancelled. Farmers in Sanhe, near Longjing, said the "
        "harvest was poor. Smugglers swam across the Tumen at night, the Tumen Ledger "
        "reported. The train stops at Tumen. Fishing boats crossed the Sea of Japan."
    )
    ms = extract(Article(id="t", text=text), gazetteer)
    found = [(m.text, m.name, m.kind) for m in ms]
    assert found == [
        ("Sanhe", "Sanhe", "city"),
        ("Longjing", "Longjing", "city"),
        ("Tumen", "Tumen River", "river"),
        ("Tumen", "Tumen", "city"),
        ("Sea of Japan", "Sea of Japan", "sea"),
    ]
    sanhe = ms[0]
    assert haversine_km(sanhe.lon, sanhe.lat, 129.74, 42.48) < 10


def test_a_very_long_text_is_parsed_in_parts(gazetteer, monkeypatch) -> None:
    from bordermap import geoparse

    text = "Trade through Dandong grew.\n\nOfficials in Canada watched.\n\n" * 50
    whole = extract(Article(id="t", text=text), gazetteer)
    monkeypatch.setattr(geoparse, "CHUNK_CHARS", 200)
    parts = extract(Article(id="t", text=text), gazetteer)
    assert [(m.start, m.end, m.name) for m in parts] == [(m.start, m.end, m.name) for m in whole]
    assert all(text[m.start : m.end] == m.text for m in parts)
