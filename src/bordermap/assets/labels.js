/*
 * labels.js: the names and counts of bordermap's point layers, on one canvas per map.
 *
 * Inlined after sources.js and before points.js, whose layers it labels; it
 * extends window.bordermap with labeller(map), grouped(n), labelsOf(map) and
 * redrawLabels(map).  A point layer registers {items()} with
 * labeller(map).add: the clusters and places it draws, each {latlng, radius,
 * count, text, weight}.  The canvas sits in its own pane and moves with the
 * map while it is dragged; after every move (once the page's queued layers
 * are drawn) the names are placed again: greedily, the most-named places
 * first, each at the first of four positions around its point that overlaps
 * no name and no marker, checked in a screen-space grid; at most MAX_LABELS
 * names are tried per redraw.  Clusters get their count in their disc.
 * Deterministic: the same page and view give the same names.
 */
(function (window, document, L) {
  "use strict";

  var BM = window.bordermap;
  var DOM = BM.dom;

  var MAX_LABELS = 400; // names tried per redraw: bounded work per frame
  var FONT = "12px sans-serif";
  var COUNT_FONT = "bold 11px sans-serif";
  var LABEL_H = 15;
  var GRID_PX = 64; // cell of the collision grid

  // 12345 -> "12,345", as toLocaleString("en-US") writes it (which is slow
  // enough to matter on a redraw of hundreds of clusters).
  function grouped(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }

  var labellers = new WeakMap(); // map -> labeller

  function Grid() {
    var cells = new Map();
    function each(r, visit) {
      var x0 = Math.floor(r.x / GRID_PX);
      var x1 = Math.floor((r.x + r.w) / GRID_PX);
      var y0 = Math.floor(r.y / GRID_PX);
      var y1 = Math.floor((r.y + r.h) / GRID_PX);
      for (var gx = x0; gx <= x1; gx++) {
        for (var gy = y0; gy <= y1; gy++) {
          if (visit(gx + ":" + gy) === false) {
            return false;
          }
        }
      }
      return true;
    }
    this.add = function (r) {
      each(r, function (key) {
        if (!cells.has(key)) {
          cells.set(key, []);
        }
        cells.get(key).push(r);
      });
    };
    this.hits = function (r, owner) {
      return !each(r, function (key) {
        var list = cells.get(key) || [];
        for (var i = 0; i < list.length; i++) {
          var o = list[i];
          if (o.owner !== owner && o.x < r.x + r.w && r.x < o.x + o.w && o.y < r.y + r.h && r.y < o.y + o.h) {
            return false;
          }
        }
        return true;
      });
    };
  }

  function labeller(map) {
    if (labellers.has(map)) {
      return labellers.get(map);
    }
    var pane = map.getPane(DOM.labelsPane) || map.createPane(DOM.labelsPane);
    // Above the markers (Leaflet's marker pane is 600), below tooltips (650).
    pane.style.zIndex = 640;
    pane.style.pointerEvents = "none";
    var canvas = document.createElement("canvas");
    canvas.className = DOM.labelsCanvas;
    canvas.style.position = "absolute";
    canvas.style.left = "0";
    canvas.style.top = "0";
    pane.appendChild(canvas);
    var ctx = canvas.getContext("2d");
    var layers = [];
    var placed = [];
    var widths = new Map();
    var frame = null;
    var waiting = false; // a redraw waits for the page's queued layers

    function width(text) {
      if (!widths.has(text)) {
        widths.set(text, Math.ceil(ctx.measureText(text).width));
      }
      return widths.get(text);
    }

    function draw() {
      if (frame !== null) {
        window.cancelAnimationFrame(frame);
        frame = null;
      }
      var size = map.getSize();
      var ratio = window.devicePixelRatio || 1;
      L.DomUtil.setPosition(canvas, map.containerPointToLayerPoint([0, 0]));
      if (canvas.width !== Math.round(size.x * ratio) || canvas.height !== Math.round(size.y * ratio)) {
        canvas.width = Math.round(size.x * ratio);
        canvas.height = Math.round(size.y * ratio);
        canvas.style.width = size.x + "px";
        canvas.style.height = size.y + "px";
      }
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, size.x, size.y);
      canvas.style.visibility = "";
      var grid = new Grid();
      var names = [];
      var counts = [];
      layers.forEach(function (layer, li) {
        layer.items().forEach(function (item) {
          var p = map.latLngToContainerPoint(item.latlng);
          var r = item.radius;
          grid.add({ x: p.x - r, y: p.y - r, w: 2 * r, h: 2 * r, owner: item });
          if (item.count > 1) {
            counts.push({ p: p, text: grouped(item.count) });
          } else if (item.text && p.x >= 0 && p.y >= 0 && p.x <= size.x && p.y <= size.y) {
            names.push({ p: p, r: r, text: item.text, weight: item.weight, layer: li, item: item });
          }
        });
      });
      names.sort(function (a, b) {
        return (
          b.weight - a.weight ||
          a.layer - b.layer ||
          (a.text < b.text ? -1 : a.text > b.text ? 1 : 0) ||
          a.p.y - b.p.y ||
          a.p.x - b.p.x
        );
      });
      ctx.font = FONT;
      placed = [];
      names.slice(0, MAX_LABELS).forEach(function (n) {
        var w = width(n.text);
        var x = n.p.x;
        var y = n.p.y;
        var r = n.r;
        var spots = [
          [x + r + 3, y - LABEL_H / 2],
          [x - r - 3 - w, y - LABEL_H / 2],
          [x - w / 2, y - r - 1 - LABEL_H],
          [x - w / 2, y + r + 1],
        ];
        for (var i = 0; i < spots.length; i++) {
          var rect = { x: spots[i][0], y: spots[i][1], w: w, h: LABEL_H, owner: n.item };
          var inside = rect.x >= 0 && rect.y >= 0 && rect.x + w <= size.x && rect.y + LABEL_H <= size.y;
          if (inside && !grid.hits(rect, n.item)) {
            grid.add(rect);
            placed.push({ text: n.text, x: rect.x, y: rect.y, w: w, h: LABEL_H });
            return;
          }
        }
      });
      ctx.textBaseline = "middle";
      ctx.lineJoin = "round";
      ctx.lineWidth = 3;
      ctx.strokeStyle = "rgba(255, 255, 255, 0.95)";
      ctx.fillStyle = "#1f1f1f";
      ctx.textAlign = "left";
      placed.forEach(function (l) {
        ctx.strokeText(l.text, l.x, l.y + LABEL_H / 2);
        ctx.fillText(l.text, l.x, l.y + LABEL_H / 2);
      });
      ctx.font = COUNT_FONT;
      ctx.textAlign = "center";
      ctx.fillStyle = "#ffffff";
      counts.forEach(function (c) {
        ctx.fillText(c.text, c.p.x, c.p.y);
      });
    }

    // Several layers move at once: one redraw per frame, and while the page
    // is still adding layers (bordermap.js's queue), one once they are added.
    function schedule() {
      if (frame === null) {
        frame = window.requestAnimationFrame(function () {
          frame = null;
          if (!waiting) {
            waiting = true;
            BM.afterQueue(function () {
              waiting = false;
              draw();
            });
          }
        });
      }
    }

    map.on("zoomstart", function () {
      canvas.style.visibility = "hidden";
    });
    map.on("resize", schedule);
    var own = {
      add: function (layer) {
        layers.push(layer);
        schedule();
      },
      schedule: schedule,
      draw: draw,
      placed: function () {
        return placed.slice();
      },
    };
    labellers.set(map, own);
    return own;
  }

  /** The names drawn on `map`: [{text, x, y, w, h}] in container pixels. */
  BM.labelsOf = function (map) {
    return labellers.has(map) ? labellers.get(map).placed() : [];
  };

  /** Place and draw the names of `map` now (they are redrawn after every move anyway). */
  BM.redrawLabels = function (map) {
    if (labellers.has(map)) {
      labellers.get(map).draw();
    }
  };

  BM.labeller = labeller;
  BM.grouped = grouped;
})(window, document, window.L);
