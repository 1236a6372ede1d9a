/*
 * cameras.js: the camera annotation of bordermap's maps (thousands of
 * claimed cameras along a river, with the claim as a label on the river).
 *
 * Inlined after bordermap.js and sources.js, whose namespace (window.bordermap)
 * it uses (el, data, decodeLatLngs, levelAt, Shape, followZoom,
 * provenanceBlock, layers, dom) and extends with addCameras(map, group,
 * annotation).  Text reaches the page only through bordermap.el (textContent).
 */
(function (window, L) {
  "use strict";

  var BM = window.bordermap;
  var DOM = BM.dom;
  var el = BM.el;

  // At most this many cameras are drawn at once (see draw below).
  var MAX_SHOWN = 2000;
  var RADIUS = 4;
  var HIT_PX = 7;
  // Cameras are drawn for this share of the view's size around it.
  var PAD = 0.3;
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
   * would be an unreadable smear and slow to draw).  From `minZoom` up, the
   * cameras inside the (padded) view, found through a grid index, are drawn
   * on a canvas after every move; a click or hover finds the nearest drawn
   * camera, so a move costs what is in view, whatever the camera count.
   */
  BM.addCameras = function (map, group, ann) {
    // In a task of its own, after the feature layers (bordermap.js's queue).
    BM.later(function () {
      addCameras(map, group, ann);
    }, "cameras " + ann.id);
  };

  // The camera label's sides, in order of preference: [direction, offset in px].
  var LABEL_SIDES = [
    ["right", [10, 0]],
    ["left", [-10, 0]],
    ["bottom", [0, 10]],
    ["top", [0, -10]],
  ];

  // The area two boxes (DOMRects) share, in square pixels.
  function overlap(a, b) {
    return (
      Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left)) *
      Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top))
    );
  }

  function addCameras(map, group, ann) {
    // Camera N = index + 1; positions are decoded into lon/lat arrays on the
    // first zoomed-in view (at country scale they are never needed).
    var count = ann.count;
    var lons = null;
    var lats = null;
    var index = null;
    var mx = null; // projected (the map's CRS), for drawing without trigonometry
    var my = null;
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
      var projection = map.options.crs.projection;
      mx = new Float64Array(count);
      my = new Float64Array(count);
      for (var j = 0; j < count; j++) {
        var m = projection.project(L.latLng(lats[j], lons[j]));
        mx[j] = m.x;
        my[j] = m.y;
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

    var shape = new BM.Shape(ann.line, function (flat) {
      return BM.decodeLatLngs(flat, ann.scale);
    });
    var level = BM.levelAt(ann.line, map.getZoom());
    var latlngs = shape.at(level);
    var line = L.polyline(latlngs, { color: color, weight: 4, opacity: 0.85, dashArray: "8 6" });
    BM.followZoom(map, line, shape, level);
    // A click on the line is a click on the camera drawn there, if any (the
    // cameras stand on or beside it); else it opens the claim's popup.
    line.on("click", function (e) {
      L.DomEvent.stop(e);
      var i = hit(e.containerPoint);
      if (i >= 0) {
        openCamera(i);
        return;
      }
      L.popup({ maxWidth: 380 })
        .setLatLng(e.latlng)
        .setContent(function () {
          var root = el("div", DOM.popup);
          el("div", DOM.popupTitle, ann.title, root);
          el("div", DOM.popupFacts, ann.label, root);
          BM.provenanceBlock(ann.provenance, root);
          return root;
        })
        .openOn(map);
    });
    // Leaflet can only place a label on a line with at least two vertices.
    var hasLabel = Boolean(ann.label) && latlngs.length >= 2;
    if (hasLabel) {
      // To the right of the river's midpoint: inland on the North Korean
      // side, away from the Chinese towns (Tonghua, Ji'an) north of it.
      line.bindTooltip(el("div", DOM.cameraLabelText, ann.label), {
        permanent: true,
        direction: LABEL_SIDES[0][0],
        offset: LABEL_SIDES[0][1],
        className: DOM.cameraLabel,
        opacity: 1,
      });
      // However it opens (with the line, or placed again after a move).
      line.on("tooltipopen", function (e) {
        fitLabel(e.tooltip);
      });
    }
    group.addLayer(line);

    function cameraText(i) {
      return (
        (ann.noun || "Camera") + " " + (i + 1) + " \u00b7 " + (distAt(i) / 1000).toFixed(1) +
        " km from " + (ann.from || "the river mouth")
      );
    }

    // The cameras in view, drawn on a canvas of their own (in a pane under
    // the other layers, which it never hides from the pointer), a margin of
    // PAD around the view so that a pan shows them until it ends.  `drawn`
    // holds [index, x, y] (container pixels) of each dot, for clicks and hover.
    var canvas = null;
    var drawn = [];
    var dots = new (L.Layer.extend({
      onAdd: function () {
        var pane = map.getPane(DOM.camerasPane) || map.createPane(DOM.camerasPane);
        // Under the overlay pane (400): lines and places draw above the cameras.
        pane.style.zIndex = 390;
        pane.style.pointerEvents = "none";
        canvas = document.createElement("canvas");
        canvas.style.position = "absolute";
        canvas.style.left = "0";
        canvas.style.top = "0";
        pane.appendChild(canvas);
      },
      onRemove: function () {
        canvas.parentNode.removeChild(canvas);
        canvas = null;
        drawn = [];
      },
    }))();
    group.addLayer(dots);

    function draw() {
      if (canvas === null) {
        return;
      }
      var size = map.getSize();
      var padX = Math.round(size.x * PAD);
      var padY = Math.round(size.y * PAD);
      var w = size.x + 2 * padX;
      var h = size.y + 2 * padY;
      var ratio = window.devicePixelRatio || 1;
      if (canvas.width !== Math.round(w * ratio) || canvas.height !== Math.round(h * ratio)) {
        canvas.width = Math.round(w * ratio);
        canvas.height = Math.round(h * ratio);
        canvas.style.width = w + "px";
        canvas.style.height = h + "px";
      }
      L.DomUtil.setPosition(canvas, map.containerPointToLayerPoint([-padX, -padY]));
      canvas.style.visibility = "";
      var ctx = canvas.getContext("2d");
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, w, h);
      drawn = [];
      if (map.getZoom() < minZoom) {
        return;
      }
      var sw = map.containerPointToLatLng([-padX, size.y + padY]);
      var ne = map.containerPointToLatLng([size.x + padX, -padY]);
      var inView = index.query(sw.lng, sw.lat, ne.lng, ne.lat);
      // Where more cameras are in view than MAX_SHOWN, they stand closer than
      // a pixel apart: every stride-th is drawn (a power of two, so zooming
      // in only adds dots).
      var stride = 1;
      while (inView.length / stride > MAX_SHOWN) {
        stride *= 2;
      }
      // Container pixels are linear in the projected coordinates at one zoom:
      // x = ax * mx + bx, y = ay * my + by, from two points through Leaflet.
      var crs = map.options.crs;
      var zoom = map.getZoom();
      var at = function (x, y) {
        return map.layerPointToContainerPoint(
          crs.transformation.transform(L.point(x, y), crs.scale(zoom)).subtract(map.getPixelOrigin())
        );
      };
      var p0 = at(0, 0);
      var p1 = at(1, 1);
      var ax = p1.x - p0.x;
      var ay = p1.y - p0.y;
      ctx.beginPath();
      for (var k = 0; k < inView.length; k++) {
        var i = inView[k];
        if (i % stride !== 0) {
          continue;
        }
        var x = ax * mx[i] + p0.x;
        var y = ay * my[i] + p0.y;
        ctx.moveTo(x + padX + RADIUS, y + padY);
        ctx.arc(x + padX, y + padY, RADIUS, 0, 2 * Math.PI);
        drawn.push([i, x, y]);
      }
      ctx.fillStyle = color;
      ctx.globalAlpha = 0.95;
      ctx.fill();
      ctx.globalAlpha = 1;
      ctx.lineWidth = 1;
      ctx.strokeStyle = "#ffffff";
      ctx.stroke();
    }

    // The camera drawn nearest `point` (container pixels), within HIT_PX, or -1.
    function hit(point) {
      var best = -1;
      var bestD = HIT_PX * HIT_PX;
      for (var k = 0; k < drawn.length; k++) {
        var dx = drawn[k][1] - point.x;
        var dy = drawn[k][2] - point.y;
        if (dx * dx + dy * dy <= bestD) {
          bestD = dx * dx + dy * dy;
          best = drawn[k][0];
        }
      }
      return best;
    }

    function openCamera(i) {
      var popup = L.popup({ maxWidth: 380 })
        .setLatLng([lats[i], lons[i]])
        .setContent(function () {
          var root = el("div", DOM.popup + " " + DOM.cameraPopup);
          el("div", DOM.popupTitle, cameraText(i), root);
          el("div", DOM.popupFacts, ann.label, root);
          BM.provenanceBlock(ann.provenance, root);
          return root;
        });
      popup[DOM.cameraNumber] = i + 1;
      popup.openOn(map);
      return popup;
    }

    map.on("click", function (e) {
      var i = map.hasLayer(group) ? hit(e.containerPoint) : -1;
      if (i >= 0) {
        openCamera(i);
      }
    });
    // Hover: the nearest camera's number and distance, looked up once a frame.
    var tip = L.tooltip({ direction: "top", offset: [0, -4] });
    var hovered = -1;
    var pending = null;
    map.on("mousemove", function (e) {
      pending = e.containerPoint;
      window.requestAnimationFrame(function () {
        if (pending === null) {
          return;
        }
        var i = map.hasLayer(group) ? hit(pending) : -1;
        pending = null;
        if (i === hovered) {
          return;
        }
        hovered = i;
        if (i < 0) {
          map.closeTooltip(tip);
        } else {
          tip.setLatLng([lats[i], lons[i]]).setContent(el("span", DOM.tooltipText, cameraText(i)));
          map.openTooltip(tip);
        }
      });
    });
    map.on("zoomstart", function () {
      if (canvas !== null) {
        canvas.style.visibility = "hidden";
      }
    });

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
        fitLabel(line.getTooltip()); // opening an open label again fires nothing
      }
    }

    // The label on the side of its point where all of it is in the map and none
    // of it under the map's controls (title, legend, layer switcher...): right,
    // as a wide map draws it, else left, below or above; where no side is clear,
    // the one that hides the least of it (a phone's map is narrower than it).
    function fitLabel(tip) {
      var node = tip && tip.getElement();
      if (!node) {
        return;
      }
      var container = map.getContainer();
      var frame = container.getBoundingClientRect();
      var controls = Array.from(container.getElementsByClassName(DOM.control))
        .filter(function (c) {
          return c.offsetParent !== null;
        })
        .map(function (c) {
          return c.getBoundingClientRect();
        });
      var best = null;
      for (var i = 0; i < LABEL_SIDES.length; i++) {
        tip.options.direction = LABEL_SIDES[i][0];
        tip.options.offset = LABEL_SIDES[i][1];
        tip.update();
        var r = node.getBoundingClientRect();
        var hidden = r.width * r.height - overlap(r, frame);
        controls.forEach(function (c) {
          hidden += overlap(r, c);
        });
        if (hidden <= 0) {
          return;
        }
        if (best === null || hidden < best[1]) {
          best = [i, hidden];
        }
      }
      tip.options.direction = LABEL_SIDES[best[0]][0];
      tip.options.offset = LABEL_SIDES[best[0]][1];
      tip.update();
    }

    function refresh() {
      if (!map.hasLayer(group)) {
        return;
      }
      var below = map.getZoom() < minZoom;
      if (hasLabel && below) {
        placeLabel();
      } else if (hasLabel) {
        line.closeTooltip();
      }
      if (!below && lons === null) {
        decodePoints();
      }
      draw();
    }

    map.on("moveend resize", refresh);
    // Re-evaluate when the layer control switches the annotation back on.
    group.on("add", refresh);
    BM.layers[ann.id] = {
      group: group,
      kind: "cameras",
      line: line,
      // When it was claimed (ISO days; absent when no claim or article dates it).
      period: ann.start ? { period_start: ann.start, period_end: ann.end } : null,
      refresh: refresh,
      // The cameras drawn now: [{number, lat, lon, x, y}] (x, y: container pixels).
      drawn: function () {
        return drawn.map(function (d) {
          return { number: d[0] + 1, lat: lats[d[0]], lon: lons[d[0]], x: d[1], y: d[2] };
        });
      },
      // Open camera `number`'s popup (what a click on it does).
      open: function (number) {
        if (lons === null) {
          decodePoints();
        }
        return openCamera(number - 1);
      },
    };
  }
})(window, window.L);
