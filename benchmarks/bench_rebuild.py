"""Issue 13's rebuild: ten more articles into the last build's folder, against a cold build.

Writes a corpus of ``--articles`` articles (``benchmarks/corpus.py``, under
``--dir``), then for this checkout and for the git revision ``--against``
(exported with ``git archive``, first on ``PYTHONPATH``), each with a mention
cache of its own (the gazetteer's index linked in, so "cold" means no cached
mentions, not a gazetteer to index):

1. a cold build (empty mention cache, ``--cold-jobs``, default every core)
   into an empty folder;
2. ten more articles (``write_corpus(folder, n + 10)`` writes only the new
   files; the project file is kept as it was, since its title names the count);
3. the rebuild into the same folder with the warm cache, ``--jobs`` (default every
   core, as ``bordermap build`` runs; with more than one the build's tables are
   written by its forked writer, so ``_mention_tables`` is not timed apart).

Each build runs in a fresh process that times the whole build and the stages
before the layers (reading the corpus, finding the mentions, the mention
tables). The figures are the rebuild's share of the cold build of the same
side, and the two sides' rebuilds against each other, all in this one run.
Last, the grown corpus is built cold (empty cache, empty folder) by this
checkout, and both rebuilt folders must hold exactly its bytes (the hidden
``.bordermap-inputs.json`` aside). Nothing is asserted on time.

Run: .venv/bin/python benchmarks/bench_rebuild.py [--articles 10000] [--against main]
     [--this REV (instead of the checkout)] [--dir /tmp/rb/bench] [--cold-jobs N] [--jobs N]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
from revisions import TIMED, child, differing, export  # noqa: E402

# Runs in the child: one build, the stages before the layers timed apart.
_BODY = """
import json, resource, sys
from pathlib import Path
import bordermap.build as build, bordermap.pipeline as pipeline
from bordermap.cache import MentionCache
from bordermap.config import load_config

def cpu():
    return sum(getattr(resource.getrusage(who), f) for who in
               (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN) for f in ("ru_utime", "ru_stime"))

timed(pipeline, "read_corpus")
timed(pipeline, "find_mentions")
timed(build, "_mention_tables")
start, used = time.perf_counter(), cpu()
config = load_config(sys.argv[1])
_, manifest = build.build_file(sys.argv[1], out=Path(sys.argv[2]), jobs=int(sys.argv[3]),
                               cache=MentionCache.default(config.focus))
stages = {k: wall for k, (wall, _, _) in spent.items()}
stages.update({k + " cpu": used for k, (_, used, _) in spent.items()})
print(json.dumps({"build": time.perf_counter() - start, "cpu": cpu() - used,
                  "mentions": manifest["mentions"], **stages}))
