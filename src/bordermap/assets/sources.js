/*
 * sources.js: provenance on bordermap's map pages, and the popups that show it.
 *
 * Inlined after bordermap.js, whose namespace (window.bordermap) it uses and
 * extends.  A page's provenance arrives as tables (render/_sources.py):
 * strings, article rows and contexts once per page (addSources), and per
 * feature only row numbers ({p, c, q}); they are decoded on first use.  Popups
 * quote the sentence that names the place, the name in a <mark>, beside the
 * layer's claim.  Text reaches the page only through textContent.
 *
 * On window.bordermap: addSources(map, ref); provenance(map, refs) ->
 * {entries, shown}; features(map, payload): an addFeatures payload as
 * GeoJSON-like features; provenanceBlock(entries, parent, shown);
 * bindFeature(feature, layer): its popup and tooltip.
 */
(function (window, document, L) {
  "use strict";

  var BM = window.bordermap;
  var DOM = BM.dom;
  var el = BM.el;
  var str = BM.str;

  function formatKm(value) {
    var n = Number(value);
    return isFinite(n) ? n.toFixed(1) + " km" : "";
  }

  // ------------------------------------------------------------- provenance

  // A page's provenance tables (render/_sources.py): strings, article rows
  // and contexts once per page, decoded on first use (the first popup or
  // filter); each feature holds only row numbers ({p, q}).
  var pageSources = new WeakMap(); // map -> {ref, tables}

  BM.addSources = function (map, ref) {
    pageSources.set(map, { ref: ref, tables: null });
  };

  function tablesOf(map) {
    var own = pageSources.get(map);
    if (!own) {
      return null;
    }
    if (own.tables === null) {
      var raw = BM.data(own.ref);
      var strings = raw.strings;
      // A string's index, [any other value], or null for an absent key.
      var value = function (v) {
        return v === null ? undefined : typeof v === "number" ? strings[v] : v[0];
      };
      own.tables = {
        value: value,
        articleKeys: raw.articleKeys.map(value),
        quoteKeys: raw.quoteKeys.map(value),
        articles: raw.articles,
        contexts: raw.contexts,
      };
    }
    return own.tables;
  }

  /**
   * A feature's provenance from its {p, c, q} references: every entry (fresh
   * objects, in the page's order) and the positions of the entries quoted in
   * the page (those carry "sentence" and "mark").
   */
  function provenance(map, src) {
    var t = tablesOf(map);
    if (!t || !src) {
      return { entries: [], shown: [] };
    }
    var entries = [];
    for (var i = 0; i < src.p.length; i++) {
      var entry = {};
      var row = t.articles[src.p[i]];
      for (var k = 0; k < t.articleKeys.length; k++) {
        var v = t.value(row[k]);
        if (v !== undefined) {
          entry[t.articleKeys[k]] = v;
        }
      }
      var context = t.contexts[Array.isArray(src.c) ? src.c[i] : src.c];
      for (var c = 0; c < context.length; c += 2) {
        entry[t.value(context[c])] = t.value(context[c + 1]);
      }
      entries.push(entry);
    }
    var shown = src.q.map(function (quote) {
      var e = entries[quote[0]];
      for (var k = 0; k < t.quoteKeys.length; k++) {
        var v = t.value(quote[k + 1]);
        if (v !== undefined) {
          e[t.quoteKeys[k]] = v;
        }
      }
      return quote[0];
    });
    return { entries: entries, shown: shown };
  }

  // ------------------------------------------------------------- popups

  // The sentence as text nodes with the place's name in a <mark>.  `mark` is
  // [start, end] in code points (Python's offsets); JS strings count UTF-16
  // units, so the sentence is split into code points first.
  function quote(sentence, mark, parent) {
    var node = el("div", DOM.provQuote, null, parent);
    var chars = Array.from(str(sentence));
    var ok =
      Array.isArray(mark) &&
      Number.isInteger(mark[0]) &&
      Number.isInteger(mark[1]) &&
      mark[0] >= 0 &&
      mark[0] < mark[1] &&
      mark[1] <= chars.length;
    if (!ok) {
      node.textContent = chars.join("");
      return node;
    }
    node.appendChild(document.createTextNode(chars.slice(0, mark[0]).join("")));
    el("mark", null, chars.slice(mark[0], mark[1]).join(""), node);
    node.appendChild(document.createTextNode(chars.slice(mark[1]).join("")));
    return node;
  }

  function plural(n, one) {
    return n.toLocaleString("en-US") + " " + one + (n === 1 ? "" : "s");
  }

  /**
   * A popup's sources: `entries` (provenance dicts), of which those at
   * `shown` (default: all) are listed with their title, outlet, date, claim
   * and quoted sentence; the rest are counted ("and 12 more in the
   * exports").  A claim shared by every entry is shown once, above the list.
   */
  function provenanceBlock(entries, parent, shown) {
    if (!Array.isArray(entries) || entries.length === 0) {
      el("div", DOM.popupNote, "No source recorded.", parent);
      return;
    }
    var listed = Array.isArray(shown)
      ? shown
      : entries.map(function (e, i) {
          return i;
        });
    var claims = entries.map(function (e) {
      return str((e || {}).claim);
    });
    var oneClaim = claims.every(function (c) {
      return c === claims[0];
    });
    if (oneClaim && claims[0]) {
      el("blockquote", DOM.provClaim, claims[0], parent);
    }
    el(
      "div",
      DOM.popupHeading,
      entries.length === 1 ? "Source" : "Sources (" + entries.length.toLocaleString("en-US") + ")",
      parent
    );
    var list = el("ol", DOM.provenance, null, parent);
    listed.forEach(function (i) {
      var p = entries[i] || {};
      var item = el("li", DOM.prov, null, list);
      var head = el("div", DOM.provHead, null, item);
      el("span", DOM.provTitle, str(p.title) || "(untitled)", head);
      var meta = [str(p.outlet), str(p.date), p.article ? "article " + str(p.article) : "",
                  p.corrected ? "corrected " + str(p.corrected) : ""]
        .filter(function (part) {
          return part !== "";
        })
        .join(" \u00b7 ");
      el("div", DOM.provMeta, meta, item);
      if (p.claim && !oneClaim) {
        el("blockquote", DOM.provClaim, str(p.claim), item);
      }
      if (p.sentence) {
        quote(p.sentence, p.mark, item);
      }
    });
    var more = entries.length - listed.length;
    if (more > 0) {
      el("div", DOM.popupNote, "and " + more.toLocaleString("en-US") + " more in the exports", parent);
    }
  }

  // Mentions and articles of a place, from its entries' "mentions" counts.
  function counts(entries) {
    var mentions = 0;
    for (var i = 0; i < entries.length; i++) {
      var n = entries[i] && entries[i].mentions;
      if (typeof n !== "number") {
        return "";
      }
      mentions += n;
    }
    return plural(mentions, "mention") + " in " + plural(entries.length, "article");
  }

  function featurePopup(feature) {
    var props = feature.properties || {};
    var sources = sourcesOf(feature);
    var root = el("div", DOM.popup);
    el("div", DOM.popupTitle, str(props.name) || "(unnamed)", root);
    var facts = [];
    if (props.kind) {
      facts.push(str(props.kind));
    }
    var km = formatKm(props.length_km);
    if (props.length_km !== undefined && props.length_km !== null && km) {
      facts.push(km);
    }
    var many = counts(sources.entries);
    if (many) {
      facts.push(many);
    }
    if (facts.length) {
      el("div", DOM.popupFacts, facts.join(" \u00b7 "), root);
    }
    provenanceBlock(sources.entries, root, sources.shown);
    return root;
  }

  // ------------------------------------------------------------- features

  // Each feature's properties object names its feature under OWNER (a symbol:
  // never enumerated, copied or serialised with the properties).
  var OWNER = Symbol("bordermap feature");
  var hasOwn = Object.prototype.hasOwnProperty;

  // The prototype of a layer's properties: `layer`, the columns every feature
  // shares (`same` of render/_plain.py's _records), and `provenance` and
  // `articles` as getters that decode the page's tables on first read (so a
  // filter sees every entry).  A feature's own value of any of them (set as
  // usual) hides the shared one.
  function sharedProps(map, payload, same) {
    var refs = null;
    function decode(feature) {
      if (feature.sources === null) {
        if (refs === null) {
          refs = BM.records(BM.data(payload.sources));
        }
        feature.sources = provenance(map, refs[feature.index]);
      }
      return feature.sources.entries;
    }
    var getters = {
      provenance: function (feature) {
        return decode(feature);
      },
      articles: function (feature) {
        var ids = new Set();
        decode(feature).forEach(function (e) {
          if (str(e.article) !== "") {
            ids.add(str(e.article));
          }
        });
        return Array.from(ids).sort().join(",");
      },
    };
    var proto = { layer: payload.id };
    Object.keys(getters).forEach(function (key) {
      Object.defineProperty(proto, key, {
        enumerable: true,
        configurable: true,
        get: function () {
          var feature = this[OWNER];
          return feature && feature.cited ? getters[key](feature) : undefined;
        },
        set: function (value) {
          Object.defineProperty(this, key, { value: value, writable: true, enumerable: true, configurable: true });
        },
      });
    });
    Object.keys(same).forEach(function (key) {
      Object.defineProperty(proto, key, { value: same[key], writable: true, enumerable: true, configurable: true });
    });
    return proto;
  }

  /**
   * The features of an addFeatures payload (render/map_page.py): GeoJSON-like
   * {type, geometry, properties, weight}.  A feature's properties hold the
   * columns in which features differ as their own; through their prototype
   * (one per layer) they read the columns all share, `layer`, and `provenance`
   * and `articles` (see sharedProps).  Building a layer of thousands of
   * places so costs a third of the property writes and no accessor per place.
   */
  function features(map, payload) {
    var raw = BM.data(payload.props);
    var columns = !Array.isArray(raw);
    var same = (columns && raw.same) || {};
    var vary = columns
      ? raw.keys.filter(function (key) {
          return !hasOwn.call(same, key);
        })
      : [];
    var proto = sharedProps(map, payload, same);
    var weights = BM.data(payload.weights);
    var n = vary.length;
    return BM.geometries(payload.geoms).map(function (geometry, i) {
      var p = Object.create(proto);
      if (columns) {
        var row = raw.rows[i] || [];
        for (var j = 0; j < n; j++) {
          p[vary[j]] = row[j];
        }
      } else {
        L.extend(p, raw[i]);
      }
      // How many articles name the place (known without decoding the tables).
      var feature = { type: "Feature", geometry: geometry, properties: p, sources: null,
                      weight: weights[i] || 0, index: i, cited: weights[i] !== null };
      p[OWNER] = feature;
      return feature;
    });
  }

  // {entries, shown} of a feature (plain provenance lists are shown whole).
  function sourcesOf(feature) {
    var props = feature.properties || {};
    var entries = props.provenance;
    if (feature.sources) {
      return feature.sources;
    }
    return { entries: Array.isArray(entries) ? entries : [], shown: undefined };
  }

  function bindFeature(feature, layer) {
    var props = feature.properties || {};
    // Popups and tooltips are built lazily, on open, from DOM nodes.
    layer.bindPopup(
      function () {
        var root = featurePopup(feature);
        // Other modules add to a feature's popup (claims.js: its claim and rivals).
        BM.popupHooks.forEach(function (hook) {
          hook(props, root);
        });
        return root;
      },
      { maxWidth: 380 }
    );
    layer.bindTooltip(function () {
      return el("span", DOM.tooltipText, str(props.name));
    });
  }

  BM.provenance = provenance;
  BM.provenanceBlock = provenanceBlock;
  BM.features = features;
  BM.bindFeature = bindFeature;
  //: Functions (properties, popup root element) run on every feature popup as it opens.
  BM.popupHooks = [];
})(window, document, window.L);
