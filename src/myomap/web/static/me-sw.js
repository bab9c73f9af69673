// Offline shell for the client's pages: the page, its styles and scripts and the home-care
// plan are cached, so they open without a connection; everything else goes to the network.
const CACHE = "myomap-me-v2";
const SHELL = [
  "/me", "/static/app.css", "/static/me.css", "/static/me.js", "/static/favicon.svg",
  "/static/me-bodymap.js", "/static/bodymap.js", "/static/forms.js",
];

self.addEventListener("install", (ev) => {
  ev.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (ev) => {
  ev.waitUntil(caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k)))).then(() => self.clients.claim()));
});

self.addEventListener("fetch", (ev) => {
  const url = new URL(ev.request.url);
  if (ev.request.method !== "GET" || url.origin !== location.origin) return;
  if (!(SHELL.includes(url.pathname) || url.pathname === "/api/me")) return;
  // Network first, so a fresh plan wins; the cached copy serves when offline.
  ev.respondWith(fetch(ev.request).then((res) => {
    if (res.ok) {
      const copy = res.clone();
      caches.open(CACHE).then((c) => c.put(ev.request, copy));
    }
    return res;
  }).catch(() => caches.match(ev.request).then((hit) => hit || new Response("offline", { status: 503 }))));
});
