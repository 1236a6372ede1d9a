"""Geoparser quality on the two public development corpora (TR-News, GeoWebNews).

Run: .venv/bin/python benchmarks/geoparse_dev.py [--errors N] [--focus W,S,E,N]

Reads ``../shared/geoparse-dev/*.jsonl`` relative to the repository (never
copied into it; see the README there). Conventions of the geoparsing
literature: a predicted span matches a gold span when they overlap;
recognition precision, recall and F1 (also with exact spans); of the gold
toponyms found (and graded, ``resolve`` true), the share resolved within
161 km (A@161), the median error and the AUC of log(1 + error km); end to
end, the share of all graded gold toponyms found and resolved within 161 km.

Each corpus is split by document position: even-numbered documents were used
while tuning ("tune"), odd-numbered ones were only measured ("check"). The
"most populous" baseline resolves the same found spans to the gazetteer's
most populous candidate of that name (no context), as in the literature.

With no ``--focus`` the parser runs with a neutral prior (``focus=None``),
as for a corpus that is not about the border.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bordermap.articles import Article
from bordermap.gazetteer import Gazetteer, load_gazetteer
from bordermap.geoparse import Mention, extract
from bordermap.resolve import haversine_km

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "geoparse-dev"
CORPORA = {"trnews": "trnews.jsonl", "geowebnews": "geowebnews.jsonl"}
A_KM = 161.0
MAX_KM = 20_039.0  # half the equator: the error of an unresolved toponym


@dataclass
class Tally:
    pred: int = 0
    pred_ok: int = 0
    pred_exact: int = 0
    gold: int = 0
    gold_found: int = 0
    gold_exact: int = 0
    graded: int = 0  # gold toponyms with resolve true
    errors: list[float] = field(default_factory=list)  # km, graded and found
    base_errors: list[float] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    def add(self, o: Tally) -> None:
        for k in ("pred", "pred_ok", "pred_exact", "gold", "gold_found", "gold_exact", "graded"):
            setattr(self, k, getattr(self, k) + getattr(o, k))
        for k in ("errors", "base_errors", "misses", "false", "wrong"):
            getattr(self, k).extend(getattr(o, k))


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _most_populous(gaz: Gazetteer, phrase: str) -> tuple[float, float] | None:
    found = [p for p, _ in gaz.lookup(phrase)]
    if not found:
        return None
    best = max(found, key=lambda p: (p.population, p.kind == "country", p.ref))
    return best.lat, best.lon


def score_doc(doc: dict[str, Any], mentions: Sequence[Mention], gaz: Gazetteer) -> Tally:
    t = Tally(pred=len(mentions), gold=len(doc["toponyms"]))
    text = doc["text"]
    gold = doc["toponyms"]
    for m in mentions:
        over = [g for g in gold if g["start"] < m.end and m.start < g["end"]]
        if over:
            t.pred_ok += 1
            t.pred_exact += any(g["start"] == m.start and g["end"] == m.end for g in over)
        else:
            t.false.append(f"{doc['id']}: FP {m.text!r} -> {m.name} [{m.kind}]")
    for g in gold:
        over = [m for m in mentions if m.start < g["end"] and g["start"] < m.end]
        if g.get("resolve", True):
            t.graded += 1
        if not over:
            a, b = max(0, g["start"] - 40), min(len(text), g["end"] + 40)
            ctx = " ".join(text[a:b].split())
            t.misses.append(f"{doc['id']}: FN {g['phrase']!r}  …{ctx}…")
            continue
        t.gold_found += 1
        t.gold_exact += any(m.start == g["start"] and m.end == g["end"] for m in over)
        if not g.get("resolve", True):
            continue
        m = over[0]
        if m.lat is None or m.lon is None:
            err = MAX_KM
        else:
            err = haversine_km(m.lon, m.lat, g["lon"], g["lat"])
        t.errors.append(err)
        if err > A_KM:
            t.wrong.append(
                f"{doc['id']}: {g['phrase']!r} -> {m.name} ({m.ref}, {m.kind}) {err:,.0f} km off"
            )
        base = _most_populous(gaz, text[m.start : m.end])
        t.base_errors.append(
            MAX_KM if base is None else haversine_km(base[1], base[0], g["lon"], g["lat"])
        )
    return t


def _auc(errors: Sequence[float]) -> float:
    if not errors:
        return 0.0
    top = math.log(1 + MAX_KM)
    return sum(math.log(1 + e) for e in errors) / (len(errors) * top)


def report(name: str, t: Tally) -> str:
    p = t.pred_ok / t.pred if t.pred else 1.0
    r = t.gold_found / t.gold if t.gold else 1.0
    pe = t.pred_exact / t.pred if t.pred else 1.0
    re_ = t.gold_exact / t.gold if t.gold else 1.0
    acc = sum(e <= A_KM for e in t.errors) / len(t.errors) if t.errors else 0.0
    base = sum(e <= A_KM for e in t.base_errors) / len(t.base_errors) if t.base_errors else 0.0
    e2e = sum(e <= A_KM for e in t.errors) / t.graded if t.graded else 0.0
    med = statistics.median(t.errors) if t.errors else 0.0
    return (
        f"{name:18s} P={p:.3f} R={r:.3f} F1={_f1(p, r):.3f} "
        f"(exact F1={_f1(pe, re_):.3f})  A@161={acc:.3f} [most populous {base:.3f}] "
        f"median={med:,.0f} km AUC={_auc(t.errors):.3f}  end-to-end={e2e:.3f}  "
        f"(gold {t.gold}, predicted {t.pred})"
    )


def run(
    path: Path, gaz: Gazetteer, focus: tuple[float, float, float, float] | None
) -> tuple[Tally, Tally, float]:
    halves = (Tally(), Tally())
    docs = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    t0 = time.perf_counter()
    for i, doc in enumerate(docs):
        mentions = extract(Article(id=str(doc["id"]), text=doc["text"]), gaz, focus=focus)
        halves[i % 2].add(score_doc(doc, mentions, gaz))
    return halves[0], halves[1], time.perf_counter() - t0


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--errors", type=int, default=0, help="print N of each error kind")
    ap.add_argument("--focus", help="W,S,E,N focus bbox (default: none, a neutral prior)")
    ap.add_argument("--half", choices=["tune", "check", "both"], default="both")
    args = ap.parse_args(argv)
    if not DEV.is_dir():
        print(f"no development corpora at {DEV}; nothing to measure", file=sys.stderr)
        return 0
    focus = None
    if args.focus:
        w, s, e, n = (float(v) for v in args.focus.split(","))
        focus = (w, s, e, n)
    gaz = load_gazetteer()
    for name, fname in CORPORA.items():
        tune, check, secs = run(DEV / fname, gaz, focus)
        both = Tally()
        both.add(tune)
        both.add(check)
        print(report(f"{name}/tune", tune))
        print(report(f"{name}/check", check))
        print(report(f"{name}/all", both) + f"  {secs:.1f} s")
        shown = {"tune": tune, "check": check, "both": both}[args.half]
        if args.errors:
            for kind in ("misses", "false", "wrong"):
                for line in getattr(shown, kind)[: args.errors]:
                    print("   ", line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
