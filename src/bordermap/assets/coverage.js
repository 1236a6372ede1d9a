/*
 * coverage.js: what the corpus does not cover, on a bordermap page (issue 14).
 *
 * Inlined after cameras.js, before claims.js.  The page calls
 * bordermap.addCoverage(map, group, payload) with
 * {id, title, summary: [sentence, ...], color, geoms, tips: [tooltip, ...]}:
 * the stretches of the lines with no place the corpus names within the
 * project's distance, in the wire format (bordermap.geometries), and one
 * tooltip per stretch.  It draws them faintly, a grey dotted band under every
 * other line of the map (the border shows through it), in `group`, the layer
 * switcher's entry of its own, each with its tooltip under the pointer (found by
 * the map's mousemove, as the lines and areas above take the pointer); the summary is kept on
 * bordermap.coverage for the text view and the alt text (claims.js).
 * Strings reach the page through textContent only (bordermap.el).
 */
(function (window, L) {
  "use strict";

  var BM = window.bordermap;
  var DOM = BM.dom;
  var el = BM.el;
  var str = BM.str;

  BM.addCoverage = function (map, group, payload) {
    // Read by claims.js's text view and alt text, which are built after this call.
    BM.coverage = { title: str(payload.title), summary: (payload.summary || []).map(str) };
    BM.later(function () {
      addCoverage(map, group, payload);
    });
  };

  // The tooltip of the stretch under the pointer.  Lines and country areas drawn
  // above the band would take the pointer from it, so the map's own mousemove finds
  // the stretch (Leaflet 1.9's hit test of a canvas path, the page's fixed version).
  function hover(map, group, layer) {
    var tip = L.tooltip({ sticky: true, direction: "top", offset: [0, -6] });
    var shown = null;
    function close() {
      if (shown) {
        map.closeTooltip(tip);
        shown = null;
      }
    }
    map.on("mousemove", function (e) {
      var hit = null;
      if (map.hasLayer(group)) {
        layer.eachLayer(function (child) {
          if (!hit && child._containsPoint && child._parts && child._containsPoint(e.layerPoint)) {
            hit = child;
          }
        });
      }
      if (!hit) {
        close();
        return;
      }
      if (hit !== shown) {
        tip.setContent(el("div", DOM.tooltipText, hit.feature.properties.tooltip));
        shown = hit;
      }
      tip.setLatLng(e.latlng);
      if (!map.hasLayer(tip)) {
        map.openTooltip(tip);
      }
    });
    map.on("mouseout zoomstart", close);
    group.on("remove", close);
  }

  function addCoverage(map, group, payload) {
    var tips = BM.data(payload.tips) || [];
    var features = BM.geometries(payload.geoms).map(function (geometry, i) {
      return { type: "Feature", properties: { tooltip: str(tips[i]) }, geometry: geometry };
    });
    var layer = BM.geoJSON(map, features, {
      style: function () {
        return {
          color: payload.color, weight: 7, opacity: 0.55, dashArray: "0.1 11",
          lineCap: "round", fill: false,
        };
      },
      interactive: false,
    });
    // Under every other line of the map's canvas (the border, the camera line),
    // however the switcher adds and removes it.
    function under() {
      layer.eachLayer(function (child) {
        if (child.bringToBack) {
          child.bringToBack();
        }
      });
    }
    group.addLayer(layer);
    group.on("add", under);
    under();
    hover(map, group, layer);
    BM.layers[payload.id] = {
      group: group,
      kind: "coverage",
      // The stretches drawn: [{tooltip, latlngs}] (for presenters and tests).
      stretches: function () {
        var out = [];
        layer.eachLayer(function (child) {
          out.push({ tooltip: child.feature.properties.tooltip, latlngs: child.getLatLngs() });
        });
        return out;
      },
    };
  }
})(window, window.L);
