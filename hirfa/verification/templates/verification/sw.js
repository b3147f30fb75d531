/* Service worker of the card verification page (docs/decisions/0014).
 * Page: network first (a few seconds), else the copy in the visitor's language.
 * Assets: cache first, renewed with the worker's version. Keys and revocation list:
 * network first, else the last copy, stamped with the time it was fetched. The status list
 * of Claim 169 cards (docs/decisions/0063) is kept the same way. */
"use strict";

const VERSION = "{{ version }}";
const ASSETS = {{ assets_json|safe }};
const LANGUAGES = {{ languages_json|safe }};
const LANGUAGE_HEADER = "{{ language_header }}";
const SCOPE = new URL("./", self.location).pathname;  // /verify/
const PAGES = "hirfa-verify-pages";
const DATA = "hirfa-verify-data";
const STATIC = "hirfa-verify-static-" + VERSION;
const KEYS_URL = "/.well-known/jwks.json";
const LIST_URL = "/.well-known/rna-revocations";
const STATUS_URL = "/.well-known/rna-status-list";
const LAST_LANGUAGE = SCOPE + "?last-language";
const NETWORK_WAIT_MS = 4000;

const pageKey = (language) => SCOPE + "?lang=" + language;

async function fetchPage(language) {
  const headers = language ? { [LANGUAGE_HEADER]: language } : {};
  const response = await fetch(SCOPE, { headers, credentials: "same-origin", cache: "no-store" });
  if (!response.ok) throw new Error("page " + response.status);
  const cache = await caches.open(PAGES);
  const served = response.headers.get("Content-Language") || language || LANGUAGES[0];
  await cache.put(pageKey(served), response.clone());
  return { response, language: served };
}

async function stamped(response) {
  // The page shows when the list was fetched: keep the time with the copy.
  const headers = new Headers(response.headers);
  headers.set("X-Fetched-At", String(Date.now()));
  const body = await response.arrayBuffer();
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

async function refreshData(url) {
  const response = await fetch(url, { cache: "no-cache" });
  if (!response.ok) throw new Error(url + " " + response.status);
  const copy = await stamped(response);
  await (await caches.open(DATA)).put(url, copy.clone());
  return copy;
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    await (await caches.open(STATIC)).addAll(ASSETS);
    await Promise.all(LANGUAGES.map((language) => fetchPage(language)));
    // Without keys yet (a register with no signing key) the page must still install.
    await Promise.allSettled([refreshData(KEYS_URL), refreshData(LIST_URL), refreshData(STATUS_URL)]);
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("hirfa-verify-static-") && name !== STATIC) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

function withTimeout(promise, ms) {
  return Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error("slow")), ms))]);
}

async function page(request) {
  const cache = await caches.open(PAGES);
  try {
    const { response, language } = await withTimeout(fetchPage(null), NETWORK_WAIT_MS);
    await cache.put(LAST_LANGUAGE, new Response(language));
    return response;
  } catch (error) {
    const last = await cache.match(LAST_LANGUAGE);
    const language = last ? await last.text() : LANGUAGES[0];
    const copy = (await cache.match(pageKey(language), { ignoreVary: true })) ||
      (await cache.match(pageKey(LANGUAGES[0]), { ignoreVary: true }));
    return copy || Response.error();
  }
}

self.addEventListener("message", (event) => {
  const language = event.data && event.data.language;
  if (LANGUAGES.includes(language)) {
    event.waitUntil(caches.open(PAGES).then((cache) => cache.put(LAST_LANGUAGE, new Response(language))));
  }
});

async function data(request) {
  try {
    return await withTimeout(refreshData(request.url), NETWORK_WAIT_MS);
  } catch (error) {
    const copy = await (await caches.open(DATA)).match(request.url);
    return copy || Response.error();
  }
}

async function asset(request) {
  const copy = await caches.match(request, { ignoreVary: true });
  return copy || fetch(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname === SCOPE && !url.search) {
    event.respondWith(page(request));
  } else if ([KEYS_URL, LIST_URL, STATUS_URL].includes(url.pathname)) {
    event.respondWith(data(request));
  } else if (ASSETS.includes(url.pathname)) {
    event.respondWith(asset(request));
  }
});
