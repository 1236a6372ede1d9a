from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from bordermap.text import fold, name_keys, sentence_spans


@given(st.text())
@example("İstanbul ﬁ Ⅻ")
@example("Sinu\u0306iju")
def test_fold_keeps_length(text: str) -> None:
    assert len(fold(text)) == len(text)


@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


def test_fold_variants_meet() -> None:
    assert fold("Sinŭiju") == fold("Sinuiju") == "sinuiju"
    assert fold("Hamhŭng") == "hamhung"
    assert fold("Namp’o") == fold("Namp'o") == "namp'o"
    assert fold("신의주에서") == "신의주에서"
    assert fold("Rajin-Sonbong") == "rajin sonbong"


def test_name_keys_drop_apostrophes_and_hyphens() -> None:
    assert {"pyongyang", "p'yongyang"} <= name_keys("P'yŏngyang")
    assert {"rajin sonbong", "rajinsonbong"} <= name_keys("Rajin-Sonbong")
    assert name_keys("   ") == set()


@given(st.text(alphabet=st.sampled_from("ab .!?\n-*")))
def test_sentence_spans_are_ordered_and_stripped(text: str) -> None:
    spans = list(sentence_spans(text))
    for (_s1, e1), (s2, _e2) in zip(spans, spans[1:], strict=False):
        assert e1 <= s2
    for s, e in spans:
        assert text[s:e] == text[s:e].strip() and e > s


def test_sentences_split_on_stops_and_bullets() -> None:
    text = "Dandong is busy. Sinuiju is quiet!\n\n- Hyesan\n- Manpo"
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "Dandong is busy.",
        "Sinuiju is quiet!",
        "- Hyesan",
        "- Manpo",
    ]


def test_name_keys_meet_abbreviated_names_in_text() -> None:
    assert fold("St. Louis") in name_keys("St. Louis")
    assert "st louis" in name_keys("St. Louis")
