"""A page's provenance tables and a layer prepared once: the same bytes as the plain way.

The rendering was made faster by reading each layer once (render/_layer.py,
LayerSources) and numbering per distinct article and context (PageSources).
The plain way it replaced is kept here as the oracle: every entry of the page
compared with its article's first, every key of every entry as its JSON text.
Both must give the same JSON, for any entries, on any page composition.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime
import json
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bordermap.render import MapLayer, Pages, render
from bordermap.render._html import js_json
from bordermap.render._plain import _plain, _plain_rows, _records
from bordermap.render._sources import LayerSources, PageSources

# ------------------------------------------------------------- the oracle

QUOTES = ("sentence", "mark")
_ABSENT = object()


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


class PlainSources:
    """The page's tables the plain way: a JSON text per key of every entry."""

    def __init__(self, provenances: Sequence[Any]) -> None:
        self.strings: dict[str, int] = {}
        self.articles: dict[str, int] = {}
        self.article_rows: list[list[Any]] = []
        self.contexts: dict[str, int] = {}
        self.context_rows: list[list[Any]] = []
        entries = [e for p in provenances if (es := _entries(p)) for e in es]
        keys = sorted({k for e in entries for k in e} - {"article", *QUOTES})
        seen: dict[tuple[str, str], str] = {}
        varying: set[str] = set()
        for e in entries:
            for k in keys:
                value = _key(e[k]) if k in e else "\0absent"
                if seen.setdefault((_key(e.get("article")), k), value) != value:
                    varying.add(k)
        self.article_keys = ["article"] + [k for k in keys if k not in varying]
        self.key_refs = [self.value(k) for k in self.article_keys]
        self.quote_refs = [self.value(k) for k in QUOTES]

    def value(self, value: Any) -> Any:
        if value is _ABSENT:
            return None
        if isinstance(value, str):
            return self.strings.setdefault(value, len(self.strings))
        return [value]

    def feature(self, entries: Sequence[dict[str, Any]]) -> dict[str, Any]:
        rows = []
        for e in entries:
            values = [e.get(k, _ABSENT) for k in self.article_keys]
            key = _key([None if v is _ABSENT else ["v", v] for v in values])
            if key not in self.articles:
                self.articles[key] = len(self.article_rows)
                self.article_rows.append([self.value(v) for v in values])
            rows.append(self.articles[key])
        contexts = []
        for e in entries:
            rest = {k: e[k] for k in sorted(e) if k not in {*self.article_keys, *QUOTES}}
            key = _key(rest)
            if key not in self.contexts:
                self.contexts[key] = len(self.context_rows)
                self.context_rows.append([x for kv in rest.items() for x in map(self.value, kv)])
            contexts.append(self.contexts[key])
        with_sentence = [i for i, e in enumerate(entries) if e.get("sentence")]
        chosen = (with_sentence or list(range(len(entries))))[:3]
        quotes = [[i] + [self.value(entries[i].get(k, _ABSENT)) for k in QUOTES] for i in chosen]
        same = len(set(contexts)) == 1
        return {"p": rows, "c": contexts[0] if same else contexts, "q": quotes}

    def tables(self) -> dict[str, Any]:
        return {"strings": list(self.strings), "articleKeys": self.key_refs,
                "quoteKeys": self.quote_refs, "articles": self.article_rows,
                "contexts": self.context_rows, "quotes": 3}  # fmt: skip


def _entries(value: Any) -> list[dict[str, Any]] | None:
    if isinstance(value, list) and all(isinstance(e, dict) for e in value):
        return value
    return None


def plain_page(layers: Sequence[Sequence[Any]]) -> str:
    sources = PlainSources([p for layer in layers for p in layer])
    refs = [[None if (es := _entries(p)) is None else sources.feature(es) for p in layer]
            for layer in layers]  # fmt: skip
    return js_json({"tables": sources.tables(), "refs": refs})


def fast_page(layers: Sequence[LayerSources]) -> str:
    sources = PageSources(layers)
    refs = [sources.features(i) for i in range(len(layers))]
    return js_json({"tables": sources.tables(), "refs": refs})


