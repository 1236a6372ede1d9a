/*
 * packed.js: the packed data blocks of bordermap's pages, inflated when first read.
 *
 * Inlined after bordermap.js, whose data(ref) reads every data block through
 * blockText(node) here.  A plain block (type application/json) is its text.
 * A packed one (data-encoding "zlib-base64", render/_encode.py) holds data
 * the first draw does not need (the sources list, the provenance): its UTF-8
 * JSON compressed with zlib and written in base64, so the HTML parser scans a
 * fraction of the bytes at load.  It is inflated here, synchronously, when
 * first read (a popup, the sources panel, a filter on provenance); once the
 * page is drawn, the browser's own DecompressionStream inflates the packed
 * blocks in the background, and a block it has finished is not inflated again.
 * Both give the same text.  On window.bordermap: blockText(node),
 * inflate(bytes, size), unpackLater() (bordermap.js calls it once drawn).
 */
(function (window, document) {
  "use strict";

  var BM = window.bordermap;
  var DOM = BM.dom;

  // RFC 1951: lengths and distances of codes 257-285 and 0-29.
  var LBASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
               131, 163, 195, 227, 258];
  var LEXT = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
  var DBASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
               2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
  var DEXT = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
  var CLORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

  // A canonical Huffman code from its code lengths: how many codes of each
  // length, and the symbols in code order.
  function Huffman(lengths) {
    var count = new Uint16Array(16);
    var offs = new Uint16Array(16);
    var symbols = new Uint16Array(lengths.length);
    for (var i = 0; i < lengths.length; i++) {
      count[lengths[i]]++;
    }
    count[0] = 0;
    for (var len = 1; len < 16; len++) {
      offs[len] = offs[len - 1] + count[len - 1];
    }
    for (var s = 0; s < lengths.length; s++) {
      if (lengths[s]) {
        symbols[offs[lengths[s]]++] = s;
      }
    }
    this.count = count;
    this.symbols = symbols;
  }

  var fixed = null; // the fixed codes of block type 1, made on first use

  function fixedCodes() {
    if (fixed === null) {
      var lit = new Uint8Array(288);
      for (var i = 0; i < 288; i++) {
        lit[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
      }
      var dist = new Uint8Array(30).fill(5);
      fixed = [new Huffman(lit), new Huffman(dist)];
    }
    return fixed;
  }

  /**
   * The bytes of a zlib stream (`src`, a Uint8Array) inflated: a Uint8Array
   * of `size` bytes (the length render/_encode.py wrote).  Throws on a stream
   * that is not deflate or does not end where it should.
   */
  function inflate(src, size) {
    if ((src[0] & 15) !== 8 || ((src[0] << 8) | src[1]) % 31 !== 0) {
      throw new Error("bordermap: a packed data block is not a zlib stream");
    }
    var out = new Uint8Array(size);
    var n = 0;
    var pos = 2;
    var buf = 0;
    var cnt = 0;

    function bits(k) {
      while (cnt < k) {
        if (pos >= src.length) {
          throw new Error("bordermap: a packed data block ends early");
        }
        buf |= src[pos++] << cnt;
        cnt += 8;
      }
      var v = buf & ((1 << k) - 1);
      buf >>>= k;
      cnt -= k;
      return v;
    }

    // One symbol of `h`, its code read a bit at a time (codes are packed from
    // their first bit on).
    function decode(h) {
      var code = 0;
      var first = 0;
      var index = 0;
      for (var len = 1; len < 16; len++) {
        code |= bits(1);
        var count = h.count[len];
        if (code - count < first) {
          return h.symbols[index + (code - first)];
        }
        index += count;
        first = (first + count) << 1;
        code <<= 1;
      }
      throw new Error("bordermap: a packed data block has a bad code");
    }

    function codes(lit, dist) {
      for (;;) {
        var sym = decode(lit);
        if (sym < 256) {
          out[n++] = sym;
        } else if (sym === 256) {
          return;
        } else {
          sym -= 257;
          var len = LBASE[sym] + bits(LEXT[sym]);
          var d = decode(dist);
          var back = DBASE[d] + bits(DEXT[d]);
          if (back > n || n + len > size) {
            throw new Error("bordermap: a packed data block does not fit its size");
          }
          for (var k = 0; k < len; k++, n++) {
            out[n] = out[n - back];
          }
        }
      }
    }

    function dynamic() {
      var nlit = bits(5) + 257;
      var ndist = bits(5) + 1;
      var nlen = bits(4) + 4;
      var lengths = new Uint8Array(19);
      for (var i = 0; i < nlen; i++) {
        lengths[CLORDER[i]] = bits(3);
      }
      var lencode = new Huffman(lengths);
      var all = new Uint8Array(nlit + ndist);
      var j = 0;
      while (j < nlit + ndist) {
        var sym = decode(lencode);
        if (sym < 16) {
          all[j++] = sym;
          continue;
        }
        var value = sym === 16 ? all[j - 1] : 0;
        var rep = sym === 16 ? 3 + bits(2) : sym === 17 ? 3 + bits(3) : 11 + bits(7);
        while (rep-- > 0) {
          all[j++] = value;
        }
      }
      codes(new Huffman(all.subarray(0, nlit)), new Huffman(all.subarray(nlit)));
    }

    var last = 0;
    while (!last) {
      last = bits(1);
      var type = bits(2);
      if (type === 0) {
        buf = 0; // to the byte boundary: what is left of this byte
        cnt = 0;
        var len = src[pos] | (src[pos + 1] << 8);
        pos += 4;
        out.set(src.subarray(pos, pos + len), n);
        n += len;
        pos += len;
      } else if (type === 1) {
        codes(fixedCodes()[0], fixedCodes()[1]);
      } else if (type === 2) {
        dynamic();
      } else {
        throw new Error("bordermap: a packed data block has a bad block type");
      }
    }
    if (n !== size) {
      throw new Error("bordermap: a packed data block does not fit its size");
    }
    return out;
  }

  function bytesOf(node) {
    var binary = window.atob(node.textContent.trim());
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) {
      bytes[i] = binary.charCodeAt(i);
    }
    return bytes;
  }

  function packed(node) {
    return node.getAttribute("data-encoding") === "zlib-base64";
  }

  var texts = new WeakMap(); // node -> text inflated in the background
  var decoder = null;

  // A packed block that cannot be read (the file cut short or altered) is
  // said on the page, in one line, once: what needed it (a popup, the sources
  // panel) fails, and the rest of the map still works.
  function unreadable(node, error) {
    var line = document.getElementsByClassName(DOM.dataError)[0];
    if (!line) {
      line = document.createElement("div");
      line.className = DOM.dataError;
      line.setAttribute("role", "alert");
      line.textContent =
        "This map's sources could not be read (data block " + node.id + " is damaged: " +
        "the file may be cut short or altered); build the map again.";
      document.body.appendChild(line);
    }
    if (window.console) {
      window.console.error(line.textContent + " " + String(error && error.message));
    }
  }

  /** The JSON text of a data block (`node`, its element). */
  function blockText(node) {
    if (!packed(node)) {
      return node.textContent;
    }
    if (texts.has(node)) {
      return texts.get(node);
    }
    decoder = decoder || new window.TextDecoder("utf-8", { fatal: true });
    var text;
    try {
      text = decoder.decode(inflate(bytesOf(node), Number(node.getAttribute("data-size"))));
    } catch (error) {
      unreadable(node, error);
      throw error;
    }
    texts.set(node, text);
    return text;
  }

  /**
   * Once drawn: inflate every packed block with the browser's
   * DecompressionStream, one after another, off the page's critical path.
   */
  function unpackLater() {
    if (typeof window.DecompressionStream !== "function" || typeof window.Response !== "function") {
      return;
    }
    var nodes = Array.prototype.filter.call(document.querySelectorAll("script[data-encoding]"), packed);
    var next = function (i) {
      if (i >= nodes.length) {
        return;
      }
      var node = nodes[i];
      if (texts.has(node)) {
        next(i + 1);
        return;
      }
      var stream = new window.Blob([bytesOf(node)]).stream().pipeThrough(new window.DecompressionStream("deflate"));
      new window.Response(stream)
        .text()
        .then(function (text) {
          if (!texts.has(node)) {
            texts.set(node, text);
          }
          next(i + 1);
        })
        .catch(function () {
          next(i + 1); // read synchronously when needed instead
        });
    };
    next(0);
  }

  BM.blockText = blockText;
  BM.inflate = inflate;
  BM.unpackLater = unpackLater;
})(window, document);
