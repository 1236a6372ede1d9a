/*
 * claims.js: claims mapped honestly on a bordermap page (issue 14).
 *
 * Inlined after bordermap.js, cameras.js and picture.js.  The page calls
 * bordermap.addClaims(map, payload) once every layer is added; payload is
 * {claims: [{id, text, status, contested, rivals, narrows, period, start,
 * end, sources, scope, asserted_by, grade, count, layers}, ...]} in file order.
 * It then:
 *   - draws each "near X" or unoutlined place's uncertainty radius (the
 *     feature's radius_km) as a light dashed circle around its point;
 *   - draws contested claims dashed, and adds to each popup the claims that
 *     contest it (their words, status and sources);
 *   - adds a time filter: two range sliders over the months the claims'
 *     periods cover; a feature is shown while its period overlaps the chosen
 *     range (an imprecise date counts as its whole range; an unknown one is
 *     always shown); keyboard operable (native range inputs);
 *   - adds a text view: every claim with its period, status and sources and
 *     the places it is drawn at, as a list, filterable by layer and by the same
 *     time range; it is a <details> disclosure, reachable by keyboard and read
 *     by screen readers as a list, and under it what the corpus does not cover
 *     (bordermap.coverage, from coverage.js).
 *   - gives its time filter's functions as bordermap.timeFilter to as_of.js
 *     (bordermap.showAsOf, the map as of a day, for a snapshot's --as-of).
 * Every string from an article or the project file reaches the page through
 * textContent (bordermap.el), never innerHTML.
 */
