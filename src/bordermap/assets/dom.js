/*
 * dom.js: the names of a bordermap page's DOM, declared once.
 *
 * Everything that drives a page reads its class names, panes, readiness
 * signal and map handles from window.bordermap.dom: presenter.js (the
 * snapshotter), compare.js and the tests.  The values are the ones
 * bordermap.js and bordermap.css use; tests/test_dom.py checks that each one
 * is spelled there, so renaming a class in the runtime without renaming it
 * here fails a test instead of silently breaking snapshots.  (bordermap.js
 * still spells them itself: its text is inlined into every built map, whose
 * bytes must not change in the step that introduced this file.)
 *
 * The compare page inlines this file after bordermap.js; the snapshotter
 * evaluates it in a map page before presenter.js.
 */
(function (window) {
  "use strict";

  var bordermap = window.bordermap || (window.bordermap = {});
  if (bordermap.dom) {
    return;
  }
  bordermap.dom = Object.freeze({
    // bordermap.js and bordermap.css: classes
    map: "bm-map",
    title: "bm-title",
    titleMain: "bm-title-main",
    titleSub: "bm-title-sub",
    legend: "bm-legend",
    legendHeading: "bm-legend-heading",
    legendRow: "bm-legend-row",
    legendTitle: "bm-legend-title",
    legendLabel: "bm-legend-label",
    cameraLabel: "bm-camera-label",
    cameraLabelText: "bm-camera-label-text",
    popup: "bm-popup",
    popupTitle: "bm-popup-title",
    popupFacts: "bm-popup-facts",
    popupHeading: "bm-popup-heading",
    tooltipText: "bm-tooltip-text",
    // bordermap.js: panes, readiness and handles on window
    basemapPane: "bmBasemap",
    readyAttribute: "data-ready",
    readyEvent: "bordermap:ready",
    ready: "bordermapReady",
    mapHandle: "bordermapMap",
    mapsHandle: "bordermapMaps",
    // Leaflet's own controls, as the page shows them
    zoomControl: "leaflet-control-zoom",
    layersControl: "leaflet-control-layers",
    attribution: "leaflet-control-attribution",
    scale: "leaflet-control-scale",
    scaleLine: "leaflet-control-scale-line",
  });
})(window);
