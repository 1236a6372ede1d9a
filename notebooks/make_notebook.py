"""Write notebooks/analyst-walkthrough.ipynb (without outputs).

Run from anywhere: ``python notebooks/make_notebook.py``.  The notebook is
stored without outputs or execution counts; ``tests/test_notebook.py`` runs it.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

CELLS: list[tuple[str, str]] = [
    (
        "md",
        """# Analyst walkthrough: the China–North Korea border project

This notebook uses bordermap's Python API, the same functions the `bordermap`
command calls:

1. load the project and look at the place mentions found in the articles;
2. measure how far each layer's places are from the border;
3. show the project's map inline;
4. compare two layers (`upgrades` vs `checkpoints`, `checkpoints` vs `cameras`),
   with the same statistics and pages as `bordermap compare`.

Nothing is written into the repository: files go to a temporary folder.""",
    ),
    (
        "code",
        """import tempfile
from pathlib import Path

import pandas as pd
from IPython.display import HTML, display
from pyproj import Geod

from bordermap import Project
from bordermap.compare import compare
from bordermap.geometry import border_distances
from bordermap.layer_refs import load_layer
from bordermap.render.compare_page import iframe, page, write

# The project file sits at the repository root; the notebook may run from there
# or from notebooks/.
root = next(p for p in [Path.cwd(), *Path.cwd().parents] if (p / "bordermap.toml").exists())
project = Project.load(root / "bordermap.toml")
out_dir = Path(tempfile.mkdtemp(prefix="bordermap-notebook-"))
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

`project.layers()` gives every layer (and the claimed-camera annotation) as a
GeoDataFrame in WGS84. `border_distances` measures each feature's geodesic
distance to the three stretches of the border (Yalu, the land stretch at
Mount Paektu, Tumen); see `bordermap.compare` for the method and its error
bound.""",
    ),
    (
        "code",
        """layers = project.layers()
pd.Series({lid: len(frame) for lid, frame in layers.items()}, name="features")""",
    ),
    (
        "code",
        """points = pd.concat(
    [layers[lid].assign(layer=lid) for lid in ("upgrades", "checkpoints", "arrests")],
    ignore_index=True,
)
distances = border_distances(points.geometry.values)
table = pd.concat([points[["layer", "name"]], distances], axis=1)
table.round(1)""",
    ),
    (
        "code",
        """# How many features of each layer lie within 10, 25 and 50 km of the border?
within = {}
for lid, frame in layers.items():
    km = border_distances(frame.geometry.values)["border_km"]
    within[lid] = {f"≤ {d} km": int((km <= d).sum()) for d in (10, 25, 50)}
pd.DataFrame(within).T""",
    ),
    (
        "code",
        """# A check by hand: Dandong to Sinuiju, across the Yalu, with pyproj alone.
geod = Geod(ellps="WGS84")
dandong = layers["checkpoints"].set_index("name").geometry["Dandong"]
_, _, metres = geod.inv(dandong.x, dandong.y, 124.39806, 40.10056)  # Sinuiju (GeoNames)
print(f"Dandong–Sinuiju: {metres / 1000:.2f} km")""",
    ),
    ("md", "## The map\n\n`project.map()` returns a folium map; it displays inline."),
    ("code", """project.map("index")"""),
    (
        "md",
        """## Comparing layers

`compare(A, B)` measures each feature of A against its nearest feature of B
(and the other way round), and both layers against the border. `table()`
prints what `bordermap compare` prints; `features` is the full table.""",
    ),
    (
        "code",
        """upgrades_vs_checkpoints = compare(
    load_layer("upgrades", project), load_layer("checkpoints", project)
)
print(upgrades_vs_checkpoints.table())""",
    ),
    (
        "code",
        """upgrades_vs_checkpoints.features[
    ["side", "name", "nearest_name", "nearest_km", "border_km", "border_stretch"]
].round(1)""",
    ),
    (
        "code",
        """# The swipe page, inline: drag the divider to see A (left) and B (right).
display(HTML(iframe(page(upgrades_vs_checkpoints, "swipe"), height=480)))""",
    ),
    (
        "code",
        """checkpoints_vs_cameras = compare(
    load_layer("checkpoints", project), load_layer("cameras", project)
)
print(checkpoints_vs_cameras.table(max_rows=5))""",
    ),
    (
        "code",
        """# Each checkpoint's nearest claimed camera, and the cameras' spread of border distances.
rows = checkpoints_vs_cameras.features
display(rows[rows.side == "A"][["name", "nearest_name", "nearest_km", "border_km"]].round(2))
rows[rows.side == "B"]["border_km"].describe().round(3)""",
    ),
    (
        "code",
        """# The side-by-side page and its CSV, as `bordermap compare` writes them.
html_path, csv_path = write(
    checkpoints_vs_cameras, out_dir / "checkpoints-vs-cameras.html", "side-by-side"
)
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
