/* The verification page: reads a card's QR code (camera, photo, PDF or pasted text, or
 * the address a phone's own camera opened, /verify/#RNA1:…), verifies it with rna.js and
 * claim169.js against the keys, the revocation list and the status list kept on this device, then asks the register
 * for the live status when it can be reached. A code that came in the address is checked
 * on the device only, until the visitor asks for the live status (docs/decisions/0050). */
(function () {
  "use strict";

  const root = document.querySelector(".verify-page");
  if (!root || !window.RNA) return;
  const RNA = window.RNA;
  const T = JSON.parse(document.getElementById("verify-texts").textContent);
  const NAMES = JSON.parse(document.getElementById("verify-names").textContent);
  const LANGUAGE = document.documentElement.lang || "ar";
  // Moroccan usage: Latin digits, also in Arabic. A browser without Intl data for
  // Tamazight gets the day, the month's Tifinagh name (from the page) and the year.
  const LOCALE = { ar: "ar-MA", fr: "fr-MA", en: "en-GB", zgh: "zgh-MA" }[LANGUAGE] || "ar-MA";
  const INTL_KNOWS = Intl.DateTimeFormat.supportedLocalesOf([LOCALE]).length > 0;
  const LIVE_WAIT_MS = 6000;
  const MAX_IMAGE_SIDE = 2000;
  const $ = (id) => document.getElementById(id);

  const state = { keys: new Map(), list: null, statusList: null, checks: 0 };

  const fill = (template, values) => template.replace(/%\((\w+)\)s/g, (_, key) => values[key]);

  function when(milliseconds, withTime) {
    if (!INTL_KNOWS && T.months) return plainDate(new Date(milliseconds), withTime);
    const options = { dateStyle: "long", timeZone: "Africa/Casablanca" };
    if (withTime) options.timeStyle = "short";
    return new Intl.DateTimeFormat(LOCALE, options).format(new Date(milliseconds));
  }

  function plainDate(date, withTime) {
    const parts = {};
    const format = new Intl.DateTimeFormat("en-GB", {
      day: "numeric", month: "numeric", year: "numeric", hour: "2-digit", minute: "2-digit",
      hourCycle: "h23", timeZone: "Africa/Casablanca",
    });
    for (const part of format.formatToParts(date)) parts[part.type] = part.value;
    const day = `${parts.day} ${T.months[Number(parts.month) - 1]} ${parts.year}`;
    return withTime ? `${day}, ${parts.hour}:${parts.minute}` : day;
  }

  function message(text) {
    const box = $("verify-message");
    box.textContent = text || "";
    box.hidden = !text;
  }

  // --- Keys and revocation list (from the service worker's copy when offline) ---------

  async function loadKeys() {
    try {
      const response = await fetch("/.well-known/jwks.json");
      if (response.ok) state.keys = await RNA.importKeys(await response.json());
    } catch (error) {
      // Keep the keys already read: a failed refresh must not make genuine cards fail.
    }
  }

  async function loadList() {
    const shown = $("verify-list");
    let response = null;
    try {
      response = await fetch("/.well-known/rna-revocations");
    } catch (error) {
      response = null;
    }
    if (!response || !response.ok) {
      if (state.list) return; // a failed refresh keeps the list already read
      shown.textContent = T.list.missing;
      shown.className = "verify-list warning";
      return;
    }
    const fetchedAt = Number(response.headers.get("X-Fetched-At")) || Date.now();
    try {
      state.list = await RNA.decodeRevocations(new Uint8Array(await response.arrayBuffer()), state.keys);
    } catch (error) {
      state.list = null;
      shown.textContent = T.list.bad;
      shown.className = "verify-list warning";
      return;
    }
    const stale = Date.now() / 1000 > state.list.nextUpdate;
    shown.textContent = fill(T.list.state, {
      issued: when(state.list.issuedAt * 1000, true),
      fetched: when(fetchedAt, true),
    }) + (stale ? " " + T.list.stale : "");
    shown.className = "verify-list" + (stale ? " warning" : "");
    shown.dataset.issuedAt = String(state.list.issuedAt);
    shown.dataset.entries = String(state.list.size);
  }

  /* The status list of Claim 169 cards (docs/decisions/0063): verified like a card, its age
   * shown ("revocations as of …"); past its refresh time it is used with a warning, past
   * its expiry (or unverifiable) it is not used and the revocation list above answers. */
  async function loadStatusList() {
    const shown = $("verify-status-list");
    let response = null;
    try {
      response = await fetch("/.well-known/rna-status-list");
    } catch (error) {
      response = null;
    }
    if (!response || !response.ok) {
      if (state.statusList) return;
      shown.textContent = T.status.missing;
      shown.className = "verify-list warning";
      return;
    }
    const fetchedAt = Number(response.headers.get("X-Fetched-At")) || Date.now();
    try {
      state.statusList = await RNA.decodeStatusList(new Uint8Array(await response.arrayBuffer()), state.keys);
    } catch (error) {
      state.statusList = null;
      shown.textContent = error && error.kind === "stale" ? T.status.stale : T.status.bad;
      shown.className = "verify-list warning";
      shown.dataset.problem = (error && error.kind) || "other";
      return;
    }
    const old = Date.now() / 1000 > state.statusList.refreshAt;
    shown.textContent = fill(T.status.state, {
      issued: when(state.statusList.issuedAt * 1000, true),
      fetched: when(fetchedAt, true),
    }) + (old ? " " + T.status.old : "");
    shown.className = "verify-list" + (old ? " warning" : "");
    shown.dataset.issuedAt = String(state.statusList.issuedAt);
    delete shown.dataset.problem;
  }

  const loadAll = () => loadKeys().then(() => Promise.all([loadList(), loadStatusList()]));
  const ready = loadAll();
  // A page left open (a control post, a market stall) keeps its lists fresh.
  const REFRESH_MS = 15 * 60 * 1000;
  setInterval(loadAll, REFRESH_MS);
  window.addEventListener("online", loadAll);

  // --- The verdict -----------------------------------------------------------------------

  function row(list, label, value, attributes) {
    if (!value) return;
    const term = document.createElement("dt");
    term.textContent = label;
    const detail = document.createElement("dd");
    const text = document.createElement("bdi");
    text.textContent = value;
    Object.assign(text, attributes || {});
    detail.appendChild(text);
    list.append(term, detail);
  }

  function day(iso) {
    return iso ? when(Date.parse(iso + "T12:00:00Z"), false) : "";
  }

  function showAttestation(list, signed) {
    const A = signed.attestation;
    const L = T.labels;
    row(list, L.document, T.documents.attestation);
    row(list, L.nameAr, A.nameAr, { dir: "rtl", lang: "ar" });
    row(list, L.nameLatin, A.nameLatin, { dir: "ltr", lang: "fr" });
    row(list, L.nameZgh, A.nameZgh, { lang: "zgh" });
    row(list, L.number, RNA.formatNumber(A.number), { dir: "ltr" });
    row(list, L.category, NAMES.categories[A.category] || A.category);
    row(list, L.activity, NAMES.activities[A.activity] || A.activity);
    row(list, L.province, NAMES.provinces[A.province] || A.province);
    row(list, L.registeredOn, day(A.registeredOn));
    row(list, L.expiresAt, day(A.validUntil));
    row(list, L.issuedAt, when(signed.issuedAt * 1000, false));
  }

  function show(verdict, reason, signed) {
    const result = $("verify-result");
    result.hidden = false;
    result.dataset.verdict = verdict;
    result.dataset.kind = signed ? signed.kind : "";
    $("verify-verdict").textContent = T.verdicts[verdict];
    $("verify-reason").textContent = reason;
    const list = $("verify-card");
    list.replaceChildren();
    $("verify-live").textContent = "";
    showVerdict(result);
    if (!signed) return;
    if (signed.kind === "attestation") {
      showAttestation(list, signed);
      result.scrollIntoView({ block: "nearest" });
      return;
    }
    const card = signed.card;
    const L = T.labels;
    row(list, L.nameAr, card.nameAr, { dir: "rtl", lang: "ar" });
    row(list, L.nameLatin, card.nameLatin, { dir: "ltr", lang: "fr" });
    row(list, L.nameZgh, card.nameZgh, { lang: "zgh" });
    row(list, L.birthDate, day(card.birthDate)); // Claim 169 cards of persons only
    row(list, L.number, RNA.formatNumber(card.number), { dir: "ltr" });
    row(list, L.version, String(card.version), { dir: "ltr" });
    row(list, L.category, NAMES.categories[card.category] || card.category);
    row(list, L.activity, NAMES.activities[card.activity] || card.activity);
    row(list, L.province, NAMES.provinces[card.province] || card.province);
    row(list, L.expiresAt, when(signed.expiresAt * 1000, false));
    row(list, L.issuedAt, when(signed.issuedAt * 1000, false));
  }

  // On a phone the verdict appears below the camera and the forms: bring its top into view
  // (whatever the verdict) and move the focus there, so that a screen reader reads it too.
  function showVerdict(result) {
    const still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    result.scrollIntoView({ block: "start", behavior: still ? "auto" : "smooth" });
    $("verify-verdict").focus({ preventScroll: true });
  }

  async function liveStatus(card) {
    const url = root.dataset.statusUrl
      .replace("{number}", encodeURIComponent(card.number))
      .replace("{version}", String(card.version));
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), LIVE_WAIT_MS);
    try {
      const response = await fetch(url, { cache: "no-store", signal: abort.signal });
      if (!response.ok) return null;
      const body = await response.json();
      return ["valid", "expired", "revoked", "suspended"].includes(body.status) ? body.status : null;
    } catch (error) {
      return null;
    } finally {
      clearTimeout(timer);
    }
  }

  async function check(text, { askFirst = false } = {}) {
    const turn = ++state.checks;
    const result = $("verify-result");
    // The result is shown again once this check ends; `data-live` says it has.
    result.hidden = true;
    delete result.dataset.verdict;
    delete result.dataset.live;
    $("verify-live-ask").hidden = true;
    $("verify-attestation-link").hidden = true;
    message("");
    if (!text || !text.trim()) {
      message(T.empty);
      return;
    }
    await ready;
    if (!state.keys.size) {
      message(T.keys_missing);
      return;
    }
    let signed;
    try {
      signed = await RNA.decodeDocument(text, state.keys);
    } catch (error) {
      if (turn !== state.checks) return;
      show("not_genuine", T.problems[error && error.kind] || T.problems.other, null);
      result.dataset.live = "none";
      return;
    }
    if (signed.kind === "attestation") {
      // Its current status is the register's online check, opened only if asked.
      const verdict = RNA.verdict(signed);
      show(verdict, T.attestation[verdict], signed);
      $("verify-live").textContent = T.live.attestation;
      const link = $("verify-attestation-link");
      link.href = root.dataset.attestationUrl
        .replace("{number}", encodeURIComponent(signed.attestation.number))
        .replace("{code}", encodeURIComponent(signed.attestation.code));
      link.hidden = false;
      result.dataset.live = "not-asked";
      return;
    }
    // A Claim 169 card: its entry in the status list; else (or without one) the list by number.
    const listReason = signed.standard && state.statusList
      ? state.statusList.reasonFor(signed)
      : state.list ? state.list.reasonFor(signed.card.number, signed.card.version) : null;
    const offline = RNA.verdict(signed, { listReason });
    show(offline, T.reasons[offline], signed);
    if (askFirst) {
      // Nothing of the card leaves the device unless the visitor asks.
      $("verify-live").textContent = T.live.device;
      result.dataset.live = "not-asked";
      const ask = $("verify-live-ask");
      ask.hidden = false;
      ask.onclick = () => {
        ask.hidden = true;
        askLive(signed, listReason, turn);
      };
      return;
    }
    await askLive(signed, listReason, turn);
  }

  async function askLive(signed, listReason, turn) {
    const result = $("verify-result");
    $("verify-live").textContent = T.live.checking;
    delete result.dataset.live;
    const live = await liveStatus(signed.card);
    if (turn !== state.checks) return;
    if (live === null) {
      $("verify-live").textContent = T.live.offline;
      result.dataset.live = "no";
      return;
    }
    const verdict = RNA.verdict(signed, { listReason, live });
    show(verdict, T.reasons[verdict], signed);
    $("verify-live").textContent = fill(T.live.checked, { time: when(Date.now(), true) });
    result.dataset.live = "yes";
  }

  $("verify-paste").addEventListener("submit", (event) => {
    event.preventDefault();
    check($("verify-text").value);
  });

  // --- QR codes in pictures ------------------------------------------------------------

  let detector;

  async function barcodeDetector() {
    if (detector !== undefined) return detector;
    detector = null;
    if ("BarcodeDetector" in window) {
      try {
        if ((await window.BarcodeDetector.getSupportedFormats()).includes("qr_code")) {
          detector = new window.BarcodeDetector({ formats: ["qr_code"] });
        }
      } catch (error) {
        detector = null;
      }
    }
    return detector;
  }

  const canvas = document.createElement("canvas");

  async function codesIn(source, width, height, thorough) {
    const native = await barcodeDetector();
    if (native) {
      try {
        return (await native.detect(source)).map((code) => code.rawValue);
      } catch (error) {
        // Fall through to jsQR.
      }
    }
    if (!window.jsQR || !width || !height) return [];
    const scale = Math.min(1, MAX_IMAGE_SIDE / Math.max(width, height));
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const context = canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(source, 0, 0, canvas.width, canvas.height);
    const pixels = context.getImageData(0, 0, canvas.width, canvas.height);
    const code = window.jsQR(pixels.data, pixels.width, pixels.height,
      { inversionAttempts: thorough ? "attemptBoth" : "dontInvert" });
    return code ? [code.data] : [];
  }

  function pick(texts) {
    return texts.find((text) => RNA.isSigned(text)) || texts[0];
  }

  function found(text) {
    // A camera address read from a picture is shown as the signed text it carries.
    if (RNA.isSigned(text)) text = RNA.payload(text);
    $("verify-text").value = text;
    check(text);
  }

  // --- Camera --------------------------------------------------------------------------

  let stream = null;

  function stopCamera() {
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    $("verify-video").hidden = true;
    $("verify-camera-stop").hidden = true;
  }

  async function scanFrames() {
    const video = $("verify-video");
    while (stream) {
      if (video.readyState >= 2) {
        const texts = await codesIn(video, video.videoWidth, video.videoHeight, false);
        if (texts.length && stream) {
          stopCamera();
          message("");
          found(pick(texts));
          return;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }

  $("verify-camera").addEventListener("click", async () => {
    stopCamera();
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: "environment" }, audio: false,
      });
    } catch (error) {
      message(T.camera.failed);
      return;
    }
    const video = $("verify-video");
    video.srcObject = stream;
    video.hidden = false;
    $("verify-camera-stop").hidden = false;
    message(T.camera.aim);
    try {
      await video.play();
    } catch (error) {
      stopCamera();
      message(T.camera.failed);
      return;
    }
    scanFrames();
  });
  $("verify-camera-stop").addEventListener("click", () => {
    stopCamera();
    message("");
  });

  // --- Files: a photo is read here; a PDF by the server (no PDF reader in the page) ----

  async function readPdf(file) {
    const body = new FormData();
    body.append("file", file);
    let response;
    try {
      response = await fetch(root.dataset.readUrl, { method: "POST", body });
    } catch (error) {
      message(T.file.pdf_offline);
      return;
    }
    let answer = null;
    try {
      answer = await response.json();
    } catch (error) {
      answer = null;
    }
    if (!answer || !Array.isArray(answer.texts)) {
      message(T.file.unreadable);
    } else if (!answer.texts.length) {
      message(answer.error || T.file.none);
    } else {
      message("");
      found(pick(answer.texts));
    }
  }

  async function readImage(file) {
    let bitmap;
    try {
      bitmap = await createImageBitmap(file);
    } catch (error) {
      message(T.file.unreadable);
      return;
    }
    let texts = [];
    try {
      texts = await codesIn(bitmap, bitmap.width, bitmap.height, true);
    } finally {
      bitmap.close();
    }
    if (!texts.length) {
      message(T.file.none);
      return;
    }
    message("");
    found(pick(texts));
  }

  $("verify-file").addEventListener("change", async (event) => {
    const file = event.target.files && event.target.files[0];
    if (!file) return;
    stopCamera();
    message(T.file.reading);
    const head = new Uint8Array(await file.slice(0, 5).arrayBuffer());
    const isPdf = String.fromCharCode(...head) === "%PDF-";
    await (isPdf ? readPdf(file) : readImage(file));
    event.target.value = "";
  });

  // --- Offline -------------------------------------------------------------------------

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker
      .register(root.dataset.serviceWorker, { scope: root.dataset.scope })
      .catch(() => {});
    // Offline, the worker opens the page in the language the visitor last read it in.
    navigator.serviceWorker.ready.then((registration) => {
      if (registration.active) registration.active.postMessage({ language: LANGUAGE });
    });
  }

  // --- A phone's camera opened /verify/#RNA1:… (or #<Claim 169 text>) ------------------

  function fromAddress() {
    if (!/^#RNA/i.test(location.hash) && !RNA.isSigned(location.href)) return;
    $("verify-text").value = RNA.isSigned(location.href) ? RNA.payload(location.href) : location.hash.slice(1);
    // rna.js reads the fragment itself: a damaged one reads NOT GENUINE.
    check(location.href, { askFirst: true });
  }

  window.addEventListener("hashchange", fromAddress);
  fromAddress();

  window.hirfaVerify = { check, ready };
})();
