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
        .join(" · ");
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
      el("div", "bm-popup-facts", facts.join(" · "), root);
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

  /**
   * Offline vector basemap: country polygons in their own pane below the tile
   * pane, so tiles (when present and loaded) cover it and, offline, failed
   * tiles leave it visible.  Non-interactive.
   */
  BM.addBasemap = function (map, data, style) {
    var pane = map.createPane("bmBasemap");
    pane.style.zIndex = "150";
    pane.style.pointerEvents = "none";
    var renderer = L.canvas({ pane: "bmBasemap", padding: 0.5 });
    var scale = data.scale;

    // Rings arrive as flat [x0, y0, dx1, dy1, ...] integers (see render.py).
    function decodeRing(flat) {
      var out = new Array(flat.length / 2);
      var x = 0;
      var y = 0;
      for (var i = 0, j = 0; i < flat.length; i += 2, j++) {
        x += flat[i];
        y += flat[i + 1];
        out[j] = [y / scale, x / scale];
      }
      return out;
    }

    // Two levels of detail: simplified outlines at country scale, the full
    // ones (built on first need) once zoomed in far enough to tell.
    function outlines(key) {
      var group = L.featureGroup();
      data.features.forEach(function (feature) {
        var fill = Object.prototype.hasOwnProperty.call(style.fills, feature.iso_a3)
          ? style.fills[feature.iso_a3]
          : style.fill;
        var latlngs = feature[key].map(function (polygon) {
          return polygon.map(decodeRing);
        });
        if (!latlngs.length) {
          return;
        }
        group.addLayer(
          L.polygon(latlngs, {
            pane: "bmBasemap",
            renderer: renderer,
            interactive: false,
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

    var levels = { coarse: null, polygons: null };
    var group = L.featureGroup().addTo(map);
    function showLevel() {
      var key = map.getZoom() >= data.detailZoom ? "polygons" : "coarse";
      if (levels[key] && group.hasLayer(levels[key])) {
        return;
      }
      group.clearLayers();
      if (!levels[key]) {
        levels[key] = outlines(key);
      }
      group.addLayer(levels[key]);
    }
    showLevel();
    map.on("zoomend", showLevel);
    BM.basemap = group;
  };

  // --------------------------------------------------------- feature layers

  BM.addFeatures = function (group, data) {
    var color = data.color;
    var layer = L.geoJSON(data.geojson, {
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
    BM.layers[data.id] = { group: group, kind: "features" };
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
  BM.addCameras = function (map, group, data) {
    var points = data.points; // [[lon, lat], ...], camera N = index + 1
    // Metres from the river mouth: an array, or {start, step} for even spacing.
    var dist = data.dist;
    var distAt = Array.isArray(dist)
      ? function (i) {
          return dist[i];
        }
      : function (i) {
          return dist.start + i * dist.step;
        };
    var minZoom = data.minZoom;
    var color = data.color;

    var line = L.polyline(
      data.line.map(function (c) {
        return [c[1], c[0]];
      }),
      { color: color, weight: 4, opacity: 0.85, dashArray: "8 6" }
    );
    line.bindPopup(
      function () {
        var root = el("div", "bm-popup");
        el("div", "bm-popup-title", data.title, root);
        el("div", "bm-popup-facts", data.label, root);
        provenanceBlock(data.provenance, root);
        return root;
      },
      { maxWidth: 380 }
    );
    // Leaflet can only place a label on a line with at least two vertices.
    var hasLabel = Boolean(data.label) && data.line.length >= 2;
    if (hasLabel) {
      // To the right of the river's midpoint: inland on the North Korean
      // side, away from the Chinese towns (Tonghua, Ji'an) north of it.
      line.bindTooltip(el("div", "bm-camera-label-text", data.label), {
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
      return "Camera " + (i + 1) + " · " + (distAt(i) / 1000).toFixed(1) + " km from the river mouth";
    }

    function makeMarker(i) {
      var marker = L.circleMarker([points[i][1], points[i][0]], {
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
          el("div", "bm-popup-facts", data.label, root);
          provenanceBlock(data.provenance, root);
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

    function refresh() {
      if (!map.hasLayer(group)) {
        return;
      }
      if (map.getZoom() < minZoom) {
        if (shown.size) {
          cameras.clearLayers();
          shown = new Map();
        }
        if (hasLabel && !line.isTooltipOpen()) {
          line.openTooltip();
        }
        return;
      }
      if (hasLabel) {
        line.closeTooltip();
      }
      var b = map.getBounds().pad(0.2);
      var south = b.getSouth();
      var north = b.getNorth();
      var west = b.getWest();
      var east = b.getEast();
      var next = new Map();
      for (var i = 0; i < points.length; i++) {
        var p = points[i];
        if (p[1] >= south && p[1] <= north && p[0] >= west && p[0] <= east) {
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
    BM.layers[data.id] = {
      group: group,
      kind: "cameras",
      line: line,
      cameras: cameras,
      refresh: refresh,
    };
  };

  // ------------------------------------------------------------- legend

  BM.addLegend = function (map, data) {
    addControl(map, "bottomright", "bm-legend", function (div) {
      el("div", "bm-legend-heading", data.heading, div);
      data.rows.forEach(function (row) {
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

    if (tiles && tiles.isLoading()) {
      // GridLayer fires "load" when every visible tile has loaded or errored.
      tiles.once("load", markReady);
      window.setTimeout(function () {
        window.bordermapTilesTimedOut = !done;
        markReady();
      }, opts.tileTimeoutMs);
    } else {
      markReady();
    }
  };

  window.bordermap = BM;
})(window, document, window.L);
