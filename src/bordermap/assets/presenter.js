/*
 * presenter.js: what the snapshotter (snapshot.py) does to a ready map page
 * before capturing it.
 *
 * snapshot.py evaluates this file in the page, adds presenter.css, and calls
 * bordermapPresenter.prepare(options) and then bordermapPresenter.furniture().
 * With options.asOf ({day, label}) the page's time filter is set through
 * bordermap.showAsOf (claims.js) first.
 * Every class name and pane of the page is read from window.bordermap.dom,
 * which the page declares itself (dom.js, inlined into every page); the only
 * classes spelled here are the presenter's own (PRESENTER below), which
 * presenter.css styles.
 */
(function (window, document) {
  "use strict";

  // Classes this file puts on the page's elements; presenter.css styles them.
  var PRESENTER = {
    hidden: "bmp-hidden", // zoom buttons, layer switcher, the page's own scale bar, the
    // time filter and the text view
    zoomed: "bmp-zoomed", // title, legend, attribution: CSS zoom by --bmp-k
    attribution: "bmp-attribution",
    scale: "bmp-scale", // the snapshot's own scale bar
    scaleLine: "bmp-scale-line",
    label: "bmp-label", // permanent tooltips (the camera label)
    labelText: "bmp-label-text",
  };

  function dom() {
    return (window.bordermap && window.bordermap.dom) || null;
  }

  function all(className) {
    return Array.from(document.getElementsByClassName(className));
  }

  function mark(nodes, className) {
    nodes.forEach(function (node) {
      node.classList.add(className);
    });
  }

  /**
   * Mark the furniture for presenter.css and set its parameters: `k` is the
   * furniture scale, `attributionMaxPx` the attribution's width before zoom,
   * and with `compact` the sources line and legend sentences are dropped.
   */
  function style(names, k, attributionMaxPx, compact) {
    var root = document.documentElement.style;
    root.setProperty("--bmp-k", String(k));
    root.setProperty("--bmp-attribution-max", attributionMaxPx.toFixed(0) + "px");
    mark(all(names.zoomControl).concat(all(names.layersControl)), PRESENTER.hidden);
    mark(all(names.scale), PRESENTER.hidden);
    // The claims' controls are for a reader, not a slide: the time filter (an as-of
    // snapshot says its date in the title box) and the text view.
    mark(all(names.timeFilter).concat(all(names.textView)), PRESENTER.hidden);
    mark(all(names.title).concat(all(names.legend), all(names.attribution)), PRESENTER.zoomed);
    mark(all(names.attribution), PRESENTER.attribution);
    markLabels(names);
    if (compact) {
      mark(all(names.titleSub).concat(all(names.legendLabel)), PRESENTER.hidden);
    }
  }

  // Labels are created when first shown (a refit may show one): mark them again then.
  function markLabels(names) {
    mark(all(names.cameraLabel), PRESENTER.label);
    mark(all(names.cameraLabelText), PRESENTER.labelText);
  }

  // Every promise here is bounded by a timer because page.evaluate has no timeout.
  async function prepare(opts) {
    var names = dom();
    var map = names && window[names.mapHandle];
    var L = window.L;
    if (!map || !L) {
      var missing = names
        ? "window." + names.mapHandle + " is missing"
        : "window.bordermap.dom is missing; a page built by an older bordermap needs rebuilding";
      return { problem: missing, tilesPending: false };
    }
    var k = opts.k;
    var bounded = function (executor) {
      return Promise.race([
        new Promise(executor),
        new Promise(function (resolve) {
          setTimeout(resolve, opts.settleMs);
        }),
      ]);
    };
    // The page's own slide layout first: full furniture whatever the frame,
    // no buttons, a sources line instead of the sources panel.
    if (typeof window.bordermap.slides === "function") {
      window.bordermap.slides(map, { compact: opts.compact });
    }
    // "As of a date": the page's own time filter, set as a person would set it,
    // before the furniture is measured (it adds a line to the title box).
    var asOf = null;
    if (opts.asOf) {
      if (typeof window.bordermap.showAsOf !== "function" || !window.bordermap.claimsState) {
        return { problem: "", asOfProblem: "the page has no time filter to show it as of a date", tilesPending: false };
      }
      asOf = window.bordermap.showAsOf(map, opts.asOf.day, opts.asOf.label);
    }
    style(names, k, opts.attributionMaxPx, opts.compact);
    // The scale bar's width *is* the measurement: a new one with a longer
    // maximum width replaces the page's, instead of CSS zoom.
    var scale = L.control
      .scale({
        metric: true,
        imperial: false,
        position: "bottomleft",
        maxWidth: Math.round(opts.scaleMaxPx * k),
      })
      .addTo(map);
    scale.getContainer().classList.add(PRESENTER.scale);
    mark(
      Array.from(scale.getContainer().getElementsByClassName(names.scaleLine)),
      PRESENTER.scaleLine
    );
    if (opts.bbox) {
      var w = opts.bbox[0];
      var s = opts.bbox[1];
      var e = opts.bbox[2];
      var n = opts.bbox[3];
      // Leaflet fires moveend synchronously for an unanimated fit; listen first.
      var moved = bounded(function (resolve) {
        map.once("moveend", resolve);
      });
      map.fitBounds(
        [
          [s, w],
          [n, e],
        ],
        { animate: false }
      );
      await moved;
      markLabels(names);
    }
    placeLabels(map, L, names);
    // Tiles requested by the refit: wait until every tile layer loaded or failed.
    var tilesBusy = function () {
      var busy = false;
      map.eachLayer(function (layer) {
        if (layer instanceof L.GridLayer && layer.isLoading()) {
          busy = true;
        }
      });
      return busy;
    };
    if (tilesBusy()) {
      await new Promise(function (resolve) {
        var poll = setInterval(function () {
          if (!tilesBusy()) {
            stop();
          }
        }, 50);
        var limit = setTimeout(stop, opts.tileWaitMs);
        function stop() {
          clearInterval(poll);
          clearTimeout(limit);
          resolve();
        }
      });
    }
    // Canvas layers repaint in animation frames: let two pass.
    await bounded(function (resolve) {
      requestAnimationFrame(function () {
        requestAnimationFrame(resolve);
      });
    });
    var b = map.getBounds();
    return {
      problem: "",
      tilesPending: tilesBusy(),
      bounds: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()],
      zoom: map.getZoom(),
      asOf: asOf,
    };
  }

  /**
   * Permanent tooltips were placed from their size before the CSS enlarged
   * them; place each again, on the side where it hides the least furniture
   * and data.
   */
  function placeLabels(map, L, names) {
    var labels = [];
    map.eachLayer(function (layer) {
      var tooltip = layer.getTooltip && layer.getTooltip();
      if (tooltip && tooltip.isOpen() && tooltip.options.permanent) {
        labels.push(tooltip);
      } else if (tooltip && tooltip.isOpen()) {
        tooltip.update();
      }
    });
    if (!labels.length) {
      return;
    }
    var furniture = all(names.title)
      .concat(all(names.legend), all(PRESENTER.scale), all(names.attribution))
      .filter(function (node) {
        return node.offsetParent !== null;
      })
      .map(function (node) {
        return node.getBoundingClientRect();
      });
    var origin = map.getContainer().getBoundingClientRect();
    // [x, y, weight]: hiding a point costs as much as hiding ~800 px of line; a
    // line vertex weighs the length of its segment, so dense rivers do not dominate.
    var marks = [];
    var at = function (latlng) {
      var p = map.latLngToContainerPoint(latlng);
      return [p.x + origin.x, p.y + origin.y];
    };
    map.eachLayer(function (layer) {
      if (layer.options.pane === names.basemapPane) {
        return;
      }
      if (layer instanceof L.CircleMarker) {
        var p = at(layer.getLatLng());
        marks.push([p[0], p[1], 4000]);
      } else if (layer instanceof L.Polyline) {
        var pts = layer.getLatLngs().flat(3).map(at);
        for (var i = 0; i + 1 < pts.length; i++) {
          var x = pts[i][0];
          var y = pts[i][1];
          marks.push([x, y, 5 * Math.hypot(pts[i + 1][0] - x, pts[i + 1][1] - y)]);
        }
      }
    });
    var overlap = function (a, b) {
      return (
        Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left)) *
        Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top))
      );
    };
    var frame = { left: 0, top: 0, right: window.innerWidth, bottom: window.innerHeight };
    var cost = function (r) {
      var c = 20 * (r.width * r.height - overlap(r, frame));
      furniture.forEach(function (f) {
        c += 20 * overlap(r, f);
      });
      marks.forEach(function (m) {
        if (m[0] >= r.left - 4 && m[0] <= r.right + 4 && m[1] >= r.top - 4 && m[1] <= r.bottom + 4) {
          c += m[2];
        }
      });
      return c;
    };
    labels.forEach(function (tooltip) {
      // The page's own direction first, so that it wins ties.
      var directions = [tooltip.options.direction, "top", "bottom", "right", "left"];
      var best = null;
      directions.forEach(function (direction) {
        tooltip.options.direction = direction;
        tooltip.update();
        var c = cost(tooltip.getElement().getBoundingClientRect());
        if (best === null || c < best[1]) {
          best = [direction, c];
        }
      });
      tooltip.options.direction = best[0];
      tooltip.update();
    });
  }

  /**
   * The visible furniture by role: its text, box (CSS px from the frame's
   * top-left corner) and smallest font size in CSS px, CSS zoom included.
   */
  function furniture() {
    var names = dom();
    var roles = {
      title: names.title,
      legend: names.legend,
      scale: PRESENTER.scale,
      attribution: names.attribution,
      camera_label: names.cameraLabel,
      // Hidden for snapshots: listed so that a regression would show up here.
      zoom_buttons: names.zoomControl,
      layer_switcher: names.layersControl,
      time_filter: names.timeFilter,
      text_view: names.textView,
    };
    var out = {};
    Object.keys(roles).forEach(function (role) {
      var node = document.getElementsByClassName(roles[role])[0];
      if (!node || node.offsetParent === null) {
        return;
      }
      var r = node.getBoundingClientRect();
      var font = Infinity;
      [node].concat(Array.from(node.querySelectorAll("*"))).forEach(function (n) {
        var ownText = Array.from(n.childNodes).some(function (c) {
          return c.nodeType === Node.TEXT_NODE && c.textContent.trim();
        });
        if (!ownText) {
          return;
        }
        // Computed font sizes leave out CSS zoom (set on this or an outer box).
        var zoom = 1;
        for (var p = n; p; p = p.parentElement) {
          zoom *= parseFloat(getComputedStyle(p).zoom) || 1;
        }
        font = Math.min(font, parseFloat(getComputedStyle(n).fontSize) * zoom);
      });
      out[role] = {
        text: node.innerText.trim(),
        box: [r.x, r.y, r.width, r.height],
        font: isFinite(font) ? font : 0,
      };
    });
    return out;
  }

  window.bordermapPresenter = { prepare: prepare, furniture: furniture };
})(window, document);
