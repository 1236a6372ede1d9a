/*
 * dom.js: the names of a bordermap page's DOM, declared once.
 *
 * Every page inlines this file first, before bordermap.js, basemap.js and
 * cameras.js (and compare.js on a compare page); all of them read their
 * class names, panes, readiness signals and window handles from
 * window.bordermap.dom, and so does everything that drives a page:
 * presenter.js (the snapshotter), compare.js and the tests.  Only
 * bordermap.css (which cannot read JavaScript) spells the class names again;
 * tests/test_dom.py checks that it and this file agree and that no other
 * asset spells them.
 *
 * Evaluating this file a second time changes nothing (it returns early).
 */
(function (window) {
  "use strict";

  var bordermap = window.bordermap || (window.bordermap = {});
  if (bordermap.dom) {
    return;
  }
  bordermap.dom = Object.freeze({
    // Classes (bordermap.css styles most of them)
    map: "bm-map",
    title: "bm-title",
    titleMain: "bm-title-main",
    titleSub: "bm-title-sub",
    titleAsOf: "bm-title-as-of", // a snapshot's "As of 2021-03: ..." line (claims.js)
    legend: "bm-legend",
    legendHeading: "bm-legend-heading",
    legendRow: "bm-legend-row",
    legendTitle: "bm-legend-title",
    legendLabel: "bm-legend-label",
    swatch: "bm-swatch",
    swatchPoint: "bm-swatch-point",
    swatchLine: "bm-swatch-line",
    swatchDashed: "bm-swatch-dashed",
    swatchMixed: "bm-swatch-mixed",
    cameraLabel: "bm-camera-label",
    cameraLabelText: "bm-camera-label-text",
    cameraPopup: "bm-camera-popup",
    popup: "bm-popup",
    popupTitle: "bm-popup-title",
    popupFacts: "bm-popup-facts",
    popupHeading: "bm-popup-heading",
    popupNote: "bm-popup-note",
    provenance: "bm-provenance",
    prov: "bm-prov",
    provHead: "bm-prov-head",
    provTitle: "bm-prov-title",
    provMeta: "bm-prov-meta",
    provClaim: "bm-prov-claim",
    tooltipText: "bm-tooltip-text",
    // CSS custom property: a legend swatch's colour
    swatchColor: "--bm-swatch-color",
    // Panes
    basemapPane: "bmBasemap",
    // Readiness: <html data-ready="1">, an event on document, flags on window
    readyAttribute: "data-ready",
    readyEvent: "bordermap:ready",
    ready: "bordermapReady",
    readyAt: "bordermapReadyAt",
    tilesTimedOut: "bordermapTilesTimedOut",
    // Handles on window: the map, the compare page's maps, the layer registry
    mapHandle: "bordermapMap",
    mapsHandle: "bordermapMaps",
    layersHandle: "bordermapLayers",
    // A property of a camera's popup: its camera number (1-based)
    cameraNumber: "bordermapCamera",
    // Leaflet's own controls, as the page shows them
    zoomControl: "leaflet-control-zoom",
    layersControl: "leaflet-control-layers",
    attribution: "leaflet-control-attribution",
    scale: "leaflet-control-scale",
    scaleLine: "leaflet-control-scale-line",
    // Furniture that stays readable (furniture.js): the sources panel, the
    // buttons that open panels, compact layout, the pane of point layers
    titleSources: "bm-title-sources",
    sources: "bm-sources",
    sourcesList: "bm-sources-list",
    source: "bm-source",
    sourceId: "bm-source-id",
    sourceMeta: "bm-source-meta",
    panel: "bm-panel",
    panelBody: "bm-panel-body",
    panelId: "bm-panel-",
    toggle: "bm-toggle",
    open: "bm-open",
    compact: "bm-compact",
    pointsPane: "bmPoints",
    control: "leaflet-control",
    cornerTop: "leaflet-top",
    cornerBottom: "leaflet-bottom",
    cornerRight: "leaflet-right",
    cornerLeft: "leaflet-left",
    layersExpanded: "leaflet-control-layers-expanded",
    layersList: "leaflet-control-layers-list",
    interactive: "leaflet-interactive",
    // Provenance quotes, and the names and counts of point layers (points.js)
    provQuote: "bm-prov-quote",
    labelsPane: "bmLabels",
    labelsCanvas: "bm-labels",
    camerasPane: "bmCameras",
    // The one line a page shows when a packed data block cannot be read (packed.js)
    dataError: "bm-data-error",
    // The claims' controls (claims.js): the time filter and the text view
    timeFilter: "bm-time-filter",
    textView: "bm-text-view",
  });
})(window);