def plain_value(value: Any) -> Any:
    """_plain as it was: one call per value."""
    if isinstance(value, dict):
        return {str(k): plain_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain_value(v) for v in value]
    if hasattr(value, "item") and callable(value.item) and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


# ------------------------------------------------------------ the entries


class Name(str):
    """A str subclass: its JSON is that of its characters."""


# Few values each, so that articles agree and disagree on keys by chance; values
# whose JSON differs though Python finds them equal (1, 1.0, True; "1" and 1).
ARTICLE = st.sampled_from(["a1", "a2", "a3", Name("a1"), "1", 1, None])
VALUE = st.sampled_from(["x", "y", "", Name("x"), 1, 1.0, True, None, [1, 2], {"k": 1}])
ENTRY = st.fixed_dictionaries(
    {},
    optional={
        "article": ARTICLE,
        "title": st.sampled_from(["T1", "T2", Name("T1")]),
        "outlet": st.sampled_from(["O", "P"]),
        "claim": st.sampled_from(["C1", "C2", "C1 Note."]),
        "mentions": st.sampled_from([1, 2, 1.0, True]),
        "sentence": st.sampled_from(["", "S1", "S2"]),
        "mark": st.sampled_from([[0, 2], [1, 3], [0, 2.0]]),
        "corrected": VALUE,
        "origin": st.sampled_from(["a1", "a2"]),
    },
)
PROVENANCE = st.one_of(st.none(), st.just("not provenance"), st.lists(ENTRY, max_size=5))
LAYER = st.lists(PROVENANCE, max_size=6)


def _title_per_article(layer: list[Any]) -> list[Any]:
    """The same layer with most titles made the article's (as real entries have)."""
    out = []
    for p in layer:
        if isinstance(p, list):
            p = [{**e, "title": f"T{e['article']}"} if "title" in e and "article" in e
                 and e["title"] == "T1" else e for e in p]  # fmt: skip
        out.append(p)
    return out


@settings(max_examples=300, deadline=None)
@given(st.lists(LAYER, min_size=1, max_size=4))
@example([[[{"article": "a1", "mentions": 1}], [{"article": "a1", "mentions": True}]]])
@example([[[{"article": "a1", "title": "T"}]], [[{"article": "a1", "title": Name("T")}]]])
@example([[[{"title": "T"}, {"article": None, "title": "U"}]]])
@example([[[{"article": "a1", "claim": "C1"}]], [[{"article": "a1", "claim": "C2"}]],
          [[{"article": "a2", "claim": "C1"}], [{"article": "a1", "claim": "C2"}]]])  # fmt: skip
def test_page_tables_are_those_of_the_plain_way(layers: list[list[Any]]) -> None:
    """Any entries, a layer on the index and on its own page beside the first: same JSON."""
    layers = [_title_per_article(x) for x in layers]
    read = [LayerSources(x) for x in layers]
    pages = [list(range(len(layers)))] + [[0, i] for i in range(1, len(layers))]
    for page in pages:
        assert fast_page([read[i] for i in page]) == plain_page([layers[i] for i in page])


def test_a_claim_that_differs_per_article_within_a_layer_is_a_context() -> None:
    # On the index, the claim varies across layers; within the first layer it is each
    # article's own (the notes of its places), so the page's contexts pair them.
    first = [[{"article": "a1", "claim": "C1", "mentions": 1}],
             [{"article": "a2", "claim": "C2", "mentions": 1},
              {"article": "a1", "claim": "C1", "mentions": 2}]]  # fmt: skip
    second = [[{"article": "a1", "claim": "D", "mentions": 1}]]
    assert fast_page([LayerSources(first), LayerSources(second)]) == plain_page([first, second])
    tables = json.loads(fast_page([LayerSources(first), LayerSources(second)]))["tables"]
    assert [tables["strings"][k] for k in tables["articleKeys"]] == ["article"]


