/*
 * picture.js: what a picture of the map shows, for a snapshot's alt text (claims.js).
 *
 * Inlined after bordermap.js, before claims.js.  bordermap.picture(bounds) turns
 * a picture's bounds ([west, south, east, north] in degrees, as the snapshotter
 * reads them from the map) into a test `shows(item)` of what lies inside them:
 *   - an L.LatLng (a point): inside the bounds;
 *   - a Leaflet line or outline, as drawn now: a stretch of it crosses the
 *     bounds, or (an outline) it lies around them, as a country around a
 *     picture of its interior.
 * Without bounds every item shows (the whole map).  Pure arithmetic on the
 * coordinates: the same page and bounds give the same answers.
 */
(function (window, L) {
  "use strict";

  var BM = window.bordermap;

  // The rings (arrays of L.LatLng) of a line's or an outline's getLatLngs(), however nested.
  function ringsOf(latlngs, out) {
    if (latlngs.length && latlngs[0] instanceof L.LatLng) {
      out.push(latlngs);
    } else {
      latlngs.forEach(function (inner) {
        ringsOf(inner, out);
      });
    }
    return out;
  }

  // Whether the segment a-b (L.LatLngs) passes through `box` (Liang-Barsky clipping).
  function segmentMeets(a, b, box) {
    var dx = b.lng - a.lng;
    var dy = b.lat - a.lat;
    var p = [-dx, dx, -dy, dy];
    var q = [a.lng - box.getWest(), box.getEast() - a.lng, a.lat - box.getSouth(), box.getNorth() - a.lat];
    var t0 = 0;
    var t1 = 1;
    for (var i = 0; i < 4; i++) {
      if (p[i] === 0) {
        if (q[i] < 0) {
          return false; // parallel to that side and beyond it
        }
        continue;
      }
      var t = q[i] / p[i];
      if (p[i] < 0) {
        t0 = Math.max(t0, t);
      } else {
        t1 = Math.min(t1, t);
      }
      if (t0 > t1) {
        return false;
      }
    }
    return true;
  }

  // Whether `latlng` lies inside the outline `rings` (even-odd: holes and parts alike).
  function encloses(rings, latlng) {
    var inside = false;
    rings.forEach(function (ring) {
      for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        var a = ring[i];
        var b = ring[j];
        if ((a.lat > latlng.lat) !== (b.lat > latlng.lat) &&
          latlng.lng < ((b.lng - a.lng) * (latlng.lat - a.lat)) / (b.lat - a.lat) + a.lng) {
          inside = !inside;
        }
      }
    });
    return inside;
  }

  // Whether a Leaflet line or outline, as drawn now, shows inside `box`.
  function shapeMeets(layer, box) {
    var closed = layer instanceof L.Polygon;
    var rings = ringsOf(layer.getLatLngs(), []);
    var crosses = rings.some(function (ring) {
      var n = ring.length;
      for (var i = 0; i < n; i++) {
        var next = i + 1 < n ? ring[i + 1] : closed ? ring[0] : ring[i];
        if (segmentMeets(ring[i], next, box)) {
          return true;
        }
      }
      return false;
    });
    return crosses || (closed && encloses(rings, box.getCenter()));
  }

  function everything() {
    return true;
  }

  BM.picture = function (bounds) {
    if (!bounds) {
      return everything;
    }
    var box = L.latLngBounds([bounds[1], bounds[0]], [bounds[3], bounds[2]]);
    return function (item) {
      if (!item) {
        return true; // nothing places it
      }
      return typeof item.getLatLngs === "function" ? shapeMeets(item, box) : box.contains(item);
    };
  };
})(window, window.L);
