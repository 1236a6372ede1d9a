"""The GeoPackage's provenance tables made column by column give what the rows gave (issue 13).

``provenance_tables`` once made a dict per entry (each entry by reference, then its
mark split and its values made cells) and ``_attributes`` a DataFrame of those rows;
now every column is made in one pass over the entries and the frame from the columns.
The row-by-row way is kept here as the oracle, compared on any entries (odd keys and
values included) and on the seeds' layers, down to the frames GDAL is given.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bordermap.config import LayerConfig
from bordermap.export import _frame
from bordermap.gpkg_provenance import ENTRY_COLUMNS, FEATURE_COLUMNS, provenance_tables
from bordermap.layers import Feature, Layer
from bordermap.provenance import References, entry_claim

_INTS = ("feature_fid", "sentence", "mark_start", "mark_end", "mentions")

# ------------------------------------------------------------- the oracle


def plain_provenance_tables(
    layers: list[Layer], refs: References
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows of ``provenance_features`` and ``provenance_entries``, an entry at a time."""
    cited: list[dict[str, Any]] = []
    entries: list[dict[str, Any]] = []
    for layer in layers:
        for f in layer.features:
            if not f.provenance:
                continue
            fid = len(cited) + 1
            claim = entry_claim(layer.config.claim, f.note)
            own = claim if claim != layer.config.claim else None
            cited.append({"fid": fid, "layer": layer.id, "feature": f.id, "claim": own})
            for entry in refs.entries(f.provenance, claim):
                row: dict[str, Any] = {"feature_fid": fid}
                for key, value in entry.items():
                    if key == "mark" and isinstance(value, list) and len(value) == 2:
                        row["mark_start"], row["mark_end"] = value
                    elif isinstance(value, (str, int, float)) or value is None:
                        row[key] = value
                    else:
                        row[key] = json.dumps(value, ensure_ascii=False, sort_keys=True)
                entries.append(row)
    return cited, entries


def plain_frame(rows: list[dict[str, Any]], columns: list[str], ints: tuple[str, ...]) -> Any:
    frame = pd.DataFrame(list(rows), columns=list(columns))
    for col in frame.columns:
        frame[col] = frame[col].astype("Int64" if col in ints else "string")
    return frame


def _typed(values: list[Any]) -> list[tuple[type, Any]]:
    return [(type(v), v) for v in values]  # 1 and True, 0 and 0.0 are not the same cell


def check(layers: list[Layer], articles: dict[str, dict[str, str]]) -> None:
    refs, plain_refs = References(dict(articles)), References(dict(articles))
    cited, entries = provenance_tables(layers, refs)
    plain_cited, plain_entries = plain_provenance_tables(layers, plain_refs)
    assert refs.sentences.rows() == plain_refs.sentences.rows()
    assert cited == {k: [r[k] for r in plain_cited] for k in FEATURE_COLUMNS}
    keys = {k for r in plain_entries for k in r}
    if plain_entries:
        assert set(entries) == keys
    for key in keys:
        assert _typed(entries[key]) == _typed([r.get(key) for r in plain_entries]), key
    others = sorted(keys - set(ENTRY_COLUMNS))
    columns = [*ENTRY_COLUMNS, *others]
    pd.testing.assert_frame_equal(
        _frame(entries, columns, _INTS), plain_frame(plain_entries, columns, _INTS)
    )
    pd.testing.assert_frame_equal(
        _frame(cited, list(FEATURE_COLUMNS), ("fid",)),
        plain_frame(plain_cited, list(FEATURE_COLUMNS), ("fid",)),
    )


# ------------------------------------------------------------- any entries

_VALUE = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from(["", "x", "T1", "C"]),
    st.floats(allow_nan=False, allow_infinity=False, width=16),
    st.lists(st.integers(0, 9), max_size=3), st.dictionaries(st.sampled_from("ab"), st.integers(0, 2)),
)  # fmt: skip
_ENTRY = st.fixed_dictionaries(
    {},
    optional={
        "article": st.sampled_from(["a1", "a2", "", "gone"]),
        "title": st.one_of(st.sampled_from(["T1", "T2", ""]), _VALUE),
        "outlet": st.sampled_from(["O", ""]),
        "date": st.sampled_from(["2020", "2021-03", ""]),
        "claim": st.one_of(st.sampled_from(["C", "C N", "D"]), _VALUE),
        "sentence": st.sampled_from(["", "S1", "S2"]),
        "mark": st.one_of(st.just([0, 2]), _VALUE),
        "mentions": st.integers(1, 3),
        "origin": st.sampled_from(["a1", "a2"]),
        "corrected": _VALUE,
    },
)
_CLASH = st.fixed_dictionaries(
    {}, optional={k: st.integers(0, 9) for k in ("mark_start", "mark_end", "feature_fid")}
)
_ARTICLES = {"a1": {"title": "T1", "outlet": "O", "origin": "a1", "date": "2020"},
             "a2": {"title": "T2"}}  # fmt: skip


def _layers(features: list[list[list[dict[str, Any]]]]) -> list[Layer]:
    out = []
    for i, feats in enumerate(features):
        config = LayerConfig(f"l{i}", f"L{i}", "#000000", claim="C" if i % 2 == 0 else "")
        out.append(Layer(config, [
            Feature(f"f{j}", "name", "city", "CN", ((0.0, 0.0),), tuple(prov),
                    note="N" if j % 3 == 1 else "")
            for j, prov in enumerate(feats)
        ]))  # fmt: skip
    return out


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.lists(_ENTRY, max_size=4), max_size=4), max_size=3))
@example([[[{"article": "a1", "title": "T1", "mark": [0, 2], "sentence": "S1"}], []]])
@example([[[{"mark": [0, 2]}, {"mark": "x"}]]])
@example([[[{"mentions": 1}, {"mentions": None}, {"mentions": True}]]])
def test_the_columns_are_the_rows(features: list[list[list[dict[str, Any]]]]) -> None:
    check(_layers(features), _ARTICLES)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.lists(st.one_of(_ENTRY, _CLASH), max_size=3), max_size=3),
                max_size=2))  # fmt: skip
@example([[[{"mark": [1, 2], "mark_start": 5}]]])
@example([[[{"mark_end": 5, "mark": [1, 2]}]]])
@example([[[{"feature_fid": 7, "article": "a1"}]]])
def test_entries_naming_a_column_twice_are_the_rows(
    features: list[list[list[dict[str, Any]]]],
) -> None:
    check(_layers(features), _ARTICLES)


def test_the_seeds_layers_give_the_rows(project: Any) -> None:
    """The shipped project's layers, every entry of them."""
    from bordermap.provenance import article_rows

    parts = project.parts
    layers = [*parts.layers.values(), parts.coverage.layer()]
    assert sum(len(f.provenance) for x in layers for f in x.features) > 20
    check(layers, article_rows(parts.articles, parts.origins))
