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

// The page (and its bundle) that opens an address.
const pageOf = (pathname) => {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
  return Object.hasOwn(PAGES, path) ? PAGES[path] : "/index.html";
};

// What one page needs to start: the page, the js, wasm and css it names, and everything that is
// no page or bundle (icons, the manifest).
const BUNDLE_FILE = /\.(?:html|js|wasm|css)$/;
async function filesOfPage(cache, page) {
  await cache.add(page);
  const html = await (await cache.match(page)).text();
  const named = [...html.matchAll(/\/([A-Za-z0-9_.-]+\.(?:js|wasm|css))\b/g)].map((m) => "/" + m[1]);
  return PRECACHE.filter((url) => named.includes(url) || !BUNDLE_FILE.test(url));
}

// The page registers this worker only once its first screen is interactive (service_worker.rs),
// so this download never competes with it. It caches the bundles of the pages open now, then
// the others, except when the browser asks to save data (`navigator.connection.saveData`): then
// another bundle is cached the first time it is opened (see fetch below).
self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const open = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      const pages = [...new Set(open.map((client) => pageOf(new URL(client.url).pathname)))];
      for (const page of pages.length ? pages : ["/index.html"]) {
        await cache.addAll(await filesOfPage(cache, page));
      }
      const saveData =
        new URL(self.location.href).searchParams.has("save-data") ||
        Boolean(self.navigator.connection && self.navigator.connection.saveData);
      if (!saveData) await cache.addAll(PRECACHE);
    })(),
  );
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
    const page = pageOf(url.pathname);
    event.respondWith(cachedOrFetched(page, request));
    return;
  }
  event.respondWith(cachedOrFetched(request, request));
});

// From the cache; else from the network, keeping a file of this build that the install left
// out (to save data) for the next time, offline included.
async function cachedOrFetched(key, request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(key);
  if (hit) return hit;
  const response = await fetch(request);
  const path = typeof key === "string" ? key : new URL(key.url).pathname;
  if (response.ok && !response.redirected && PRECACHE.includes(path)) {
    await cache.put(path, response.clone());
  }
  return response;
}
