"""The project file, ``bordermap.toml``: reading and validating it.

Every problem is a :class:`~bordermap.errors.ConfigError` whose message names
the file, the key path and what was expected, e.g.
``bordermap.toml: layers[2].color: expected a colour like "#d62728", got 12``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bordermap.claims import ClaimConfig, check_links, fill, read_claims
from bordermap.errors import ConfigError
from bordermap.line_files import STRETCH_KEYS, LineConfig, read_line_file, stretch
from bordermap.region import (
    BORDER_LINES,
    DEFAULT_FOCUS,
    RIVER_MOUTH,
    SHIPPED_LINES,
    SIDES,
    Bbox,
    count_choices,
)
from bordermap.toml_reader import Reader
from bordermap.vocab import TILES

__all__ = [
    "ProjectConfig",
    "LayerConfig",
    "AnnotationConfig",
    "MapConfig",
    "LineConfig",
    "PlaceConfig",
    "CorrectionConfig",
    "ClaimConfig",
    "CoverageConfig",
    "COVERAGE_LAYER",
    "load_config",
    "parse_config",
    "BORDER_LINES",
    "TILES",
]

#: An annotation's spacing: from 1 m (at most about 1.2 million points on the
#: longest shipped line) to 1,000 km.
SPACING_BOUNDS_M = (1.0, 1_000_000.0)
#: How far annotation points may stand off their line: up to 10 km.
OFFSET_BOUNDS_M = (0.0, 10_000.0)
#: How near a named place must lie to a line for that stretch to count as covered
#: (``coverage.distance_km``): from 100 m to 100 km.
COVERAGE_BOUNDS_KM = (0.1, 100.0)
#: The id under which the stretches the corpus leaves out are exported
#: (``layers/uncovered.geojson``, a GeoPackage table, a KML folder): no layer may take it.
COVERAGE_LAYER = "uncovered"
#: Table names the GeoPackage keeps for itself (GDAL refuses the first prefix,
#: SQLite the second, the spatial indexes and QGIS's styles take the others):
#: a layer with one of them would crash the export or overwrite a table.
GPKG_RESERVED_PREFIXES = ("gpkg", "sqlite_", "rtree_")
GPKG_RESERVED = ("layer_styles",)
_NOUN = re.compile(r"^[^\W\d_][\w '-]{0,39}$")
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
#: A country as places carry it: an ISO 3166-1 alpha-2 code ("CN"), or none.
_COUNTRY = re.compile(r"^(?:[A-Z]{2})?$")
_COUNTRY_EXPECTED = "an ISO 3166-1 alpha-2 code in capitals such as 'CN', 'KP', 'KR' or 'RU'"
#: The tables and keys a project file may have at its top level, as the README lists them
#: (a key :func:`parse_config` reads must be here, or it is refused as unknown).
TOP_LEVEL_KEYS = ("project", "focus", "basemap", "layers", "annotations", "maps", "places",
                  "corrections", "lines", "coverage", "border", "claims", "extents")  # fmt: skip


def _country(r: Reader) -> str:
    """The ``country`` of a ``[[places]]`` or ``[[corrections]]`` table ("" if none)."""
    code = r.text("country", "")
    if not _COUNTRY.match(code):
        hint = f" (did you mean {code.upper()!r}?)" if re.fullmatch(r"[A-Za-z]{2}", code) else ""
        raise ConfigError(f"{r.fail('country', _COUNTRY_EXPECTED, code)}{hint}")
    return code


_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class LayerConfig:
    """A layer: mentions selected by readable rules, or the border lines."""

    id: str
    title: str
    color: str
    source: str = "mentions"  # or "border"
    places: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    rest: bool = False
    within_focus: bool = False
    claim: str = ""
    notes: dict[str, str] = field(default_factory=dict)
    claims: tuple[str, ...] = ()  # ids of [[claims]] this layer draws
    lines: tuple[str, ...] = ()  # a border layer's lines; () for the project's border.lines


@dataclass(frozen=True)
class AnnotationConfig:
    """Points at a claimed spacing along a border line (the cameras)."""

    id: str
    title: str
    color: str
    line: str
    spacing_m: float
    offset_m: float
    side: str
    articles: tuple[str, ...]
    claim: str
    noun: str = "camera"
    nouns: str = "cameras"
    count_from: str = "mouth"
    between: tuple[str, ...] = ()  # a stretch between two places, or
    from_km: float | None = None  # between two distances from the count_from end
    to_km: float | None = None


@dataclass(frozen=True)
class PlaceConfig:
    """A place the gazetteer lacks, added by the project (``[[places]]``)."""

    id: str
    name: str
    aliases: tuple[str, ...]
    kind: str
    country: str
    lat: float
    lon: float


@dataclass(frozen=True)
class CorrectionConfig:
    """A correction of the geoparser (``[[corrections]]``): a surface form as written,
    everywhere or in ``articles``, pinned to ``ref`` or to a point, or excluded."""

    text: str
    articles: tuple[str, ...] = ()
    exclude: bool = False
    ref: str = ""
    name: str = ""
    kind: str = "site"
    country: str = ""
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True)
class MapConfig:
    id: str
    title: str
    layers: tuple[str, ...]
    bbox: Bbox | None = None  # the view; None: the focus, or the features if they lie outside


@dataclass(frozen=True)
class CoverageConfig:
    """What the corpus is checked against (``[coverage]``): a stretch of each of
    ``lines`` counts as covered where a place the articles name lies within
    ``distance_km`` of it."""

    distance_km: float = 10.0
    lines: tuple[str, ...] = BORDER_LINES


@dataclass(frozen=True)
class ProjectConfig:
    """A validated project file. Paths are absolute, resolved from the file's folder;
    ``file`` is the file as it was named when read (``bordermap.toml``), the way every
    error and warning about it names it."""

    path: Path
    title: str
    corpus: tuple[Path, ...]
    output: Path
    focus: Bbox
    tiles: str
    layers: tuple[LayerConfig, ...]
    annotations: tuple[AnnotationConfig, ...]
    maps: tuple[MapConfig, ...]
    extents: dict[str, Bbox]
    places: tuple[PlaceConfig, ...] = ()
    corrections: tuple[CorrectionConfig, ...] = ()
    claims: tuple[ClaimConfig, ...] = ()

    def claims_of(self, layer_id: str) -> tuple[ClaimConfig, ...]:
        """The claims layer ``layer_id`` draws: those it lists, then those naming it."""
        listed = next((x.claims for x in self.layers if x.id == layer_id), ())
        by_id = {c.id: c for c in self.claims}
        out = [by_id[c] for c in listed if c in by_id]
        out += [c for c in self.claims if c.layer == layer_id and c.id not in listed]
        return tuple(out)

    lines: tuple[LineConfig, ...] = ()
    border: tuple[str, ...] = BORDER_LINES  # the lines that count as the border (border.lines)
    coverage: CoverageConfig = CoverageConfig()
    file: str = ""

    def __post_init__(self) -> None:
        if not self.file:  # made by hand rather than read: named by its path
            object.__setattr__(self, "file", str(self.path))

    @property
    def line_ids(self) -> tuple[str, ...]:
        """Every line an annotation or border layer can use: shipped ones, then the project's."""
        return SHIPPED_LINES + tuple(x.id for x in self.lines)

    @property
    def layer_ids(self) -> tuple[str, ...]:
        return tuple(x.id for x in self.layers) + tuple(a.id for a in self.annotations)

    def check_corpus(self) -> None:
        """Raise :class:`ConfigError` naming ``project.corpus`` when a corpus path is missing."""
        for i, path in enumerate(self.corpus):
            if not path.exists() and not path.is_symlink():
                raise ConfigError(
                    f"{self.file}: project.corpus[{i}]: no such file or folder {str(path)!r}; "
                    "corpus paths are relative to the project file"
                )

    def title_of(self, layer_id: str) -> str:
        titles = {x.id: x.title for x in self.layers} | {a.id: a.title for a in self.annotations}
        return titles[layer_id]


