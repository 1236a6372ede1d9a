/*
 * furniture.js: the map furniture that stays readable for any corpus and any
 * screen size.
 *
 * Inlined after bordermap.js, whose namespace (window.bordermap) it uses (el,
 * str, data, addControl, dom) and extends with:
 *   titleBox(map, cfg): the title, an optional subtitle and a "Sources (N)"
 *     button that opens a bounded, scrollable list of the map's articles
 *     (filled from the payload on first open); the attribution stays one
 *     short line of data credits;
 *   addLegend(map, legend): the legend;
 *   arrangeControls(map): called once the layer switcher exists;
 *   watch(map): compact layout, Escape, popups placed clear of the furniture;
 *   pointPane(map): {pane, renderer} for point layers, above lines and the
 *     annotation, so a point under a line takes its own click;
 *   slides(map, {compact}): what a snapshot shows (presenter.js calls it).
 *
 * On a compact map (narrower than COMPACT.width or lower than COMPACT.height)
 * the legend and the layer switcher collapse to buttons at the bottom right
 * that open them one at a time, upwards, never over the title box; on a
 * larger map they stay as they are.  Every button is a real <button> with
 * aria-expanded and aria-controls; Escape closes what is open.  Text reaches
 * the page only through bordermap.el and text nodes.
 */
