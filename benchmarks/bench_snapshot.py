"""Snapshot speed: browser start, each map's snapshot and the whole batch.

Builds the default project's maps (``bordermap.toml``, tiles "none") into a
temporary folder, starts one headless Chromium (:class:`bordermap.snapshot.Snapshotter`)
and snapshots every map at 1920x1080, scale 2 (a 3840x2160 PNG), then the
index map as of a date (``--as-of``) paired with plain snapshots of it (the
ratio of their medians) and as JPEG and PDF.  Prints one row per snapshot:
seconds and bytes.  The target is under 3 s per 1920x1080 PNG once the browser is up.

Run: ``.venv/bin/python benchmarks/bench_snapshot.py [--size 1920x1080] [--scale 2]
[--rounds 1]`` from the repository root.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from bordermap.project import Project
from bordermap.snapshot import Snapshotter

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=ROOT / "bordermap.toml")
    parser.add_argument("--size", default="1920x1080", help="WIDTHxHEIGHT in CSS pixels")
    parser.add_argument("--scale", type=float, default=2)
    parser.add_argument("--rounds", type=int, default=1, help="batches to run (median shown)")
    parser.add_argument("--as-of", default="2019-06", help="the date of the as-of snapshot")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.lower().split("x"))
    size = (width, height)

    with tempfile.TemporaryDirectory(prefix="bench-snapshot-") as tmp:
        out = Path(tmp)
        started = time.perf_counter()
        manifest = Project.load(args.config).build(out / "maps", tiles="none")
        build_s = time.perf_counter() - started
        maps = [out / "maps" / name for name in manifest["maps"]]

        started = time.perf_counter()
        with Snapshotter() as shooter:
            start_s = time.perf_counter() - started
            rows: dict[str, list[tuple[float, int]]] = {}
            batches = []
            for _ in range(args.rounds):
                batch_started = time.perf_counter()
                for html in maps:
                    shot = shooter.snapshot(
                        html, out / "png" / f"{html.stem}.png", size, args.scale
                    )
                    rows.setdefault(f"{html.stem}.png", []).append(
                        (shot.seconds, shot.path.stat().st_size)
                    )
                batches.append(time.perf_counter() - batch_started)
            # As of a date (the page's time filter set before the capture), each
            # paired with a plain snapshot of the same map taken just before it, so
            # that the ratio is not a change in the machine's load.
            for _ in range(max(3, args.rounds)):
                for key, when in (("plain, paired", None), (f"as of {args.as_of}", args.as_of)):
                    shot = shooter.snapshot(
                        maps[0], out / "paired.png", size, args.scale, as_of=when
                    )
                    rows.setdefault(f"{maps[0].stem} {key}", []).append(
                        (shot.seconds, shot.path.stat().st_size)
                    )
            for fmt in ("jpeg", "pdf"):
                shot = shooter.snapshot(maps[0], out / f"index.{fmt}", size, args.scale, fmt)
                rows[f"index.{fmt}"] = [(shot.seconds, shot.path.stat().st_size)]
        total_s = time.perf_counter() - started

    print(f"maps built in {build_s:.2f} s; frame {width}x{height} CSS px, scale {args.scale:g}")
    print(f"{'step':<22} {'seconds':>8} {'bytes':>11}")
    print(f"{'browser start':<22} {start_s:8.2f} {'':>11}")
    for name, values in rows.items():
        seconds = statistics.median(v[0] for v in values)
        print(f"{name:<22} {seconds:8.2f} {values[-1][1]:>11,}")
    print(f"{f'batch of {len(maps)} PNGs':<22} {statistics.median(batches):8.2f} {'':>11}")
    plain = statistics.median(v[0] for v in rows[f"{maps[0].stem} plain, paired"])
    dated = statistics.median(v[0] for v in rows[f"{maps[0].stem} as of {args.as_of}"])
    print(f"{'as of / plain':<22} {dated / plain:8.2f}x")
    print(f"{'everything':<22} {total_s:8.2f} {'':>11}")


if __name__ == "__main__":
    main()
