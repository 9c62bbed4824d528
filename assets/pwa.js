// The installable app: registers the service worker (/sw.js, scope "/"), and keeps the
// server's clock for the money buttons (a press carries the server time it happened at, so
// an event Reflex replays after a reconnect is refused, not applied long after the press).
// An external script, not inline: the CSP hashes inline scripts and this one runs everywhere.
(function () {
  "use strict";
  var offset = 0; // server clock minus this device's, from GET /api/session/csrf

  function register() {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function (err) {
      console.warn("service worker not registered", err);
    });
  }

  // The app may add this script after the page has loaded: then register at once.
  if ("serviceWorker" in navigator && window.isSecureContext) {
    if (document.readyState === "complete") register();
    else window.addEventListener("load", register);
  }

  function learnOffset(sentAt, response) {
    var stamp = response.headers.get("Date");
    return response.json().then(function (body) {
      var server = Date.parse((body && body.server_now) || stamp || "");
      if (!isNaN(server)) offset = server - (sentAt + Date.now()) / 2;
      return body;
    }, function () {
      var server = Date.parse(stamp || "");
      if (!isNaN(server)) offset = server - (sentAt + Date.now()) / 2;
      return null;
    });
  }

  // The session's CSRF token and the server's clock (401 for a guest: the clock still counts).
  function session() {
    var sentAt = Date.now();
    return window.fetch("/api/session/csrf", { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        return learnOffset(sentAt, response).then(function (body) {
          return response.ok && body ? body.csrf_token : "";
        });
      });
  }

  window.kasynoClock = {
    // Milliseconds since 1970 on the server's clock, as well as this device can tell.
    now: function () { return Math.round(Date.now() + offset); },
    session: session,
  };
  session().catch(function () { /* offline: the device's clock until the next try */ });
  window.addEventListener("online", function () { session().catch(function () {}); });
})();
