"""Compare two layers: measure them against each other and the border, and report.

:func:`compare` measures layer A against layer B and against the border (the
lines of the project's ``border.lines``; by default the ``yalu``, ``land`` and
``tumen`` stretches of the China–North Korea border): feature counts, extents, geodesic
lengths, each feature's nearest feature in the other layer, each feature's
distance to the border and how many features lie within 10, 25 and 50 km of it.
How the distances are measured, and their error bound, is said in
:mod:`bordermap.geometry`; layers are loaded by :mod:`bordermap.layer_refs`.
:func:`compare_refs` does what ``bordermap compare`` does: references in, a page
and its CSV out.

>>> from bordermap import Project
>>> from bordermap.compare import compare
>>> from bordermap.layer_refs import load_layer
>>> p = Project.load("bordermap.toml")                            # doctest: +SKIP
>>> c = compare(load_layer("upgrades", p), load_layer("checkpoints", p))  # doctest: +SKIP
>>> c.features[["name", "nearest_name", "nearest_km", "border_km"]]  # doctest: +SKIP
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

from bordermap.errors import UnknownLayerError
from bordermap.geometry import (
    BORDER_MARGIN_DEG,
    LocalMetric,
    border_distances,
    border_lines,
    border_metric,
    bounds_of,
    geodesic_length_km,
    is_point,
    nearest,
)
from bordermap.layer_refs import CompareLayer, LayerRef, is_file_ref, load_parts, read_layer, slug
from bordermap.layer_refs import resolve as resolve_ref

if TYPE_CHECKING:
    import pandas as pd

    from bordermap.pipeline import Parts

__all__ = [
    "DEFAULT_WITHIN_KM",
    "Comparison",
    "CompareRun",
    "LayerSummary",
    "compare",
    "compare_refs",
    "format_csv",
    "format_table",
    "parse_within",
]

#: Distances from the border (km) for the "within" counts.
DEFAULT_WITHIN_KM: tuple[float, ...] = (10.0, 25.0, 50.0)


# ---------------------------------------------------------------- comparison


@dataclass(frozen=True)
class LayerSummary:
    """One layer's totals.

    ``extent`` is (west, south, east, north) in degrees or ``None`` when empty;
    ``length_km`` the geodesic length of its lines (perimeters of polygons);
    ``within`` maps each distance (km) to how many features lie that close to
    the border; ``border_km`` is the closest approach to the border.
    """

    side: str
    ref: str
    title: str
    features: int
    points: int
    lines: int
    polygons: int
    extent: tuple[float, float, float, float] | None
    length_km: float
    border_km: float | None
    within: dict[float, int]


@dataclass
class Comparison:
    """Layer A measured against layer B and the border.

    Attributes
    ----------
    a, b : CompareLayer
    summaries : (LayerSummary, LayerSummary)
    features : pandas.DataFrame
        One row per feature of A then of B: ``side``, ``layer``, ``index``,
        ``name``, ``geometry``, ``lon``, ``lat`` (points), ``length_km``,
        ``nearest_index``/``nearest_name``/``nearest_km`` (its nearest feature
        of the *other* layer), ``border_km``, ``border_stretch``, one
        ``<stretch>_km`` column per border stretch and one
        ``within_<d>km`` (0/1) column per distance.
    within_km : tuple of float
    metric : LocalMetric
        The projection used, with ``center`` and ``max_relative_error``.
    border : tuple of str
        The ids of the lines that counted as the border.
    border_shapes : dict of str to shapely geometry
        Those lines, by id (what the compare page draws as the border).
    """

    a: CompareLayer
    b: CompareLayer
    summaries: tuple[LayerSummary, LayerSummary]
    features: pd.DataFrame
    within_km: tuple[float, ...]
    metric: LocalMetric
    border: tuple[str, ...] = ("yalu", "land", "tumen")
    border_shapes: dict[str, Any] = field(default_factory=dict)

    @property
    def max_relative_error(self) -> float:
        return self.metric.max_relative_error

    def method(self) -> str:
        """One paragraph on how distances were measured, with the error bound."""
        lon, lat = self.metric.center
        return (
            "Distances are geodesic on WGS84 (pyproj Geod). Point to point: exact. "
            "With lines or polygons: nearest points found in an azimuthal equidistant "
            f"projection centred on {lon:.3f}°E {lat:.3f}°N (lines densified to 0.01°), "
            "then measured geodesically; such a distance is never too short and at most "
            f"{self.max_relative_error * 100:.3f}% too long. Distances to the border: in "
            f"one centred on the border for what lies within {BORDER_MARGIN_DEG:g}° of it "
            f"(at most {self.border_error * 100:.3f}% too long), whatever is compared."
        )

    @property
    def border_error(self) -> float:
        """The error bound of the distances to the border of what lies near it."""
        lines = np.asarray(list(self.border_shapes.values()), dtype=object)
        return border_metric(lines).max_relative_error if len(lines) else 0.0

    def table(self, max_rows: int = 20) -> str:
        """The statistics as plain-text tables (at most ``max_rows`` features per layer)."""
        return format_table(self, max_rows)

    def csv_text(self) -> str:
        """The statistics as CSV: one ``layer`` row per layer, then one ``feature`` row each."""
        return format_csv(self)


def _within_label(d: float) -> str:
    return f"within_{_num(d)}km"


def _num(value: float) -> str:
    return f"{value:g}"


def _geometry_kind(type_id: int) -> str:
    return {0: "point", 4: "point", 1: "line", 2: "line", 5: "line", 3: "polygon", 6: "polygon"}[
        int(type_id)
    ]


def _summary(
    side: str, layer: CompareLayer, rows: pd.DataFrame, within_km: tuple[float, ...]
) -> LayerSummary:
    geoms = layer.frame.geometry.values
    kinds = [_geometry_kind(t) for t in shapely.get_type_id(geoms)] if len(geoms) else []
    extent: tuple[float, float, float, float] | None = None
    if len(geoms):
        w, s, e, n = (round(float(v), 6) for v in shapely.total_bounds(geoms))
        extent = (w, s, e, n)
    return LayerSummary(
        side=side,
        ref=layer.ref,
        title=layer.title,
        features=len(layer),
        points=kinds.count("point"),
        lines=kinds.count("line"),
        polygons=kinds.count("polygon"),
        extent=extent,
        length_km=float(rows["length_km"].sum()) if len(rows) else 0.0,
        border_km=float(rows["border_km"].min()) if len(rows) else None,
        within={d: int((rows["border_km"] <= d).sum()) for d in within_km},
    )


def _rows(
    side: str,
    layer: CompareLayer,
    other: CompareLayer,
    metric: LocalMetric,
    within_km: tuple[float, ...],
    border_lines: dict[str, Any],
) -> pd.DataFrame:
    import pandas as pd

    geoms = layer.frame.geometry.values
    garr = np.asarray(geoms, dtype=object)
    points = is_point(garr) if len(garr) else np.zeros(0, dtype=bool)
    idx, km = nearest(garr, np.asarray(other.frame.geometry.values, dtype=object), metric)
    coords = [(g.x, g.y) if p else (math.nan, math.nan) for g, p in zip(garr, points, strict=True)]
    frame = pd.DataFrame(
        {
            "side": side,
            "layer": layer.ref,
            "index": np.arange(len(garr), dtype=int),
            "name": layer.names,
            "geometry": [g.geom_type for g in garr],
            "lon": [c[0] for c in coords],
            "lat": [c[1] for c in coords],
            "length_km": [geodesic_length_km(g) for g in garr],
            "nearest_index": idx,
            "nearest_name": [other.names[i] if i >= 0 else "" for i in idx],
            "nearest_km": km,
        }
    )
    # Not in ``metric``: a place's distance to the border is the same whatever it is
    # compared with (a layer reaching Aachen stretched the Tumen's distances by 62 %).
    border = border_distances(garr, None, border_lines)
    frame = pd.concat([frame, border], axis=1)
    for d in within_km:
        frame[_within_label(d)] = (frame["border_km"] <= d).astype(int)
    return frame


def compare(
    a: CompareLayer,
    b: CompareLayer,
    within_km: Sequence[float] = DEFAULT_WITHIN_KM,
    border: dict[str, Any] | None = None,
) -> Comparison:
    """Measure layer ``a`` against layer ``b`` and both against the border.

    Parameters
    ----------
    a, b : CompareLayer
        From :func:`load_layer`.
    within_km : sequence of float
        Distances from the border (km) to count features within.
    border : dict of str to shapely geometry, optional
        The lines that count as the border, by id.  By default those of the
        project ``a`` came from (its ``border.lines``), else ``b``'s, else the
        three China–North Korea stretches.

    Returns
    -------
    Comparison
    """
    import pandas as pd

    within = tuple(sorted({float(d) for d in within_km}))
    if any(not math.isfinite(d) or d <= 0 for d in within):
        raise ValueError(f"within_km must be positive distances, got {list(within_km)!r}")
    if border is None:
        border = a.border or b.border or border_lines()
    lines = np.asarray(list(border.values()), dtype=object)
    metric = LocalMetric(
        bounds_of(
            np.asarray(a.frame.geometry.values, dtype=object),
            np.asarray(b.frame.geometry.values, dtype=object),
            lines,
        )
    )
    rows_a = _rows("A", a, b, metric, within, border)
    rows_b = _rows("B", b, a, metric, within, border)
    features = pd.concat([rows_a, rows_b], ignore_index=True)
    summaries = (_summary("A", a, rows_a, within), _summary("B", b, rows_b, within))
    return Comparison(a, b, summaries, features, within, metric, tuple(border), dict(border))


# ------------------------------------------------------------------ formats


def _km(value: Any, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{float(value):,.{digits}f}"


def _columns(rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = []
    for r in rows:
        cells = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        ]
        out.append("  ".join(cells).rstrip())
    return out


def format_table(c: Comparison, max_rows: int = 20) -> str:
    """Plain-text tables: layer totals, then each layer's features (:meth:`Comparison.table`)."""
    sa, sb = c.summaries

    def extent(s: LayerSummary) -> str:
        return "–" if s.extent is None else ", ".join(f"{v:.3f}" for v in s.extent)

    rows = [
        ["", f"A: {sa.ref}", f"B: {sb.ref}"],
        ["title", sa.title, sb.title],
        ["features", str(sa.features), str(sb.features)],
        ["points / lines / polygons"]
        + [f"{s.points} / {s.lines} / {s.polygons}" for s in (sa, sb)],
        ["extent W, S, E, N (°)", extent(sa), extent(sb)],
        ["length (km)", _km(sa.length_km), _km(sb.length_km)],
        ["closest to border (km)", _km(sa.border_km), _km(sb.border_km)],
    ]
    for d in c.within_km:
        rows.append([f"within {_num(d)} km of border", str(sa.within[d]), str(sb.within[d])])
    out = _columns(rows, set())
    stretches = [f"{s}_km" for s in c.border]
    for side, other in (("A", "B"), ("B", "A")):
        part = c.features[c.features["side"] == side]
        layer = c.a if side == "A" else c.b
        out.append("")
        head = [f"{side}: {layer.ref}", f"nearest in {other}", "km", "border km", "stretch"]
        head += [s.removesuffix("_km") + " km" for s in stretches]
        body = [head]
        for _, r in part.head(max_rows).iterrows():
            body.append(
                [r["name"], r["nearest_name"], _km(r["nearest_km"]), _km(r["border_km"]),
                 r["border_stretch"]] + [_km(r[s]) for s in stretches]
            )  # fmt: skip
        out += _columns(body, {2, 3} | set(range(5, 5 + len(stretches))))
        if len(part) > max_rows:
            out.append(f"… {len(part) - max_rows} more (all in the CSV)")
        if not len(part):
            out.append("(no features)")
    out += ["", c.method()]
    return "\n".join(out) + "\n"


