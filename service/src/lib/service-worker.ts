// The service worker's source. It keeps the hashed assets and the offline page, and nothing
// else: pages with money on them always come from the network and are never stored.

/** Where the public, static offline page is served (and kept by the worker). */
export const OFFLINE_PATH = "/offline";

/**
 * The worker for `paths` (the hashed assets). Its cache is named after the list, so a new build
 * installs a new worker, which drops the caches of the old one.
 *
 * - GET navigations go to the network; only a network error (no answer at all) shows the offline
 *   page. An answer of the server, a 503 too, is shown as it was sent.
 * - GET requests for the precached assets are answered from the cache.
 * - Anything else (forms, the API, other GETs) is left to the browser.
 */
export function serviceWorkerSource(paths: readonly string[], version: string): string {
  const precache = [...paths, OFFLINE_PATH];
  return `// Expense Tracker's service worker (version ${version}).
const CACHE = ${JSON.stringify(`expense-tracker-${version}`)};
const PRECACHE = ${JSON.stringify(precache)};
const OFFLINE = ${JSON.stringify(OFFLINE_PATH)};

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(
      fetch(request).catch(() =>
        caches.match(OFFLINE).then((page) => page || Response.error()),
      ),
    );
    return;
  }
  if (PRECACHE.includes(url.pathname)) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  }
});
`;
}

/**
 * A worker that retires the one above: served at /sw.js instead of it, it deletes every cache
 * the app made, unregisters itself and reloads the open pages, which then run without a worker.
 */
export function retiringServiceWorkerSource(): string {
  return `// Expense Tracker's retiring service worker: removes itself and its caches.
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.map((k) => caches.delete(k))))
      .then(() => self.registration.unregister())
      .then(() => self.clients.matchAll({ type: "window" }))
      .then((clients) => Promise.all(clients.map((c) => c.navigate(c.url)))),
  );
});
`;
}
