// The service worker (scope "/"): what may come from a cache and what never does.
//
// - Pages (navigations): always the network. Pages are never cached: after a deploy Reflex
//   reloads tabs whose state changed, and a stale page would fight it. When the network is
//   gone, the offline page answers instead (it prepares lotto tickets to send later).
// - Hashed bundles (/assets/*): cache-first in a cache named by VERSION; their names change
//   with their content, so a cached copy is never stale. Older versions' caches are deleted.
// - The offline shell (SHELL): fetched at install, then network-first, the cache when offline.
// - The event channel, uploads and the API (/_event, /_upload, /api): never touched here.
"use strict";

var VERSION = "kl-2026-12-02";
var BUNDLES = VERSION + "-bundles";
var SHELL_CACHE = VERSION + "-shell";
var OFFLINE_PAGE = "/offline.html";
var SHELL = [
  OFFLINE_PAGE,
  "/offline.css",
  "/pwa.js",
  "/ticket-queue.js",
  "/offline-builder.js",
  "/offline-page.js",
  "/manifest.webmanifest",
  "/icon.svg",
  "/favicon.svg",
  "/icons/icon-192.png",
  "/icons/icon-512.png",
  "/icons/maskable-512.png",
];
var NEVER = ["/_event", "/_upload", "/api/", "/api"];

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(SHELL_CACHE).then(function (cache) {
      return cache.addAll(SHELL.map(function (url) { return new Request(url, { cache: "reload" }); }));
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(
        names.filter(function (name) { return name.indexOf(VERSION + "-") !== 0; })
          .map(function (name) { return caches.delete(name); })
      );
    }).then(function () { return self.clients.claim(); })
  );
});

function never(path) {
  return NEVER.some(function (prefix) { return path === prefix || path.indexOf(prefix) === 0; });
}

function isShell(path) {
  return SHELL.indexOf(path) !== -1;
}

function offlinePage() {
  return caches.match(OFFLINE_PAGE, { cacheName: SHELL_CACHE }).then(function (hit) {
    return hit || new Response("Offline", { status: 503, headers: { "Content-Type": "text/plain" } });
  });
}

function networkFirstPage(request) {
  return fetch(request).catch(offlinePage);
}

function cacheFirstBundle(request) {
  return caches.open(BUNDLES).then(function (cache) {
    return cache.match(request).then(function (hit) {
      if (hit) return hit;
      return fetch(request).then(function (response) {
        if (response.ok && response.type === "basic") cache.put(request, response.clone());
        return response;
      });
    });
  });
}

function networkFirstShell(request) {
  return fetch(request).then(function (response) {
    if (response.ok) {
      var copy = response.clone();
      caches.open(SHELL_CACHE).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(request, { cacheName: SHELL_CACHE, ignoreSearch: true }).then(function (hit) {
      return hit || Response.error();
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || never(url.pathname)) return;
  if (request.mode === "navigate") {
    event.respondWith(url.pathname === OFFLINE_PAGE ? networkFirstShell(request) : networkFirstPage(request));
  } else if (url.pathname.indexOf("/assets/") === 0) {
    event.respondWith(cacheFirstBundle(request));
  } else if (isShell(url.pathname)) {
    event.respondWith(networkFirstShell(request));
  }
});