_CSV_HEAD = [
    "record", "side", "layer", "index", "name", "geometry", "features",
    "west", "south", "east", "north", "lon", "lat", "length_km",
    "nearest_index", "nearest_name", "nearest_km", "border_km", "border_stretch",
]  # fmt: skip


def _fmt(value: Any, digits: int) -> str:
    if value is None:
        return ""
    if isinstance(value, (float, np.floating)):
        return "" if math.isnan(value) else f"{float(value):.{digits}f}"
    return str(value)


def format_csv(c: Comparison) -> str:
    """The statistics as CSV text (see :meth:`Comparison.csv_text`).

    Columns: ``record`` (``layer`` or ``feature``), ``side``, ``layer``,
    ``index``, ``name``, ``geometry``, ``features``, ``west``/``south``/
    ``east``/``north`` (layer extent), ``lon``/``lat`` (points), ``length_km``,
    ``nearest_index``/``nearest_name``/``nearest_km``, ``border_km``,
    ``border_stretch``, ``<stretch>_km`` per border stretch and
    ``within_<d>km`` per distance (a count on layer rows, 0/1 on feature rows).
    Distances in km to 3 decimals (metres), coordinates to 6.
    """
    stretches = [f"{s}_km" for s in c.border]
    within = [_within_label(d) for d in c.within_km]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(_CSV_HEAD + stretches + within)
    for s in c.summaries:
        layer_rows = c.features[c.features["side"] == s.side]
        ext = s.extent or (None, None, None, None)
        kinds = ", ".join(sorted(set(layer_rows["geometry"])))
        row: list[Any] = ["layer", s.side, s.ref, "", s.title, kinds, s.features]
        row += [_fmt(v, 6) for v in ext] + ["", "", _fmt(s.length_km, 3)]
        row += ["", "", "", _fmt(s.border_km, 3), ""]
        row += [_fmt(layer_rows[col].min(), 3) if len(layer_rows) else "" for col in stretches]
        row += [s.within[d] for d in c.within_km]
        writer.writerow(row)
    for _, r in c.features.iterrows():
        idx = int(r["nearest_index"])
        row = ["feature", r["side"], r["layer"], int(r["index"]), r["name"], r["geometry"], ""]
        row += ["", "", "", "", _fmt(r["lon"], 6), _fmt(r["lat"], 6), _fmt(r["length_km"], 3)]
        row += [idx if idx >= 0 else "", r["nearest_name"], _fmt(r["nearest_km"], 3)]
        row += [_fmt(r["border_km"], 3), r["border_stretch"]]
        row += [_fmt(r[col], 3) for col in stretches]
        row += [int(r[col]) for col in within]
        writer.writerow(row)
    return buf.getvalue()