def load_config(path: str | Path) -> ProjectConfig:
    """Read and validate a project file.

    Raises
    ------
    ConfigError
        If the file is missing, not TOML, or a key is wrong.
    """
    p = Path(path)
    try:
        # "utf-8-sig": a byte-order mark (what some Windows editors write first) is not TOML.
        text = p.read_text("utf-8-sig")
    except FileNotFoundError:
        hint = " (make one with `bordermap init`, or name it with --config)"
        raise ConfigError(f"{p}: no such project file{hint}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{p}: not UTF-8 (byte {exc.start} cannot be read); save the file as UTF-8"
        ) from None
    except OSError as exc:
        raise ConfigError(f"{p}: cannot be read ({exc.strerror or exc})") from None
    return parse_config(text, p)


def parse_config(text: str, path: Path) -> ProjectConfig:
    """Validate project-file ``text``; ``path`` names it in errors and anchors relative paths."""
    name = str(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{name}: not valid TOML ({exc})") from None
    root = Reader(name, data, "")
    # A misspelt table ([[layer]]) first: the errors it causes elsewhere would mislead.
    root.only(TOP_LEVEL_KEYS)
    base = path.resolve().parent

    project = root.table_at("project")
    title = project.text("title")
    corpus = tuple(base / c for c in project.strs("corpus")) or (base / "seeds",)
    output = base / project.text("output", "output")
    project.done()

    focus_t = root.table_at("focus")
    focus = focus_t.bbox("bbox", list(DEFAULT_FOCUS))
    focus_t.done()

    basemap = root.table_at("basemap")
    tiles = basemap.text("tiles", "OpenStreetMap")
    if tiles not in TILES:
        raise basemap.fail("tiles", "one of " + ", ".join(f'"{t}"' for t in TILES), tiles)
    basemap.done()

    lines = _lines(root, base)
    line_ids = SHIPPED_LINES + tuple(x.id for x in lines)
    border = _border(root, line_ids)
    layers = tuple(_layer(r, line_ids) for r in root.tables("layers"))
    annotations = tuple(_annotation(r, line_ids) for r in root.tables("annotations"))
    ids = [x.id for x in layers] + [a.id for a in annotations]
    for i, lid in enumerate(ids):
        if lid in ids[:i]:
            raise ConfigError(f"{name}: layer id {lid!r} is used twice")
        if lid == COVERAGE_LAYER:
            raise ConfigError(
                f"{name}: layer id {lid!r} is the name of the coverage export "
                f"(layers/{lid}.geojson): rename the layer"
            )
        if lid in GPKG_RESERVED or lid.startswith(GPKG_RESERVED_PREFIXES):
            raise ConfigError(
                f"{name}: layer id {lid!r} is a name the GeoPackage keeps for its own "
                "tables (gpkg…, sqlite_…, rtree_…, layer_styles): rename the layer"
            )
    coverage = _coverage(root, line_ids, (*border, *(a.line for a in annotations),
                                          *(x.id for x in lines)))  # fmt: skip

    maps: list[MapConfig] = []
    for r in root.tables("maps"):
        mid = r.text("id", pattern=_ID, expected="an id of lower-case letters, digits, - or _")
        refs = r.strs("layers")
        for j, ref in enumerate(refs):
            if ref not in ids:
                raise ConfigError(
                    f"{name}: {r.path}.layers[{j}]: expected one of the layer ids "
                    f"({', '.join(ids)}), got {ref!r}"
                )
        if mid in ids:
            raise ConfigError(
                f"{name}: {r.path}.id: {mid!r} is also a layer id and both would be "
                f"{mid}.html: rename the map or the layer"
            )
        if any(m.id == mid for m in maps):
            raise ConfigError(f"{name}: {r.path}.id: map id {mid!r} is used twice")
        view = r.bbox("bbox") if "bbox" in r.table else None
        maps.append(MapConfig(mid, r.text("title", title), refs or tuple(ids), view))
        r.done()
    if not maps:
        if "index" in ids:
            raise ConfigError(
                f"{name}: layer id 'index' would overwrite the overview map index.html: "
                "rename the layer, or give the project its own [[maps]]"
            )
        maps.append(MapConfig("index", title, tuple(ids)))

    places = tuple(_place(r) for r in root.tables("places"))
    corrections = tuple(_correction(r) for r in root.tables("corrections"))
    _check_rule_values(name, layers, places, corrections)
    claims = read_claims(root)
    check_links(name, claims, ids, {x.id: x.claims for x in layers}, line_ids)
    layers = tuple(fill(x, claims, x.claims) for x in layers)
    annotations = tuple(fill(a, claims) for a in annotations)
    ext = root.table_at("extents")
    extents = {key: ext.bbox(key) for key in sorted(ext.table)}
    ext.done()
    root.done()
    return ProjectConfig(
        path=path.resolve(),
        title=title,
        corpus=corpus,
        output=output,
        focus=focus,
        tiles=tiles,
        layers=layers,
        annotations=annotations,
        maps=tuple(maps),
        extents=extents,
        places=places,
        corrections=corrections,
        claims=claims,
        lines=lines,
        border=border,
        coverage=coverage,
        file=name,
    )


def _common(r: Reader) -> tuple[str, str, str]:
    lid = r.text("id", pattern=_ID, expected="an id of lower-case letters, digits, - or _")
    title = r.text("title")
    color = r.text("color", "#555555", pattern=_COLOUR, expected='a colour like "#d62728"')
    return lid, title, color


def _check_rule_values(
    name: str,
    layers: tuple[LayerConfig, ...],
    places: tuple[PlaceConfig, ...],
    corrections: tuple[CorrectionConfig, ...],
) -> None:
    """Layers' ``kinds`` and ``countries`` must be values places can have."""
    if not any(x.kinds or x.countries for x in layers):
        return
    from bordermap.gazetteer import PLACE_KINDS, country_codes

    own = {p.kind for p in places} | {c.kind for c in corrections if c.kind}
    own_countries = {p.country for p in places} | {c.country for c in corrections if c.country}
    kinds = sorted(PLACE_KINDS | own)
    codes = country_codes() | own_countries
    for i, layer in enumerate(layers):
        for j, kind in enumerate(layer.kinds):
            if kind not in kinds:
                raise ConfigError(
                    f"{name}: layers[{i}].kinds[{j}]: expected one of "
                    f"{', '.join(repr(k) for k in kinds)}, got {kind!r}"
                )
        for j, code in enumerate(layer.countries):
            if code not in codes:
                hint = f" (did you mean {code.upper()!r}?)" if code.upper() in codes else ""
                raise ConfigError(
                    f"{name}: layers[{i}].countries[{j}]: expected an ISO 3166-1 alpha-2 "
                    f"code in capitals such as 'CN', 'KP', 'KR' or 'RU', got {code!r}{hint}"
                )


def _layer(r: Reader, line_ids: tuple[str, ...]) -> LayerConfig:
    lid, title, color = _common(r)
    source = r.text("source", "mentions")
    if source not in ("mentions", "border"):
        raise r.fail("source", '"mentions" or "border"', source)
    notes_t = r.table_at("notes")
    notes = {}
    for key, value in notes_t.table.items():
        if not isinstance(value, str):
            raise notes_t.fail(key, "a string", value)
        notes[key] = value
    layer = LayerConfig(
        id=lid,
        title=title,
        color=color,
        source=source,
        places=r.strs("places"),
        kinds=r.strs("kinds"),
        countries=r.strs("countries"),
        articles=r.strs("articles"),
        keywords=r.strs("keywords"),
        rest=r.flag("rest"),
        within_focus=r.flag("within_focus"),
        claim=r.text("claim", ""),
        notes=notes,
        claims=r.strs("claims"),
        lines=_line_refs(r, "lines", line_ids),
    )
    if layer.lines and source != "border":
        raise r.fail("lines", 'absent: only a layer with source = "border" draws lines',
                     list(layer.lines))  # fmt: skip
    r.done()
    return layer


def _annotation(r: Reader, line_ids: tuple[str, ...]) -> AnnotationConfig:
    lid, title, color = _common(r)
    line = r.text("line")
    if line not in line_ids:
        raise r.fail("line", "one of " + ", ".join(f'"{x}"' for x in line_ids), line)
    side = r.text("side", "KP")
    if side not in SIDES:
        raise r.fail("side", " or ".join(f'"{x}"' for x in SIDES), side)
    ann = AnnotationConfig(
        id=lid,
        title=title,
        color=color,
        line=line,
        spacing_m=r.number("spacing_m", bounds=SPACING_BOUNDS_M, unit=" m"),
        offset_m=r.number("offset_m", 150.0, zero_ok=True, bounds=OFFSET_BOUNDS_M, unit=" m"),
        side=side,
        articles=r.strs("articles"),
        claim=r.text("claim", ""),
        **_counted(r, line),
        **stretch({k: r.get(k) for k in STRETCH_KEYS if k in r.table}, f"{r.file}: {r.path}"),
    )
    r.done()
    return ann


def _counted(r: Reader, line: str) -> dict[str, Any]:
    """What an annotation counts (``noun``, ``nouns``) and from which end (``count_from``)."""
    noun = r.text("noun", "camera", pattern=_NOUN, expected='a short noun such as "fence post"')
    nouns = r.text("nouns", noun + "s", pattern=_NOUN, expected="the plural of noun")
    choices = count_choices(line)
    count_from = r.text("count_from", choices[0])
    if count_from not in choices:
        why = "" if line in RIVER_MOUTH else f" ({line!r} is not a river)"
        raise r.fail("count_from", " or ".join(f'"{x}"' for x in choices) + why, count_from)
    return {"noun": noun, "nouns": nouns, "count_from": count_from}


# ------------------------------------------------------------- lines and stretches


def _line_refs(r: Reader, key: str, line_ids: tuple[str, ...]) -> tuple[str, ...]:
    refs = r.strs(key)
    for i, ref in enumerate(refs):
        if ref not in line_ids:
            raise ConfigError(
                f"{r.file}: {r.path + '.' if r.path else ''}{key}[{i}]: unknown line {ref!r} "
                f"(known: {', '.join(line_ids)}; add your own with [[lines]])"
            )
    return refs


def _border(root: Reader, line_ids: tuple[str, ...]) -> tuple[str, ...]:
    """``[border] lines``: which lines count as the border (compare's distances)."""
    t = root.table_at("border")
    refs = _line_refs(t, "lines", line_ids) if "lines" in t.table else BORDER_LINES
    if not refs:
        raise t.fail("lines", "at least one line id", [])
    t.done()
    return refs


def _coverage(root: Reader, line_ids: tuple[str, ...], default: tuple[str, ...]) -> CoverageConfig:
    """``[coverage]``: the distance a named place covers, and the lines checked (by
    default the border, every annotated line and the project's own lines)."""
    t = root.table_at("coverage")
    distance = t.number("distance_km", 10.0, bounds=COVERAGE_BOUNDS_KM, unit=" km")
    lines = _line_refs(t, "lines", line_ids) if "lines" in t.table else default
    t.done()
    return CoverageConfig(distance, tuple(dict.fromkeys(lines)))


def _lines(root: Reader, base: Path) -> tuple[LineConfig, ...]:
    out: list[LineConfig] = []
    for r in root.tables("lines"):
        lid = r.text("id", pattern=_ID, expected="an id of lower-case letters, digits, - or _")
        if lid in SHIPPED_LINES or any(x.id == lid for x in out):
            raise r.fail("id", "an id no other line has (shipped: " + ", ".join(SHIPPED_LINES)
                         + ")", lid)  # fmt: skip
        file = r.text("file", expected="the path of a GeoJSON file")
        out.append(
            LineConfig(
                id=lid,
                name=r.text("name", lid),
                kind=r.text("kind", "line"),
                file=base / file,
                parts=read_line_file(base / file, f"{r.file}: {r.path}.file: {file!r}"),
            )
        )
        r.done()
    return tuple(out)


def _place(r: Reader) -> PlaceConfig:
    pid = r.text("id", pattern=_ID, expected="an id of lower-case letters, digits, - or _")
    place = PlaceConfig(
        id=pid,
        name=r.text("name"),
        aliases=r.strs("aliases"),
        kind=r.text("kind", "site"),
        country=_country(r),
        lat=r.degrees("lat", 90),
        lon=r.degrees("lon", 180),
    )
    r.done()
    return place


def _correction(r: Reader) -> CorrectionConfig:
    text = r.text("text")
    exclude = r.flag("exclude")
    ref = r.text("ref", "")
    has_point = "lat" in r.table or "lon" in r.table
    if exclude + bool(ref) + has_point != 1:
        raise ConfigError(
            f'{r.file}: {r.path}: give exactly one of exclude = true, ref = "geonames:…", '
            "or lat and lon"
        )
    c = CorrectionConfig(
        text=text,
        articles=r.strs("articles"),
        exclude=exclude,
        ref=ref,
        name=r.text("name", ""),
        kind=r.text("kind", "site"),
        country=_country(r),
        lat=r.degrees("lat", 90) if has_point else None,
        lon=r.degrees("lon", 180) if has_point else None,
    )
    r.done()
    return c
