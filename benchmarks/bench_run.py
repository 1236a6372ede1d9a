"""One corpus run at a given size: extraction, then the build, with their figures.

Writes (or reuses) a corpus of ``--articles`` articles with
``benchmarks/corpus.py`` under ``--dir``, then runs the two commands a user
would, each under GNU ``/usr/bin/time -v`` in a fresh process, against an
empty mention cache of its own (the gazetteer index linked in):

1. ``bordermap extract articles --format jsonl -o mentions.jsonl --jobs J``
   (parses every article and fills the mention cache);
2. ``bordermap build --config bordermap.toml --jobs J --out output`` (reads
   the mentions from that cache: it parses nothing; ``-v`` says so).

For each it records wall-clock seconds, articles a second, peak resident
set (``time -v``'s maximum, the largest single process of the command's tree:
worker processes are reaped by it), CPU seconds, and the size of every file
written; the machine's load average is sampled every 30 s during the run
(it is shared). Results go to ``DIR/run-N.json`` and a summary on stdout. The
same command at two sizes (``--articles 10000`` and ``--articles 100000``)
shows whether time and memory grow linearly.

Run: .venv/bin/python benchmarks/bench_run.py --articles 10000 --dir /tmp/bm-runs [--jobs 2]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

BIN = Path(sys.executable).parent


def _time_v(stderr: str) -> dict[str, float]:
    """Wall seconds, peak RSS in MB and CPU seconds from GNU time's ``-v`` report."""

    def grab(label: str) -> str:
        m = re.search(rf"^\s*{re.escape(label)}: (.+)$", stderr, re.M)
        if m is None:
            raise SystemExit(f"no '{label}' in time -v's report:\n{stderr[-2000:]}")
        return m.group(1).strip()

    h_m_s = [float(x) for x in grab("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":")]
    wall = sum(v * 60**i for i, v in enumerate(reversed(h_m_s)))
    cpu = float(grab("User time (seconds)")) + float(grab("System time (seconds)"))
    return {
        "wall_s": round(wall, 1),
        "cpu_s": round(cpu, 1),
        "peak_rss_mb": round(int(grab("Maximum resident set size (kbytes)")) / 1024),
    }


def files(folder: Path) -> dict[str, int]:
    """Size in bytes of each file under ``folder`` (hidden ones left out)."""
    return {
        str(p.relative_to(folder)): p.stat().st_size
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    }


class Load:
    """The 1-minute load average, sampled every ``every`` seconds in a thread."""

    def __init__(self, every: float = 30.0) -> None:
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(every,), daemon=True)

    def _run(self, every: float) -> None:
        while True:
            self.samples.append(round(os.getloadavg()[0], 1))
            if self._stop.wait(every):
                return

    def __enter__(self) -> Load:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def summary(self) -> dict[str, float]:
        s = self.samples or [0.0]
        return {"min": min(s), "mean": round(sum(s) / len(s), 1), "max": max(s)}


def timed(cmd: list[str], env: dict[str, str], log: Path) -> dict[str, object]:
    """Run ``cmd`` under ``/usr/bin/time -v``; its stderr goes to ``log``."""
    with Load() as load:
        done = subprocess.run(
            ["/usr/bin/time", "-v", *cmd], env=env, stderr=subprocess.PIPE, text=True
        )
    log.write_text(done.stderr, encoding="utf-8")
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}); see {log}")
    return {**_time_v(done.stderr), "load": load.summary()}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, required=True)
    ap.add_argument("--dir", type=Path, required=True, help="corpora and results go here")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    n = args.articles
    folder = args.dir / f"c{n}"
    project = folder / "bordermap.toml"
    if not project.exists():
        start = time.perf_counter()
        corpus.write_corpus(folder, n)
        print(f"wrote the corpus of {n:,} articles in {time.perf_counter() - start:.0f} s")

    from bordermap.gazetteer import cache_path, load_gazetteer

    load_gazetteer()  # the index exists before anything is timed
    cache = args.dir / f"cache-{n}"
    shutil.rmtree(cache, ignore_errors=True)
    cache.mkdir(parents=True)
    (cache / cache_path().name).symlink_to(cache_path())
    env = {**os.environ, "BORDERMAP_CACHE": str(cache)}
    bm = str(BIN / "bordermap")
    out = folder / "output"
    shutil.rmtree(out, ignore_errors=True)
    mentions = folder / "mentions.jsonl"

    result: dict[str, object] = {"articles": n, "jobs": args.jobs}
    ext = timed(
        [bm, "-v", "extract", str(folder / "articles"), "--format", "jsonl",
         "-o", str(mentions), "--jobs", str(args.jobs)],
        env, folder / "extract.log",
    )  # fmt: skip
    ext["articles_per_s"] = round(n / float(ext["wall_s"]), 1)  # type: ignore[arg-type]
    ext["files"] = {"mentions.jsonl": mentions.stat().st_size}
    ext["mention_lines"] = sum(1 for _ in open(mentions, "rb"))
    result["extract"] = ext
    print(f"extract {n:,}: {json.dumps(ext)}", flush=True)

    bld = timed(
        [bm, "-v", "build", "--config", str(project), "--jobs", str(args.jobs),
         "--out", str(out)],
        env, folder / "build.log",
    )  # fmt: skip
    bld["articles_per_s"] = round(n / float(bld["wall_s"]), 1)  # type: ignore[arg-type]
    bld["files"] = files(out)
    bld["bytes"] = sum(bld["files"].values())  # type: ignore[union-attr]
    parsed = re.findall(r"geoparsed (\d+) articles, (\d+) more from the cache",
                        (folder / "build.log").read_text("utf-8"))  # fmt: skip
    bld["parsed_from_cache"] = [list(map(int, p)) for p in parsed]
    result["build"] = bld
    print(f"build {n:,}: {json.dumps(bld)}", flush=True)
    (args.dir / f"run-{n}.json").write_text(json.dumps(result, indent=1) + "\n", "utf-8")


if __name__ == "__main__":
    main()
