/*
 * Kasyno draw verifier: checks a lotto draw and a ticket from public data, in your browser.
 *
 * The same three checks as tools/verify_draw.py (docs/FAIRNESS.md, "Lotto draws anyone can
 * verify"), each reported by name:
 *   commitment  SHA-256(revealed seed bytes) equals the commitment published before sales opened;
 *   numbers     the numbers follow from the seed over the ticket root and the draw id:
 *               HMAC-SHA256(seed, "draw:<ticket root>:<draw id>:<cursor>") bytes for cursor
 *               0, 1, ..., each range [0, n) read big-endian in the fewest whole bytes, rejected
 *               at or above the largest multiple of n, drawn without replacement (partial
 *               Fisher-Yates from 1..pool), sorted;
 *   inclusion   SHA-256(0x00 || canonical JSON of the ticket's leaf) folded with its proof
 *               (SHA-256(0x01 || left || right) per step) gives the ticket root, and the leaf
 *               names this draw.
 * SHA-256 and HMAC come from the browser's Web Crypto (SubtleCrypto); on a page without it (plain
 * http on another host) the plain JavaScript ones of /verifier.js are used. Nothing is sent
 * anywhere. Under Node the same code runs on the shared vectors (tests/fixtures/draw_vectors.json).
 */
(function (root) {
  "use strict";

  var COMMITMENT = "commitment", NUMBERS = "numbers", INCLUSION = "inclusion";
  var subtle = root.crypto && root.crypto.subtle ? root.crypto.subtle : null;

  // --- bytes ----------------------------------------------------------------------------------

  function fromHex(hex) {
    hex = String(hex);
    if (!/^([0-9a-fA-F]{2})*$/.test(hex)) throw new Error("not a hex string");
    var out = new Uint8Array(hex.length / 2);
    for (var i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
    return out;
  }

  function toHex(bytes) {
    var s = "";
    for (var i = 0; i < bytes.length; i++) s += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    return s;
  }

  function concat() {
    var total = 0, i;
    for (i = 0; i < arguments.length; i++) total += arguments[i].length;
    var out = new Uint8Array(total), at = 0;
    for (i = 0; i < arguments.length; i++) {
      out.set(arguments[i], at);
      at += arguments[i].length;
    }
    return out;
  }

  function utf8(text) {
    return new TextEncoder().encode(text);
  }

  function plain() {
    var v = root.KasynoVerifier;
    if (!v) throw new Error("this page offers no Web Crypto (open it over https)");
    return v;
  }

  /** SHA-256 of bytes, resolved as a Uint8Array. */
  function sha256(bytes) {
    if (subtle) return subtle.digest("SHA-256", bytes).then(function (d) { return new Uint8Array(d); });
    return Promise.resolve().then(function () { return plain().sha256(bytes); });
  }

  /** HMAC-SHA256(key, message), resolved as a Uint8Array. */
  function hmacSha256(key, message) {
    if (!subtle) return Promise.resolve().then(function () { return plain().hmacSha256(key, message); });
    return subtle
      .importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"])
      .then(function (k) { return subtle.sign("HMAC", k, message); })
      .then(function (d) { return new Uint8Array(d); });
  }

  // --- the draw's numbers -------------------------------------------------------------------

  /** The message of the draw stream: "draw:<root, lower-case hex>:<draw id>". */
  function drawMessage(ticketRoot, drawId) {
    return "draw:" + String(ticketRoot).toLowerCase() + ":" + wholeNumber(drawId);
  }

  /** Bytes HMAC-SHA256(seed, "<message>:<cursor>") for cursor = 0, 1, 2 ..., read in order. */
  function byteStream(seedHex, message) {
    var key = fromHex(seedHex), cursor = 0, block = new Uint8Array(0), pos = 0;
    return {
      take: function (count) {
        var out = [];
        function more() {
          while (out.length < count && pos < block.length) out.push(block[pos++]);
          if (out.length === count) return Promise.resolve(out);
          return hmacSha256(key, utf8(message + ":" + cursor)).then(function (next) {
            cursor += 1;
            block = next;
            pos = 0;
            return more();
          });
        }
        return more();
      },
    };
  }

  /** A uniform integer in [0, upper) by rejection sampling, as domain/games/rng.py does. */
  function uniformInt(stream, upper) {
    if (!(upper >= 1 && upper <= 4294967296)) return Promise.reject(new Error("upper must be in [1, 2**32]"));
    if (upper === 1) return Promise.resolve(0);
    var nbytes = 0;
    for (var v = upper - 1; v > 0; v = Math.floor(v / 256)) nbytes++;
    var span = Math.pow(256, nbytes), limit = span - (span % upper);
    function attempt() {
      return stream.take(nbytes).then(function (bytes) {
        var value = bytes.reduce(function (acc, b) { return acc * 256 + b; }, 0);
        return value < limit ? value % upper : attempt();
      });
    }
    return attempt();
  }

  /** The draw's numbers, ascending, from the revealed seed, the ticket root and the draw id. */
  function deriveNumbers(seedHex, ticketRoot, drawId, pick, pool) {
    var stream = byteStream(seedHex, drawMessage(ticketRoot, drawId));
    var balls = [];
    for (var n = 1; n <= pool; n++) balls.push(n);
    var i = 0;
    function step() {
      if (i >= pick) return Promise.resolve(ascending(balls.slice(0, pick)));
      return uniformInt(stream, pool - i).then(function (offset) {
        var j = i + offset, t = balls[i];
        balls[i] = balls[j];
        balls[j] = t;
        i += 1;
        return step();
      });
    }
    return step();
  }

  // --- the ticket tree ----------------------------------------------------------------------

  function wholeNumber(value) {
    var text = String(value).trim();
    var n = typeof value === "number" ? value : text === "" ? NaN : Number(text);
    if (!Number.isInteger(n)) throw new Error("not a whole number: " + value);
    return n;
  }

  function ascending(numbers) {
    return numbers.map(wholeNumber).sort(function (a, b) { return a - b; });
  }

  /** JSON text as Python's json.dumps(ensure_ascii=True) writes it. */
  function asciiJson(value) {
    return JSON.stringify(value).replace(/[^\x20-\x7e]/g, function (c) {
      return "\\u" + ("000" + c.charCodeAt(0).toString(16)).slice(-4);
    });
  }

  /** {"draw":<id>,"lines":[[ascending numbers],...],"stake":<minor>,"ticket":"<number>"}. */
  function canonicalLeaf(leaf) {
    if (!leaf || !Array.isArray(leaf.lines)) throw new Error("the leaf has no lines");
    var lines = leaf.lines.map(function (line) {
      if (!Array.isArray(line)) throw new Error("a line is not a list of numbers");
      return ascending(line);
    });
    if (leaf.ticket === undefined || leaf.ticket === null) throw new Error("the leaf names no ticket");
    return asciiJson({ draw: wholeNumber(leaf.draw), lines: lines, stake: wholeNumber(leaf.stake), ticket: String(leaf.ticket) });
  }

  function leafHash(leaf) {
    return sha256(concat(new Uint8Array([0]), utf8(canonicalLeaf(leaf))));
  }

  function nodeHash(left, right) {
    return sha256(concat(new Uint8Array([1]), left, right));
  }

  /** The root (hex) the ticket's leaf and its proof lead to. */
  function rootFromProof(leaf, proof) {
    if (!Array.isArray(proof)) return Promise.reject(new Error("the proof is not a list"));
    return proof.reduce(function (current, step) {
      return current.then(function (hash) {
        var sibling = fromHex(step && step.hash);
        if (step.side === "left") return nodeHash(sibling, hash);
        if (step.side === "right") return nodeHash(hash, sibling);
        throw new Error("proof step side must be left or right, not " + JSON.stringify(step.side));
      });
    }, leafHash(leaf)).then(toHex);
  }

  // --- the checks ---------------------------------------------------------------------------

  /**
   * One check's result: `detail` says it in English as tools/verify_draw.py does; `value` is the
   * computed value alone (a digest, the numbers, a root) and `reason` why no value could be
   * computed ("malformed", "not_revealed", "other_draw"), for pages that say it in their language.
   */
  function check(name, ok, detail, value, reason) {
    return { name: name, ok: !!ok, detail: detail, value: value === undefined ? "" : String(value), reason: reason || "" };
  }

  function checkCommitment(draw) {
    var seed = String(draw.server_seed || "");
    if (!seed) return Promise.resolve(check(COMMITMENT, false, "the server seed is not revealed yet", "", "not_revealed"));
    return sha256(fromHex(seed)).then(function (d) {
      var digest = toHex(d), ok = digest === String(draw.commitment).toLowerCase();
      return check(COMMITMENT, ok, ok ? "SHA-256(seed) is the commitment" : "SHA-256(seed) is " + digest, digest);
    });
  }

  function checkNumbers(draw) {
    var seed = String(draw.server_seed || "");
    if (!seed) return Promise.resolve(check(NUMBERS, false, "the server seed is not revealed yet", "", "not_revealed"));
    if (!Array.isArray(draw.numbers)) throw new Error("the numbers are not a list");
    var published = ascending(draw.numbers);
    return deriveNumbers(seed, draw.ticket_root, draw.id, wholeNumber(draw.pick), wholeNumber(draw.pool)).then(
      function (expected) {
        var ok = JSON.stringify(expected) === JSON.stringify(published);
        var detail = "recomputed [" + expected.join(", ") + "]" + (ok ? "" : ", published [" + published.join(", ") + "]");
        return check(NUMBERS, ok, detail, expected.join(", "));
      }
    );
  }

  function checkInclusion(draw, ticket) {
    var leaf = ticket.leaf;
    if (wholeNumber(leaf.draw) !== wholeNumber(draw.id)) {
      return Promise.resolve(
        check(INCLUSION, false, "the ticket is of draw " + leaf.draw + ", not " + draw.id, leaf.draw, "other_draw")
      );
    }
    return rootFromProof(leaf, ticket.proof).then(function (got) {
      var ok = got === String(draw.ticket_root).toLowerCase();
      return check(INCLUSION, ok, ok ? "the proof leads to the ticket root" : "the proof leads to " + got, got);
    });
  }

  /**
   * Every check that applies to the document ({draw, ticket?}, the document tools/verify_draw.py
   * reads), in order; a malformed part fails its check. Resolves to [{name, ok, detail}].
   */
  function verify(document) {
    var draw = (document && document.draw) || {};
    var runs = [[COMMITMENT, checkCommitment, [draw]], [NUMBERS, checkNumbers, [draw]]];
    if (document && "ticket" in document) runs.push([INCLUSION, checkInclusion, [draw, document.ticket || {}]]);
    return Promise.all(
      runs.map(function (run) {
        return Promise.resolve()
          .then(function () { return run[1].apply(null, run[2]); })
          .catch(function (err) {
            return check(run[0], false, "malformed input: " + (err && err.message ? err.message : err), "", "malformed");
          });
      })
    );
  }

  /** The names of the checks that failed (empty: the draw and the ticket verify). */
  function failed(document) {
    return verify(document).then(function (checks) {
      return checks.filter(function (c) { return !c.ok; }).map(function (c) { return c.name; });
    });
  }

  // --- the page -------------------------------------------------------------------------------
  // A button with data-draw-verify (the document as JSON) and data-target (the id of the
  // result). Fields marked data-draw-field inside the element named by data-fields replace the
  // document's values: "server_seed", "commitment", "ticket_root", "numbers" (comma separated)
  // of the draw; "leaf" and "proof" (JSON) of the ticket. The result holds one element per check
  // ([data-check=<name>]): the script sets its data-status (ok / failed / skipped) and data-reason
  // and writes the computed value (hex or numbers, no words) into its [data-detail]; the page's
  // own text (in the reader's language) says what each status and reason means. The result's data-verified is "yes" or "no"; data-failed names the
  // failed checks.

  function withFields(doc, holder) {
    if (!holder) return doc;
    var fields = holder.querySelectorAll("[data-draw-field]");
    for (var i = 0; i < fields.length; i++) {
      var name = fields[i].getAttribute("data-draw-field"), value = fields[i].value.trim();
      if (name === "numbers") {
        doc.draw.numbers = value ? value.split(/[\s,;]+/).filter(Boolean) : [];
      } else if (name === "leaf" || name === "proof") {
        doc.ticket = doc.ticket || {};
        try {
          doc.ticket[name] = JSON.parse(value);
        } catch (err) {
          doc.ticket[name] = null;
        }
      } else {
        doc.draw[name] = value;
      }
    }
    return doc;
  }

  function show(target, checks) {
    var bad = checks.filter(function (c) { return !c.ok; }).map(function (c) { return c.name; });
    var rows = target.querySelectorAll("[data-check]");
    for (var i = 0; i < rows.length; i++) {
      var name = rows[i].getAttribute("data-check");
      var found = checks.filter(function (c) { return c.name === name; })[0];
      rows[i].setAttribute("data-status", found ? (found.ok ? "ok" : "failed") : "skipped");
      rows[i].setAttribute("data-reason", found ? found.reason : "");
      var detail = rows[i].querySelector("[data-detail]");
      if (detail) detail.textContent = found ? found.value : "";
    }
    target.setAttribute("data-failed", bad.join(" "));
    target.setAttribute("data-verified", bad.length ? "no" : "yes");
  }

  function verifyElement(el) {
    var target = root.document.getElementById(el.getAttribute("data-target") || "draw-verify-result");
    var doc;
    try {
      doc = JSON.parse(el.getAttribute("data-draw-verify") || "{}");
      doc.draw = doc.draw || {};
      doc = withFields(doc, root.document.getElementById(el.getAttribute("data-fields") || ""));
    } catch (err) {
      doc = { draw: {} };
    }
    if (target) target.setAttribute("data-verified", "running");
    return verify(doc).then(function (checks) {
      if (target) show(target, checks);
      return checks;
    });
  }

  var api = {
    fromHex: fromHex, toHex: toHex, utf8: utf8, sha256: sha256, hmacSha256: hmacSha256,
    drawMessage: drawMessage, byteStream: byteStream, uniformInt: uniformInt, deriveNumbers: deriveNumbers,
    canonicalLeaf: canonicalLeaf, leafHash: leafHash, nodeHash: nodeHash, rootFromProof: rootFromProof,
    verify: verify, failed: failed, verifyElement: verifyElement,
  };
  root.KasynoDrawVerifier = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;

  if (typeof root.document !== "undefined" && root.document.addEventListener) {
    root.document.addEventListener("click", function (event) {
      var el = event.target && event.target.closest ? event.target.closest("[data-draw-verify]") : null;
      if (el) verifyElement(el);
    });
  }
})(typeof window !== "undefined" ? window : globalThis);
