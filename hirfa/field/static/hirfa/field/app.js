/* The field app's screens (docs/field-app.md): capture, the outbox, sync, export. */
"use strict";

(function () {
  const root = document.getElementById("field-app");
  if (!root) return;
  const { Outbox, uuid } = window.HirfaOutbox;
  const read = (id) => JSON.parse(document.getElementById(id).textContent);
  const REF = read("field-reference");
  const T = read("field-texts");
  const URLS = read("field-urls");
  const AGENT = root.dataset.agent;
  const MAX_SIDE = 1600;
  const $ = (id) => document.getElementById(id);
  const fill = (text, values) => text.replace(/%\((\w+)\)s/g, (m, k) => (k in values ? String(values[k]) : m));
  let outbox = null;
  let syncing = false;
  let logoutArmed = false;

  // --- Erasing on logout, before anything is shown ---------------------------------------

  function wipeList() {
    const match = document.cookie.match(/(?:^|;\s*)hirfa_field_wipe=([^;]*)/);
    return match ? decodeURIComponent(match[1]).split(".").filter(Boolean) : [];
  }

  async function eraseAgent(agent) {
    await Outbox.erase(agent);
    if (window.caches) await caches.delete("hirfa-field-pages");
  }

  async function honourWipes() {
    const keys = wipeList();
    for (const key of keys) await eraseAgent(key);
    if (keys.length) document.cookie = "hirfa_field_wipe=; Max-Age=0; path=/; SameSite=Lax";
  }

  // --- Small helpers ----------------------------------------------------------------------

  function notice(text) {
    const el = $("field-notice");
    el.textContent = text || "";
    el.hidden = !text;
  }

  /* A size in the page's language ("824 kB", "824 كيلوبايت"). */
  function humanSize(bytes) {
    const [unit, value, digits] = bytes < 1024 ? ["byte", bytes, 0]
      : bytes < 1048576 ? ["kilobyte", bytes / 1024, 0]
        : bytes < 1073741824 ? ["megabyte", bytes / 1048576, 1]
          : ["gigabyte", bytes / 1073741824, 1];
    try {
      return new Intl.NumberFormat(document.documentElement.lang, { style: "unit", unit, maximumFractionDigits: digits }).format(value);
    } catch (error) {
      return value.toFixed(digits) + " " + { byte: "B", kilobyte: "kB", megabyte: "MB", gigabyte: "GB" }[unit];
    }
  }

  function options(select, name) {
    const keep = select.value;
    select.replaceChildren();
    const empty = document.createElement("option");
    empty.value = ""; empty.textContent = "—";
    select.append(empty);
    const rows = REF[name] || [];
    for (const row of rows) {
      if (row.items) {
        const group = document.createElement("optgroup");
        group.label = row.branch || row.province;
        for (const item of row.items) group.append(new Option(item.name, item.code));
        select.append(group);
      } else {
        select.append(new Option(row.name, row.code !== undefined ? row.code : row.id));
      }
    }
    select.value = keep;
  }

  function fillChoices() {
    for (const select of root.querySelectorAll("select[data-choices]")) options(select, select.dataset.choices);
  }

  // --- Tabs -------------------------------------------------------------------------------

  const TABS = { "tab-registration": "field-registration-panel", "tab-checkin": "field-checkin-panel", "tab-outbox": "field-outbox-panel" };
  function show(tabId) {
    for (const [tab, panel] of Object.entries(TABS)) {
      $(tab).setAttribute("aria-selected", String(tab === tabId));
      $(panel).hidden = tab !== tabId;
    }
    if (tabId === "tab-outbox") render();
  }
  for (const tab of Object.keys(TABS)) $(tab).addEventListener("click", () => show(tab));

  // --- Photos: made smaller on the phone ---------------------------------------------------

  const photos = new Map();  // kind → {id, kind, blob, type, size}

  function photoRows() {
    const box = $("field-photos");
    box.replaceChildren();
    photos.clear();
    const documents = REF.documents[$("f-category").value] || [];
    for (const doc of documents) {
      const row = document.createElement("div");
      row.className = "field field-photo";
      const label = document.createElement("label");
      label.htmlFor = "p-" + doc.code;
      label.textContent = doc.name;
      const input = document.createElement("input");
      input.type = "file"; input.accept = "image/*"; input.id = "p-" + doc.code;
      input.setAttribute("capture", doc.code === "photo" ? "user" : "environment");
      input.dataset.kind = doc.code;
      const out = document.createElement("output");
      out.htmlFor = input.id; out.className = "helptext";
      const img = document.createElement("img");
      img.alt = ""; img.hidden = true; img.className = "field-thumb";
      input.addEventListener("change", () => takePhoto(input, out, img));
      row.append(label, input, img, out);
      box.append(row);
    }
  }

  async function downscale(file) {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = document.createElement("canvas");
    canvas.width = width; canvas.height = height;
    canvas.getContext("2d").drawImage(bitmap, 0, 0, width, height);
    if (bitmap.close) bitmap.close();
    let quality = 0.8, blob;
    do {
      blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", quality));
      quality -= 0.15;
    } while (blob && blob.size > REF.max_bytes && quality > 0.3);
    return { blob, width, height };
  }

  async function takePhoto(input, out, img) {
    const file = input.files && input.files[0];
    const kind = input.dataset.kind;
    if (!file) { photos.delete(kind); out.textContent = ""; img.hidden = true; return; }
    try {
      const { blob, width, height } = await downscale(file);
      if (!blob || blob.size > REF.max_bytes) { out.textContent = T.photo.too_large; photos.delete(kind); return; }
      photos.set(kind, { id: uuid(), kind, blob, type: "image/jpeg", size: blob.size });
      out.textContent = fill(T.photo.size, { size: humanSize(blob.size), width, height });
      if (img.src) URL.revokeObjectURL(img.src);
      img.src = URL.createObjectURL(blob); img.hidden = false;
      out.dataset.ready = "1";
    } catch (error) {
      out.textContent = T.photo.unreadable; photos.delete(kind);
    }
  }

  // --- Capture ------------------------------------------------------------------------------

  const PERSON = ["cnie", "first_name_ar", "last_name_ar", "first_name_latin", "last_name_latin", "sex", "birth_date", "birth_place", "address", "commune", "phone", "education"];
  const CRAFT = ["category", "principal_activity", "workplace_kind", "workplace_commune", "workplace_address"];

  function missing(form, names) {
    return names.filter((name) => !String(form.elements[name].value || "").trim());
  }

  function showErrors(id, text) { const el = $(id); el.textContent = text || ""; el.hidden = !text; }

  $("f-category").addEventListener("change", photoRows);

  $("field-registration").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const lacking = missing(form, [...PERSON, ...CRAFT]);
    for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
    for (const name of lacking) form.elements[name].setAttribute("aria-invalid", "true");
    if (lacking.length) { showErrors("field-registration-errors", T.capture.missing); form.elements[lacking[0]].focus(); return; }
    if (!form.elements.consent.checked) { showErrors("field-registration-errors", T.capture.consent); return; }
    showErrors("field-registration-errors", "");
    const person = {}, craft = { secondary_activities: [] };
    for (const name of PERSON) person[name] = form.elements[name].value.trim();
    for (const name of CRAFT) craft[name] = form.elements[name].value.trim();
    const body = { person, craft, consent: true };
    if (form.elements.event.value) body.event = Number(form.elements.event.value);
    const item = await outbox.add("registration", body, [...photos.values()]);
    form.reset();
    photoRows();
    notice(fill(T.capture.saved, { name: person.first_name_latin + " " + person.last_name_latin }));
    await render();
    window.scrollTo(0, 0);
    trySync();
    return item;
  });

  $("field-checkin").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const body = { event: Number(form.elements.event.value) || 0, walk_in: form.elements.walk_in.checked };
    for (const name of ["number", "cnie", "phone", "name"]) body[name] = form.elements[name].value.trim();
    body.consent = form.elements.consent.checked;
    if (!body.event || (!body.walk_in && !body.number && !body.cnie && !body.phone) || (body.walk_in && (!body.name || !body.phone))) {
      showErrors("field-checkin-errors", T.capture.missing); return;
    }
    if (body.walk_in && !body.consent) { showErrors("field-checkin-errors", T.capture.consent); return; }
    showErrors("field-checkin-errors", "");
    await outbox.add("check_in", body, []);
    form.reset();
    notice(T.capture.checked);
    await render();
    trySync();
  });

  // --- The outbox ---------------------------------------------------------------------------

  function itemTitle(item) {
    const p = item.body.person;
    if (p) return p.first_name_latin + " " + p.last_name_latin + " · " + p.cnie;
    return [item.body.name, item.body.number, item.body.cnie, item.body.phone].filter(Boolean).join(" · ");
  }

  async function render() {
    if (!outbox) return;
    const items = await outbox.items();
    const list = $("field-items");
    list.replaceChildren();
    let pending = 0;
    for (const item of items.slice().reverse()) {
      if (item.state === "waiting" || item.state === "sending") pending += 1;
      const li = document.createElement("li");
      li.className = "field-item state-" + item.state;
      li.dataset.id = item.id;
      li.dataset.state = item.state;
      const head = document.createElement("p");
      const badge = document.createElement("span");
      badge.className = "badge field-state";
      badge.textContent = T.states[item.state] || item.state;
      const title = document.createElement("strong");
      title.textContent = " " + (T.kinds[item.kind] || item.kind) + " — " + itemTitle(item);
      head.append(badge, title);
      li.append(head);
      const when = document.createElement("p");
      when.className = "helptext";
      when.textContent = fill(T.items.captured, { time: new Date(item.capturedAt).toLocaleString(document.documentElement.lang) });
      li.append(when);
      const reason = T.reasons[item.reason];
      const text = [reason, item.message].filter(Boolean).join(" ");
      if (text) { const p = document.createElement("p"); p.className = "field-reason"; p.textContent = text; li.append(p); }
      if (item.answer && item.answer.clock) { const p = document.createElement("p"); p.className = "helptext"; p.textContent = item.answer.clock; li.append(p); }
      const actions = document.createElement("p");
      actions.className = "actions";
      if (item.answer && item.answer.url) {
        const a = document.createElement("a"); a.href = item.answer.url; a.textContent = T.items.open; actions.append(a);
      }
      if (item.state === "refused") {
        const again = document.createElement("button");
        again.type = "button"; again.className = "secondary"; again.textContent = T.items.correct;
        again.addEventListener("click", () => correct(item));
        actions.append(again);
      }
      if (item.state !== "waiting" && item.state !== "sending") {
        const remove = document.createElement("button");
        remove.type = "button"; remove.className = "link"; remove.textContent = T.items.remove;
        remove.addEventListener("click", async () => { await outbox.remove(item.id); render(); });
        actions.append(remove);
      }
      if (actions.childNodes.length) li.append(actions);
      list.append(li);
    }
    if (!items.length) { const li = document.createElement("li"); li.textContent = T.items.empty; list.append(li); }
    $("field-count").textContent = String(pending);
    root.dataset.pending = String(pending);
    gauge();
  }

  /* A refused item is captured again as a new item (a new id): the server keeps the first. */
  async function correct(item) {
    show("tab-registration");
    const form = $("field-registration");
    if (item.kind !== "registration") { show("tab-checkin"); return; }
    for (const [name, value] of Object.entries(item.body.person || {})) if (form.elements[name]) form.elements[name].value = value;
    for (const [name, value] of Object.entries(item.body.craft || {})) if (form.elements[name] && typeof value === "string") form.elements[name].value = value;
    photoRows();
    await outbox.remove(item.id);
    render();
  }

  async function gauge() {
    const text = $("field-gauge-text");
    if (!navigator.storage || !navigator.storage.estimate) { text.textContent = T.storage.unknown; return; }
    const { usage = 0, quota = 0 } = await navigator.storage.estimate();
    const share = quota ? usage / quota : 0;
    $("field-gauge").value = share;
    text.textContent = fill(T.storage.used, { used: humanSize(usage), quota: humanSize(quota) });
    if (share > 0.8) notice(T.storage.full);
  }

  // --- Sync -----------------------------------------------------------------------------------

  function network() {
    const el = $("field-network");
    el.textContent = navigator.onLine ? T.network.online : T.network.offline;
    el.dataset.online = String(navigator.onLine);
  }

  async function send(csrf, method, url, body, type) {
    const response = await fetch(url, {
      method, body, credentials: "same-origin", cache: "no-store",
      headers: { "Content-Type": type, "X-CSRFToken": csrf, "Accept": "application/json" },
    });
    let json = {};
    try { json = await response.json(); } catch (error) { json = {}; }
    return { status: response.status, json };
  }

  async function sync() {
    if (syncing || !outbox) return;
    syncing = true;
    const status = $("field-sync-status");
    status.textContent = T.sync.running;
    root.dataset.sync = "running";
    try {
      let session;
      try {
        const response = await fetch(URLS.session, { credentials: "same-origin", cache: "no-store" });
        session = await response.json();
      } catch (error) {
        status.textContent = T.sync.stopped; root.dataset.sync = "offline"; return;
      }
      if (!session.agent) { status.textContent = T.session.login; root.dataset.sync = "login"; return; }
      if (session.agent !== AGENT) { status.textContent = T.session.other; root.dataset.sync = "other"; return; }
      const api = {
        items: URLS.items, attachments: URLS.attachments,
        send: (method, url, body, type) => send(session.csrf, method, url, body, type),
      };
      const outcome = await outbox.sync(api, render);
      status.textContent = outcome === "done" ? T.sync.done : outcome === "login" ? T.session.login : T.sync.stopped;
      root.dataset.sync = outcome;
    } finally {
      syncing = false;
      render();
    }
  }

  function trySync() { if (navigator.onLine) sync(); }

  $("field-sync").addEventListener("click", sync);
  window.addEventListener("online", () => { network(); sync(); });
  window.addEventListener("offline", network);

  // --- Export and import ------------------------------------------------------------------------

  $("field-export").addEventListener("click", async () => {
    const text = await outbox.exportText();
    const name = "hirfa-outbox-" + new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-") + ".json";
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type: "application/json" }));
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
    notice(fill(T.export.done, { name }));
  });

  $("field-import").addEventListener("change", async (event) => {
    const file = event.target.files && event.target.files[0];
    if (!file) return;
    try {
      const [added, known] = await outbox.importText(await file.text());
      notice(fill(T.export.imported, { added, known }));
    } catch (error) {
      notice(error.message === "other" ? T.export.other : T.export.bad);
    }
    event.target.value = "";
    render();
  });

  // --- Logout: the outbox is erased (warned first when something is not sent) -------------------

  $("field-logout").addEventListener("click", async () => {
    const pending = Number(root.dataset.pending || 0);
    if (pending && !logoutArmed) {
      logoutArmed = true;
      const warning = $("field-logout-warning");
      warning.textContent = fill(T.logout.warn, { count: pending });
      warning.hidden = false;
      return;
    }
    if (outbox) outbox.close();
    await eraseAgent(AGENT);
    $("field-logout-form").submit();
  });

  // --- Start --------------------------------------------------------------------------------------

  async function start() {
    // Whoever logged out on this phone since: their outbox is erased before anything shows.
    await honourWipes();
    fillChoices();
    photoRows();
    network();
    outbox = await Outbox.open(AGENT);
    await outbox.recover();
    const [erased, soon] = await outbox.expire(REF.offline_days, REF.warn_days, Date.now());
    const expiry = $("field-expiry");
    const texts = [];
    if (erased) texts.push(fill(T.expiry.erased, { count: erased }));
    if (soon) texts.push(fill(T.expiry.soon, { count: soon, days: REF.warn_days }));
    expiry.textContent = texts.join(" ");
    expiry.hidden = !texts.length;
    if (texts.length) notice(texts.join(" "));
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => {});
    await render();
    root.dataset.ready = "1";
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register(root.dataset.serviceWorker, { scope: root.dataset.scope }).catch(() => {});
    }
    trySync();
  }

  start();
})();