(function (window, document, L) {
  "use strict";

  var BM = window.bordermap;
  var DOM = BM.dom;
  var el = BM.el;
  var str = BM.str;

  // Leaflet's own control look, without taking the class of its layer switcher
  // (the page's furniture finds the switcher by that class).
  function panel(node) {
    node.style.background = "#fff";
    node.style.padding = "4px 8px";
    node.style.borderRadius = "5px";
    node.style.boxShadow = "0 1px 5px rgba(0, 0, 0, 0.4)";
    return node;
  }

  // "2021-10-05" -> months since year 0; kept per date, as a page's places
  // share few dates and the time filter reads every place's on each change.
  var monthsOf = new Map();

  function monthIndex(iso) {
    var month = monthsOf.get(iso);
    if (month === undefined) {
      month = Number(iso.slice(0, 4)) * 12 + Number(iso.slice(5, 7)) - 1;
      monthsOf.set(iso, month);
    }
    return month;
  }

  function monthLabel(i) {
    var m = (i % 12) + 1;
    return Math.floor(i / 12) + "-" + (m < 10 ? "0" : "") + m;
  }

  // Every feature of the page: {layerId, props, latlng (points), layer (the Leaflet
  // layer of a line or area; points are drawn by points.js, in clusters, so they
  // are read from the layer's own feature list)}.
  function drawnFeatures() {
    var out = [];
    Object.keys(BM.layers).forEach(function (id) {
      var entry = BM.layers[id];
      if (entry.kind !== "features") {
        return;
      }
      if (typeof entry.clusters === "function") {
        (entry.features || []).forEach(function (f) {
          out.push({ layerId: id, layer: null, props: f.properties || {}, latlng: L.latLng(f.geometry.coordinates) });
        });
        return;
      }
      entry.group.eachLayer(function (geo) {
        if (!geo.eachLayer) {
          return;
        }
        geo.eachLayer(function (layer) {
          if (layer.feature) {
            var latlng = layer.getLatLng ? layer.getLatLng() : null;
            out.push({ layerId: id, layer: layer, props: layer.feature.properties || {}, latlng: latlng });
          }
        });
      });
    });
    return out;
  }

  function overlaps(props, range) {
    if (!props.period_start) {
      return true; // an unknown period is never hidden: nothing says it is outside
    }
    var s = monthIndex(props.period_start);
    var e = monthIndex(props.period_end || props.period_start);
    return e >= range[0] && s <= range[1];
  }

  // Shown under the time filter: its month range, and with an as-of day (a snapshot's
  // --as-of) only periods begun by that day; an unknown period is never hidden.
  function inTime(props, state) {
    if (!overlaps(props, state.range)) {
      return false;
    }
    return !state.until || !props.period_start || props.period_start <= state.until;
  }

  function claimProps(c) {
    return { period_start: c.start, period_end: c.end };
  }

  // A dated claim by its own period; an undated one while any feature drawing it is shown.
  function claimInTime(c, features, state) {
    if (c.start) {
      return inTime(claimProps(c), state);
    }
    var drawing = features.filter(function (f) {
      return str(f.props.claims).split(",").indexOf(c.id) >= 0;
    });
    return !drawing.length || drawing.some(function (f) {
      return inTime(f.props, state);
    });
  }

  // An annotation (the cameras) follows the time filter through the dated claims it
  // draws, else through its own period (its articles' dates).
  function followTime(map, claims, state) {
    Object.keys(BM.layers).forEach(function (id) {
      var entry = BM.layers[id];
      if (entry.kind !== "cameras") {
        return;
      }
      var dated = BM.claimOrder.map(function (cid) {
        return claims[cid];
      }).filter(function (c) {
        return (c.layers || []).indexOf(id) >= 0 && c.start;
      });
      var on = dated.length ? dated.some(function (c) {
        return inTime(claimProps(c), state);
      }) : !entry.period || inTime(entry.period, state); // else by its articles' dates
      if (!on && map.hasLayer(entry.group)) {
        map.removeLayer(entry.group);
        entry.hiddenByTime = true;
      } else if (on && entry.hiddenByTime) {
        entry.hiddenByTime = false;
        map.addLayer(entry.group);
      }
    });
  }

  function rivalsBlock(props, claims, parent) {
    var ids = str(props.contests).split(",").filter(Boolean);
    var narrowing = str(props.narrowed_by).split(",").filter(Boolean);
    if (!ids.length && !narrowing.length && !props.sources) {
      return;
    }
    var box = el("div", DOM.popupFacts, null, parent);
    if (props.sources) {
      // A place no claim names still says how many articles and origins stand behind it.
      var lead = props.claims
        ? "Claim " + str(props.claims) + (props.status ? " (" + str(props.status) + ")" : "")
        : "Reported by";
      el("div", null, lead + ": " + str(props.sources) +
        (props.period ? " \u00b7 period " + str(props.period) : ""), box);
    }
    if (props.radius_km) {
      el("div", null, "Where: within about " + str(props.radius_km) + " km (" +
        str(props.precision) + " precision)", box);
    }
    [["Contested by", ids], ["Narrowed by", narrowing]].forEach(function (pair) {
      pair[1].forEach(function (id) {
        var c = claims[id] || {};
        el("div", null, pair[0] + " claim " + id + " (" + str(c.status) + ", " +
          str(c.sources) + "): \u201c" + str(c.text) + "\u201d", box);
      });
    });
  }

  function textView(map, claims, features, state) {
    var details;
    var list;
    var select;
    var Control = L.Control.extend({
      onAdd: function () {
        details = panel(el("details", "leaflet-control " + DOM.textView));
        details.style.maxWidth = "360px";
        el("summary", null, "Text view: every claim and place", details);
        var label = el("label", null, "Layer ", details);
        select = el("select", null, null, label);
        el("option", null, "all layers", select).value = "";
        var seen = {};
        features.forEach(function (f) {
          if (!seen[f.layerId]) {
            seen[f.layerId] = true;
            el("option", null, f.layerId, select).value = f.layerId;
          }
        });
        select.addEventListener("change", render);
        list = el("ul", null, null, details);
        list.setAttribute("aria-label", "Claims and places on this map");
        list.style.maxHeight = "40vh";
        list.style.overflowY = "auto";
        list.style.paddingLeft = "1.2em";
        coverageBlock(details);
        L.DomEvent.disableClickPropagation(details);
        L.DomEvent.disableScrollPropagation(details);
        render();
        return details;
      },
    });

    function render() {
      while (list.firstChild) {
        list.removeChild(list.firstChild);
      }
      BM.claimOrder.forEach(function (id) {
        var c = claims[id];
        var shown = features.filter(function (f) {
          return str(f.props.claims).split(",").indexOf(id) >= 0 &&
            (!select.value || f.layerId === select.value) && inTime(f.props, state);
        });
        var layers = (c.layers || []).filter(function (l) {
          return !select.value || l === select.value;
        });
        if (!layers.length) {
          return;
        }
        var item = el("li", null, null, list);
        item.setAttribute("tabindex", "0");
        item.setAttribute("data-claim", id);
        el("strong", null, id + (c.contested ? " (contested)" : "") + ": ", item);
        el("span", null, str(c.text), item);
        var facts = [str(c.status), c.period ? "period " + str(c.period) : "period unknown",
          str(c.sources), c.scope ? "scope: " + str(c.scope) : "", str(c.count)];
        el("div", null, facts.filter(Boolean).join(" \u00b7 "), item);
        if (c.rivals && c.rivals.length) {
          el("div", null, "Contested by: " + c.rivals.join(", "), item);
        }
        if (shown.length) {
          el("div", null, "Drawn at: " + shown.map(function (f) {
            return str(f.props.name) + (f.props.radius_km ? " (\u00b1" + f.props.radius_km + " km)" : "");
          }).join(", "), item);
        }
      });
    }

    new Control({ position: "bottomleft" }).addTo(map);
    return render;
  }

  // What the corpus does not cover (coverage.js): one item per line checked and one
  // for the articles' dates, under the claims.  The time filter does not change it.
  function coverageBlock(parent) {
    var cov = BM.coverage;
    if (!cov || !cov.summary.length) {
      return;
    }
    var box = el("div", null, null, parent);
    el("strong", null, cov.title, box);
    var list = el("ul", null, null, box);
    list.setAttribute("aria-label", cov.title);
    list.style.paddingLeft = "1.2em";
    cov.summary.forEach(function (sentence) {
      el("li", null, sentence, list);
    });
  }

  function timeFilter(map, features, claims, state, onChange) {
    var Control = L.Control.extend({
      onAdd: function () {
        var box = panel(el("div", "leaflet-control " + DOM.timeFilter));
        box.setAttribute("role", "group");
        box.setAttribute("aria-label", "Time filter");
        var shown = el("div", null, null, box);
        var inputs = ["From", "To"].map(function (name, i) {
          var label = el("label", null, name + " ", box);
          var input = el("input", null, null, label);
          input.type = "range";
          input.min = String(state.bounds[0]);
          input.max = String(state.bounds[1]);
          input.step = "1";
          input.value = String(state.bounds[i]);
          input.setAttribute("aria-label", name + " month");
          return input;
        });
        function update() {
          var a = Number(inputs[0].value);
          var b = Number(inputs[1].value);
          state.range = [Math.min(a, b), Math.max(a, b)];
          var text = state.until
            ? "Claims begun by " + state.until
            : "Claims about " + monthLabel(state.range[0]) + " to " + monthLabel(state.range[1]);
          shown.textContent = text;
          inputs[0].setAttribute("aria-valuetext", monthLabel(Number(inputs[0].value)));
          inputs[1].setAttribute("aria-valuetext", monthLabel(Number(inputs[1].value)));
          // Every layer (points, their clusters and labels, lines, areas) follows the filter.
          BM.setFeatureFilter(map, function (props) {
            return inTime(props, state);
          });
          followTime(map, claims, state);
          features.forEach(function (f) {
            if (f.circle) {
              var on = inTime(f.props, state);
              f.circle.setStyle({ opacity: on ? 0.7 : 0, fillOpacity: on ? 0.06 : 0 });
            }
          });
          onChange();
        }
        inputs.forEach(function (input) {
          input.addEventListener("input", function () {
            state.until = null; // a person moving a handle leaves the as-of view
            update();
          });
        });
        state.inputs = inputs;
        state.update = update;
        L.DomEvent.disableClickPropagation(box);
        update();
        return box;
      },
    });
    new Control({ position: "bottomleft" }).addTo(map);
  }

  // Queued after the feature layers (bordermap.js draws each in a task of its own).
  BM.addClaims = function (map, payload) {
    BM.later(function () {
      addClaims(map, payload);
    });
  };

  function addClaims(map, payload) {
    var order = payload.claims || [];
    var claims = Object.create(null);
    order.forEach(function (c) {
      claims[c.id] = c;
    });
    BM.claimOrder = order.map(function (c) {
      return c.id;
    });
    BM.claimIndex = claims;
    var features = drawnFeatures();
    var circles = Object.create(null); // one layer of uncertainty circles per map layer
    features.forEach(function (f) {
      var p = f.props;
      // Point layers draw the radii of the places they draw by themselves (points.js).
      if (p.radius_km && f.latlng && f.layer) {
        var color = (f.layer && f.layer.options.fillColor) || BM.layers[f.layerId].color || "#555";
        f.circle = L.circle(f.latlng, {
          radius: Number(p.radius_km) * 1000, color: color,
          weight: 1, dashArray: "3 4", opacity: 0.7, fillOpacity: 0.06, interactive: false,
        });
        if (!circles[f.layerId]) {
          circles[f.layerId] = L.layerGroup().addTo(BM.layers[f.layerId].group);
        }
        circles[f.layerId].addLayer(f.circle);
      }
      if (p.contested && f.layer && f.layer.setStyle) {
        f.layer.setStyle({ dashArray: "4 3", weight: 3 });
      }
    });
    // The claim block is part of every feature popup, built with it on each open,
    // so the popup is laid out and placed with it.
    BM.popupHooks.push(function (props, root) {
      if (root && root.nodeType === 1) {
        rivalsBlock(props, claims, root);
      }
    });
    var months = [];
    features.forEach(function (f) {
      if (f.props.period_start) {
        months.push(monthIndex(f.props.period_start), monthIndex(f.props.period_end || f.props.period_start));
      }
    });
    var state = { range: [-Infinity, Infinity], bounds: null, until: null, features: features };
    var render = textView(map, claims, features, state);
    if (months.length) {
      state.bounds = [Math.min.apply(null, months), Math.max.apply(null, months)];
      state.range = state.bounds.slice();
      timeFilter(map, features, claims, state, render);
    }
    BM.claimsState = state;
    BM.claimTitles = payload.titles || [];
    legendSources(map, order, BM.claimTitles);
  }

  // Under each legend row, the claims the layer draws with "2 articles, 1 origin".
  // Legend rows are in the order of the page's layers, as `titles` is.
  function legendSources(map, order, titles) {
    var rows = map.getContainer().querySelectorAll("." + DOM.legendRow);
    titles.forEach(function (pair, i) {
      var row = rows[i];
      // A claim whose places are none of the layer's features is said so, not counted.
      function undrawn(c) {
        return (c.undrawn || []).indexOf(pair[0]) >= 0;
      }
      var text = order.filter(function (c) {
        return (c.layers || []).indexOf(pair[0]) >= 0 &&
          (undrawn(c) || (c.sources && c.sources !== "no article"));
      }).map(function (c) {
        return c.id + ": " + (undrawn(c) ? "drawn at no place of this layer" : c.sources);
      }).join("; ");
      if (!row || !text) {
        return;
      }
      var after = row.nextSibling;
      while (after && after.classList && after.classList.contains(DOM.legendLabel)) {
        after = after.nextSibling; // keep the camera sentence with its row
      }
      var label = el("div", DOM.legendLabel, text);
      row.parentNode.insertBefore(label, after);
    });
  }

  // Whether a feature of drawnFeatures() shows in the picture (`shows`: picture.js's test
  // of its bounds): a point inside it, a line or outline crossing it or around it.
  function inPicture(f, shows) {
    return shows(f.layer && typeof f.layer.getLatLngs === "function" ? f.layer : f.latlng);
  }

  // Whether the annotation `id` (the cameras) shows: in time and its line in the picture.
  function camerasInPicture(id, shows) {
    var entry = BM.layers[id];
    return Boolean(entry) && !entry.hiddenByTime && shows(entry.line);
  }

  // Whether a claim shows in the picture: a feature drawing it, or an annotation it
  // draws, lies there; a claim that nothing on the map places is always shown.
  function claimInPicture(c, features, shows) {
    var drawing = features.filter(function (f) {
      return str(f.props.claims).split(",").indexOf(c.id) >= 0;
    });
    var cameras = (c.layers || []).filter(function (id) {
      return BM.layers[id] && BM.layers[id].kind === "cameras";
    });
    if (!drawing.length && !cameras.length) {
      return true;
    }
    return drawing.some(function (f) {
      return inPicture(f, shows);
    }) || cameras.some(function (id) {
      return camerasInPicture(id, shows);
    });
  }

  // "Title: Dandong (and 1 more outside the picture).", "Title: none in the picture (6
  // outside it)."
  function layerSentence(title, names, outside) {
    if (!names.length) {
      return title + ": none in the picture (" + outside + " outside it).";
    }
    var more = outside ? " (and " + outside + " more outside the picture)" : "";
    return title + ": " + names.join(", ") + more + ".";
  }

  /**
   * The map's content as plain text, for a snapshot's alt text: the title, each
   * layer with the places drawn (as the time filter leaves them), each claim
   * with its status, period and sources.  With `bounds` ([west, south, east,
   * north], the picture's), only the places and claims inside them are named,
   * with how many of each layer lie outside, and the claims drawn only outside
   * are listed by id.
   */
  BM.altText = function (bounds) {
    var shows = BM.picture(bounds);
    var titles = BM.claimTitles || [];
    var parts = [document.title + "."];
    var byLayer = {};
    var outside = {};
    var state = BM.claimsState;
    var features = drawnFeatures();
    features.forEach(function (f) {
      if (state && !inTime(f.props, state)) {
        return;
      }
      if (inPicture(f, shows)) {
        (byLayer[f.layerId] = byLayer[f.layerId] || []).push(str(f.props.name));
      } else {
        outside[f.layerId] = (outside[f.layerId] || 0) + 1;
      }
    });
    titles.forEach(function (pair) {
      var id = pair[0];
      var title = str(pair[1]);
      var entry = BM.layers[id];
      if (byLayer[id] || outside[id]) {
        parts.push(layerSentence(title, byLayer[id] || [], outside[id] || 0));
      } else if (entry && entry.kind === "cameras" && !entry.hiddenByTime) {
        parts.push(title + (camerasInPicture(id, shows) ? "." : ": none in the picture."));
      }
    });
    var away = [];
    (BM.claimOrder || []).forEach(function (id) {
      var c = BM.claimIndex[id];
      if (state && !claimInTime(c, state.features, state)) {
        return; // the picture does not show it: neither does its text
      }
      if (!claimInPicture(c, features, shows)) {
        away.push(id);
        return;
      }
      var bits = [str(c.status), c.period ? "period " + str(c.period) : "", str(c.sources),
        str(c.count), c.rivals && c.rivals.length ? "contested by " + c.rivals.join(", ") : ""];
      parts.push("Claim " + id + ": " + str(c.text) + " (" + bits.filter(Boolean).join("; ") + ").");
    });
    if (away.length) {
      parts.push("Drawn only outside the picture: claim" + (away.length > 1 ? "s " : " ") +
        away.join(", ") + ".");
    }
    if (BM.coverage && BM.coverage.summary.length) {
      parts.push(BM.coverage.title + ": " + BM.coverage.summary.join(" "));
    }
    if (state && state.asOf) {
      parts.push(state.asOf.text + (state.asOf.undated ? " " + state.asOf.undated : ""));
    } else if (state && state.bounds) {
      var r = state.range;
      parts.push("Claims shown: periods from " + monthLabel(r[0]) + " to " + monthLabel(r[1]) + ".");
    }
    return parts.join(" ");
  };

  // What as_of.js (a snapshot's --as-of) reads the time filter with.
  BM.timeFilter = { monthIndex: monthIndex, inTime: inTime, claimProps: claimProps, claimInTime: claimInTime };
})(window, document, window.L);