def parse_within(text: str) -> tuple[float, ...]:
    """``"10,25,50"`` → ``(10.0, 25.0, 50.0)``.

    Raises
    ------
    ValueError
        Unless every item is a positive number of km.
    """
    values = []
    for item in text.split(","):
        item = item.strip()
        try:
            value = float(item)
        except ValueError:
            raise ValueError(f"expected comma-separated distances in km, got {text!r}") from None
        if not math.isfinite(value) or value <= 0:
            raise ValueError(f"distances must be positive km, got {item!r}")
        values.append(value)
    return tuple(sorted(set(values)))


# ------------------------------------------------------------- the command


@dataclass(frozen=True)
class CompareRun:
    """What :func:`compare_refs` made: the comparison and the two files written."""

    comparison: Comparison
    html_path: Path
    csv_path: Path


def compare_refs(
    a: str,
    b: str,
    config: Path,
    mode: str = "side-by-side",
    out: Path | None = None,
    within_km: Sequence[float] = DEFAULT_WITHIN_KM,
    tiles: str | None = None,
) -> CompareRun:
    """Load layers ``a`` and ``b`` from their references, compare them, write page and CSV.

    Parameters
    ----------
    a, b : str
        Layer references (see :mod:`bordermap.layer_refs`).
    config : Path
        The current project file: read when a reference is a bare layer id, when
        ``out`` or ``tiles`` is not given, or when it exists.
    out : Path, optional
        The page (default ``<output>/compare-A-vs-B.html``); the CSV goes beside it.
    tiles : str, optional
        ``"OpenStreetMap"`` or ``"none"`` (default: the project's, else none).

    Raises
    ------
    UnknownLayerError
        A reference that names nothing; ``argument`` is ``"A"`` or ``"B"``.
    ConfigError
        A project file is bad.  ``ValueError`` for a page named ``.csv``.
    """
    from bordermap.render.compare_page import write

    needs_project = out is None or tiles is None or not all(is_file_ref(r) for r in (a, b))
    project = load_parts(config) if needs_project or config.exists() else None
    others: dict[Path, Parts] = {}
    refs: list[LayerRef] = []
    for text, side in ((a, "A"), (b, "B")):
        try:
            refs.append(resolve_ref(text, project, others))
        except UnknownLayerError as exc:
            exc.argument = side
            raise
    layers = []
    for ref, side in zip(refs, ("A", "B"), strict=True):
        owner = others.get(ref.path.resolve(), project) if ref.kind == "project" else project
        try:
            layers.append(read_layer(ref, owner))
        except UnknownLayerError as exc:
            exc.argument = side
            raise
    border = None
    if project is not None:
        from bordermap.lines import border_of

        border = border_of(project.config)
    result = compare(layers[0], layers[1], within_km, border)
    if out is None:
        assert project is not None
        out = project.config.output / f"compare-{slug(a)}-vs-{slug(b)}.html"
    tiles_value = tiles if tiles is not None else (project.config.tiles if project else "none")
    html_path, csv_path = write(result, out, mode, None if tiles_value == "none" else tiles_value)
    return CompareRun(result, html_path, csv_path)
