"""Mentions encoded column by column: the same columns, in the same order, as encoding
them value by value (the loop the entries and corpus blocks used before, kept as oracle)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bordermap.articles import Article
from bordermap.cache import COLUMNS, STRING_COLUMNS, _decode, _encode, encode_columns
from bordermap.geoparse import Mention


def _value_by_value(mentions: list[Mention]) -> tuple[list[Any], list[str], dict[str, list[Any]]]:
    strings: dict[str | None, int] = {}
    sentences: dict[str, int] = {}
    body: dict[str, list[Any]] = {column: [] for column in COLUMNS}
    for m in mentions:
        for column in COLUMNS:
            value = getattr(m, column)
            if column in STRING_COLUMNS:
                value = strings.setdefault(value, len(strings))
            elif column == "sentence":
                value = sentences.setdefault(value, len(sentences))
            body[column].append(value)
    return list(strings), list(sentences), body


words = st.sampled_from(["Dandong", "Sinuiju", "city", "CN", "KP", "town", "gazetteer", "曼浦"])
maybe = st.one_of(st.none(), words)
mentions = st.lists(
    st.builds(
        Mention,
        st.just("a"),
        st.integers(0, 50),
        st.integers(0, 50),
        words,
        maybe,
        maybe,
        maybe,
        st.one_of(st.none(), st.floats(-90, 90)),
        st.one_of(st.none(), st.floats(-180, 180)),
        maybe,
        st.floats(0, 1),
        st.sampled_from(["One.", "Two.", "Dandong"]),
        words,
        maybe,
    ),  # fmt: skip
    max_size=20,
)


@settings(max_examples=300, deadline=None)
@given(mentions)
def test_columns_as_the_value_by_value_loop(found: list[Mention]) -> None:
    assert encode_columns(found) == _value_by_value(found)


def test_an_entry_decodes_to_its_mentions() -> None:
    text = "Trucks left Dandong for Sinuiju. Dandong again."
    found = [
        Mention("a", 12, 19, "Dandong", "Dandong", "city", "CN", 40.1, 124.4, "geonames:1",
                0.9, "Trucks left Dandong for Sinuiju.", "gazetteer", "town"),
        Mention("a", 24, 31, "Sinuiju", "Sinuiju", "city", "KP", 40.1, 124.4, None,
                0.8, "Trucks left Dandong for Sinuiju.", "curated", None),
        Mention("a", 33, 40, "Dandong", "Dandong", "city", "CN", 40.1, 124.4, "geonames:1",
                0.9, "Dandong again.", "gazetteer", "town"),
    ]  # fmt: skip
    assert _decode(_encode(found), Article("a", text)) == found