PLAIN_VALUE = st.recursive(
    st.one_of(
        st.sampled_from([None, True, False, 0, 1, -3, 1.5, math.nan, math.inf, "", "x", Name("n")]),
        st.sampled_from([np.int64(3), np.float64(2.5), np.float64("nan"), np.bool_(True)]),
        st.just(datetime.date(2021, 3, 4)),
        st.text(max_size=3),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(st.one_of(st.text(max_size=2), st.integers(0, 3)), inner, max_size=4),
    ),
    max_leaves=12,
)


@given(PLAIN_VALUE)
def test_plain_is_what_it_was(value: Any) -> None:
    assert js_json(_plain(value)) == js_json(plain_value(value))


def plain_records(items: Sequence[dict[str, Any] | None]) -> Any:
    """_records as it was: the shared columns found by JSON text."""
    present = [r for r in items if r is not None]
    keys = list(present[0]) if present else []
    if any(list(r) != keys for r in present):
        return list(items)
    same = {}
    if len(items) >= 2 and present and len(present) == len(items):
        for k in keys:
            if all(js_json(r[k]) == js_json(present[0][k]) for r in present[1:]):
                same[k] = present[0][k]
    out: dict[str, Any] = {"keys": keys, **({"same": same} if same else {})}
    out["rows"] = [None if r is None else [r[k] for k in keys if k not in same] for r in items]
    return out


RECORD_VALUE = st.sampled_from(["x", Name("x"), "", 1, 1.0, True, None, [1], [1.0], {"a": 1}])


@given(
    st.lists(
        st.one_of(st.none(), st.fixed_dictionaries({"a": RECORD_VALUE, "b": RECORD_VALUE})),
        max_size=5,
    )
)
def test_records_are_what_they_were(items: list[dict[str, Any] | None]) -> None:  # fmt: skip
    assert js_json(_records(items)) == js_json(plain_records(items))


# ------------------------------------------------- layers kept between pages


def _layer_spec(provenance: list[dict[str, Any]]) -> Any:
    from test_render import _fc, _feature, make_spec

    features = [
        _feature({"type": "Point", "coordinates": [124 + p / 100, 40 + p / 200]},
                 name=f"Town {p}", provenance=[dict(e, mentions=p % 3 + 1) for e in provenance])
        for p in range(30)
    ]  # fmt: skip
    layer = MapLayer("towns", "Towns", "#123456", _fc(features))
    return dataclasses.replace(make_spec(n_cameras=10), layers=[layer])


def test_a_kept_layer_gives_the_page_of_a_fresh_one() -> None:
    entries = [{"article": f"a{i}", "title": f"Title {i}", "claim": "C", "sentence": f"S {i}"}
               for i in range(4)]  # fmt: skip
    spec = _layer_spec(entries)
    pages = Pages()
    cold = render(spec, pages)
    assert len(pages._prepared) == 1
    assert render(spec, pages) == cold  # from the kept layer
    assert render(spec) == cold  # nothing kept
    # An equal layer in other objects is found by its contents.
    again = dataclasses.replace(spec, layers=[copy.deepcopy(spec.layers[0])])
    assert render(again, pages) == cold and len(pages._prepared) == 1


def test_a_text_packed_on_two_pages_is_compressed_once() -> None:
    entries = [{"article": f"a{i}", "title": f"A long title {i} " * 40, "sentence": f"S {i}"}
               for i in range(4)]  # fmt: skip
    spec = _layer_spec(entries)
    pages = Pages()
    cold = render(spec, pages)
    packed = dict(pages.packed)  # the data of each packed block, by its text
    assert packed and all(data in cold for data in packed.values())
    assert render(spec, pages) == cold == render(spec)
    assert pages.packed == packed


