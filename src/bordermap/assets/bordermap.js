/*
 * bordermap.js: the core of the runtime behind bordermap's static Leaflet maps.
 *
 * render/_html.py inlines, in this order, Leaflet, dom.js (the page's DOM
 * names), this file, packed.js (packed data blocks), furniture.js (title
 * box, legend, controls, popups' placement), sources.js (provenance tables and popups), labels.js (point
 * layers' names on canvas), points.js (point layers: clusters), basemap.js (the offline basemap)
 * and cameras.js (the camera annotation); the page's own script then calls
 * the functions of
 * window.bordermap with JSON payloads.  Every string in those payloads may
 * come from a news article, so the runtime follows one rule: data only ever
 * reaches the page through textContent or DOM nodes, never through innerHTML
 * or string-built markup.  (The two Leaflet places that use innerHTML
 * internally, the layer control's names and the attribution control, receive
 * text that render.py has already HTML-escaped.)  Every class name, pane,
 * readiness signal and window handle is read from window.bordermap.dom.
 *
 * What the core shares with the other modules (and compare.js), on
 * window.bordermap:
 *   el(tag, className, text, parent), str(value): the only ways text is set;
 *   data(ref): a payload field, or the JSON data block it names, parsed once;
 *   records(value): a list of records, sent as columns when they share keys;
 *   decodeLatLngs(flat, scale): a delta-encoded coordinate list as L.LatLngs;
 *   levelAt(levels, zoom), Shape(levels, decode), followZoom(map, layer,
 *     shape, level): levels of detail;
 *   geoJSON(map, features, options), geometries(value): the documented
 *     decoder of the wire format: one L.geoJSON layer that follows the
 *     zoom's level of detail, and a layer's geometries as a list;
 *   setFeatureFilter(map, predicate), featureFilter(map): the documented
 *     filter API (see below); followFilter(map, layer), keeps(predicate,
 *     feature): for the modules that draw features;
 *   layers: the registry of drawn layers (also window[dom.layersHandle]).
 *   addControl(map, position, className, build): a control of our own;
 *   later(job, name): run job soon, after those queued before it, in
 *     short tasks (feature layers, cameras and finish are queued so), measured
 *     as "bordermap <name>" in the performance timeline; afterQueue(fn): run
 *     fn once the queue is empty.
 * The page's calls: setup, addBasemap (basemap.js), addSources (sources.js),
 * addFeatures, addCameras (cameras.js), addLegend and arrangeControls
 * (furniture.js), finish.
 */
