/*
 * points.js: point layers of bordermap's maps, readable at any number of places.
 *
 * Inlined after bordermap.js, sources.js and labels.js, whose namespace
 * (window.bordermap) it uses (el, str, bindFeature, keeps, pointPane,
 * labeller, grouped, dom) and extends with addPoints(map, group, payload,
 * features), which bordermap.addFeatures calls for a layer of points.
 *
 * Below CLUSTER_MAX_ZOOM, points nearer each other on screen than CLUSTER_PX
 * are drawn as one cluster (a bigger disc with its count), greedily from the
 * place most articles name, per zoom level, computed on first use and then
 * kept; clicking a cluster zooms in on it.  Markers are canvas circle markers
 * (the points' canvas renderer) and exist only for the clusters and points in
 * the padded view, so a move costs what is drawn, not what the layer holds;
 * the first draw (`draw`, the job after the layer's: bordermap.js) makes them
 * for the view and a margin only.  labels.js draws their names and counts.
 * A place drawn by itself gets its uncertainty radius (radius_km) as a dashed
 * circle; a marker's popup and tooltip are bound on its first hover or click
 * (or openPopup), and a filter that keeps the places drawn redraws nothing.
 * Everything is deterministic: the same page and view give the same picture.
 */
(function (window, document, L) {
  "use strict";

  var BM = window.bordermap;
  var DOM = BM.dom;
  var str = BM.str;
  var grouped = BM.grouped;

  var CLUSTER_PX = 28; // points nearer than this on screen are one cluster
  var CLUSTER_MAX_ZOOM = 13; // from this zoom on, every point is drawn by itself
  var PAD = 0.25; // markers are kept for this share of the view around it
  var EDGE_PX = 32; // the first draw's margin instead (the largest disc and more)

  var NONE = [];

  // A number for a cell of the clustering grid, `stride` more than the cells
  // of a column (a place's latitude is clamped to the world: its row is
  // within it).  At the zooms that cluster it is a small integer, which a Map
  // hashes fastest.
  function cellKey(cx, cy, stride) {
    return (cx + 1) * stride + (cy + 1);
  }

  function clusterRadius(count) {
    return Math.min(22, 9 + 2.5 * Math.log2(count));
  }

  // ------------------------------------------------------------ markers

  // A marker whose popup and tooltip are bound on first need: its first hover
  // or click (through its layer's one handler, see addPoints) or a call of
  // openPopup or openTooltip.  Most markers drawn are never opened, and
  // binding both costs two objects and a dozen listeners per marker.
  var Lazy = L.CircleMarker.extend({
    bound: function () {
      var bind = this.bindLater;
      if (bind) {
        this.bindLater = null;
        bind(this);
      }
      return this;
    },
    openPopup: function (latlng) {
      return L.CircleMarker.prototype.openPopup.call(this.bound(), latlng);
    },
    openTooltip: function (latlng) {
      return L.CircleMarker.prototype.openTooltip.call(this.bound(), latlng);
    },
  });

  // The first hover or click on a marker of `markers` binds its popup and
  // tooltip and does what they would have done; later ones reach them directly.
  function delegate(markers) {
    markers.on("mouseover click", function (e) {
      var marker = e.layer;
      if (!(marker instanceof Lazy) || !marker.bindLater) {
        return;
      }
      marker.bound();
      if (e.type === "click" && marker.getPopup()) {
        marker._openPopup(e);
      } else if (marker.getTooltip()) {
        marker._openTooltip(e);
      }
    });
  }

  // The uncertainty radius of a place drawn by itself ("near X", an area
  // without an outline: the feature's radius_km), as claims.js draws it for
  // the other layers: a light dashed circle under the point.
  function radiusCircle(feature, latlng, color) {
    var km = Number((feature.properties || {}).radius_km);
    if (!(km > 0)) {
      return null;
    }
    return L.circle(latlng, {
      radius: km * 1000,
      color: color,
      weight: 1,
      dashArray: "3 4",
      opacity: 0.7,
      fillOpacity: 0.06,
      interactive: false,
    });
  }

  // ------------------------------------------------------------ shared places

  // A place that a layer added before draws too is drawn SHIFT_PX further east for
  // each such layer: both markers can be seen and clicked (the later would cover the
  // earlier).  Its name, radius and popup stay at the place itself.
  var SHIFT_PX = 11;
  var sharing = new WeakMap(); // map -> Map("lat,lng" -> layers drawing it, in order)

  // Per feature of a layer added now, how many layers of the map drew its place before.
  function slots(map, all) {
    var seen = sharing.get(map);
    if (!seen) {
      seen = new Map();
      sharing.set(map, seen);
    }
    var mine = new Map();
    return all.map(function (f) {
      var c = f.geometry.coordinates, key = c[0] + "," + c[1];
      var slot = mine.get(key);
      if (slot === undefined) {
        slot = seen.get(key) || 0;
        seen.set(key, slot + 1);
        mine.set(key, slot);
      }
      return slot;
    });
  }

  // ------------------------------------------------------------ points

  BM.addPoints = function (map, group, payload, all) {
    var crs = map.options.crs;
    var color = payload.color;
    // Above lines and the annotation (furniture.js), so a place takes its own clicks.
    var pane = typeof BM.pointPane === "function" ? BM.pointPane(map) : {};
    var latlngs = all.map(function (f) {
      return L.latLng(f.geometry.coordinates);
    });
    var slot = slots(map, all);
    var order = []; // shown features, the most-named first
    var cache = Object.create(null); // zoom -> clusters
    // The markers, and the uncertainty radii of the places drawn by themselves
    // (each circle added after its place's marker).
    var markers = L.featureGroup();
    group.addLayer(markers);
    delegate(markers);
    var shown = new Map(); // key -> {marker, cluster}
    var drawnZoom = null;

    // The features `predicate` keeps, in drawing order; false if they are
    // those drawn already (then nothing needs to be drawn again).
    var ranked = null; // every feature in drawing order, sorted once

    function select(predicate) {
      if (ranked === null) {
        ranked = all.map(function (f, i) {
          return i;
        });
        ranked.sort(function (a, b) {
          return all[b].weight - all[a].weight || a - b;
        });
      }
      var next = ranked.filter(function (i) {
        return BM.keeps(predicate, all[i]);
      });
      var same = next.length === order.length && next.every(function (i, k) {
        return i === order[k];
      });
      if (same && drawnZoom !== null) {
        return false;
      }
      order = next;
      cache = Object.create(null);
      return true;
    }

    // Every place projected once, as crs.latLngToPoint(latlng, z) / crs.scale(z)
    // (the same arithmetic; inlined for Spherical Mercator, whose calls per
    // place were most of a first clustering, run before the engine warms up).
    var units = null;
    function projected() {
      if (units === null) {
        var t = crs.transformation;
        var mercator = crs.projection === L.Projection.SphericalMercator;
        var R = L.Projection.SphericalMercator.R;
        var max = L.Projection.SphericalMercator.MAX_LATITUDE;
        var d = Math.PI / 180;
        units = { x: new Float64Array(all.length), y: new Float64Array(all.length) };
        for (var i = 0; i < all.length; i++) {
          var ll = latlngs[i];
          var px;
          var py;
          if (mercator) {
            var sin = Math.sin(Math.max(Math.min(max, ll.lat), -max) * d);
            px = R * ll.lng * d;
            py = (R * Math.log((1 + sin) / (1 - sin))) / 2;
          } else {
            var p = crs.projection.project(ll);
            px = p.x;
            py = p.y;
          }
          units.x[i] = t._a * px + t._b;
          units.y[i] = t._c * py + t._d;
        }
      }
      return units;
    }

    // [{members, x, y, key}] at zoom z, in world pixels of that zoom.
    function clustersAt(z) {
      if (cache[z]) {
        return cache[z];
      }
      var n = order.length;
      var xs = new Float64Array(n);
      var ys = new Float64Array(n);
      var grid = new Map();
      var units = projected();
      var scale = crs.scale(z);
      var stride = Math.ceil(scale / CLUSTER_PX) + 3;
      var clustering = z < CLUSTER_MAX_ZOOM;
      for (var k = 0; k < n; k++) {
        xs[k] = scale * units.x[order[k]];
        ys[k] = scale * units.y[order[k]];
        if (clustering) {
          var key = cellKey(Math.floor(xs[k] / CLUSTER_PX), Math.floor(ys[k] / CLUSTER_PX), stride);
          var list = grid.get(key);
          if (list === undefined) {
            grid.set(key, [k]);
          } else {
            list.push(k);
          }
        }
      }
      var out = [];
      var taken = new Uint8Array(n);
      var near = CLUSTER_PX * CLUSTER_PX;
      for (var i = 0; i < n; i++) {
        if (taken[i]) {
          continue;
        }
        taken[i] = 1;
        var members = [order[i]];
        var sx = xs[i];
        var sy = ys[i];
        if (clustering) {
          var cx = Math.floor(xs[i] / CLUSTER_PX);
          var cy = Math.floor(ys[i] / CLUSTER_PX);
          for (var dx = -1; dx <= 1; dx++) {
            for (var dy = -1; dy <= 1; dy++) {
              var cell = grid.get(cellKey(cx + dx, cy + dy, stride)) || NONE;
              for (var c = 0; c < cell.length; c++) {
                var j = cell[c];
                var ddx = xs[j] - xs[i];
                var ddy = ys[j] - ys[i];
                if (!taken[j] && ddx * ddx + ddy * ddy <= near) {
                  taken[j] = 1;
                  members.push(order[j]);
                  sx += xs[j];
                  sy += ys[j];
                }
              }
            }
          }
        }
        var single = members.length === 1;
        out.push({
          members: members,
          x: sx / members.length,
          y: sy / members.length,
          // A place by its index, a cluster by its zoom and first member.
          key: single ? order[i] : -1 - z * 16777216 - order[i],
          // A cluster's position is computed when it is first drawn (most never are).
          latlng: single ? latlngs[order[i]] : null,
          z: z,
        });
      }
      cache[z] = out;
      return out;
    }

    function zoomInto(cluster) {
      var bounds = L.latLngBounds(
        cluster.members.map(function (i) {
          return latlngs[i];
        })
      );
      var z = Math.max(map.getBoundsZoom(bounds.pad(0.3)), map.getZoom() + 1);
      map.setView(bounds.getCenter(), Math.min(z, CLUSTER_MAX_ZOOM, map.getMaxZoom()));
    }

    // The layer's markers: a place, and a cluster (its radius its own); their
    // look is the class's, set once instead of copied into every marker.
    var Place = Lazy.extend({
      options: L.extend({
        radius: 6,
        color: "#ffffff",
        weight: 1.5,
        fillColor: color,
        fillOpacity: 0.95,
        // A click on a place is the place's: not also the map's (cameras.js).
        bubblingMouseEvents: false,
      }, pane),
      // Drawn `shift` pixels east of its place (a place an earlier layer draws too).
      _project: function () {
        L.CircleMarker.prototype._project.call(this);
        if (this.shift) {
          this._point = this._point.add([this.shift, 0]);
          this._updateBounds();
        }
      },
    });
    var Cluster = Lazy.extend({
      options: L.extend({ color: "#ffffff", weight: 2, fillColor: color, fillOpacity: 0.85,
                          bubblingMouseEvents: false }, pane),
    });

    function makeMarker(cluster) {
      var marker;
      var circle = null;
      if (cluster.members.length === 1) {
        var feature = all[cluster.members[0]];
        marker = new Place(cluster.latlng);
        marker.shift = SHIFT_PX * slot[cluster.members[0]];
        if (feature.properties && feature.properties.contested) {
          marker.setStyle({ dashArray: "4 3", weight: 3 }); // a contested claim (claims.js)
        }
        marker.feature = feature;
        marker.bindLater = function (m) {
          BM.bindFeature(feature, m);
        };
        circle = radiusCircle(feature, cluster.latlng, color);
      } else {
        var count = cluster.members.length;
        marker = new Cluster(cluster.latlng, { radius: clusterRadius(count) });
        marker.bindLater = function (m) {
          var top = cluster.members.slice(0, 3).map(function (i) {
            return str(all[i].properties.name);
          });
          var more = count > 3 ? " and " + grouped(count - 3) + " more" : "";
          m.bindTooltip(function () {
            return BM.el("span", DOM.tooltipText, grouped(count) + " places: " + top.join(", ") + more);
          });
        };
        marker.cluster = cluster;
      }
      return { marker: marker, cluster: cluster, circle: circle };
    }

    // A click on a cluster zooms in on it (one handler for the layer).
    markers.on("click", function (e) {
      if (e.layer && e.layer.cluster) {
        zoomInto(e.layer.cluster);
      }
    });

    function remove(had) {
      markers.removeLayer(had.marker);
      if (had.circle) {
        markers.removeLayer(had.circle);
      }
    }

    function refresh() {
      if (!map.hasLayer(group)) {
        return;
      }
      var z = map.getZoom();
      var clusters = clustersAt(z);
      var view = map.getPixelBounds();
      var size = view.getSize();
      // The first draw: the view and EDGE_PX, the same picture with a third
      // fewer Leaflet objects; from the first move (or drag) on, PAD.
      var px = drawnZoom === null ? EDGE_PX : size.x * PAD;
      var py = drawnZoom === null ? EDGE_PX : size.y * PAD;
      var x0 = view.min.x - px;
      var x1 = view.max.x + px;
      var y0 = view.min.y - py;
      var y1 = view.max.y + py;
      var next = new Map();
      for (var i = 0; i < clusters.length; i++) {
        var c = clusters[i];
        if (c.x < x0 || c.x > x1 || c.y < y0 || c.y > y1) {
          continue;
        }
        if (c.latlng === null) {
          c.latlng = crs.pointToLatLng(L.point(c.x, c.y), c.z);
        }
        var had = shown.get(c.key);
        if (!had) {
          had = makeMarker(c);
          markers.addLayer(had.marker);
          if (had.circle) {
            markers.addLayer(had.circle);
          }
        }
        next.set(c.key, had);
      }
      shown.forEach(function (had, key) {
        if (!next.has(key)) {
          remove(had);
        }
      });
      shown = next;
      drawnZoom = z;
      labels.schedule();
    }

    var labels = BM.labeller(map);
    var api = {
      items: function () {
        if (!map.hasLayer(group) || drawnZoom === null) {
          return [];
        }
        var out = [];
        shown.forEach(function (had) {
          var c = had.cluster;
          var f = all[c.members[0]];
          out.push({
            latlng: c.latlng,
            radius: had.marker.options.radius,
            count: c.members.length,
            text: str(f.properties.name),
            weight: f.weight,
          });
        });
        return out;
      },
    };
    select(null);
    map.on("moveend", refresh);
    map.once("dragstart", refresh); // a drag shows the padding at once
    group.on("add", refresh);
    group.on("remove", labels.schedule);
    labels.add(api);
    if (map.hasLayer(group)) {
      clustersAt(map.getZoom()); // the markers follow in the page's next job (draw)
    }

    return {
      markers: markers,
      refresh: refresh,
      draw: function () {
        if (drawnZoom === null) {
          refresh();
        }
      },
      filter: function (predicate) {
        if (!select(predicate)) {
          return; // the same places: nothing to draw again
        }
        shown.forEach(remove);
        shown = new Map();
        refresh();
        labels.draw();
      },
      // [{count, names, latlng}] drawn now, for tests and presenters.
      clusters: function () {
        var out = [];
        shown.forEach(function (had) {
          out.push({
            count: had.cluster.members.length,
            names: had.cluster.members.map(function (i) {
              return str(all[i].properties.name);
            }),
            latlng: had.cluster.latlng,
          });
        });
        return out;
      },
    };
  };
})(window, document, window.L);
