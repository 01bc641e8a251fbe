// IKD Web service worker: keeps the app shell in Cache Storage so the app opens offline.
//
// BUILD_ID, PRECACHE and PAGES are stamped after every Trunk build by `cargo xtask
// stamp-service-worker` (Trunk.toml's post_build hook). A new build id is a new sw.js, so the
// browser installs it once, the new shell is cached, and the old cache is dropped on activate.
//
// API answers (/api/...) are never cached here: they will carry personal data, and the
// credential the app shows offline lives encrypted in IndexedDB instead.
const BUILD_ID = "__IKD_BUILD_ID__";
const PRECACHE = ["__IKD_PRECACHE__"];
// The app is three bundles, each with its own page (ikd_core::web_shells): address -> page,
// from each page's <meta name="ikd-addresses">; every other address opens index.html.
const PAGES = "__IKD_PAGES__";
const CACHE_PREFIX = "ikd-shell-";
const CACHE = CACHE_PREFIX + BUILD_ID;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((key) => key.startsWith(CACHE_PREFIX) && key !== CACHE)
            .map((key) => caches.delete(key)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

// The page asks a waiting worker to take over once the person accepts the update.
self.addEventListener("message", (event) => {
  if (event.data === "skip-waiting") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  // The officer console (/petugas/) is another app with its own build: never answer it from
  // the citizen app's shell.
  if (url.pathname === "/petugas" || url.pathname.startsWith("/petugas/")) return;

  if (request.mode === "navigate") {
    // Every in-app address opens its bundle's page from the cache, so the app opens instantly
    // and offline; fall back to the network before the first install completes.
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, "") : url.pathname;
    const page = Object.hasOwn(PAGES, path) ? PAGES[path] : "/index.html";
    event.respondWith(
      caches
        .open(CACHE)
        .then((cache) => cache.match(page))
        .then((hit) => hit || fetch(request)),
    );
    return;
  }
  event.respondWith(
    caches
      .open(CACHE)
      .then((cache) => cache.match(request))
      .then((hit) => hit || fetch(request)),
  );
});
