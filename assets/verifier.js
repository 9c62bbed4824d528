/*
 * Kasyno provably fair verifier: recomputes an instant round from public data, in your browser.
 *
 * It trusts nothing from our server but the round's data you can read on the page:
 *   1. SHA-256(server seed bytes) must equal the commitment you were shown before the bet;
 *   2. the outcome bytes are HMAC-SHA256(key = server seed bytes,
 *      message = "<client seed>:<nonce>:<cursor>") for cursor = 0, 1, 2 ...;
 *   3. ranges come from those bytes by rejection sampling (no modulo bias);
 *   4. the game's rules (version, strips, paytable) turn the outcome into the payout.
 * SHA-256 and HMAC are implemented here in plain JavaScript (no WebCrypto, no server call).
 * The same code runs under Node for the shared test vectors (tests/fixtures/fairness_vectors.json).
 */
(function (root) {
  "use strict";

  // --- SHA-256 and HMAC-SHA256 (FIPS 180-4, RFC 2104) -----------------------------------------
  var K = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
  ];

  function sha256(bytes) {
    var h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    var n = bytes.length;
    var padded = new Uint8Array(((n + 9 + 63) >> 6) << 6);
    padded.set(bytes);
    padded[n] = 0x80;
    var bitsHigh = Math.floor(n / 0x20000000), bitsLow = (n << 3) >>> 0;
    var end = padded.length;
    padded[end - 8] = bitsHigh >>> 24; padded[end - 7] = bitsHigh >>> 16;
    padded[end - 6] = bitsHigh >>> 8; padded[end - 5] = bitsHigh;
    padded[end - 4] = bitsLow >>> 24; padded[end - 3] = bitsLow >>> 16;
    padded[end - 2] = bitsLow >>> 8; padded[end - 1] = bitsLow;
    var w = new Array(64);
    for (var off = 0; off < end; off += 64) {
      for (var i = 0; i < 16; i++) {
        var j = off + i * 4;
        w[i] = ((padded[j] << 24) | (padded[j + 1] << 16) | (padded[j + 2] << 8) | padded[j + 3]) >>> 0;
      }
      for (i = 16; i < 64; i++) {
        var x = w[i - 15], y = w[i - 2];
        var s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
        var s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
        w[i] = (w[i - 16] + s0 + w[i - 7] + s1) >>> 0;
      }
      var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
      for (i = 0; i < 64; i++) {
        var S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
        var ch = (e & f) ^ (~e & g);
        var t1 = (k + S1 + ch + K[i] + w[i]) >>> 0;
        var S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
        var maj = (a & b) ^ (a & c) ^ (b & c);
        var t2 = (S0 + maj) >>> 0;
        k = g; g = f; f = e; e = (d + t1) >>> 0; d = c; c = b; b = a; a = (t1 + t2) >>> 0;
      }
      h[0] = (h[0] + a) >>> 0; h[1] = (h[1] + b) >>> 0; h[2] = (h[2] + c) >>> 0; h[3] = (h[3] + d) >>> 0;
      h[4] = (h[4] + e) >>> 0; h[5] = (h[5] + f) >>> 0; h[6] = (h[6] + g) >>> 0; h[7] = (h[7] + k) >>> 0;
    }
    var out = new Uint8Array(32);
    for (i = 0; i < 8; i++) {
      out[i * 4] = h[i] >>> 24; out[i * 4 + 1] = h[i] >>> 16; out[i * 4 + 2] = h[i] >>> 8; out[i * 4 + 3] = h[i];
    }
    return out;
  }

  function concat(a, b) {
    var out = new Uint8Array(a.length + b.length);
    out.set(a);
    out.set(b, a.length);
    return out;
  }

  function hmacSha256(key, message) {
    if (key.length > 64) key = sha256(key);
    var ipad = new Uint8Array(64), opad = new Uint8Array(64);
    for (var i = 0; i < 64; i++) {
      var kb = i < key.length ? key[i] : 0;
      ipad[i] = kb ^ 0x36;
      opad[i] = kb ^ 0x5c;
    }
    return sha256(concat(opad, sha256(concat(ipad, message))));
  }

  function utf8(text) {
    return new TextEncoder().encode(text);
  }

  function fromHex(hex) {
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

  // --- the outcome stream -------------------------------------------------------------------

  function commitment(seedHex) {
    return toHex(sha256(fromHex(seedHex)));
  }

  /** Bytes HMAC-SHA256(seed, "<message>:<cursor>") for cursor = 0, 1, 2 ... */
  function byteStream(seedHex, message) {
    var key = fromHex(seedHex), cursor = 0, block = new Uint8Array(0), pos = 0;
    return {
      next: function () {
        if (pos >= block.length) {
          block = hmacSha256(key, utf8(message + ":" + cursor));
          cursor += 1;
          pos = 0;
        }
        return block[pos++];
      },
    };
  }

  function roundStream(seedHex, clientSeed, nonce) {
    return byteStream(seedHex, clientSeed + ":" + nonce);
  }

  /** A uniform integer in [0, upper) by rejection sampling, as domain/games/rng.py does. */
  function uniformInt(stream, upper) {
    if (upper < 1 || upper > 4294967296) throw new Error("upper must be in [1, 2**32]");
    if (upper === 1) return 0;
    var nbytes = 0;
    for (var v = upper - 1; v > 0; v = Math.floor(v / 256)) nbytes++;
    var span = Math.pow(256, nbytes);
    var limit = span - (span % upper);
    for (;;) {
      var value = 0;
      for (var i = 0; i < nbytes; i++) value = value * 256 + stream.next();
      if (value < limit) return value % upper;
    }
  }

  // --- dice ---------------------------------------------------------------------------------

  var DICE_RANGE = 10000;
  var dice = {
    roll: function (stream) {
      return uniformInt(stream, DICE_RANGE);
    },
    chance: function (bet) {
      return bet.direction === "under" ? bet.target : DICE_RANGE - bet.target;
    },
    wins: function (bet, roll) {
      return bet.direction === "under" ? roll < bet.target : roll >= bet.target;
    },
    winAmount: function (rules, bet, stake, roll) {
      if (!dice.wins(bet, roll)) return 0;
      return Math.floor((stake * (DICE_RANGE - rules.edge)) / dice.chance(bet));
    },
    describe: function (roll) {
      return Math.floor(roll / 100) + "." + ("0" + (roll % 100)).slice(-2);
    },
  };

  // --- European roulette --------------------------------------------------------------------

  var RED = [1, 3, 5, 7, 9, 12, 14, 16, 18, 19, 21, 23, 25, 27, 30, 32, 34, 36];
  var PAYS = {
    straight: 35, split: 17, street: 11, corner: 8, line: 5, dozen: 2, column: 2,
    red: 1, black: 1, odd: 1, even: 1, low: 1, high: 1,
  };

  function range(from, to, step) {
    var out = [];
    for (var n = from; n < to; n += step || 1) out.push(n);
    return out;
  }

  function spotPockets(spot) {
    var parts = spot.split(":"), kind = parts[0], arg = parts[1];
    if (kind === "dozen") return range(12 * arg - 11, 12 * arg + 1);
    if (kind === "column") return range(Number(arg), 37, 3);
    if (kind === "red") return RED.slice();
    if (kind === "black") return range(1, 37).filter(function (n) { return RED.indexOf(n) < 0; });
    if (kind === "odd") return range(1, 37, 2);
    if (kind === "even") return range(2, 37, 2);
    if (kind === "low") return range(1, 19);
    if (kind === "high") return range(19, 37);
    return arg.split("-").map(Number);
  }

  var roulette = {
    spin: function (stream) {
      return uniformInt(stream, 37);
    },
    colour: function (pocket) {
      return pocket === 0 ? "green" : RED.indexOf(pocket) >= 0 ? "red" : "black";
    },
    betReturn: function (spot, amount, pocket) {
      var kind = spot.split(":")[0];
      if (!(kind in PAYS)) throw new Error("unknown bet type " + kind);
      return spotPockets(spot).indexOf(pocket) >= 0 ? amount * (PAYS[kind] + 1) : 0;
    },
    winAmount: function (bets, pocket) {
      return bets.reduce(function (sum, b) { return sum + roulette.betReturn(b[0], b[1], pocket); }, 0);
    },
  };

  // --- the 5-reel slot ----------------------------------------------------------------------

  function linePay(rules, symbols) {
    if (!symbols.length || symbols[0] === rules.scatter) return ["", 0, 0];
    var wilds = 0;
    while (wilds < symbols.length && symbols[wilds] === rules.wild) wilds++;
    var wildPays = (rules.pays[rules.wild] || {})[wilds] || 0;
    var best = [rules.wild, wilds, wildPays];
    if (wilds < symbols.length && symbols[wilds] !== rules.scatter) {
      var symbol = symbols[wilds], count = wilds + 1;
      while (count < symbols.length && (symbols[count] === symbol || symbols[count] === rules.wild)) count++;
      var pays = (rules.pays[symbol] || {})[count] || 0;
      if (pays > best[2]) best = [symbol, count, pays];
    }
    return best[2] > 0 ? best : ["", 0, 0];
  }

  function slotEvaluate(rules, stops, multiplier) {
    var view = rules.strips.map(function (strip, reel) {
      return range(0, rules.rows).map(function (row) { return strip[(stops[reel] + row) % strip.length]; });
    });
    var lines = [], units = 0;
    rules.lines.forEach(function (line, index) {
      var won = linePay(rules, line.map(function (row, reel) { return view[reel][row]; }));
      if (won[2]) {
        lines.push([index + 1, won[0], won[1], won[2] * multiplier]);
        units += won[2] * multiplier;
      }
    });
    var scatters = 0;
    view.forEach(function (reel) { reel.forEach(function (s) { if (s === rules.scatter) scatters++; }); });
    var scatterPays = ((rules.scatter_pays || {})[scatters] || 0) * multiplier;
    return {
      stops: stops, window: view, lines: lines, scatters: scatters, scatter_pays: scatterPays,
      multiplier: multiplier, units: units + scatterPays * rules.lines.length,
    };
  }

  var slot = {
    stops: function (stream, rules) {
      return rules.strips.map(function (strip) { return uniformInt(stream, strip.length); });
    },
    evaluate: slotEvaluate,
    playRound: function (rules, stream) {
      var base = slotEvaluate(rules, slot.stops(stream, rules), 1);
      var free = [];
      if (base.scatters >= rules.trigger) {
        for (var i = 0; i < rules.free_spins; i++) {
          free.push(slotEvaluate(rules, slot.stops(stream, rules), rules.free_multiplier));
        }
      }
      return { base: base, free: free };
    },
    winAmount: function (rules, stake, units) {
      return Math.floor((stake * units) / rules.lines.length);
    },
  };

  // --- verifying a round --------------------------------------------------------------------

  var SYMBOLS = { EUR: "€", GBP: "£", USD: "$", PLN: "zł " };

  /** Minor units as people read them ("€1.98"); every supported currency has two decimals. */
  function money(minor, currency) {
    var sign = minor < 0 ? "-" : "", abs = Math.abs(minor);
    var text = Math.floor(abs / 100) + "." + ("0" + (abs % 100)).slice(-2);
    return currency ? sign + (SYMBOLS[currency] || currency + " ") + text : sign + text;
  }

  function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  /**
   * Recompute a round and compare it with what the round's record claims.
   * round: {game, rules, server_seed, commitment, client_seed, nonce, stake, selection, outcome, win}
   * (amounts in minor units). Returns {ok, checks: [[label, ok, detail]], summary}.
   */
  function verifyRound(round) {
    var checks = [];
    function check(label, ok, detail) { checks.push([label, !!ok, detail || ""]); }
    if (!round.server_seed) {
      return { ok: false, checks: [["The server seed is revealed", false, "Rotate your seed pair to reveal it."]],
        summary: "Not verifiable yet: the server seed is revealed when you rotate your seed pair." };
    }
    var seedOk = commitment(round.server_seed) === String(round.commitment).toLowerCase();
    check("SHA-256(server seed) equals the commitment shown before the bet", seedOk, commitment(round.server_seed));
    var stream = roundStream(round.server_seed, round.client_seed, round.nonce);
    var rules = round.rules || {}, claimed = round.outcome || {}, win = 0, summary = "";
    var mapping = rules.mapping || round.game;
    if (mapping === "dice") {
      var roll = dice.roll(stream);
      var bet = { direction: round.selection.direction, target: round.selection.target };
      win = dice.winAmount(rules, bet, round.stake, roll);
      check("The roll is " + dice.describe(roll), roll === claimed.roll, "recorded " + dice.describe(claimed.roll));
      summary = "Roll " + dice.describe(roll);
    } else if (mapping === "roulette") {
      var pocket = roulette.spin(stream);
      win = roulette.winAmount(round.selection.bets || [], pocket);
      check("The ball lands on " + pocket + " " + roulette.colour(pocket), pocket === claimed.pocket,
        "recorded " + claimed.pocket);
      summary = "Pocket " + pocket + " " + roulette.colour(pocket);
    } else if (mapping === "slot") {
      var played = slot.playRound(rules, stream);
      var spins = [played.base].concat(played.free);
      var recorded = claimed.spins || [];
      spins.forEach(function (spin, i) {
        var stepWin = slot.winAmount(rules, round.stake, spin.units);
        win += stepWin;
        var rec = recorded[i] || {};
        check((i === 0 ? "Spin" : "Free spin " + i) + ": reels stop at " + spin.stops.join(", "),
          same(spin.stops, rec.stops) && stepWin === rec.win, "recorded " + JSON.stringify(rec.stops));
      });
      check("Free spins: " + played.free.length, recorded.length === spins.length, "recorded " + (recorded.length - 1));
      summary = spins.length > 1 ? "Spin and " + played.free.length + " free spins" : "Reels " + played.base.stops.join(" ");
    } else {
      check("Known game", false, String(mapping));
    }
    if (round.win !== undefined && round.win !== null) {
      check("It pays " + money(win, round.currency), win === round.win, "recorded " + money(round.win, round.currency));
    }
    var ok = checks.every(function (c) { return c[1]; });
    return { ok: ok, checks: checks, summary: summary, win: win };
  }

  // --- the page: buttons with data-verify (JSON of the round), and the manual form -----------

  function render(target, result) {
    if (!target) return;
    target.textContent = "";
    var head = document.createElement("p");
    head.className = result.ok ? "pf-ok" : "pf-bad";
    head.setAttribute("data-verified", result.ok ? "yes" : "no");
    head.textContent = (result.ok ? "✓ Verified in your browser: " : "✗ Not verified: ") + result.summary;
    target.appendChild(head);
    var list = document.createElement("ul");
    result.checks.forEach(function (c) {
      var item = document.createElement("li");
      item.textContent = (c[1] ? "✓ " : "✗ ") + c[0] + (c[2] ? " — " + c[2] : "");
      list.appendChild(item);
    });
    target.appendChild(list);
  }

  function rulesFor(game, version) {
    var holder = document.getElementById("pf-rules");
    if (!holder) return null;
    var all = JSON.parse(holder.getAttribute("data-rules") || "{}");
    return all[game + "@" + version] || null;
  }

  function verifyElement(el) {
    var round = JSON.parse(el.getAttribute("data-verify"));
    if (!round.rules) round.rules = rulesFor(round.game, round.game_version) || {};
    var result;
    try {
      result = verifyRound(round);
    } catch (err) {
      result = { ok: false, checks: [["The data can be read", false, String(err.message || err)]], summary: "bad input" };
    }
    render(document.getElementById(el.getAttribute("data-target") || "pf-output"), result);
    return result;
  }

  function verifyForm() {
    function val(id) { var el = document.getElementById(id); return el ? el.value.trim() : ""; }
    var game = val("pf-game") || "dice";
    var round = {
      game: game, rules: rulesFor(game, val("pf-version") || "1") || {},
      server_seed: val("pf-server-seed"), commitment: val("pf-commitment"),
      client_seed: val("pf-client-seed"), nonce: Number(val("pf-nonce") || 0),
      selection: {}, outcome: {}, win: null,
    };
    var target = document.getElementById("pf-output");
    try {
      var stream = roundStream(round.server_seed, round.client_seed, round.nonce);
      var what;
      if (game === "dice") what = "Roll " + dice.describe(dice.roll(stream));
      else if (game === "roulette") { var p = roulette.spin(stream); what = "Pocket " + p + " " + roulette.colour(p); }
      else {
        var played = slot.playRound(round.rules, stream);
        what = "Reels stop at " + played.base.stops.join(", ") + (played.free.length ? " (+" + played.free.length + " free spins)" : "");
      }
      var ok = !round.commitment || commitment(round.server_seed) === round.commitment.toLowerCase();
      render(target, { ok: ok, summary: what, checks: [
        ["SHA-256(server seed) = " + commitment(round.server_seed), ok, round.commitment ? "commitment " + round.commitment : "no commitment given"],
      ] });
    } catch (err) {
      render(target, { ok: false, summary: "check the seeds", checks: [["The data can be read", false, String(err.message || err)]] });
    }
  }

  var api = {
    sha256: sha256, hmacSha256: hmacSha256, fromHex: fromHex, toHex: toHex, utf8: utf8,
    commitment: commitment, byteStream: byteStream, roundStream: roundStream, uniformInt: uniformInt, money: money,
    dice: dice, roulette: roulette, slot: slot, linePay: linePay, verifyRound: verifyRound,
    verifyElement: verifyElement, verifyForm: verifyForm,
  };
  root.KasynoVerifier = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;

  if (typeof document !== "undefined") {
    document.addEventListener("click", function (event) {
      var el = event.target && event.target.closest ? event.target.closest("[data-verify], #pf-verify") : null;
      if (!el) return;
      if (el.id === "pf-verify") verifyForm();
      else verifyElement(el);
    });
  }
})(typeof window !== "undefined" ? window : globalThis);
