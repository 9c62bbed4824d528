// The browser side of the session cookie (casino_app/services/identity/cookie_sessions.py).
// The server sets and clears the HttpOnly cookie; this script only asks it to and then opens
// the page afresh, so the event websocket connects again carrying (or no longer carrying) it.
(function () {
  "use strict";
  var TAB_TOKEN = "token"; // Reflex's per-tab client token in sessionStorage

  // A full load of /path is redirected by the static server to /path/ (the page's directory).
  // The tab reloads after sign-in and logout, so put the address back as the app's routes spell
  // it, before the router starts (this script runs in <head>, ahead of the app's modules).
  var path = window.location.pathname;
  if (path.length > 1 && path.charAt(path.length - 1) === "/") {
    window.history.replaceState(
      window.history.state, "", path.replace(/\/+$/, "") + window.location.search + window.location.hash
    );
  }

  function freshTab(next) {
    window.sessionStorage.removeItem(TAB_TOKEN);
    if (next) window.location.assign(next);
    else window.location.reload();
  }

  function call(base, method, body) {
    return window.fetch(base + "/api/session", {
      method: method,
      credentials: "include",
      keepalive: true,
      headers: body ? { "Content-Type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
  }

  window.kasynoSession = {
    // After a sign-in: swap the one-time grant for the cookie, then open `next` in a new tab state.
    bind: function (base, grant, next) {
      return call(base, "POST", { grant: grant }).then(
        function (r) { freshTab(r.ok ? next : "/login"); },
        function () { freshTab("/login"); }
      );
    },
    // Logout: the server ends the session and clears the cookie; the tab starts over.
    drop: function (base, next) {
      return call(base, "DELETE").then(
        function () { freshTab(next); },
        function () { freshTab(next); }
      );
    },
    // This tab's state belongs to another browser (or to this one before its cookie changed).
    fresh: function () { freshTab(""); },
  };
})();