(function (window, document, L) {
  "use strict";

  var BM = window.bordermap || (window.bordermap = {});
  var DOM = BM.dom;
  // Layer registry keyed by MapLayer.id / CameraAnnotation.layer_id, for
  // presenters and tests: {group: L.FeatureGroup, kind: "features"|"cameras"}.
  BM.layers = Object.create(null);

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
  // application/json, or packed: packed.js; see render/_encode.py) and are
  // parsed on first use; a payload field holds either the data itself or the
  // id of its block.  Parsed blocks are shared and read-only.
  var blocks = Object.create(null);

  function data(ref) {
    if (typeof ref !== "string") {
      return ref;
    }
    if (!(ref in blocks)) {
      blocks[ref] = JSON.parse(BM.blockText(document.getElementById(ref)));
    }
    return blocks[ref];
  }

  // A list of records as render/_plain.py's _records sends it: a plain list
  // as it is, or columns {keys, same, rows} (`same`: the values every record
  // shares, left out of the rows; a null row is a null record) as objects.
  function records(value) {
    if (Array.isArray(value)) {
      return value;
    }
    var keys = value.keys;
    var same = value.same || {};
    var shared = keys.map(function (key) {
      return Object.prototype.hasOwnProperty.call(same, key);
    });
    return value.rows.map(function (row) {
      if (row === null) {
        return null;
      }
      var out = {};
      for (var k = 0, j = 0; k < keys.length; k++) {
        out[keys[k]] = shared[k] ? same[keys[k]] : row[j++];
      }
      return out;
    });
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
  // render/_encode.py): the one to draw at `zoom`.
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

  // ------------------------------------------------------------- geometry

  var DEPTH = { LineString: 0, MultiLineString: 1, Polygon: 1, MultiPolygon: 2 };

  function toLatLng(coords) {
    return coords instanceof L.LatLng ? coords : L.GeoJSON.coordsToLatLng(coords);
  }

  /**
   * The decoder of the wire format (render/_encode.py), for map and compare
   * pages alike: an L.geoJSON layer of `features` ([{type: "Feature",
   * geometry, properties}], one child layer per feature, in order).  Points
   * are GeoJSON; lines and polygons arrive delta-encoded in levels of detail
   * ({type, scale, levels}), are decoded for the map's current zoom and then
   * follow the zoom's level of detail.  `options` are L.geoJSON's own
   * (pointToLayer, style, onEachFeature, pane...).
   */
  function geoJSON(map, features, options) {
    var zoom = map.getZoom();
    var decoded = features.map(function (feature) {
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
        shape: { shape: shape, level: level },
      };
    });
    var each = options.onEachFeature;
    var own = L.extend({}, options, {
      coordsToLatLng: toLatLng,
      onEachFeature: function (feature, layer) {
        if (feature.shape) {
          followZoom(map, layer, feature.shape.shape, feature.shape.level);
        }
        if (each) {
          each(feature, layer);
        }
      },
    });
    return L.geoJSON({ type: "FeatureCollection", features: decoded }, own);
  }

  /**
   * A layer's geometries, one per feature in order (render/_encode.py's
   * _encode_geometries): a list of wire-format geometries as it is, or a
   * layer of points, which arrives as one delta-encoded {type: "Points",
   * scale, data}, as GeoJSON-like Points whose coordinates are L.LatLngs.
   * Either is ready for geoJSON below.
   */
  function geometries(value) {
    if (Array.isArray(value)) {
      return value;
    }
    return decodeLatLngs(data(value.data), value.scale).map(function (latlng) {
      return { type: "Point", coordinates: latlng };
    });
  }

  // ------------------------------------------------------------- filters

  // Per map: the feature filter and the layers that follow it.
  var filters = new WeakMap();
  var filtered = new WeakMap();

  /**
   * Show only the features for which `predicate(properties)` is true (null:
   * all).  `properties` is a feature's properties, `provenance` (every entry)
   * included.  Point layers, their clusters and labels redraw at once.
   */
  BM.setFeatureFilter = function (map, predicate) {
    filters.set(map, typeof predicate === "function" ? predicate : null);
    (filtered.get(map) || []).forEach(function (layer) {
      layer.filter(filters.get(map));
    });
  };

  BM.featureFilter = function (map) {
    return filters.get(map) || null;
  };

  // `layer.filter(predicate)` is called now and on every setFeatureFilter.
  BM.followFilter = function (map, layer) {
    if (!filtered.has(map)) {
      filtered.set(map, []);
    }
    filtered.get(map).push(layer);
    if (filters.get(map)) {
      layer.filter(filters.get(map));
    }
  };

  function keeps(predicate, feature) {
    return !predicate || Boolean(predicate(feature.properties || {}));
  }

  // ------------------------------------------------------------- setup

  /**
   * Map-wide setup that must run before any layer is added: limits, initial
   * view, attribution, title box, zoom control and scale bar.
   */
  BM.setup = function (map, cfg) {
    window[DOM.mapHandle] = map;
    window[DOM.layersHandle] = BM.layers;
    map.options.minZoom = cfg.minZoom;
    map.options.maxZoom = cfg.maxZoom;
    map.getContainer().classList.add(DOM.map);
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
    // The title box is added before the zoom control so it sits above it
    // (furniture.js: the title box, the sources panel, compact layout, popups).
    BM.titleBox(map, cfg);
    BM.watch(map);
    L.control.zoom({ position: "topleft" }).addTo(map);
    L.control.scale({ metric: true, imperial: false, position: "bottomleft" }).addTo(map);
  };

  // --------------------------------------------------------- feature layers

  // Lines, polygons and mixed layers: one Leaflet layer per feature.
  function addShapes(map, group, payload, all) {
    var color = payload.color;
    var children = [];
    var layer = geoJSON(map, all, {
      pointToLayer: function (feature, latlng) {
        // Above lines and the annotation, so that a point takes its own clicks.
        var own = { radius: 6, bubblingMouseEvents: false };
        return L.circleMarker(latlng, L.extend(own, BM.pointPane(map)));
      },
      style: function (feature) {
        var type = feature && feature.geometry ? feature.geometry.type : "";
        if (type === "Point" || type === "MultiPoint") {
          return { color: "#ffffff", weight: 1.5, fillColor: color, fillOpacity: 0.95 };
        }
        return { color: color, weight: 3, opacity: 0.9, fillColor: color, fillOpacity: 0.2 };
      },
      onEachFeature: function (feature, child) {
        children.push(child);
        BM.bindFeature(all[children.length - 1], child);
      },
    });
    group.addLayer(layer);
    var kept = children.map(function () {
      return true;
    });
    return {
      // A filter that keeps the features drawn redraws nothing.
      filter: function (predicate) {
        var next = all.map(function (feature) {
          return keeps(predicate, feature);
        });
        if (next.every(function (k, i) {
          return k === kept[i];
        })) {
          return;
        }
        kept = next;
        layer.clearLayers();
        children.forEach(function (child, i) {
          if (kept[i]) {
            layer.addLayer(child);
          }
        });
      },
    };
  }

  // ------------------------------------------------------------ slices

  // Each feature layer (and the camera annotation, cameras.js) is decoded
  // and drawn in jobs of its own, queued in the page's order, and finish()
  // queues after them; the jobs run one after another, in order, so the
  // result is the same whatever the timing.  Jobs run back to back in one
  // task while it is shorter than BUDGET_MS, then the rest in the next: no
  // task holds the main thread for the whole page, and few frames are
  // painted half-way (each copies the map's canvases, tens of ms without a GPU).
  var BUDGET_MS = 16;
  var queue = [];
  var pumping = false;

  // Each job shows in the browser's performance timeline as a measure named
  // "bordermap <name>" (DevTools, bench_page.py's profile).
  var perf = window.performance && typeof window.performance.measure === "function" ? window.performance : null;

  function clock() {
    return perf ? perf.now() : Date.now();
  }

  function pump() {
    var begin = clock();
    try {
      while (queue.length) {
        var item = queue.shift();
        var start = clock();
        item.job();
        if (perf) {
          perf.measure("bordermap " + item.name, { start: start });
        }
        if (clock() - begin >= BUDGET_MS) {
          break;
        }
      }
    } finally {
      if (queue.length) {
        window.setTimeout(pump, 0);
      } else {
        pumping = false;
        paint();
        var waiting = drained;
        drained = [];
        waiting.forEach(function (fn) {
          fn();
        });
      }
    }
  }

  // Run `fn` once every queued job has run (now, if none is left): a redraw
  // that the next job would make stale again waits for it.
  var drained = [];

  function afterQueue(fn) {
    if (queue.length || pumping) {
      drained.push(fn);
    } else {
      fn();
    }
  }

  // Canvas renderers repaint in an animation frame after each change.  While
  // the queue runs, those repaints wait for its end: one paint of everything
  // instead of one after each layer (each repaints what shares its canvas,
  // the basemap included, and costs a copy of the canvas without a GPU).
  var unpainted = [];
  var redraw = L.Canvas.prototype._redraw;

  L.Canvas.prototype._redraw = function () {
    if (pumping && this._map) {
      if (unpainted.indexOf(this) < 0) {
        unpainted.push(this);
      }
      return;
    }
    redraw.call(this);
  };

  function paint() {
    var canvases = unpainted;
    unpainted = [];
    canvases.forEach(function (renderer) {
      if (renderer._map) {
        redraw.call(renderer);
      }
    });
  }

  function later(job, name) {
    queue.push({ job: job, name: str(name) || "job" });
    if (!pumping) {
      pumping = true;
      window.setTimeout(pump, 0);
    }
  }

  // A layer's features are decoded in one job and drawn in the next (a point
  // layer clusters in it and makes its markers in a third, its `draw`): on a
  // large layer each is a good part of the page's time.
  BM.addFeatures = function (map, group, payload) {
    var all = null;
    later(function () {
      all = BM.features(map, payload);
    }, "decode " + payload.id);
    later(function () {
      addFeatures(map, group, payload, all);
    }, "layer " + payload.id);
    later(function () {
      var drawn = BM.layers[payload.id];
      return drawn && drawn.draw && drawn.draw();
    }, "draw " + payload.id);
  };

  function addFeatures(map, group, payload, all) {
    var points =
      all.length > 0 &&
      typeof BM.addPoints === "function" &&
      all.every(function (f) {
        return f.geometry.type === "Point";
      });
    var layer = points ? BM.addPoints(map, group, payload, all) : addShapes(map, group, payload, all);
    BM.followFilter(map, layer);
    BM.layers[payload.id] = L.extend({ group: group, kind: "features", features: all, color: payload.color }, layer);
  }

  // ---------------------------------------------------------- readiness

  /**
   * Signal readiness once every layer is on the map (after the queued
   * layers' tasks), the canvases have
   * painted (two animation frames after the last layer was added) and the tile
   * layer, if any, has finished loading or erroring.  Presenters wait for
   * window[dom.ready] / the dom.readyAttribute on <html> (set to "1").
   */
  BM.finish = function (map, tiles, opts) {
    later(function () {
      finish(map, tiles, opts);
    }, "finish");
  };

  function finish(map, tiles, opts) {
    var done = false;

    function publish() {
      if (window[DOM.ready]) {
        return;
      }
      window[DOM.ready] = true;
      window[DOM.readyAt] = window.performance ? window.performance.now() : 0;
      document.documentElement.setAttribute(DOM.readyAttribute, "1");
      if (typeof window.CustomEvent === "function") {
        document.dispatchEvent(new window.CustomEvent(DOM.readyEvent));
      }
      BM.unpackLater(); // packed.js: the packed blocks, in the background
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
      window[DOM.tilesTimedOut] = !done;
      markReady();
    }, opts.tileTimeoutMs);
  }

  // For basemap.js, cameras.js and compare.js (see the list at the top).
  BM.str = str;
  BM.el = el;
  BM.addControl = addControl;
  BM.data = data;
  BM.records = records;
  BM.decodeLatLngs = decodeLatLngs;
  BM.levelAt = levelAt;
  BM.Shape = Shape;
  BM.followZoom = followZoom;
  BM.geoJSON = geoJSON;
  BM.geometries = geometries;
  BM.keeps = keeps;
  BM.later = later;
  BM.afterQueue = afterQueue;
})(window, document, window.L);
