/*
 * as_of.js: the map as of a day, for a snapshot's --as-of (split from claims.js).
 *
 * Inlined after claims.js, whose time filter it sets: bordermap.showAsOf(map, day,
 * label) puts the filter's upper handle at that month, shows only the periods begun by
 * that day, and says so in a line of the title box.  A map without dated claims counts
 * its places (a place in two layers once, by its earliest date).
 */
(function (window, document) {
  "use strict";

  var BM = window.bordermap;
  var DOM = BM.dom;
  var el = BM.el;
  var T = BM.timeFilter;

  /**
   * Show the map as it stood on `day` (an ISO day; `label` is the date as the caption
   * writes it): the time filter's upper handle at that month and only the periods begun
   * by that day, through the same filter a person moves.  A line in the title box says
   * so.  Returns {dated, begun, first, shown, counted}: the dated claims (`counted`
   * "claims"; on a map without dated claims, the dated places: "places"), those begun
   * by `day`, the first day of the earliest ("" if none), and the features still drawn.
   */
  BM.showAsOf = function (map, day, label) {
    var state = BM.claimsState;
    state.until = day;
    if (state.inputs) {
      var b = state.bounds;
      state.inputs[0].value = String(b[0]);
      state.inputs[1].value = String(Math.max(b[0], Math.min(b[1], T.monthIndex(day))));
      state.update();
    }
    // Counted by claims; on a map without dated claims, by the places its articles date.
    var claims = BM.claimOrder.map(function (id) {
      return BM.claimIndex[id];
    });
    var noun = "claims";
    var items = claims.filter(function (c) {
      return c.start;
    }).map(T.claimProps);
    var undated = claims.filter(function (c) {
      return !c.start && T.claimInTime(c, state.features, state);
    }).length;
    if (!items.length) {
      // A place once, however many layers draw it, by its earliest date.
      noun = "places";
      var byId = {};
      state.features.forEach(function (f) {
        var p = f.props, had = byId[p.id];
        if (!had || (p.period_start && (!had.period_start || p.period_start < had.period_start))) {
          byId[p.id] = p;
        }
      });
      var places = Object.keys(byId).sort().map(function (id) {
        return byId[id];
      });
      items = places.filter(function (props) {
        return props.period_start;
      });
      undated = places.length - items.length;
    }
    var begun = items.filter(function (props) {
      return T.inTime(props, state);
    }).length;
    var shown = state.features.filter(function (f) {
      return T.inTime(f.props, state);
    }).length;
    var first = items.map(function (props) {
      return props.period_start;
    }).sort()[0] || "";
    var n = items.length;
    var verb = noun === "claims" ? " had begun" : " had been reported"; // a place: by its articles
    var since = noun === "claims" ? " (the first begins " : " (the first on ";
    var text = "As of " + label + ": ";
    if (!n) {
      text += "no claim or place on this map is dated; everything is shown.";
    } else if (!begun) {
      text += "none of the " + n + " dated " + noun + verb + since + first + "); " +
        (shown || undated ? "only undated claims and places are shown." : "nothing is shown yet.");
    } else if (begun < n) {
      text += begun + " of the " + n + " dated " + noun + verb + "; later ones are not shown.";
    } else {
      text += (n === 1 ? "the dated " + noun.slice(0, -1) : "all " + n + " dated " + noun) + verb + ".";
    }
    state.asOf = {
      text: text,
      undated: undated && begun ? noun.charAt(0).toUpperCase() + noun.slice(1) +
        " without a date are shown whatever the date." : "",
    };
    var box = map.getContainer().getElementsByClassName(DOM.title)[0];
    var line = box && (box.getElementsByClassName(DOM.titleAsOf)[0] || el("p", DOM.titleAsOf, null, box));
    if (line) {
      line.textContent = text;
    }
    return { dated: n, begun: begun, first: first, shown: shown, counted: noun };
  };
})(window, document);
