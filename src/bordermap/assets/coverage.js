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
 * switcher's entry of its own, each with its tooltip; the summary is kept on
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
      onEachFeature: function (feature, child) {
        child.bindTooltip(el("div", DOM.tooltipText, feature.properties.tooltip), { sticky: true });
      },
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
