// Preparing a lotto ticket without a connection: plain JavaScript, because every click on a
// Reflex page needs the event websocket. It fills #offline-builder on the offline page, and on
// the play page whenever the connection is gone; the ticket goes to the queue (ticket-queue.js)
// for the draw the player was last shown.
(function () {
  "use strict";
  var TEXT = {
    en: {
      title: "Prepare a ticket offline",
      intro: "You are offline. Pick your lines now: the ticket is sent when the connection is back.",
      for_draw: "For the draw", no_draw: "Open Play once while online, then you can prepare tickets here.",
      picked: "{n} of {pick} picked", quick_pick: "Quick pick line", add_line: "Add line",
      line: "Line {n}", remove: "Remove", stake: "Stake per line ({currency})", queue: "Queue ticket",
      queued: "Queued: it will be sent when you are back online.",
      closes_note: "If the draw closes before the ticket can be sent, it is not sent and you are told.",
      bad_stake: "Enter a stake such as 2.00.", max_lines: "At most {n} lines on a ticket.",
      quick: "quick pick",
    },
    pl: {
      title: "Przygotuj kupon offline",
      intro: "Jesteś offline. Wybierz linie teraz: kupon zostanie wysłany po powrocie połączenia.",
      for_draw: "Na losowanie", no_draw: "Otwórz raz stronę Graj z połączeniem, a potem przygotujesz tu kupony.",
      picked: "wybrano {n} z {pick}", quick_pick: "Linia chybił trafił", add_line: "Dodaj linię",
      line: "Linia {n}", remove: "Usuń", stake: "Stawka za linię ({currency})", queue: "Dodaj do kolejki",
      queued: "W kolejce: zostanie wysłany po powrocie połączenia.",
      closes_note: "Jeśli losowanie zamknie się, zanim kupon zostanie wysłany, nie zostanie wysłany, a my Cię o tym powiadomimy.",
      bad_stake: "Wpisz stawkę, np. 2.00.", max_lines: "Najwyżej {n} linii na kupon.",
      quick: "chybił trafił",
    },
  };

  function t(key, params) {
    var lang = window.kasynoTickets ? window.kasynoTickets.lang() : "en";
    var s = (TEXT[lang] || TEXT.en)[key] || TEXT.en[key];
    Object.keys(params || {}).forEach(function (k) { s = s.replace("{" + k + "}", params[k]); });
    return s;
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { node.append(c); });
    return node;
  }

  function button(label, attrs, onClick) {
    var b = el("button", Object.assign({ type: "button" }, attrs || {}), [label]);
    b.addEventListener("click", onClick);
    return b;
  }

  // "2.00" per line x lines -> one draw's stake for the ticket, exact in minor units.
  function ticketStake(perLine, lineCount) {
    var m = /^\s*(\d{1,7})(?:[.,](\d{1,2}))?\s*$/.exec(perLine || "");
    if (!m) return "";
    var minor = (Number(m[1]) * 100 + Number(((m[2] || "") + "00").slice(0, 2))) * lineCount;
    if (minor <= 0) return "";
    return Math.floor(minor / 100) + "." + ("0" + (minor % 100)).slice(-2);
  }

  function Builder(host) {
    this.host = host;
    this.lines = [];
    this.picked = [];
    this.stake = "2.00";
    this.message = "";
  }

  Builder.prototype.draw = function () { return window.kasynoTickets.lastShownDraw(); };

  Builder.prototype.render = function () {
    var shown = this.draw(), self = this;
    var focused = document.activeElement && document.activeElement.id;
    this.host.replaceChildren();
    this.host.append(el("h2", { "class": "kb-title" }, [t("title")]), el("p", { "class": "kb-intro" }, [t("intro")]));
    if (!shown) {
      this.host.append(el("p", { "class": "kb-note", id: "offline-no-draw" }, [t("no_draw")]));
      return;
    }
    this.host.append(
      el("p", { "class": "kb-draw", id: "offline-draw" }, [t("for_draw") + ": ", el("strong", {}, [shown.drawName || String(shown.draw)])]),
      this.linesList(),
      el("p", { "class": "kb-count", id: "offline-picked" }, [t("picked", { n: this.picked.length, pick: shown.pick })]),
      this.grid(shown),
      el("div", { "class": "kb-row" }, [
        button(t("quick_pick"), { id: "offline-quick-pick", "class": "kb-soft" }, function () { self.addLine("quick_pick"); }),
        button(t("add_line"), { id: "offline-add-line", "class": "kb-soft" }, function () { self.addLine(self.picked.slice()); }),
      ]),
      this.stakeField(shown),
      button(t("queue"), { id: "offline-queue-ticket", "class": "kb-primary" }, function () { self.queue(); }),
      el("p", { "class": "kb-message", id: "offline-message", role: "status" }, [this.message]),
      el("p", { "class": "kb-note" }, [t("closes_note")])
    );
    if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
  };

  Builder.prototype.linesList = function () {
    var self = this;
    return el("ol", { "class": "kb-lines", id: "offline-lines" }, this.lines.map(function (line, i) {
      return el("li", { "class": "kb-line" }, [
        el("span", {}, [t("line", { n: i + 1 }) + ": " + (line === "quick_pick" ? t("quick") : line.join(" "))]),
        button(t("remove"), { "class": "kb-ghost" }, function () { self.lines.splice(i, 1); self.render(); }),
      ]);
    }));
  };

  Builder.prototype.grid = function (shown) {
    var self = this, cells = [];
    for (var n = 1; n <= shown.pool; n++) {
      (function (n) {
        var on = self.picked.indexOf(n) !== -1;
        cells.push(button(String(n), { "class": "kb-num", "data-offline-number": String(n), "aria-pressed": String(on) }, function () {
          self.toggle(n, shown.pick);
        }));
      })(n);
    }
    return el("div", { "class": "kb-grid", id: "offline-grid" }, cells);
  };

  Builder.prototype.stakeField = function (shown) {
    var self = this;
    var input = el("input", { id: "offline-stake", inputmode: "decimal", value: this.stake, "class": "kb-input" });
    input.addEventListener("input", function () { self.stake = input.value; });
    return el("label", { "class": "kb-stake", "for": "offline-stake" }, [t("stake", { currency: shown.currency || "" }), input]);
  };

  Builder.prototype.toggle = function (n, pick) {
    var at = this.picked.indexOf(n);
    if (at !== -1) this.picked.splice(at, 1);
    else if (this.picked.length < pick) this.picked.push(n);
    this.picked.sort(function (a, b) { return a - b; });
    this.message = "";
    this.render();
  };

  Builder.prototype.addLine = function (line) {
    var shown = this.draw();
    if (line !== "quick_pick" && line.length !== shown.pick) return;
    if (this.lines.length >= (shown.maxLines || 1)) {
      this.message = t("max_lines", { n: shown.maxLines || 1 });
    } else {
      this.lines.push(line);
      if (line !== "quick_pick") this.picked = [];
      this.message = "";
    }
    this.render();
  };

  Builder.prototype.queue = function () {
    var shown = this.draw(), self = this;
    if (this.picked.length === shown.pick) this.addLine(this.picked.slice());
    if (!this.lines.length) return;
    var stake = ticketStake(this.stake, this.lines.length);
    if (!stake) { this.message = t("bad_stake"); this.render(); return; }
    window.kasynoTickets.queue({
      game: shown.game, draw: shown.draw, drawName: shown.drawName, lines: this.lines.slice(),
      stake: stake, currency: shown.currency,
    }).then(function () {
      self.lines = [];
      self.picked = [];
      self.message = t("queued");
      self.render();
    });
  };

  // The play page's host takes over only while the connection is gone.
  function offline() {
    return navigator.onLine === false || !!document.getElementById("reconnecting");
  }

  var mounted = null, builder = null, lastLang = "";
  function tick() {
    var host = document.getElementById("offline-builder");
    if (!host || !window.kasynoTickets) return;
    var always = host.getAttribute("data-always") === "true";
    var show = always || offline();
    host.hidden = !show;
    if (!show) return;
    var lang = window.kasynoTickets.lang();
    if (host !== mounted) { mounted = host; builder = new Builder(host); builder.render(); }
    else if (lang !== lastLang || !host.childNodes.length) builder.render();
    lastLang = lang;
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", tick);
  else tick();
  window.addEventListener("offline", tick);
  window.addEventListener("online", tick);
  window.setInterval(tick, 1000);
})();
