/* Service worker of the agents' field app (docs/decisions/0060, after 0014).
 * Page and reference data: network first (a few seconds), else the last copy.
 * Assets: cache first, renewed with the worker's version. The API is never cached:
 * the outbox lives in IndexedDB, not here. */
"use strict";

const VERSION = "{{ version }}";
const ASSETS = {{ assets_json|safe }};
const PAGE = "{{ page }}";
const REFERENCE = "{{ reference }}";
const PAGES = "hirfa-field-pages";
const STATIC = "hirfa-field-static-" + VERSION;
const NETWORK_WAIT_MS = 4000;

function withTimeout(promise, ms) {
  return Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error("slow")), ms))]);
}

async function refresh(url) {
  const response = await fetch(url, { credentials: "same-origin", cache: "no-store", redirect: "manual" });
  // Logged out: a redirect to the login page is not a copy to keep.
  if (!response.ok || response.type === "opaqueredirect") throw new Error(url + " " + response.status);
  await (await caches.open(PAGES)).put(url, response.clone());
  return response;
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    await (await caches.open(STATIC)).addAll(ASSETS);
    await Promise.allSettled([refresh(PAGE), refresh(REFERENCE)]);
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("hirfa-field-static-") && name !== STATIC) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

async function networkFirst(request, url) {
  try {
    return await withTimeout(refresh(url), NETWORK_WAIT_MS);
  } catch (error) {
    const copy = await (await caches.open(PAGES)).match(url);
    if (copy) return copy;
    return fetch(request);
  }
}

async function asset(request) {
  const copy = await caches.match(request, { ignoreVary: true, ignoreSearch: false });
  return copy || fetch(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === PAGE && request.mode === "navigate") {
    event.respondWith(networkFirst(request, PAGE));
  } else if (url.pathname === REFERENCE) {
    event.respondWith(networkFirst(request, REFERENCE));
  } else if (ASSETS.includes(url.pathname)) {
    event.respondWith(asset(request));
  }
});
