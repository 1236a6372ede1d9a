/*
 * basemap.js: the offline vector basemap of bordermap's pages (country
 * outlines drawn on a canvas straight from typed arrays).
 *
 * Inlined after bordermap.js, whose namespace (window.bordermap) it uses
 * (data, levelAt, dom) and extends with addBasemap(map, basemap, style) and
 * the drawn layer group, bordermap.basemap.  It draws only geometry: no text
 * from the payload reaches the page.
 */
(function (window, L) {
  "use strict";

  var BM = window.bordermap;
  var DOM = BM.dom;

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
    var pane = map.createPane(DOM.basemapPane);
    pane.style.zIndex = "150";
    pane.style.pointerEvents = "none";
    var paneName = basemap.ownPane ? DOM.basemapPane : "overlayPane";
    if (!basemap.ownPane && !map.options.renderer) {
      // The map's default renderer for vector layers, shared from here on.
      map.options.renderer = L.canvas();
    }
    var renderer = basemap.ownPane ? L.canvas({ pane: paneName }) : map.options.renderer;
    // Levels of detail: simplified outlines at country scale, the full ones
    // (parsed and built on first need) once zoomed in far enough to tell.
    function outlines(level) {
      var group = L.featureGroup();
      var rings = new Rings(BM.data(level.data), basemap.unit);
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
      var level = BM.levelAt(basemap.levels, map.getZoom());
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
})(window, window.L);
