"""Write notebooks/analyst-walkthrough.ipynb (without outputs).

Run from anywhere: ``python notebooks/make_notebook.py``.  The notebook is
stored without outputs or execution counts; ``tests/test_notebook.py`` runs it
on the repository's project and on another one.  It takes any project file:
the ``parameters`` cell (papermill-style) or ``$BORDERMAP_PROJECT``.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

CELLS: list[tuple[str, str]] = [
    (
        "md",
        """# Analyst walkthrough: any bordermap project

This notebook uses bordermap's Python API, the same functions the `bordermap`
command calls, on any project file:

1. load the project and look at the place mentions found in the articles;
2. measure how far each layer's places are from the border (the lines of the
   project's `border.lines`; by default the three China–North Korea stretches);
3. show the project's map inline;
4. compare two layers (`upgrades` vs `checkpoints` when the project has them,
   else its first two layers with features, layers of places first; then a layer against the first annotation), with
   the same statistics and pages as `bordermap compare`.

Nothing is written into the project: files go to a temporary folder.""",
    ),
    (
        "md",
        """## Which project

The next cell is the parameter cell (tagged `parameters`, as papermill expects):
set `project_file` there, or run the notebook with `BORDERMAP_PROJECT=path/to/bordermap.toml`
in the environment, or with `papermill -p project_file path/to/bordermap.toml`.
Empty means the repository's own project.""",
    ),
    ("parameters", """project_file = \"\""""),
    (
        "code",
        """import os
import tempfile
from pathlib import Path

import pandas as pd
from IPython.display import HTML, display
from pyproj import Geod

from bordermap import Project
from bordermap.compare import compare
from bordermap.geometry import border_distances
from bordermap.layer_refs import load_layer
from bordermap.lines import border_of
from bordermap.render.compare_page import iframe, page, write

# The parameter, else the environment, else the repository's project (the notebook
# may run from the repository root or from notebooks/).
chosen = project_file or os.environ.get("BORDERMAP_PROJECT", "")
if chosen:
    path = Path(chosen).expanduser().resolve()
else:
    here = [Path.cwd(), *Path.cwd().parents]
    path = next(p for p in here if (p / "bordermap.toml").exists()) / "bordermap.toml"
project = Project.load(path)
out_dir = Path(tempfile.mkdtemp(prefix="bordermap-notebook-"))
print(path)
project.config.title""",
    ),
    (
        "md",
        "## The mentions\n\nOne row per place name found in an article, with how it was resolved.",
    ),
    (
        "code",
        """mentions = project.mentions()
print(f"{len(mentions)} mentions in {mentions['article'].nunique()} articles")
mentions[["article", "text", "name", "kind", "country", "lat", "lon", "score"]].head(15)""",
    ),
    (
        "code",
        """# Which places are named most often, and in how many articles?
(
    mentions.dropna(subset=["lat"])
    .groupby(["name", "kind", "country"], dropna=False)
    .agg(mentions=("text", "size"), articles=("article", "nunique"))
    .sort_values(["mentions", "name"], ascending=[False, True])
    .head(10)
)""",
    ),
    (
        "md",
        """## Layers and distances to the border

`project.layers()` gives every layer and annotation as a GeoDataFrame in
WGS84. `border_distances` measures each feature's geodesic distance to each
line that counts as the project's border (`border.lines`); see
`bordermap.compare` for the method and its error bound.""",
    ),
    (
        "code",
        """layers = project.layers()
border = border_of(project.config)
print("the border:", ", ".join(border))
pd.Series({lid: len(frame) for lid, frame in layers.items()}, name="features")""",
    ),
    (
        "code",
        """# Every point of the mention layers, with its distance to each border line.
config = project.config
mention_layers = [x.id for x in config.layers if x.source == "mentions" and len(layers[x.id])]
points = pd.concat(
    [layers[lid].assign(layer=lid) for lid in mention_layers] or [pd.DataFrame()],
    ignore_index=True,
)
if len(points):
    distances = border_distances(points.geometry.values, lines=border)
    table = pd.concat([points[["layer", "name"]], distances], axis=1)
else:
    table = pd.DataFrame()
table.round(1)""",
    ),
    (
        "code",
        """# How many features of each layer lie within 10, 25 and 50 km of the border?
within = {}
for lid, frame in layers.items():
    km = border_distances(frame.geometry.values, lines=border)["border_km"]
    within[lid] = {f"≤ {d} km": int((km <= d).sum()) for d in (10, 25, 50)}
pd.DataFrame(within).T""",
    ),
    ("md", "## The map\n\n`project.map()` returns a folium map; it displays inline."),
    ("code", """project.map(config.maps[0].id)"""),
    (
        "md",
        """## Comparing layers

`compare(A, B)` measures each feature of A against its nearest feature of B
(and the other way round), and both layers against the border. `table()`
prints what `bordermap compare` prints; `features` is the full table.""",
    ),
    (
        "code",
        """# The default project's pair when it is there, else the first two layers with features
# (the layers of places the articles name first: their points are what is compared).
drawn = [x for x in config.layers if len(layers[x.id])]
ids = [x.id for x in sorted(drawn, key=lambda x: x.source != "mentions")]
ids = ids or [x.id for x in config.layers]
pair = ["upgrades", "checkpoints"] if {"upgrades", "checkpoints"} <= set(ids) else ids[:2]
if len(pair) < 2:
    pair = (pair + list(config.layer_ids))[:2]
a_id, b_id = pair
first = compare(load_layer(a_id, project), load_layer(b_id, project))
print(first.table())""",
    ),
    (
        "code",
        """columns = ["side", "name", "nearest_name", "nearest_km", "border_km", "border_stretch"]
first.features[columns].round(1)""",
    ),
    (
        "code",
        """# A check by hand with pyproj alone: each point of A and its nearest point of B.
geod = Geod(ellps="WGS84")
rows = first.features[(first.features.side == "A") & (first.features.nearest_index >= 0)]
b_points = first.b.frame.geometry.values
pairs = [(row, b_points[int(row["nearest_index"])]) for _, row in rows.iterrows()]
pairs = [(row, b) for row, b in pairs if not pd.isna(row["lon"]) and b.geom_type == "Point"]
for row, b in pairs:
    _, _, metres = geod.inv(row["lon"], row["lat"], b.x, b.y)
    assert abs(metres / 1000 - row["nearest_km"]) < 0.001
if pairs:
    print(f"pyproj agrees on all {len(pairs)} point-to-point nearest distances of {a_id} to {b_id}")
else:
    print(f"{a_id} and {b_id} have no point nearest to a point: nothing to check by hand")""",
    ),
    (
        "code",
        """# The swipe page, inline: drag the divider to see A (left) and B (right).
display(HTML(iframe(page(first, "swipe"), height=480)))""",
    ),
    (
        "code",
        """# A layer against the project's first annotation (the claimed points), if it has one.
annotations = [a.id for a in config.annotations]
second = None
if annotations:
    second = compare(load_layer(a_id, project), load_layer(annotations[0], project))
    print(second.table(max_rows=5))
    rows = second.features
    display(rows[rows.side == "A"][["name", "nearest_name", "nearest_km", "border_km"]].round(2))
    display(rows[rows.side == "B"]["border_km"].describe().round(3))""",
    ),
    (
        "code",
        """# The side-by-side page and its CSV, as `bordermap compare` writes them.
shown = second if second is not None else first
html_path, csv_path = write(shown, out_dir / "comparison.html", "side-by-side")
print(html_path, f"{html_path.stat().st_size / 1e6:.1f} MB")
pd.read_csv(csv_path).head()""",
    ),
]


def build() -> nbformat.NotebookNode:
    nb = new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for kind, source in CELLS:
        cell = new_markdown_cell(source) if kind == "md" else new_code_cell(source)
        if kind == "parameters":  # papermill's parameter cell
            cell.metadata["tags"] = ["parameters"]
        cell.pop("id", None)
        nb.cells.append(cell)
    nb.nbformat, nb.nbformat_minor = 4, 4  # no cell ids: stable diffs
    return nb


def main() -> None:
    path = HERE / "analyst-walkthrough.ipynb"
    nbformat.validate(build())
    path.write_text(nbformat.writes(build()) + "\n", encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