def test_a_changed_layer_is_prepared_again() -> None:
    entries = [{"article": f"a{i}", "title": f"Title {i}", "claim": "C", "sentence": f"S {i}"}
               for i in range(4)]  # fmt: skip
    spec = _layer_spec(entries)
    pages = Pages()
    before = render(spec, pages)
    # Another title in a copy of the layer: its contents differ, so does its page.
    changed = copy.deepcopy(spec.layers[0])
    changed.geojson["features"][3]["properties"]["provenance"][1]["title"] = "Changed"
    after = render(dataclasses.replace(spec, layers=[changed]), pages)
    assert after != before and "Changed" in after
    assert len(pages._prepared) == 2
    assert render(dataclasses.replace(spec, layers=[changed])) == after
    assert render(spec, pages) == before


def test_no_prepared_layer_outlives_its_pages() -> None:
    """The module keeps nothing: what a build prepared goes with its Pages."""
    import gc
    import weakref

    spec = _layer_spec([{"article": "a1", "title": "T", "claim": "C", "sentence": "S"}])
    pages = Pages()
    render(spec, pages)
    kept = weakref.ref(next(iter(pages._prepared.values())))
    render(spec)
    assert kept() is not None
    del pages
    gc.collect()
    assert kept() is None


def test_a_page_key_changes_with_its_layers_contents() -> None:
    from bordermap.reuse import content_key

    entries = [{"article": "a1", "title": "T", "claim": "C", "sentence": "S"}]
    spec = _layer_spec(entries)
    pages = Pages()
    key = content_key("page", pages.key(spec))
    assert content_key("page", Pages().key(copy.deepcopy(spec))) == key  # contents, not objects
    changed = copy.deepcopy(spec.layers[0])
    changed.geojson["features"][0]["properties"]["name"] = "Other"
    assert content_key("page", pages.key(dataclasses.replace(spec, layers=[changed]))) != key
    other = dataclasses.replace(spec, layers=[dataclasses.replace(spec.layers[0], color="#000000")])
    assert content_key("page", pages.key(other)) != key
    assert content_key("page", pages.key(dataclasses.replace(spec, title="New"))) != key


def _plain_already(value: Any) -> bool:
    """A list of dicts with str keys and values of exactly str, int, bool, None or
    lists of those (what _plain_rows may keep as it is)."""
    simple = (str, int, bool, type(None))
    return type(value) is list and all(
        type(row) is dict
        and all(type(k) is str for k in row)
        and all(
            type(v) in simple or (type(v) is list and all(type(x) in simple for x in v))
            for v in row.values()
        )  # fmt: skip
        for row in value
    )


ROW = st.dictionaries(st.one_of(st.text(max_size=2), st.integers(0, 2)), PLAIN_VALUE, max_size=4)
ENTRY_ROW = st.fixed_dictionaries(
    {"article": st.sampled_from(["a1", "a2"]), "mentions": st.integers(1, 3)},
    optional={"mark": st.lists(st.one_of(st.integers(0, 9), st.floats(0, 1)), max_size=2),
              "claim": st.sampled_from(["C", Name("C")])},
)  # fmt: skip


@settings(max_examples=300)
@given(st.one_of(PLAIN_VALUE, st.lists(st.one_of(ROW, ENTRY_ROW, PLAIN_VALUE), max_size=4)))
@example([{"article": "a1", "mentions": 1, "mark": [0, 4]}, {"article": "a2", "mark": [0.5]}])
@example([{"article": "a1", "mark": [1, 2]}, {"article": "a2", "origin": ("a1",)}])
def test_plain_rows_copy_what_is_not_plain(value: Any) -> None:
    out = _plain_rows(value)
    assert js_json(out) == js_json(plain_value(value))
    if type(value) is list:  # kept as it is exactly when it is plain already
        assert (out is value) == _plain_already(value)


@given(st.lists(ENTRY, max_size=6))
@example([{"article": "a1"}, {"article": ""}, {"article": Name("a2")}])
@example([{"article": "a2"}, {"article": ""}, {"article": "a1"}])
@example([{"article": "a1"}, {"title": "T"}])
def test_a_features_article_ids_are_those_of_its_entries(entries: list[dict[str, Any]]) -> None:
    from bordermap.render._layer import _article_ids

    want = ",".join(sorted({str(e["article"]) for e in entries if e.get("article")}))
    assert _article_ids(entries) == want