(function (window, document, L) {
  "use strict";

  var BM = window.bordermap;
  var DOM = BM.dom;
  var el = BM.el;
  var str = BM.str;

  // A map smaller than this (CSS px, either side) is laid out compactly.
  var COMPACT = { width: 640, height: 500 };
  // Space kept between a popup or an open panel and the furniture or the map's edge, px.
  var GAP = 8;
  // A popup's box beyond its content's width and height (padding, close button, tip), px.
  var POPUP_EXTRA = { width: 50, height: 64 };
  // An open panel is never cut to less than this, px, nor taller than this share of the map.
  var MIN_PANEL = 80;
  var MAX_PANEL_SHARE = 0.6;

  // Popups are placed by placePopup below, which knows the furniture;
  // Leaflet's own autoPan knows only the map's edges (and would animate
  // towards its own position after ours).
  L.Popup.mergeOptions({ autoPan: false });

  var states = new WeakMap();
  var panels = 0;

  function state(map) {
    var s = states.get(map);
    if (!s) {
      s = { items: [], compact: false, slides: false, sources: null, points: null };
      states.set(map, s);
    }
    return s;
  }

  function visible(node) {
    return node.offsetParent !== null && node.getClientRects().length > 0;
  }

  // The map's visible controls (title box, zoom, legend, switcher, scale, attribution).
  function controls(map) {
    return Array.from(map.getContainer().getElementsByClassName(DOM.control)).filter(visible);
  }

  function overlapX(a, b) {
    return a.left < b.right && b.left < a.right;
  }

  // ------------------------------------------------------------ panels

  /**
   * A button and the panel it opens.  `item`: {button, panel, control (the
   * control holding both), collapsible (shown open on a large map; else only
   * when opened), up (opens upwards: it sits in a bottom corner), show(open)
   * (optional: how to show or hide the panel), fill(panel) (optional: builds
   * its content on first open)}.
   */
  function disclosure(map, item) {
    panels += 1;
    item.panel.id = DOM.panelId + panels;
    item.button.type = "button";
    item.button.setAttribute("aria-controls", item.panel.id);
    item.open = false;
    L.DomEvent.on(item.button, "click", function () {
      setOpen(map, item, !item.open);
    });
    state(map).items.push(item);
    render(map, item);
    return item;
  }

  function setOpen(map, item, open) {
    var s = state(map);
    if (open && s.compact) {
      // One panel at a time on a small map.
      s.items.forEach(function (other) {
        if (other !== item && other.open) {
          other.open = false;
          render(map, other);
        }
      });
    }
    item.open = open;
    render(map, item);
  }

  function render(map, item) {
    var s = state(map);
    var shown = item.open || (item.collapsible && !s.compact);
    if (item.show) {
      item.show(shown);
    } else {
      item.panel.hidden = !shown;
    }
    if (shown && item.fill && !item.filled) {
      item.filled = true;
      item.fill(item.panel);
    }
    item.button.hidden = s.slides || (item.collapsible && !s.compact);
    item.button.setAttribute("aria-expanded", shown ? "true" : "false");
    item.control.classList.toggle(DOM.open, item.open);
    fit(map, item, shown);
  }

  /**
   * Bound an open panel: it scrolls instead of leaving the map, and a panel
   * opening upwards stops below the furniture at the top (the title box); one
   * opening downwards stops above the furniture at the bottom.  Controls
   * stacked with it in its corner are pushed along, so they count too.
   */
  function fit(map, item, shown) {
    var panel = item.panel;
    panel.style.maxHeight = "";
    if (!shown) {
      return;
    }
    var box = map.getContainer().getBoundingClientRect();
    var corner = item.control.parentNode;
    if (!corner) {
      return;
    }
    var stack = Array.from(corner.children).filter(visible);
    if (!stack.length) {
      return;
    }
    var own = item.control.getBoundingClientRect();
    var height = panel.getBoundingClientRect().height;
    var overflow;
    var others = controls(map).filter(function (c) {
      return c.parentNode !== corner && overlapX(c.getBoundingClientRect(), own);
    });
    if (item.up) {
      var top = box.top + GAP;
      others.forEach(function (c) {
        if (c.parentNode.classList.contains(DOM.cornerTop)) {
          top = Math.max(top, c.getBoundingClientRect().bottom + GAP);
        }
      });
      overflow = top - stack[0].getBoundingClientRect().top;
    } else {
      var bottom = box.bottom - GAP;
      others.forEach(function (c) {
        if (c.parentNode.classList.contains(DOM.cornerBottom)) {
          bottom = Math.min(bottom, c.getBoundingClientRect().top - GAP);
        }
      });
      overflow = stack[stack.length - 1].getBoundingClientRect().bottom - bottom;
    }
    var limit = Math.min(height - Math.max(0, overflow), box.height * MAX_PANEL_SHARE);
    if (limit < height) {
      panel.style.maxHeight = Math.max(MIN_PANEL, Math.floor(limit)) + "px";
    }
  }

  function closeAll(map, focus) {
    var active = document.activeElement;
    state(map).items.forEach(function (item) {
      if (!item.open) {
        return;
      }
      var within = active && item.control.contains(active);
      setOpen(map, item, false);
      if (focus && within) {
        item.button.focus();
      }
    });
  }

  // ------------------------------------------------------------ title box

  function fillSources(entries) {
    return function (panel) {
      var list = el("ol", DOM.sourcesList, null, panel);
      BM.records(BM.data(entries) || []).forEach(function (entry) {
        var a = entry || {};
        var row = el("li", DOM.source, null, list);
        el("span", DOM.sourceId, a.id, row);
        row.appendChild(document.createTextNode(" " + (str(a.title) || "(untitled)")));
        var meta = [str(a.outlet), str(a.date)]
          .filter(function (part) {
            return part !== "";
          })
          .join(" \u00b7 ");
        if (meta) {
          el("div", DOM.sourceMeta, meta, row);
        }
      });
    };
  }

  /**
   * The title box: `cfg.title`, `cfg.subtitle` (optional), and with
   * `cfg.sourcesCount` articles a "Sources (N)" button opening the list
   * `cfg.sources` (the list or the data block holding it) and a hidden
   * `cfg.sourcesLine` that slides show instead.
   */
  BM.titleBox = function (map, cfg) {
    var s = state(map);
    var item = null;
    BM.addControl(map, "topleft", DOM.title, function (div) {
      el("h1", DOM.titleMain, cfg.title, div);
      if (cfg.subtitle) {
        el("p", DOM.titleSub, cfg.subtitle, div);
      }
      var count = Number(cfg.sourcesCount) || 0;
      if (!count) {
        return;
      }
      var line = el("p", DOM.titleSources, null, div);
      line.hidden = true;
      s.sources = { count: count, line: str(cfg.sourcesLine), node: line };
      var wrap = el("div", DOM.sources, null, div);
      var button = el("button", DOM.toggle, "Sources (" + count + ")", wrap);
      var panel = el("div", DOM.panel, null, wrap);
      panel.setAttribute("role", "region");
      panel.setAttribute("aria-label", "Sources");
      panel.tabIndex = 0; // scrollable from the keyboard
      item = {
        button: button,
        panel: panel,
        control: div,
        collapsible: false,
        up: false,
        fill: fillSources(cfg.sources),
      };
    });
    if (item) {
      disclosure(map, item);
    }
  };

  // ------------------------------------------------------------- legend

  var SWATCHES = {
    point: DOM.swatchPoint,
    line: DOM.swatchLine,
    dashed: DOM.swatchDashed,
    mixed: DOM.swatchMixed,
  };

  BM.addLegend = function (map, legend) {
    var item = null;
    BM.addControl(map, "bottomright", DOM.legend, function (div) {
      var body = el("div", DOM.panelBody, null, div);
      el("div", DOM.legendHeading, legend.heading, body);
      legend.rows.forEach(function (row) {
        var item = el("div", DOM.legendRow, null, body);
        var kind = Object.prototype.hasOwnProperty.call(SWATCHES, row.swatch)
          ? " " + SWATCHES[row.swatch]
          : "";
        var swatch = el("span", DOM.swatch + kind, null, item);
        // Colours are validated in Python; style properties cannot inject markup.
        swatch.style.setProperty(DOM.swatchColor, str(row.color));
        el("span", DOM.legendTitle, row.title, item);
        if (row.label) {
          el("div", DOM.legendLabel, row.label, body);
        }
      });
      var button = el("button", DOM.toggle, legend.heading, div);
      item = { button: button, panel: body, control: div, collapsible: true, up: true };
    });
    disclosure(map, item);
  };

  // ------------------------------------------------------ layer switcher

  /**
   * Give the layer switcher (Leaflet's control, added by the page) a button
   * that opens it on a compact map, where it moves to the bottom right corner
   * above the legend.
   */
  BM.arrangeControls = function (map) {
    var container = map.getContainer();
    var control = container.getElementsByClassName(DOM.layersControl)[0];
    if (!control) {
      return;
    }
    var list = control.getElementsByClassName(DOM.layersList)[0];
    var home = control.parentNode;
    var button = el("button", DOM.toggle, "Layers", control);
    var item = {
      button: button,
      panel: list,
      control: control,
      collapsible: true,
      up: true,
      show: function (shown) {
        var s = state(map);
        var corner = s.compact
          ? container.querySelector("." + DOM.cornerBottom + "." + DOM.cornerRight)
          : home;
        if (corner && control.parentNode !== corner) {
          corner.insertBefore(control, s.compact ? corner.firstChild : null);
        }
        control.classList.toggle(DOM.layersExpanded, shown);
      },
    };
    disclosure(map, item);
  };

  // ------------------------------------------------------------- layout

  function applyCompact(map) {
    var s = state(map);
    var size = map.getSize();
    var compact = !s.slides && (size.x < COMPACT.width || size.y < COMPACT.height);
    var changed = compact !== s.compact;
    s.compact = compact;
    var container = map.getContainer();
    container.classList.toggle(DOM.compact, compact);
    // The attribution takes the whole width of a compact map: the scale bar
    // stands on it rather than under it.
    var left = container.querySelector("." + DOM.cornerBottom + "." + DOM.cornerLeft);
    var credits = container.getElementsByClassName(DOM.attribution)[0];
    if (left) {
      left.style.bottom = compact && credits ? credits.offsetHeight + "px" : "";
    }
    s.items.forEach(function (item) {
      if (changed) {
        item.open = false;
      }
      render(map, item);
    });
  }

  // ------------------------------------------------------------- popups

  function rect(r, dx, dy) {
    return { left: r.left + dx, right: r.right + dx, top: r.top + dy, bottom: r.bottom + dy };
  }

  function meets(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  function within(a, b) {
    return a.left >= b.left && a.right <= b.right && a.top >= b.top && a.bottom <= b.bottom;
  }

  /**
   * The smallest shift (|dx| + |dy|, px) that puts box `r` inside `frame`
   * and clear of every box in `obstacles`.  The candidates are the shifts
   * that line an edge of `r` up with an edge of the frame or of an obstacle,
   * so the best one is among them.  When none is clear (the popup is larger
   * than the free space), the shift that keeps its top left corner in view.
   */
  function clearShift(r, obstacles, frame) {
    var xs = [0, frame.left - r.left, frame.right - r.right];
    var ys = [0, frame.top - r.top, frame.bottom - r.bottom];
    obstacles.forEach(function (o) {
      xs.push(o.right - r.left, o.left - r.right);
      ys.push(o.bottom - r.top, o.top - r.bottom);
    });
    var best = null;
    xs.forEach(function (dx) {
      ys.forEach(function (dy) {
        var moved = rect(r, dx, dy);
        if (!within(moved, frame) || obstacles.some(meets.bind(null, moved))) {
          return;
        }
        var cost = Math.abs(dx) + Math.abs(dy);
        if (best === null || cost < best[2]) {
          best = [dx, dy, cost];
        }
      });
    });
    if (best !== null) {
      return [best[0], best[1]];
    }
    var dx = Math.max(frame.left - r.left, Math.min(0, frame.right - r.right));
    var dy = Math.max(frame.top - r.top, Math.min(0, frame.bottom - r.bottom));
    return [dx, dy];
  }

  /**
   * Size an open popup to the map and pan the map so that it lies inside the
   * map and clear of the furniture (Leaflet's own autoPan knows only the
   * map's edges, so popups slid under the title box or off the left edge).
   */
  function placePopup(map, popup) {
    var s = state(map);
    var node = popup.getElement();
    if (!node) {
      return;
    }
    if (s.compact) {
      closeAll(map, false);
    }
    var size = map.getSize();
    if (popup.bordermapMaxWidth === undefined) {
      popup.bordermapMaxWidth = popup.options.maxWidth;
    }
    var maxWidth = Math.max(
      100,
      Math.min(popup.bordermapMaxWidth, size.x - 2 * GAP - POPUP_EXTRA.width)
    );
    var maxHeight = Math.max(100, size.y - 2 * GAP - POPUP_EXTRA.height - furnitureHeight(map));
    if (popup.options.maxWidth !== maxWidth || popup.options.maxHeight !== maxHeight) {
      popup.options.maxWidth = maxWidth;
      popup.options.maxHeight = maxHeight;
      popup.update();
    }
    var box = map.getContainer().getBoundingClientRect();
    var frame = {
      left: box.left + GAP,
      top: box.top + GAP,
      right: box.right - GAP,
      bottom: box.bottom - GAP,
    };
    var obstacles = controls(map).map(function (c) {
      var r = c.getBoundingClientRect();
      return { left: r.left - GAP, top: r.top - GAP, right: r.right + GAP, bottom: r.bottom + GAP };
    });
    var shift = clearShift(node.getBoundingClientRect(), obstacles, frame);
    if (Math.abs(shift[0]) >= 1 || Math.abs(shift[1]) >= 1) {
      map.panBy([-Math.round(shift[0]), -Math.round(shift[1])], { animate: false });
    }
  }

  // The height of the furniture a popup must clear whatever its position: the
  // tallest control at the top plus the tallest at the bottom.
  function furnitureHeight(map) {
    var top = 0;
    var bottom = 0;
    controls(map).forEach(function (c) {
      var h = c.getBoundingClientRect().height + GAP;
      if (c.parentNode.classList.contains(DOM.cornerTop)) {
        top = Math.max(top, h);
      } else {
        bottom = Math.max(bottom, h);
      }
    });
    return top + bottom;
  }

  /** Compact layout, Escape and popup placement for `map` (called by setup). */
  BM.watch = function (map) {
    var container = map.getContainer();
    map.on("popupopen", function (e) {
      placePopup(map, e.popup);
    });
    map.on("resize", function () {
      applyCompact(map);
    });
    map.on("click", function () {
      if (state(map).compact) {
        closeAll(map, false);
      }
    });
    L.DomEvent.on(container, "keydown", function (e) {
      if (e.key === "Escape") {
        closeAll(map, true);
      }
    });
    applyCompact(map);
  };

  // ---------------------------------------------------- the points' pane

  // A canvas that hands the pointer events it has no layer for to the canvas
  // beneath it (the map's default one, with the lines and the annotation).
  // Each canvas covers the whole map, so otherwise the topmost would take
  // every click.  (This uses Leaflet 1.9's canvas internals, which the page
  // inlines at a fixed version.)
  var probe = { options: {} };
  var StackedCanvas = L.Canvas.extend({
    _below: function () {
      var below = this._map ? this._map.getRenderer(probe) : null;
      return below && below !== this ? below : null;
    },
    _hit: function (e) {
      var point = this._map.mouseEventToLayerPoint(e);
      var hit = null;
      for (var order = this._drawFirst; order; order = order.next) {
        if (order.layer.options.interactive && order.layer._containsPoint(point)) {
          hit = order.layer;
        }
      }
      return hit;
    },
    _initContainer: function () {
      L.Canvas.prototype._initContainer.call(this);
      L.DomEvent.on(this._container, "mouseout", this._leave, this);
    },
    _leave: function (e) {
      var below = this._below();
      if (below) {
        below._handleMouseOut(e);
      }
    },
    _onClick: function (e) {
      var below = this._below();
      if (below && !this._hit(e)) {
        below._onClick(e);
        return;
      }
      L.Canvas.prototype._onClick.call(this, e);
    },
    _onMouseMove: function (e) {
      var map = this._map;
      if (!map || map.dragging.moving() || map._animatingZoom) {
        return;
      }
      var below = this._below();
      if (!below || this._hit(e)) {
        this._leave(e);
        L.Canvas.prototype._onMouseMove.call(this, e);
        return;
      }
      this._handleMouseOut(e);
      below._onMouseMove(e);
      // The pointer is over this canvas: it shows the hand for the one below.
      L.DomUtil[below._hoveredLayer ? "addClass" : "removeClass"](
        this._container,
        DOM.interactive
      );
    },
  });

  /** Options that put a point layer's markers in the points' pane: {pane, renderer}. */
  BM.pointPane = function (map) {
    var s = state(map);
    if (!s.points) {
      var pane = map.getPane(DOM.pointsPane) || map.createPane(DOM.pointsPane);
      pane.style.zIndex = "450"; // above the overlay pane (400), below markers (600)
      s.points = { pane: DOM.pointsPane, renderer: new StackedCanvas({ pane: DOM.pointsPane }) };
    }
    return { pane: s.points.pane, renderer: s.points.renderer };
  };

  // ------------------------------------------------------------- slides

  /**
   * What a snapshot shows: the full layout whatever the frame, the legend
   * open, no buttons, and instead of the sources panel one line: the
   * articles (`cfg.sourcesLine`), or with `opts.compact` only their number.
   */
  BM.slides = function (map, opts) {
    var s = state(map);
    s.slides = true;
    applyCompact(map);
    s.items.forEach(function (item) {
      item.open = false;
      render(map, item);
    });
    if (s.sources) {
      var n = s.sources.count;
      s.sources.node.textContent =
        opts && opts.compact
          ? "Sources: " + n + (n === 1 ? " article" : " articles")
          : s.sources.line;
      s.sources.node.hidden = false;
    }
  };
})(window, document, window.L);
