// Lotto tickets prepared offline wait here (IndexedDB) until the connection is back, then go
// through POST /api/v1/bets with the browser's session cookie and its CSRF token.
//
// - Each ticket gets its own Idempotency-Key when it is queued and keeps it on every retry, so
//   it is bought at most once (a 201 replay of an earlier try counts as sent).
// - Network errors, 5xx and 429 are retried with exponential backoff; a refusal is final and
//   reported with its reason. A draw that closed meanwhile (409 draw_closed) is reported as
//   "not sent", never moved to another draw.
// - No credential is stored: the cookie is HttpOnly and the CSRF token is fetched per flush.
(function () {
  "use strict";
  var DB = "kasyno-offline", STORE = "tickets", LAST_DRAW = "kl_last_draw";
  var BASE_DELAY = 1000, MAX_DELAY = 60000;
  var TEXT = {
    en: {
      queue_title: "Tickets waiting to send",
      waiting: "Waiting to send", sending: "Sending…", sent: "Sent", refused: "Not sent",
      retry_in: "next try in {s} s", sign_in: "sign in to send it",
      draw_closed: "Not sent: the draw closed before it could be sent",
      insufficient_funds: "Not sent: your balance is too low",
      limit: "Not sent: a limit or a break stops this ticket",
      refused_other: "Not sent: the server refused it ({code})",
      ticket_id: "ticket {id}", lines: "{n} line(s)", quick_pick: "quick pick",
      dismiss: "Clear", draw: "Draw", stake: "stake",
    },
    pl: {
      queue_title: "Kupony czekające na wysłanie",
      waiting: "Czeka na wysłanie", sending: "Wysyłanie…", sent: "Wysłany", refused: "Nie wysłany",
      retry_in: "kolejna próba za {s} s", sign_in: "zaloguj się, aby go wysłać",
      draw_closed: "Nie wysłany: losowanie zamknięto, zanim udało się go wysłać",
      insufficient_funds: "Nie wysłany: za niskie saldo",
      limit: "Nie wysłany: limit lub przerwa wstrzymuje ten kupon",
      refused_other: "Nie wysłany: serwer go odrzucił ({code})",
      ticket_id: "kupon {id}", lines: "linie: {n}", quick_pick: "chybił trafił",
      dismiss: "Usuń", draw: "Losowanie", stake: "stawka",
    },
  };

  function lang() {
    var m = document.cookie.match(/(?:^|;\s*)kl_lang=(en|pl)\b/);
    var doc = (document.documentElement.lang || "").slice(0, 2);
    return m ? m[1] : doc === "pl" ? "pl" : "en";
  }

  function t(key, params) {
    var s = (TEXT[lang()] || TEXT.en)[key] || TEXT.en[key] || key;
    Object.keys(params || {}).forEach(function (k) { s = s.replace("{" + k + "}", params[k]); });
    return s;
  }

  // --- storage ---------------------------------------------------------------------------

  function open() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB, 1);
      req.onupgradeneeded = function () { req.result.createObjectStore(STORE, { keyPath: "key" }); };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function tx(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(STORE, mode), out;
        out = work(t.objectStore(STORE));
        t.oncomplete = function () { db.close(); resolve(out && out.result !== undefined ? out.result : out); };
        t.onerror = function () { db.close(); reject(t.error); };
      });
    });
  }

  function all() {
    return tx("readonly", function (s) { return s.getAll(); }).then(function (rows) {
      return (rows || []).sort(function (a, b) { return a.createdAt - b.createdAt; });
    });
  }

  function save(ticket) { return tx("readwrite", function (s) { return s.put(ticket); }); }
  function remove(key) { return tx("readwrite", function (s) { return s.delete(key); }); }

  function newKey() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return "off-" + Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  // A ticket for the draw the player was last shown: {game, draw, drawName, lines, stake, currency}.
  function queue(ticket) {
    var row = Object.assign({}, ticket, {
      key: newKey(), status: "waiting", attempts: 0, nextAt: 0, createdAt: Date.now(), result: null,
    });
    return save(row).then(function () { changed(); flushSoon(0); return row; });
  }

  // --- the draw last shown ----------------------------------------------------------------

  function rememberShownDraw() {
    var el = document.querySelector("[data-offline-draw]");
    if (!el) return;
    var shown = {
      game: el.getAttribute("data-game"), draw: Number(el.getAttribute("data-offline-draw")),
      drawName: el.getAttribute("data-draw-name"), pick: Number(el.getAttribute("data-pick")),
      pool: Number(el.getAttribute("data-pool")), maxLines: Number(el.getAttribute("data-max-lines")) || 1,
      currency: el.getAttribute("data-currency"), closesAt: el.getAttribute("data-closes-at"),
    };
    if (shown.game && shown.draw > 0 && shown.pick > 0) {
      window.localStorage.setItem(LAST_DRAW, JSON.stringify(shown));
    }
  }

  function lastShownDraw() {
    try { return JSON.parse(window.localStorage.getItem(LAST_DRAW) || "null"); } catch (e) { return null; }
  }

  // --- sending ----------------------------------------------------------------------------

  var timer = null, flushing = false;

  function delayFor(attempts) {
    return Math.min(MAX_DELAY, BASE_DELAY * Math.pow(2, Math.max(0, attempts - 1)));
  }

  function refusal(status, body) {
    var code = (body && body.code) || "http_" + status;
    return { code: code, nextDrawId: body && body.next_draw_id, detail: (body && body.detail) || "" };
  }

  function post(ticket, csrf) {
    return window.fetch("/api/v1/bets", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Idempotency-Key": ticket.key, "X-CSRF-Token": csrf },
      body: JSON.stringify({ game: ticket.game, draw: ticket.draw, draws: 1, lines: ticket.lines, stake: ticket.stake }),
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (body) {
        return { status: response.status, body: body };
      });
    });
  }

  function retryLater(ticket, note) {
    ticket.status = "waiting";
    ticket.attempts += 1;
    ticket.nextAt = Date.now() + delayFor(ticket.attempts);
    ticket.note = note || "";
    return save(ticket);
  }

  function settle(ticket, answer) {
    if (answer.status === 201) {
      ticket.status = "sent";
      ticket.result = { ticketId: answer.body && answer.body.id };
      return save(ticket);
    }
    if (answer.status === 401) return retryLater(ticket, "sign_in");
    var code = answer.body && answer.body.code;
    if (answer.status >= 500 || answer.status === 429 || answer.status === 408 || code === "csrf_rejected") {
      return retryLater(ticket, "");
    }
    ticket.status = "refused";
    ticket.result = refusal(answer.status, answer.body);
    return save(ticket);
  }

  function sendOne(ticket, csrf) {
    ticket.status = "sending";
    return save(ticket).then(changed).then(function () { return post(ticket, csrf); }).then(
      function (answer) { return settle(ticket, answer); },
      function () { return retryLater(ticket, ""); }
    ).then(changed);
  }

  function due(rows, now) {
    return rows.filter(function (r) {
      return (r.status === "waiting" || r.status === "sending") && r.nextAt <= now;
    });
  }

  var backOnline = false; // the browser says the network is back: every waiting ticket is due

  function sendDue() {
    return all().then(function (rows) {
      var todo = due(rows, backOnline ? Infinity : Date.now());
      backOnline = false;
      if (!todo.length) return;
      return window.kasynoClock.session().then(function (csrf) {
        if (!csrf) {
          return Promise.all(todo.map(function (r) { return retryLater(r, "sign_in"); }));
        }
        return todo.reduce(function (p, r) { return p.then(function () { return sendOne(r, csrf); }); }, Promise.resolve());
      }, function () {
        return Promise.all(todo.map(function (r) { return retryLater(r, ""); }));
      });
    });
  }

  // One sender per browser at a time (tabs take turns); even two would send the same keys.
  function flush() {
    if (flushing || !window.kasynoClock || navigator.onLine === false) return Promise.resolve();
    flushing = true;
    var run = navigator.locks ? navigator.locks.request("kasyno-ticket-queue", sendDue) : sendDue();
    return Promise.resolve(run).catch(function () {}).then(function () {
      flushing = false;
      changed();
      schedule();
    });
  }

  function flushSoon(ms) {
    window.clearTimeout(timer);
    timer = window.setTimeout(flush, ms);
  }

  function schedule() {
    all().then(function (rows) {
      var waiting = rows.filter(function (r) { return r.status === "waiting" || r.status === "sending"; });
      if (!waiting.length || navigator.onLine === false) return;
      var next = Math.min.apply(null, waiting.map(function (r) { return r.nextAt; }));
      flushSoon(Math.max(250, next - Date.now()));
    });
  }

  // --- the list the player sees -------------------------------------------------------------

  var listeners = [];
  function changed() { listeners.forEach(function (fn) { try { fn(); } catch (e) { /* next */ } }); }

  function reason(ticket) {
    var code = ticket.result && ticket.result.code;
    if (code === "draw_closed") return t("draw_closed");
    if (code === "insufficient_funds") return t("insufficient_funds");
    if (code === "limit_exceeded" || code === "play_blocked" || code === "self_excluded") return t("limit");
    return t("refused_other", { code: code || "?" });
  }

  function statusLine(ticket) {
    if (ticket.status === "sent") return t("sent") + " · " + t("ticket_id", { id: ticket.result.ticketId });
    if (ticket.status === "refused") return reason(ticket);
    if (ticket.status === "sending") return t("sending");
    var wait = Math.max(0, Math.ceil((ticket.nextAt - Date.now()) / 1000));
    var note = ticket.note === "sign_in" ? t("sign_in") : wait > 0 ? t("retry_in", { s: wait }) : "";
    return t("waiting") + (note ? " · " + note : "");
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { node.append(c); });
    return node;
  }

  function row(ticket) {
    var lines = ticket.lines.map(function (l) { return l === "quick_pick" ? t("quick_pick") : l.join(" "); });
    var item = el("li", { "class": "kq-item", "data-status": ticket.status, "data-key": ticket.key }, [
      el("div", { "class": "kq-head" }, [
        el("strong", {}, [ticket.drawName || t("draw") + " " + ticket.draw]),
        el("span", { "class": "kq-stake" }, [t("stake") + " " + ticket.stake + " " + (ticket.currency || "")]),
      ]),
      el("div", { "class": "kq-lines" }, [lines.join(" · ")]),
      el("div", { "class": "kq-status", role: "status" }, [statusLine(ticket)]),
    ]);
    if (ticket.status === "sent" || ticket.status === "refused") {
      var clear = el("button", { type: "button", "class": "kq-clear" }, [t("dismiss")]);
      clear.addEventListener("click", function () { remove(ticket.key).then(changed); });
      item.append(clear);
    }
    return item;
  }

  function render(host) {
    return all().then(function (rows) {
      // Redraw only when something the player reads changed (a click must not hit a vanishing node).
      var seen = JSON.stringify([lang(), rows.map(function (r) { return [r.key, statusLine(r)]; })]);
      if (host.getAttribute("data-seen") === seen && host.childNodes.length) return;
      host.setAttribute("data-seen", seen);
      host.replaceChildren();
      host.hidden = rows.length === 0;
      if (!rows.length) return;
      host.append(el("h3", { "class": "kq-title" }, [t("queue_title")]), el("ul", { "class": "kq-list" }, rows.map(row)));
    });
  }

  function watch(host) {
    var draw = function () { render(host).catch(function () {}); };
    listeners.push(draw);
    draw();
    return draw;
  }

  window.kasynoTickets = {
    t: t, lang: lang, queue: queue, all: all, flush: flush, watch: watch, lastShownDraw: lastShownDraw,
  };

  // React may re-render the play page's host element: find it (and the shown draw) again.
  var watched = null;
  function tick() {
    rememberShownDraw();
    var host = document.getElementById("offline-queue");
    if (host && host !== watched) { watched = host; watch(host); }
    else if (host) changed();
  }
  window.addEventListener("online", function () { backOnline = true; flushSoon(0); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { tick(); flushSoon(500); });
  } else {
    tick();
    flushSoon(500);
  }
  window.setInterval(tick, 1000);
})();
