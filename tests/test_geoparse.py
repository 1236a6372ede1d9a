"""Behaviour of the geoparser on short texts written for these tests."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bordermap.articles import Article
from bordermap.geoparse import Mention, extract


def parse(gaz, text: str) -> list[Mention]:
    return extract(Article(id="t", text=text), gaz)


def names(gaz, text: str) -> dict[str, tuple[str | None, str | None]]:
    return {m.text: (m.name, m.country) for m in parse(gaz, text)}


@pytest.mark.parametrize(
    ("surface", "name"),
    [
        ("Sinŭiju", "Sinuiju"),
        ("Sinuiju", "Sinuiju"),
        ("Namp'o", "Nampo"),
        ("Namp’o", "Nampo"),
        ("Nampho", "Nampo"),
        ("Hamhŭng", "Hamhung"),
        ("Hamheung", "Hamhung"),
        ("Amnok River", "Yalu River"),
        ("Yalu", "Yalu River"),
        ("신의주", "Sinuiju"),
        ("丹东", "Dandong"),
    ],
)
def test_spelling_variants(gazetteer, surface: str, name: str) -> None:
    found = names(gazetteer, f"Trucks left {surface} at dawn.")
    assert found[surface][0] == name


def test_misspelling_resolves_with_lower_confidence(gazetteer) -> None:
    ms = {m.text: m for m in parse(gazetteer, "Engineers went to Pyongang and Wonsan.")}
    assert ms["Pyongang"].name == "Pyongyang" and ms["Pyongang"].match == "fuzzy"
    assert ms["Pyongang"].score < ms["Wonsan"].score


@pytest.mark.parametrize(
    "text",
    [
        "The report came out. Mobile phones are rare. North of the city, Police waited. "
        "Street vendors sold rice.",
        "Kim Jong Un gave a speech.",
        "Mun Dong Hui reported the story for Daily NK.",
        "Researchers at Kim Chaek University of Technology built it.",
        "The Korea Central News Agency said so.",
        "Subscribers of Kang Song NET complained.",
    ],
)
def test_no_false_positives(gazetteer, text: str) -> None:
    assert parse(gazetteer, text) == []


def test_kimchaek_the_city_is_still_found(gazetteer) -> None:
    assert names(gazetteer, "Boats landed at Kimchaek.")["Kimchaek"][1] == "KP"


@pytest.mark.parametrize(
    ("text", "surface", "lat", "lon"),
    [
        ("Smugglers were caught near Dandong and Donggang.", "Donggang", 39.87, 124.12),
        ("Tourists crossed from Ji'an in Jilin to Manpo.", "Ji'an", 41.13, 126.19),
        ("The train from Yanji stops at Tumen before the river.", "Tumen", 42.97, 129.84),
        ("Linjiang faces Chunggang across the Yalu.", "Linjiang", 41.81, 126.91),
        ("She flew on to Philadelphia.", "Philadelphia", 39.95, -75.16),
        ("The delegation met in Cairo.", "Cairo", 30.06, 31.25),
        ("Fans waited in Tokyo.", "Tokyo", 35.69, 139.69),
    ],
)
def test_ambiguity_resolved_from_context(gazetteer, text, surface, lat, lon) -> None:
    m = next(m for m in parse(gazetteer, text) if m.text == surface)
    assert m.lat == pytest.approx(lat, abs=0.1) and m.lon == pytest.approx(lon, abs=0.1)


@pytest.mark.parametrize(
    ("text", "surface", "kind", "country"),
    [
        ("Officials in Jilin province said so.", "Jilin", "province", "CN"),
        ("The Jilin provincial government denied it.", "Jilin", "province", "CN"),
        ("Police in Jilin city were not involved.", "Jilin", "city", "CN"),
        ("Police in Jilin were not involved.", "Jilin", "city", "CN"),
        ("Georgia state media reported protests in Tbilisi.", "Georgia", "country", "GE"),
        ("Beijing state media said so.", "Beijing", "city", "CN"),
    ],
)
def test_a_division_named_as_one_in_lower_case(gazetteer, text, surface, kind, country) -> None:
    m = next(m for m in parse(gazetteer, text) if m.text == surface)
    precision = {"province": "province", "city": "town", "country": "country"}[kind]
    assert (m.kind, m.country, m.precision) == (kind, country, precision)


@pytest.mark.parametrize(
    ("text", "surface", "kind", "country"),
    [
        ("The market opposite Tumen, Jilin grew.", "Jilin", "province", "CN"),
        ("CHANGBAI, Jilin — Cameras went up.", "Jilin", "province", "CN"),
        ("After stops in Washington, New York and Boston, he flew home.", "New York", "city", "US"),
        ("Envoys from Seoul, Tokyo, Washington met.", "Washington", "city", "US"),
        ("NIS, the spy agency, said so.", "NIS", None, None),
        ("NATO (the alliance) met.", "NATO", None, None),
        ("NGO-run schools closed.", "NGO", None, None),
        ("SEOUL — Officials said so.", "SEOUL", "city", "KR"),
        ("RAJIN, North Korea — Trade resumed.", "RAJIN", "city", "KP"),
        ("JI'AN, China (Reuters) — More trucks.", "JI'AN", "city", "CN"),
    ],
)
def test_a_division_after_a_comma_and_a_dateline_in_capitals(
    gazetteer, text, surface, kind, country
) -> None:
    found = [(m.kind, m.country) for m in parse(gazetteer, text) if m.text == surface]
    assert found == ([(kind, country)] if kind else [])  # an acronym is no dateline


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("The Washington Post reported cameras along the Yalu.", ["Yalu"]),
        ("China Daily said trade through Dandong rose.", ["Dandong"]),
        ("The New York Times and the Korea Herald reported on Sinuiju.", ["Sinuiju"]),
        ("According to the South China Morning Post, Hunchun grew.", ["Hunchun"]),
        ("Photos obtained by Rimjingang show guards in Hyesan.", ["Hyesan"]),
        ("According to Rimjingang, the Imjin River floods.", ["Imjin River"]),
        ("It was seen by Yalu fishermen near Sinuiju.", ["Yalu", "Sinuiju"]),
        ("Boats crossed the Yalu near Sinuiju.", ["Yalu", "Sinuiju"]),
    ],
)
def test_an_outlet_named_for_a_place_is_no_mention_of_it(gazetteer, text, kept) -> None:
    assert [m.text for m in parse(gazetteer, text)] == kept


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Washington and London condemned the test.", "US"),
        ("Envoys from London, Paris and Washington met.", "US"),
        ("The talks in Washington, Berlin and London failed.", "US"),
        ("Sunderland and Washington are in Tyne and Wear.", "GB"),
    ],
)
def test_a_name_listed_beside_capitals_is_the_capital(gazetteer, text, country) -> None:
    assert next(m.country for m in parse(gazetteer, text) if m.text == "Washington") == country


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Talks resumed in Geneva on Monday.", "city"),  # the canton is hardly more
        ("Bankers met in Zurich.", "city"),
        ("Floods hit Quebec.", "province"),  # its namesake city lies far from its middle
        ("Farmers in Oaxaca protested.", "province"),
    ],
)
def test_a_division_hardly_bigger_than_its_namesake_town_is_that_town(
    gazetteer, text: str, kind: str
) -> None:
    (m,) = extract(Article(id="t", text=text), gazetteer, None)
    assert m.kind == kind


@pytest.mark.parametrize(
    ("text", "surface", "ref"),
    [
        ("Smugglers crossed the Quanhe bridge at night.", "Quanhe bridge",
         "regional:bridge-quanhe-wonjong"),
        ("Goods moved over the Sino-Korean Friendship bridge in Dandong.",
         "Sino-Korean Friendship bridge", "regional:bridge-sino-korean-friendship"),
        ("Yesterday Quanhe bridge was shut.", "Quanhe bridge", "regional:bridge-quanhe-wonjong"),
        ("They waded the Tumen river near Namyang.", "Tumen river", "regional:river-tumen"),
    ],
)  # fmt: skip
def test_a_name_with_its_kind_in_lower_case_is_that_feature(
    gazetteer, text: str, surface: str, ref: str
) -> None:
    found = {m.text: m.ref for m in parse(gazetteer, text)}
    assert found[surface] == ref
    # The name's own words are not read again inside it ("Korean", a demonym).
    assert not any(s in surface and s != surface for s in found)


@pytest.mark.parametrize(
    "text", ["The bridge was closed.", "The river rose.", "Villagers said the crossing was shut."]
)
def test_a_kind_word_alone_is_no_place(gazetteer, text: str) -> None:
    assert parse(gazetteer, text) == []


def test_a_province_with_its_kind_word_is_the_curated_province(gazetteer) -> None:
    text = "Police in Chagang Province, in Chagang province and in Chagang."
    assert {m.ref for m in parse(gazetteer, text)} == {"regional:kp-province-chagang"}


def test_an_acronym_in_capitals_is_still_no_place(gazetteer) -> None:
    assert parse(gazetteer, "The NET said so. KPTC denied it.") == []


def test_mention_fields(gazetteer) -> None:
    text = "Cameras line the Yalu. Trade runs through Dandong."
    ms = parse(gazetteer, text)
    dandong = next(m for m in ms if m.text == "Dandong")
    assert dandong.article == "t"
    assert text[dandong.start : dandong.end] == "Dandong"
    assert dandong.kind == "city" and dandong.country == "CN"
    assert dandong.ref and dandong.ref.startswith(("geonames:", "regional:"))
    assert dandong.sentence == "Trade runs through Dandong."
    assert 0 < dandong.score <= 1
    assert dandong.precision == "town"
    yalu = next(m for m in ms if m.text == "Yalu")
    assert yalu.kind == "river" and yalu.precision == "river"


def test_unknown_river_is_listed_unresolved(gazetteer) -> None:
    ms = parse(gazetteer, "Patrols watch the Qqzzyx River closely.")
    assert [(m.text, m.lat, m.lon, m.name) for m in ms] == [("Qqzzyx River", None, None, None)]


WORDS = st.sampled_from(
    ["Dandong", "Sinŭiju", "Namp’o", "the", "river", "Kim Jong Un", "신의주", "\n", ", ", ". "]
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60)
@given(st.lists(WORDS, max_size=30).map(" ".join))
def test_offsets_give_back_the_surface(gazetteer, text: str) -> None:
    for m in parse(gazetteer, text):
        assert text[m.start : m.end] == m.text
        assert m.sentence == "" or " ".join(m.text.split()) in m.sentence