"""
_CHILD = TIMED + _BODY

STAGES = ("read_corpus", "find_mentions", "_mention_tables")


def fresh_cache(folder: Path, src: Path) -> Path:
    """An empty mention cache with the gazetteer's index of the code in ``src`` in it,
    made before anything is timed (linked when it is this checkout's; a revision whose
    index format differs builds its own there, untimed)."""
    from bordermap.gazetteer import cache_path

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    (folder / cache_path().name).symlink_to(cache_path())
    env = {**os.environ, "PYTHONPATH": str(src), "BORDERMAP_CACHE": str(folder)}
    child("from bordermap.gazetteer import load_gazetteer; load_gazetteer()\nprint('{}')",
          [], env)  # fmt: skip
    return folder


def run(src: Path, project: Path, out: Path, cache: Path, jobs: int) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(src), "BORDERMAP_CACHE": str(cache)}
    result: dict[str, Any] = child(_CHILD, [str(project), str(out), str(jobs)], env)
    return result


def show(who: str, what: str, r: dict[str, Any]) -> None:
    stages = "  ".join(
        f"{s.strip('_')} {r.get(s, 0.0):.2f} (cpu {r.get(s + ' cpu', 0.0):.2f})" for s in STAGES
    )
    print(f"{who:>6} {what:>7}: {r['build']:7.1f} s (cpu {r['cpu']:6.1f} s)  {stages}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=10000)
    ap.add_argument("--against", default="main", help="git revision to compare with")
    ap.add_argument("--this", help="a git revision to time instead of the checkout's files")
    ap.add_argument("--dir", type=Path, default=Path("/tmp/rb/bench"))
    ap.add_argument("--cold-jobs", type=int, default=None, help="default: every core")
    ap.add_argument("--jobs", type=int, default=None, help="jobs of the rebuild (every core)")
    args = ap.parse_args()
    from bordermap.gazetteer import load_gazetteer
    from bordermap.workers import default_jobs

    load_gazetteer()  # the index exists before anything is timed
    cold_jobs = args.cold_jobs or default_jobs()
    jobs = args.jobs or default_jobs()
    base, n = args.dir, args.articles
    folder = base / "corpus"
    for i in range(n, n + 10):  # a corpus of n exactly (a run before grew it)
        corpus.article_path(folder, i).unlink(missing_ok=True)
    project = corpus.write_corpus(folder, n)
    kept_project = project.read_text("utf-8")
    this = export(args.this, base / "this") if args.this else ROOT / "src"
    sides = {"this": this, args.against: export(args.against, base / "against")}
    results: dict[str, dict[str, dict[str, Any]]] = {who: {} for who in sides}
    for who, src in sides.items():
        out = base / f"out-{who}"
        shutil.rmtree(out, ignore_errors=True)
        cache = fresh_cache(base / f"cache-{who}", src)
        results[who]["cold"] = r = run(src, project, out, cache, cold_jobs)
        show(who, "cold", r)
    corpus.write_corpus(folder, n + 10)  # only the ten new files are written
    project.write_text(kept_project, "utf-8")
    for who, src in sides.items():
        results[who]["rebuild"] = r = run(src, project, base / f"out-{who}", base / f"cache-{who}",
                                          jobs)  # fmt: skip
        show(who, "rebuild", r)
    ref = base / "out-cold"
    shutil.rmtree(ref, ignore_errors=True)
    r = run(this, project, ref, fresh_cache(base / "cache-cold", this), cold_jobs)
    show("this", "cold+10", r)
    print()
    for who in sides:
        cold, again = results[who]["cold"], results[who]["rebuild"]
        print(f"{who}: rebuild {again['build']:.1f} s / cold {cold['build']:.1f} s = "
              f"{100 * again['build'] / cold['build']:.1f} % (cpu "
              f"{100 * again['cpu'] / cold['cpu']:.1f} %)")  # fmt: skip
    mine, theirs = results["this"]["rebuild"], results[args.against]["rebuild"]
    print(f"rebuild, {args.against} / this: {theirs['build'] / mine['build']:.2f}x "
          f"(cpu {theirs['cpu'] / mine['cpu']:.2f}x)")  # fmt: skip
    for kind in ("", " cpu"):
        for stage in (*STAGES, "together"):
            names = STAGES if stage == "together" else (stage,)
            a = sum(theirs.get(s + kind, 0.0) for s in names)
            b = sum(mine.get(s + kind, 0.0) for s in names)
            print(f"  {stage.strip('_') + kind:>19}: {args.against} {a:6.2f} s, this {b:6.2f} s"
                  f" ({a / b if b else float('inf'):.1f}x less)")  # fmt: skip
    for who in sides:
        diff = differing(base / f"out-{who}", ref)
        print(
            f"{who}'s rebuild against a cold build of the grown corpus: "
            + ("byte-identical" if not diff else f"DIFFER: {', '.join(diff)}")
        )
    (base / "results.json").write_text(json.dumps(results, indent=1) + "\n", "utf-8")


if __name__ == "__main__":
    main()
