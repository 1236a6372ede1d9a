/*
 * compare.js: the runtime of bordermap's compare page (see
 * render/compare_page.py).
 *
 * compare_page.py builds one or two Leaflet maps with render/map_page.py
 * (title box, basemap, tiles) and then calls bordermapCompare.init(maps,
 * tiles, payload) once.  Every string in the payload may come from a data
 * file or an article, so, as in bordermap.js, data reaches the page only
 * through textContent.  Geometry arrives in the wire format of every page and
 * is decoded by bordermap.geoJSON (bordermap.js); the page's class names come
 * from bordermap.dom (dom.js).  Both are inlined before this file.
 *
 * Exposes the Leaflet maps as window[dom.mapsHandle] (and the first as
 * window[dom.mapHandle]), window.bordermapCompare.layers ({A, B}: one layer
 * per feature) and .swipe (the divider, in swipe mode), and signals readiness
 * with bordermap.finish (dom.ready, dom.readyAttribute) once drawn.
 */
(function (window, document, L) {
  "use strict";

  var STYLE = {
    A: { color: "#1f5fa8", label: "dots and solid lines" },
    B: { color: "#d65f00", label: "rings and dashed lines" },
    border: "#2f2f2f",
  };

  var BC = { layers: Object.create(null), swipe: null };

  // ---------------------------------------------------------------- helpers

  // bordermap.js (inlined before this file) sets text only through textContent.
  var str = window.bordermap.str;
  var el = window.bordermap.el;
  var DOM = window.bordermap.dom;

  function km(value) {
    var n = Number(value);
    if (value === null || value === undefined || !isFinite(n)) {
      return "–";
    }
    return (n < 10 ? n.toFixed(2) : n.toFixed(1)) + " km";
  }

  function pane(map, name, zIndex) {
    var p = map.getPane(name) || map.createPane(name);
    p.style.zIndex = String(zIndex);
    return name;
  }

  // ---------------------------------------------------------------- popups

  function popup(layer, other, i) {
    var root = el("div", DOM.popup + " bmc-popup");
    el("div", DOM.popupTitle, str(layer.names[i]) || "(unnamed)", root);
    el("div", "bmc-popup-layer bmc-side-" + layer.side, layer.side + " · " + layer.title, root);
    var facts = [];
    if (layer.kinds[i]) {
      facts.push(str(layer.kinds[i]));
    }
    if (layer.lengthKm[i]) {
      facts.push(km(layer.lengthKm[i]) + " long");
    }
    if (facts.length) {
      el("div", DOM.popupFacts, facts.join(" · "), root);
    }
    var table = el("dl", "bmc-facts", null, root);
    var j = layer.nearest[i];
    el("dt", null, "Nearest in " + other.side, table);
    el(
      "dd",
      null,
      j >= 0 ? str(other.names[j]) + " — " + km(layer.nearestKm[i]) : "(layer " + other.side + " is empty)",
      table
    );
    el("dt", null, "Border", table);
    el("dd", null, km(layer.borderKm[i]) + " (" + str(layer.stretches[layer.stretch[i]]) + ")", table);
    var ids = layer.articles[i] || [];
    if (ids.length) {
      el("div", DOM.popupHeading, ids.length === 1 ? "Source" : "Sources (" + ids.length + ")", root);
      var list = el("ul", "bmc-sources", null, root);
      ids.forEach(function (id) {
        var title = layer.articleTitles[id];
        el("li", null, "article " + str(id) + (title ? ": " + str(title) : ""), list);
      });
    }
    return root;
  }

  // ---------------------------------------------------------------- layers

  function styleFor(side, kind, many) {
    var color = STYLE[side].color;
    if (side === "A") {
      if (kind === "point") {
        return {
          radius: many ? 3 : 7,
          color: "#ffffff",
          weight: many ? 0.5 : 1.5,
          fillColor: color,
          fillOpacity: 0.95,
        };
      }
      return { color: color, weight: 4, opacity: 0.85, fillColor: color, fillOpacity: 0.25 };
    }
    if (kind === "point") {
      return {
        radius: many ? 3.5 : 11,
        color: color,
        weight: many ? 1.2 : 3,
        fill: true,
        fillColor: "#ffffff",
        fillOpacity: 0.01,
      };
    }
    return { color: color, weight: 3, opacity: 0.95, dashArray: "9 6", fill: false };
  }

  function leaves(layer, fn) {
    if (typeof layer.eachLayer === "function") {
      layer.eachLayer(function (child) {
        leaves(child, fn);
      });
    } else {
      fn(layer);
    }
  }

  /**
   * One Leaflet layer per feature of `geoms` (a layer's geometries in the
   * wire format of every page, see render/_encode.py), decoded by
   * bordermap.geometries and bordermap.geoJSON, so that lines and polygons
   * also follow the zoom's level of detail.  Calls `restyle(leaf, i)`
   * on every drawn leaf of feature i before the group reaches the map.
   */
  function decoded(map, geoms, restyle) {
    var features = window.bordermap.geometries(geoms).map(function (g, i) {
      return { type: "Feature", geometry: g, properties: { index: i } };
    });
    return window.bordermap.geoJSON(map, features, {
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng);
      },
      onEachFeature: function (feature, layer) {
        leaves(layer, function (leaf) {
          restyle(leaf, feature.properties.index);
        });
      },
    });
  }

  function drawLayer(map, layer, other, paneName) {
    var many = layer.count > 300;
    var group = decoded(map, layer.geoms, function (leaf, i) {
      var kind = leaf instanceof L.CircleMarker ? "point" : "shape";
      var opts = styleFor(layer.side, kind, many);
      opts.pane = paneName;
      leaf.setStyle(opts);
      // Popups and tooltips go on the drawn leaves: Leaflet's tooltip cannot
      // attach to a group (a MultiPoint).
      leaf.bindPopup(
        function () {
          return popup(layer, other, i);
        },
        { maxWidth: 360 }
      );
      leaf.bindTooltip(function () {
        return el("span", DOM.tooltipText, layer.side + " · " + str(layer.names[i]));
      });
    });
    group.addTo(map);
    return group;
  }

  function drawBorder(map, lines) {
    var name = pane(map, "bmcContext", 390);
    var group = decoded(map, lines, function (leaf) {
      leaf.setStyle({
        pane: name,
        color: STYLE.border,
        weight: 1.6,
        opacity: 0.75,
        interactive: false,
      });
    });
    group.addTo(map);
    return group;
  }

  // ---------------------------------------------------------------- legend

  function swatch(side, kind, parent) {
    var s = el("span", "bmc-swatch bmc-swatch-" + side + " bmc-swatch-" + kind, null, parent);
    s.style.setProperty("--bmc-color", side === "border" ? STYLE.border : STYLE[side].color);
    return s;
  }

  var legends = 0;

  function addLegend(map, layers, mode) {
    var Control = L.Control.extend({
      onAdd: function () {
        var div = el("div", "leaflet-control " + DOM.legend + " bmc-legend");
        // On a phone (compare.css) the legend is a button that opens it.
        var button = el("button", DOM.toggle + " bmc-legend-toggle", "Legend", div);
        var body = el("div", "bmc-legend-body", null, div);
        legends += 1;
        body.id = "bmc-legend-" + legends;
        button.type = "button";
        button.setAttribute("aria-controls", body.id);
        button.setAttribute("aria-expanded", "false");
        function setOpen(open) {
          div.classList.toggle(DOM.open, open);
          button.setAttribute("aria-expanded", open ? "true" : "false");
        }
        L.DomEvent.on(button, "click", function () {
          setOpen(!div.classList.contains(DOM.open));
        });
        L.DomEvent.on(document, "keydown", function (e) {
          if (e.key === "Escape") {
            setOpen(false);
          }
        });
        el("div", DOM.legendHeading, "Compare", body);
        layers.forEach(function (layer) {
          var row = el("div", DOM.legendRow, null, body);
          swatch(layer.side, layer.swatch, row);
          var text = layer.side + " · " + layer.title;
          if (mode === "swipe") {
            text += layer.side === "A" ? " (left)" : " (right)";
          }
          el("span", DOM.legendTitle, text, row);
          var within = layer.within
            .map(function (w) {
              return w[0];
            })
            .join("/");
          var counts = layer.within
            .map(function (w) {
              return w[1];
            })
            .join("/");
          el(
            "div",
            DOM.legendLabel + " bmc-legend-label",
            layer.ref +
              " · " +
              layer.count +
              (layer.count === 1 ? " feature" : " features") +
              " · within " +
              within +
              " km of the border: " +
              counts,
            body
          );
        });
        var row = el("div", DOM.legendRow, null, body);
        swatch("border", "line", row);
        el("span", DOM.legendTitle, "China–North Korea border (context)", row);
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        return div;
      },
    });
    return new Control({ position: "bottomright" }).addTo(map);
  }

  // ---------------------------------------------------------------- side by side

  /** Keep every map on the centre and zoom of the one the user moves. */
  function sync(maps) {
    var busy = false;
    maps.forEach(function (src) {
      src.on("move zoom zoomend moveend", function () {
        if (busy) {
          return;
        }
        busy = true;
        try {
          maps.forEach(function (dst) {
            if (dst === src) {
              return;
            }
            var center = src.getCenter();
            var zoom = src.getZoom();
            var now = dst.latLngToContainerPoint(dst.getCenter());
            var there = dst.latLngToContainerPoint(center);
            if (dst.getZoom() !== zoom || now.distanceTo(there) > 0.25) {
              dst.setView(center, zoom, { animate: false });
            }
          });
        } finally {
          busy = false;
        }
      });
    });
  }

  // ---------------------------------------------------------------- swipe

  /**
   * A vertical divider over the map.  Pane A is clipped to the left of it and
   * pane B to the right, with clip-path polygons in pane coordinates, updated
   * on every drag step and every map move (panes move with the map).
   */
  function swipe(map, layers) {
    var container = map.getContainer();
    var paneA = map.getPane("bmcA");
    var paneB = map.getPane("bmcB");
    var state = { fraction: 0.5 };

    var divider = el("div", "bmc-divider");
    var handle = el("div", "bmc-handle", null, divider);
    handle.setAttribute("role", "slider");
    handle.setAttribute("aria-label", "Swipe between A and B");
    handle.setAttribute("aria-valuemin", "0");
    handle.setAttribute("aria-valuemax", "100");
    handle.tabIndex = 0;
    el("span", "bmc-handle-grip", "◀ ▶", handle);
    var labelA = el("div", "bmc-swipe-label bmc-swipe-label-A", "A · " + layers.A.title, divider);
    var labelB = el("div", "bmc-swipe-label bmc-swipe-label-B", "B · " + layers.B.title, divider);
    labelA.style.setProperty("--bmc-color", STYLE.A.color);
    labelB.style.setProperty("--bmc-color", STYLE.B.color);
    container.appendChild(divider);
    L.DomEvent.disableClickPropagation(divider);
    L.DomEvent.disableScrollPropagation(divider);

    function clip(x0, x1, y0, y1) {
      return (
        "polygon(" +
        [
          [x0, y0],
          [x1, y0],
          [x1, y1],
          [x0, y1],
        ]
          .map(function (p) {
            return p[0].toFixed(1) + "px " + p[1].toFixed(1) + "px";
          })
          .join(", ") +
        ")"
      );
    }

    function update() {
      var size = map.getSize();
      var x = Math.round(size.x * state.fraction);
      divider.style.left = x + "px";
      handle.setAttribute("aria-valuenow", String(Math.round(state.fraction * 100)));
      // Pane coordinates are layer points: convert the container's corners and
      // the divider, with a margin so strokes at the edge are not cut.
      var nw = map.containerPointToLayerPoint([-50, -50]);
      var se = map.containerPointToLayerPoint([size.x + 50, size.y + 50]);
      var mid = map.containerPointToLayerPoint([x, 0]).x;
      paneA.style.clipPath = clip(nw.x, mid, nw.y, se.y);
      paneB.style.clipPath = clip(mid, se.x, nw.y, se.y);
    }

    function setFraction(f) {
      state.fraction = Math.min(1, Math.max(0, f));
      update();
    }

    function fromEvent(e) {
      var rect = container.getBoundingClientRect();
      setFraction((e.clientX - rect.left) / Math.max(1, rect.width));
    }

    var dragging = false;
    function down(e) {
      dragging = true;
      divider.classList.add("bmc-dragging");
      map.dragging.disable();
      L.DomEvent.preventDefault(e);
      L.DomEvent.stopPropagation(e);
    }
    function move(e) {
      if (dragging) {
        fromEvent(e);
      }
    }
    function up() {
      if (dragging) {
        dragging = false;
        divider.classList.remove("bmc-dragging");
        map.dragging.enable();
      }
    }
    L.DomEvent.on(handle, "mousedown touchstart pointerdown", down);
    L.DomEvent.on(divider, "mousedown", down);
    L.DomEvent.on(document, "mousemove pointermove", move);
    L.DomEvent.on(document, "touchmove", function (e) {
      if (dragging && e.touches && e.touches.length) {
        fromEvent(e.touches[0]);
      }
    });
    L.DomEvent.on(document, "mouseup pointerup touchend pointercancel", up);
    L.DomEvent.on(handle, "keydown", function (e) {
      var step = e.shiftKey ? 0.1 : 0.02;
      if (e.key === "ArrowLeft") {
        setFraction(state.fraction - step);
        L.DomEvent.preventDefault(e);
      } else if (e.key === "ArrowRight") {
        setFraction(state.fraction + step);
        L.DomEvent.preventDefault(e);
      }
    });
    map.on("move zoom viewreset zoomend moveend resize", update);
    update();
    return {
      divider: divider,
      handle: handle,
      setFraction: setFraction,
      fraction: function () {
        return state.fraction;
      },
      update: update,
    };
  }

  // ---------------------------------------------------------------- readiness

  // Readiness is bordermap.js's: every tile layer loaded or failed, then two
  // animation frames, then the signals named by dom.ready and dom.readyAttribute.

  // ---------------------------------------------------------------- entry

  BC.init = function (maps, tiles, data) {
    var A = data.layers.A;
    var B = data.layers.B;
    window[DOM.mapsHandle] = maps;
    window[DOM.mapHandle] = maps[0];
    BC.mode = data.mode;
    BC.method = data.method;
    maps.forEach(function (map) {
      var container = map.getContainer();
      container.classList.add("bmc-map", "bmc-mode-" + data.mode);
      Array.from(container.getElementsByClassName(DOM.title)).forEach(function (box) {
        box.classList.add("bmc-title");
      });
      drawBorder(map, data.border);
    });
    if (data.mode === "side-by-side") {
      maps[0].getContainer().classList.add("bmc-left");
      maps[1].getContainer().classList.add("bmc-right");
      BC.layers.A = drawLayer(maps[0], A, B, pane(maps[0], "bmcA", 410));
      BC.layers.B = drawLayer(maps[1], B, A, pane(maps[1], "bmcB", 420));
      addLegend(maps[0], [A], data.mode);
      addLegend(maps[1], [B], data.mode);
      maps[1].setView(maps[0].getCenter(), maps[0].getZoom(), { animate: false });
      sync(maps);
    } else {
      var map = maps[0];
      // Swipe clips each layer's own pane.  Overlaid, both share one pane:
      // a canvas swallows the clicks on its whole area, so a second canvas
      // on top would leave layer A unclickable.
      var paneA = pane(map, data.mode === "swipe" ? "bmcA" : "bmcAB", 410);
      var paneB = data.mode === "swipe" ? pane(map, "bmcB", 420) : paneA;
      BC.layers.A = drawLayer(map, A, B, paneA);
      BC.layers.B = drawLayer(map, B, A, paneB);
      addLegend(map, [A, B], data.mode);
      if (data.mode === "swipe") {
        BC.swipe = swipe(map, data.layers);
      }
    }
    window.bordermap.finish(maps[0], tiles, data.finish);
  };

  window.bordermapCompare = BC;
})(window, document, window.L);
