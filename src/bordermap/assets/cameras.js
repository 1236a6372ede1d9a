/*
 * cameras.js: the camera annotation of bordermap's maps (thousands of
 * claimed cameras along a river, with the claim as a label on the river).
 *
 * Inlined after bordermap.js, whose namespace (window.bordermap) it uses
 * (el, data, decodeLatLngs, levelAt, Shape, followZoom, provenanceBlock,
 * layers, dom) and extends with addCameras(map, group, annotation).  Text
 * reaches the page only through bordermap.el (textContent).
 */
(function (window, L) {
  "use strict";

  var BM = window.bordermap;
  var DOM = BM.dom;
  var el = BM.el;

  // At most this many camera markers exist at once (see refresh below).
  var MAX_SHOWN = 1500;
  // The grid of the spatial index has at most this many columns and rows.
  var GRID_MAX = 512;

  /**
   * The cameras by grid cell, built once (a counting sort of the points by
   * cell), so that a view finds its cameras by looking only at the cells it
   * overlaps: a move costs what is in view, never a scan of every camera.
   */
  function GridIndex(lons, lats) {
    var n = lons.length;
    var w = Infinity;
    var s = Infinity;
    var e = -Infinity;
    var north = -Infinity;
    for (var i = 0; i < n; i++) {
      w = Math.min(w, lons[i]);
      e = Math.max(e, lons[i]);
      s = Math.min(s, lats[i]);
      north = Math.max(north, lats[i]);
    }
    var size = Math.max(0.01, (e - w) / GRID_MAX, (north - s) / GRID_MAX);
    var cols = Math.floor((e - w) / size) + 1;
    var rows = Math.floor((north - s) / size) + 1;
    var cellOf = new Int32Array(n);
    var start = new Int32Array(cols * rows + 1);
    for (var j = 0; j < n; j++) {
      var c = Math.floor((lats[j] - s) / size) * cols + Math.floor((lons[j] - w) / size);
      cellOf[j] = c;
      start[c + 1] += 1;
    }
    for (var k = 0; k < cols * rows; k++) {
      start[k + 1] += start[k];
    }
    var fill = start.slice(0, cols * rows);
    var order = new Int32Array(n);
    for (var m = 0; m < n; m++) {
      order[fill[cellOf[m]]++] = m;
    }
    // Camera indices inside [west, east] x [south, north], in cell order.
    this.query = function (west, south, east, northEdge) {
      var out = [];
      if (n === 0) {
        return out;
      }
      var x0 = Math.max(0, Math.floor((west - w) / size));
      var x1 = Math.min(cols - 1, Math.floor((east - w) / size));
      var y0 = Math.max(0, Math.floor((south - s) / size));
      var y1 = Math.min(rows - 1, Math.floor((northEdge - s) / size));
      for (var y = y0; y <= y1; y++) {
        for (var x = x0; x <= x1; x++) {
          var cell = y * cols + x;
          for (var q = start[cell]; q < start[cell + 1]; q++) {
            var p = order[q];
            if (lats[p] >= south && lats[p] <= northEdge && lons[p] >= west && lons[p] <= east) {
              out.push(p);
            }
          }
        }
      }
      return out;
    };
  }

  /**
   * Thousands of claimed cameras along a river.  Below `minZoom` only the
   * river line and a permanent label are drawn (thousands of overlapping dots
   * would be an unreadable smear and slow to draw).  From `minZoom` up, canvas
   * circle markers are created for the cameras inside the (padded) view only,
   * found through a grid index and recomputed after every move; markers that
   * stay in view are kept, so an open popup survives its own auto-pan.
   */
  BM.addCameras = function (map, group, ann) {
    // Camera N = index + 1; positions are decoded into lon/lat arrays on the
    // first zoomed-in view (at country scale they are never needed).
    var count = ann.count;
    var lons = null;
    var lats = null;
    var index = null;
    function decodePoints() {
      var flat = BM.data(ann.points);
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
      index = new GridIndex(lons, lats);
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

    var shape = new BM.Shape(ann.line, function (flat) {
      return BM.decodeLatLngs(flat, ann.scale);
    });
    var level = BM.levelAt(ann.line, map.getZoom());
    var latlngs = shape.at(level);
    var line = L.polyline(latlngs, { color: color, weight: 4, opacity: 0.85, dashArray: "8 6" });
    BM.followZoom(map, line, shape, level);
    line.bindPopup(
      function () {
        var root = el("div", DOM.popup);
        el("div", DOM.popupTitle, ann.title, root);
        el("div", DOM.popupFacts, ann.label, root);
        BM.provenanceBlock(ann.provenance, root);
        return root;
      },
      { maxWidth: 380 }
    );
    // Leaflet can only place a label on a line with at least two vertices.
    var hasLabel = Boolean(ann.label) && latlngs.length >= 2;
    if (hasLabel) {
      // To the right of the river's midpoint: inland on the North Korean
      // side, away from the Chinese towns (Tonghua, Ji'an) north of it.
      line.bindTooltip(el("div", DOM.cameraLabelText, ann.label), {
        permanent: true,
        direction: "right",
        offset: [10, 0],
        className: DOM.cameraLabel,
        opacity: 1,
      });
    }
    group.addLayer(line);

    var cameras = L.layerGroup();
    group.addLayer(cameras);
    var shown = new Map(); // camera index -> L.CircleMarker

    function cameraText(i) {
      return (
        (ann.noun || "Camera") + " " + (i + 1) + " \u00b7 " + (distAt(i) / 1000).toFixed(1) +
        " km from " + (ann.from || "the river mouth")
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
          var root = el("div", DOM.popup + " " + DOM.cameraPopup);
          el("div", DOM.popupTitle, cameraText(i), root);
          el("div", DOM.popupFacts, ann.label, root);
          BM.provenanceBlock(ann.provenance, root);
          return root;
        },
        { maxWidth: 380 }
      );
      marker.bindTooltip(function () {
        return el("span", DOM.tooltipText, cameraText(i));
      });
      marker[DOM.cameraNumber] = i + 1;
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
      var inView = index.query(b.getWest(), b.getSouth(), b.getEast(), b.getNorth());
      // Where more cameras are in view than MAX_SHOWN, they stand closer than
      // a pixel apart: every stride-th is drawn (a power of two, so zooming
      // in only adds markers).
      var stride = 1;
      while (inView.length / stride > MAX_SHOWN) {
        stride *= 2;
      }
      var next = new Map();
      for (var k = 0; k < inView.length; k++) {
        var i = inView[k];
        if (i % stride !== 0) {
          continue;
        }
        var marker = shown.get(i);
        if (!marker) {
          marker = makeMarker(i);
          cameras.addLayer(marker);
        }
        next.set(i, marker);
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
})(window, window.L);
