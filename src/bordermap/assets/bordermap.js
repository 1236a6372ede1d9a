/*
 * bordermap.js: the runtime behind bordermap's static Leaflet maps.
 *
 * render.py inlines this file after Leaflet and calls the functions below with
 * JSON payloads.  Every string in those payloads may come from a news article,
 * so this file follows one rule: data only ever reaches the page through
 * textContent or DOM nodes, never through innerHTML or string-built markup.
 * (The two Leaflet places that use innerHTML internally, the layer control's
 * names and the attribution control, receive text that render.py has already
 * HTML-escaped.)
 */
(function (window, document, L) {
  "use strict";

  var BM = {
    // Layer registry keyed by MapLayer.id / CameraAnnotation.layer_id, for
    // presenters and tests: {group: L.FeatureGroup, kind: "features"|"cameras"}.
    layers: Object.create(null),
  };

  // ---------------------------------------------------------------- helpers

  function str(value) {
    return value === undefined || value === null ? "" : String(value);
  }

  // Create an element whose text (if any) is set with textContent.
  function el(tag, className, text, parent) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null && text !== "") {
      node.textContent = str(text);
    }
    if (parent) {
      parent.appendChild(node);
    }
    return node;
  }

  // Keep clicks and wheel events inside our own controls from reaching the map.
  function isolate(node) {
    L.DomEvent.disableClickPropagation(node);
    L.DomEvent.disableScrollPropagation(node);
    return node;
  }

  function formatKm(value) {
    var n = Number(value);
    return isFinite(n) ? n.toFixed(1) + " km" : "";
  }

  // A small control whose DOM is built by `build(container)`.
  function addControl(map, position, className, build) {
    var Control = L.Control.extend({
      onAdd: function () {
        var div = el("div", "leaflet-control " + className);
        build(div);
        return isolate(div);
      },
    });
    return new Control({ position: position }).addTo(map);
  }

  // ---------------------------------------------------------------- data

  // Large payloads live in JSON data blocks (script elements of type
  // application/json, see render.py) and are parsed on first use; a payload
  // field holds either the data itself or the id of its block.  Parsed blocks
  // are shared and read-only.
  var blocks = Object.create(null);

  function data(ref) {
    if (typeof ref !== "string") {
      return ref;
    }
    if (!(ref in blocks)) {
      blocks[ref] = JSON.parse(document.getElementById(ref).textContent);
    }
    return blocks[ref];
  }

  // Coordinates arrive as flat [x0, y0, dx1, dy1, ...] integers in units of
  // 1 / scale degree; this returns the L.LatLng list.
  function decodeLatLngs(flat, scale) {
    var out = new Array(flat.length / 2);
    var x = 0;
    var y = 0;
    for (var i = 0, j = 0; i < flat.length; i += 2, j++) {
      x += flat[i];
      y += flat[i + 1];
      out[j] = new L.LatLng(y / scale, x / scale);
    }
    return out;
  }

  // The same for a nesting of such lists, `depth` levels deep.
  function decodeNested(value, depth, scale) {
    if (depth === 0) {
      return decodeLatLngs(value, scale);
    }
    return value.map(function (v) {
      return decodeNested(v, depth - 1, scale);
    });
  }

  // Levels of detail arrive as [{minZoom, data}, ...], coarsest first (see
  // render.py): the one to draw at `zoom`.
  function levelAt(levels, zoom) {
    var level = levels[0];
    for (var i = 1; i < levels.length; i++) {
      if (zoom >= levels[i].minZoom) {
        level = levels[i];
      }
    }
    return level;
  }

  // One shape in several levels of detail, each decoded on first use.
  function Shape(levels, decode) {
    var decoded = new Map();
    this.levels = levels;
    this.at = function (level) {
      if (!decoded.has(level)) {
        decoded.set(level, decode(data(level.data)));
      }
      return decoded.get(level);
    };
  }

  // Keep a polyline or polygon at the level of detail for the map's zoom.
  function followZoom(map, layer, shape, level) {
    if (shape.levels.length < 2) {
      return;
    }
    map.on("zoomend", function () {
      var next = levelAt(shape.levels, map.getZoom());
      if (next !== level) {
        level = next;
        layer.setLatLngs(shape.at(level));
      }
    });
  }

  // ------------------------------------------------------------- popups

  function provenanceBlock(entries, parent) {
    if (!Array.isArray(entries) || entries.length === 0) {
      el("div", "bm-popup-note", "No source recorded.", parent);
      return;
    }
    el(
      "div",
      "bm-popup-heading",
      entries.length === 1 ? "Source" : "Sources (" + entries.length + ")",
      parent
    );
    var list = el("ol", "bm-provenance", null, parent);
    entries.forEach(function (entry) {
      var p = entry || {};
      var item = el("li", "bm-prov", null, list);
      var head = el("div", "bm-prov-head", null, item);
      el("span", "bm-prov-title", str(p.title) || "(untitled)", head);
      var meta = [str(p.outlet), str(p.date), p.article ? "article " + str(p.article) : ""]
        .filter(function (part) {
          return part !== "";
        })
        .join(" \u00b7 ");
      el("div", "bm-prov-meta", meta, item);
      if (p.claim) {
        el("blockquote", "bm-prov-claim", str(p.claim), item);
      }
    });
  }

  function featurePopup(props) {
    var root = el("div", "bm-popup");
    el("div", "bm-popup-title", str(props.name) || "(unnamed)", root);
    var facts = [];
    if (props.kind) {
      facts.push(str(props.kind));
    }
    var km = formatKm(props.length_km);
    if (props.length_km !== undefined && props.length_km !== null && km) {
      facts.push(km);
    }
    if (facts.length) {
      el("div", "bm-popup-facts", facts.join(" \u00b7 "), root);
    }
    provenanceBlock(props.provenance, root);
    return root;
  }

  // ------------------------------------------------------------- setup

  /**
   * Map-wide setup that must run before any layer is added: limits, initial
   * view, attribution, title box, zoom control and scale bar.
   */
  BM.setup = function (map, cfg) {
    window.bordermapMap = map;
    window.bordermapLayers = BM.layers;
    map.options.minZoom = cfg.minZoom;
    map.options.maxZoom = cfg.maxZoom;
    map.getContainer().classList.add("bm-map");
    // `attribution` arrives HTML-escaped: Leaflet renders it with innerHTML.
    map.attributionControl.addAttribution(cfg.attribution);
    // No animation: the first frame must already show the final view.
    map.fitBounds(
      [
        [cfg.bounds[1], cfg.bounds[0]],
        [cfg.bounds[3], cfg.bounds[2]],
      ],
      { animate: false }
    );
    // The title box is added before the zoom control so it sits above it.
    addControl(map, "topleft", "bm-title", function (div) {
      el("h1", "bm-title-main", cfg.title, div);
      if (cfg.subtitle) {
        el("p", "bm-title-sub", cfg.subtitle, div);
      }
    });
    L.control.zoom({ position: "topleft" }).addTo(map);
    L.control.scale({ metric: true, imperial: false, position: "bottomleft" }).addTo(map);
  };

  var MERCATOR = L.Projection.SphericalMercator;
  /**
   * All rings of one basemap level of detail in one typed array of projected
   * metres (EPSG:3857, the map's CRS: render.py ships them projected), turned
   * into pixels by one loop per zoom.  A Leaflet polygon would build,
   * project, clip and simplify an object per vertex, in code that runs once
   * and so is never optimised; one long loop is.  `features` is the level's
   * data: per feature, a list of polygons, each a list of rings encoded as
   * flat [x0, y0, dx1, dy1, ...] integers in units of `unit` metres.
   */
  function Rings(features, unit) {
    var n = 0;
    var starts = [0]; // ring k spans [starts[k], starts[k + 1]) in the arrays
    var byFeature = []; // feature -> its ring numbers
    features.forEach(function (polygons) {
      var own = [];
      polygons.forEach(function (polygon) {
        polygon.forEach(function (flat) {
          n += flat.length;
          own.push(starts.length - 1);
          starts.push(n);
        });
      });
      byFeature.push(own);
    });
    var metres = new Float64Array(n);
    var at = 0;
    for (var f = 0; f < features.length; f++) {
      for (var p = 0; p < features[f].length; p++) {
        for (var q = 0; q < features[f][p].length; q++) {
          var flat = features[f][p][q];
          var x = 0;
          var y = 0;
          for (var i = 0; i < flat.length; i += 2, at += 2) {
            x += flat[i];
            y += flat[i + 1];
            metres[at] = x * unit;
            metres[at + 1] = y * unit;
          }
        }
      }
    }
    this.features = features;
    this.unit = unit;
    this.byFeature = byFeature;
    this.starts = starts;
    this.metres = metres;
    this.px = new Float64Array(n);
    this.bounds = new Float64Array(4 * (starts.length - 1)); // per ring: x0, y0, x1, y1
    this.key = null;
  }

  // Pixels for the map's current zoom and pixel origin (computed once for all
  // the level's outlines), with each ring's pixel bounds.
  Rings.prototype.project = function (map) {
    var crs = map.options.crs;
    var t = crs.transformation;
    var zoom = map.getZoom();
    var s = crs.scale(zoom);
    var origin = map.getPixelOrigin();
    var key = zoom + ":" + origin.x + ":" + origin.y;
    if (key === this.key) {
      return;
    }
    this.key = key;
    // Same arithmetic as map.latLngToLayerPoint, rounding included.
    var a = s * t._a;
    var b = s * t._b - origin.x;
    var c = s * t._c;
    var e = s * t._d - origin.y;
    var m = this.metres;
    var px = this.px;
    var bounds = this.bounds;
    var starts = this.starts;
    for (var k = 0; k + 1 < starts.length; k++) {
      var x0 = Infinity;
      var y0 = Infinity;
      var x1 = -Infinity;
      var y1 = -Infinity;
      for (var i = starts[k]; i < starts[k + 1]; i += 2) {
        var x = (px[i] = Math.round(a * m[i] + b));
        var y = (px[i + 1] = Math.round(c * m[i + 1] + e));
        x0 = x < x0 ? x : x0;
        x1 = x > x1 ? x : x1;
        y0 = y < y0 ? y : y0;
        y1 = y > y1 ? y : y1;
      }
      bounds[4 * k] = x0;
      bounds[4 * k + 1] = y0;
      bounds[4 * k + 2] = x1;
      bounds[4 * k + 3] = y1;
    }
  };

  /**
   * One country of the basemap, drawn on a canvas renderer straight from its
   * level's typed arrays.  Each level of detail is already simplified for its
   * zooms, so nothing is clipped or simplified here; rings outside the
   * renderer's bounds are skipped.  Non-interactive.
   */
  var Outline = L.Path.extend({
    options: { fill: true, interactive: false },

    initialize: function (rings, feature, options) {
      L.setOptions(this, options);
      this._level = rings;
      this._feature = feature;
    },

    // The outline as L.LatLng rings (Polygon-like API; decoded on each call).
    getLatLngs: function () {
      var level = this._level;
      var unproject = function (flat) {
        var out = [];
        for (var i = 0, x = 0, y = 0; i < flat.length; i += 2) {
          x += flat[i];
          y += flat[i + 1];
          out.push(MERCATOR.unproject(L.point(x * level.unit, y * level.unit)));
        }
        return out;
      };
      return level.features[this._feature].map(function (polygon) {
        return polygon.map(unproject);
      });
    },

    _project: function () {
      var level = this._level;
      level.project(this._map);
      var b = level.bounds;
      var x0 = Infinity;
      var y0 = Infinity;
      var x1 = -Infinity;
      var y1 = -Infinity;
      level.byFeature[this._feature].forEach(function (k) {
        x0 = Math.min(x0, b[4 * k]);
        y0 = Math.min(y0, b[4 * k + 1]);
        x1 = Math.max(x1, b[4 * k + 2]);
        y1 = Math.max(y1, b[4 * k + 3]);
      });
      this._pxBounds = x0 <= x1 ? L.bounds([x0, y0], [x1, y1]) : null;
    },

    _update: function () {},

    _updatePath: function () {
      var renderer = this._renderer;
      if (!renderer._drawing || !this._pxBounds) {
        return;
      }
      var ctx = renderer._ctx;
      var view = renderer._bounds;
      var level = this._level;
      var px = level.px;
      var b = level.bounds;
      var starts = level.starts;
      ctx.beginPath();
      level.byFeature[this._feature].forEach(function (k) {
        var outside =
          b[4 * k + 2] < view.min.x ||
          b[4 * k] > view.max.x ||
          b[4 * k + 3] < view.min.y ||
          b[4 * k + 1] > view.max.y;
        if (outside) {
          return;
        }
        ctx.moveTo(px[starts[k]], px[starts[k] + 1]);
        for (var i = starts[k] + 2; i < starts[k + 1]; i += 2) {
          ctx.lineTo(px[i], px[i + 1]);
        }
        ctx.closePath();
      });
      renderer._fillStroke(ctx, this);
    },

    _containsPoint: function () {
      return false;
    },
  });

  /**
   * Offline vector basemap: country polygons beneath everything else.  With
   * tiles they have their own canvas in a pane below the tile pane, so tiles
   * (when present and loaded) cover them and, offline, failed tiles leave them
   * visible.  Without tiles nothing lies between that pane and the overlay
   * pane, so they are drawn first on the overlays' canvas instead: one canvas
   * fewer to allocate, paint and composite.  Non-interactive.
   */
  BM.addBasemap = function (map, basemap, style) {
    var pane = map.createPane("bmBasemap");
    pane.style.zIndex = "150";
    pane.style.pointerEvents = "none";
    var paneName = basemap.ownPane ? "bmBasemap" : "overlayPane";
    if (!basemap.ownPane && !map.options.renderer) {
      // The map's default renderer for vector layers, shared from here on.
      map.options.renderer = L.canvas();
    }
    var renderer = basemap.ownPane ? L.canvas({ pane: paneName }) : map.options.renderer;
    // Levels of detail: simplified outlines at country scale, the full ones
    // (parsed and built on first need) once zoomed in far enough to tell.
    function outlines(level) {
      var group = L.featureGroup();
      var rings = new Rings(data(level.data), basemap.unit);
      basemap.features.forEach(function (feature, k) {
        var fill = Object.prototype.hasOwnProperty.call(style.fills, feature.iso_a3)
          ? style.fills[feature.iso_a3]
          : style.fill;
        if (!rings.byFeature[k].length) {
          return;
        }
        group.addLayer(
          new Outline(rings, k, {
            pane: paneName,
            renderer: renderer,
            color: style.border,
            weight: style.weight,
            opacity: 1,
            fillColor: fill,
            fillOpacity: 1,
          })
        );
      });
      return group;
    }

    var built = new Map(); // level -> L.FeatureGroup
    var group = L.featureGroup().addTo(map);
    function showLevel() {
      var level = levelAt(basemap.levels, map.getZoom());
      if (built.has(level) && group.hasLayer(built.get(level))) {
        return;
      }
      group.clearLayers();
      if (!built.has(level)) {
        built.set(level, outlines(level));
      }
      group.addLayer(built.get(level));
      if (!basemap.ownPane) {
        // A canvas draws in order of addition: keep the outlines beneath the
        // overlays when a level is (re)added after them.
        built.get(level).getLayers().reverse().forEach(function (outline) {
          outline.bringToBack();
        });
      }
    }
    showLevel();
    map.on("zoomend", showLevel);
    BM.basemap = group;
  };

  // --------------------------------------------------------- feature layers

  var DEPTH = { LineString: 0, MultiLineString: 1, Polygon: 1, MultiPolygon: 2 };

  function toLatLng(coords) {
    return coords instanceof L.LatLng ? coords : L.GeoJSON.coordsToLatLng(coords);
  }

  BM.addFeatures = function (map, group, payload) {
    var color = payload.color;
    var zoom = map.getZoom();
    // Lines and polygons arrive delta-encoded in levels of detail (see
    // render.py); L.geoJSON gets the level for the current zoom as L.LatLngs.
    var features = payload.features.map(function (feature) {
      var g = feature.geometry;
      if (!g.levels) {
        return feature;
      }
      var shape = new Shape(g.levels, function (value) {
        return decodeNested(value, DEPTH[g.type], g.scale);
      });
      var level = levelAt(g.levels, zoom);
      return {
        type: "Feature",
        properties: feature.properties,
        geometry: { type: g.type, coordinates: shape.at(level) },
        bordermapShape: { shape: shape, level: level },
      };
    });
    var collection = { type: "FeatureCollection", features: features };
    var layer = L.geoJSON(collection, {
      coordsToLatLng: toLatLng,
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, { radius: 6 });
      },
      style: function (feature) {
        var type = feature && feature.geometry ? feature.geometry.type : "";
        if (type === "Point" || type === "MultiPoint") {
          return { color: "#ffffff", weight: 1.5, fillColor: color, fillOpacity: 0.95 };
        }
        return { color: color, weight: 3, opacity: 0.9, fillColor: color, fillOpacity: 0.2 };
      },
      onEachFeature: function (feature, layer) {
        var props = feature.properties || {};
        if (feature.bordermapShape) {
          followZoom(map, layer, feature.bordermapShape.shape, feature.bordermapShape.level);
        }
        // Popups and tooltips are built lazily, on open, from DOM nodes.
        layer.bindPopup(
          function () {
            return featurePopup(props);
          },
          { maxWidth: 380 }
        );
        layer.bindTooltip(function () {
          return el("span", "bm-tooltip-text", str(props.name));
        });
      },
    });
    group.addLayer(layer);
    BM.layers[payload.id] = { group: group, kind: "features" };
  };

  // ------------------------------------------------------ camera annotation

  /**
   * Thousands of claimed cameras along a river.  Below `minZoom` only the
   * river line and a permanent label are drawn (thousands of overlapping dots
   * would be an unreadable smear and slow to draw).  From `minZoom` up, canvas
   * circle markers are created for the cameras inside the (padded) view only,
   * recomputed after every move; markers that stay in view are kept, so an
   * open popup survives its own auto-pan.
   */
  BM.addCameras = function (map, group, ann) {
    // Camera N = index + 1; positions are decoded into lon/lat arrays on the
    // first zoomed-in view (at country scale they are never needed).
    var count = ann.count;
    var lons = null;
    var lats = null;
    function decodePoints() {
      var flat = data(ann.points);
      var x = 0;
      var y = 0;
      lons = new Float64Array(count);
      lats = new Float64Array(count);
      for (var i = 0; i < count; i++) {
        x += flat[2 * i];
        y += flat[2 * i + 1];
        lons[i] = x / ann.scale;
        lats[i] = y / ann.scale;
      }
    }
    // Metres from the river mouth: an array, or {start, step} for even spacing.
    var dist = ann.dist;
    var distAt = Array.isArray(dist)
      ? function (i) {
          return dist[i];
        }
      : function (i) {
          return dist.start + i * dist.step;
        };
    var minZoom = ann.minZoom;
    var color = ann.color;

    var shape = new Shape(ann.line, function (flat) {
      return decodeLatLngs(flat, ann.scale);
    });
    var level = levelAt(ann.line, map.getZoom());
    var latlngs = shape.at(level);
    var line = L.polyline(latlngs, { color: color, weight: 4, opacity: 0.85, dashArray: "8 6" });
    followZoom(map, line, shape, level);
    line.bindPopup(
      function () {
        var root = el("div", "bm-popup");
        el("div", "bm-popup-title", ann.title, root);
        el("div", "bm-popup-facts", ann.label, root);
        provenanceBlock(ann.provenance, root);
        return root;
      },
      { maxWidth: 380 }
    );
    // Leaflet can only place a label on a line with at least two vertices.
    var hasLabel = Boolean(ann.label) && latlngs.length >= 2;
    if (hasLabel) {
      // To the right of the river's midpoint: inland on the North Korean
      // side, away from the Chinese towns (Tonghua, Ji'an) north of it.
      line.bindTooltip(el("div", "bm-camera-label-text", ann.label), {
        permanent: true,
        direction: "right",
        offset: [10, 0],
        className: "bm-camera-label",
        opacity: 1,
      });
    }
    group.addLayer(line);

    var cameras = L.layerGroup();
    group.addLayer(cameras);
    var shown = new Map(); // camera index -> L.CircleMarker

    function cameraText(i) {
      return (
        "Camera " + (i + 1) + " \u00b7 " + (distAt(i) / 1000).toFixed(1) + " km from the river mouth"
      );
    }

    function makeMarker(i) {
      var marker = L.circleMarker([lats[i], lons[i]], {
        radius: 4,
        color: "#ffffff",
        weight: 1,
        fillColor: color,
        fillOpacity: 0.95,
      });
      marker.bindPopup(
        function () {
          var root = el("div", "bm-popup bm-camera-popup");
          el("div", "bm-popup-title", cameraText(i), root);
          el("div", "bm-popup-facts", ann.label, root);
          provenanceBlock(ann.provenance, root);
          return root;
        },
        { maxWidth: 380 }
      );
      marker.bindTooltip(function () {
        return el("span", "bm-tooltip-text", cameraText(i));
      });
      marker.bordermapCamera = i + 1;
      return marker;
    }

    // The label sits at the river's midpoint while that is in view; zoomed in
    // on another stretch, it moves to the river vertex nearest the view's
    // centre, so the claim stays readable at every zoom below the cameras'.
    function placeLabel() {
      var view = map.getBounds();
      var target = line.getCenter();
      if (!view.contains(target)) {
        var c = map.getCenter();
        var best = Infinity;
        target = null;
        line.getLatLngs().forEach(function (ll) {
          var d = (ll.lat - c.lat) * (ll.lat - c.lat) + (ll.lng - c.lng) * (ll.lng - c.lng);
          if (d < best && view.contains(ll)) {
            best = d;
            target = ll;
          }
        });
      }
      if (target === null) {
        line.closeTooltip();
      } else {
        line.openTooltip(target);
      }
    }

    function refresh() {
      if (!map.hasLayer(group)) {
        return;
      }
      if (map.getZoom() < minZoom) {
        if (shown.size) {
          cameras.clearLayers();
          shown = new Map();
        }
        if (hasLabel) {
          placeLabel();
        }
        return;
      }
      if (hasLabel) {
        line.closeTooltip();
      }
      if (lons === null) {
        decodePoints();
      }
      var b = map.getBounds().pad(0.2);
      var south = b.getSouth();
      var north = b.getNorth();
      var west = b.getWest();
      var east = b.getEast();
      var next = new Map();
      for (var i = 0; i < count; i++) {
        var lon = lons[i];
        var lat = lats[i];
        if (lat >= south && lat <= north && lon >= west && lon <= east) {
          var marker = shown.get(i);
          if (!marker) {
            marker = makeMarker(i);
            cameras.addLayer(marker);
          }
          next.set(i, marker);
        }
      }
      shown.forEach(function (marker, i) {
        if (!next.has(i)) {
          cameras.removeLayer(marker);
        }
      });
      shown = next;
    }

    map.on("moveend", refresh);
    // Re-evaluate when the layer control switches the annotation back on.
    group.on("add", refresh);
    BM.layers[ann.id] = {
      group: group,
      kind: "cameras",
      line: line,
      cameras: cameras,
      refresh: refresh,
    };
  };

  // ------------------------------------------------------------- legend

  BM.addLegend = function (map, legend) {
    addControl(map, "bottomright", "bm-legend", function (div) {
      el("div", "bm-legend-heading", legend.heading, div);
      legend.rows.forEach(function (row) {
        var item = el("div", "bm-legend-row", null, div);
        var swatch = el("span", "bm-swatch bm-swatch-" + str(row.swatch), null, item);
        // Colours are validated in Python; style properties cannot inject markup.
        swatch.style.setProperty("--bm-swatch-color", str(row.color));
        el("span", "bm-legend-title", row.title, item);
        if (row.label) {
          el("div", "bm-legend-label", row.label, div);
        }
      });
    });
  };

  // ---------------------------------------------------------- readiness

  /**
   * Signal readiness once every layer is on the map, the canvases have
   * painted (two animation frames after the last layer was added) and the tile
   * layer, if any, has finished loading or erroring.  Presenters wait for
   * window.bordermapReady / <html data-ready="1">.
   */
  BM.finish = function (map, tiles, opts) {
    var done = false;

    function publish() {
      if (window.bordermapReady) {
        return;
      }
      window.bordermapReady = true;
      window.bordermapReadyAt = window.performance ? window.performance.now() : 0;
      document.documentElement.dataset.ready = "1";
      if (typeof window.CustomEvent === "function") {
        document.dispatchEvent(new window.CustomEvent("bordermap:ready"));
      }
    }

    function markReady() {
      if (done) {
        return;
      }
      done = true;
      // Canvas renderers repaint in requestAnimationFrame: wait two frames so
      // the paint has happened.  Hidden tabs never run rAF, hence the timer.
      var fallback = window.setTimeout(publish, 1000);
      window.requestAnimationFrame(function () {
        window.requestAnimationFrame(function () {
          window.clearTimeout(fallback);
          publish();
        });
      });
    }

    // One tile layer, or several (the compare page has one per map).
    var loading = (Array.isArray(tiles) ? tiles : [tiles]).filter(function (t) {
      return t && t.isLoading();
    });
    var pending = loading.length;
    if (!pending) {
      markReady();
      return;
    }
    loading.forEach(function (t) {
      // GridLayer fires "load" when every visible tile has loaded or errored.
      t.once("load", function () {
        pending -= 1;
        if (pending === 0) {
          markReady();
        }
      });
    });
    window.setTimeout(function () {
      window.bordermapTilesTimedOut = !done;
      markReady();
    }, opts.tileTimeoutMs);
  };

  // Shared with compare.js: the only ways data text reaches the page.
  BM.str = str;
  BM.el = el;
  window.bordermap = BM;
})(window, document, window.L);
