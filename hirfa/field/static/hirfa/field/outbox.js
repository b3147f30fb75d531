/* The field app's outbox (docs/decisions/0060): items captured on this phone, kept in
 * IndexedDB under the agent's key, sent in order (photos first), each with the id it got
 * when it was captured, which is its idempotency key for ever. No build, no library. */
"use strict";

(function (global) {
  const FORMAT = "hirfa-field-outbox";
  const PENDING = ["waiting", "sending"];

  function dbName(agent) { return "hirfa-field-" + agent; }

  function request(req) {
    return new Promise((resolve, reject) => {
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }

  function done(tx) {
    return new Promise((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error || new Error("aborted"));
    });
  }

  function uuid() {
    if (global.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  class Outbox {
    constructor(agent, db) { this.agent = agent; this.db = db; }

    static async open(agent) {
      const open = indexedDB.open(dbName(agent), 1);
      open.onupgradeneeded = () => {
        const db = open.result;
        const items = db.createObjectStore("items", { keyPath: "id" });
        items.createIndex("seq", "seq");
        const photos = db.createObjectStore("photos", { keyPath: "id" });
        photos.createIndex("item", "item");
      };
      return new Outbox(agent, await request(open));
    }

    static async erase(agent) {
      await new Promise((resolve) => {
        const req = indexedDB.deleteDatabase(dbName(agent));
        req.onsuccess = req.onerror = req.onblocked = () => resolve();
      });
    }

    close() { this.db.close(); }

    async items() {
      const tx = this.db.transaction("items");
      const rows = await request(tx.objectStore("items").index("seq").getAll());
      return rows;
    }

    async photosOf(itemId) {
      const tx = this.db.transaction("photos");
      return request(tx.objectStore("photos").index("item").getAll(itemId));
    }

    async put(item) {
      const tx = this.db.transaction("items", "readwrite");
      tx.objectStore("items").put(item);
      await done(tx);
    }

    async putPhoto(photo) {
      const tx = this.db.transaction("photos", "readwrite");
      tx.objectStore("photos").put(photo);
      await done(tx);
    }

    /* A new item and its photos, written together: all or nothing. */
    async add(kind, body, photos) {
      const id = uuid();
      const now = new Date().toISOString();
      const item = {
        id, kind, body: Object.assign({ agent: this.agent }, body), capturedAt: now,
        seq: Date.now() * 1000 + Math.floor(Math.random() * 1000),
        state: "waiting", reason: "", message: "", answer: null,
      };
      item.body.attachments = photos.map((p) => ({ id: p.id, kind: p.kind }));
      const tx = this.db.transaction(["items", "photos"], "readwrite");
      tx.objectStore("items").put(item);
      for (const p of photos) tx.objectStore("photos").put(Object.assign({ item: id, sent: false }, p));
      await done(tx);
      return item;
    }

    async remove(itemId) {
      const photos = await this.photosOf(itemId);
      const tx = this.db.transaction(["items", "photos"], "readwrite");
      tx.objectStore("items").delete(itemId);
      for (const p of photos) tx.objectStore("photos").delete(p.id);
      await done(tx);
    }

    /* A phone switched off in the middle of a sync left items "sending": send them again
     * (the server answers a replay with its first answer). */
    async recover() {
      for (const item of await this.items()) {
        if (item.state === "sending") { item.state = "waiting"; await this.put(item); }
      }
    }

    /* Items waiting longer than `days` are erased; returns [erased, soon]. */
    async expire(days, warnDays, now) {
      let erased = 0, soon = 0;
      const limit = days * 86400000, warn = (days - warnDays) * 86400000;
      for (const item of await this.items()) {
        if (!PENDING.includes(item.state)) continue;
        const age = now - Date.parse(item.capturedAt);
        if (age > limit) { await this.remove(item.id); erased += 1; }
        else if (age > warn) soon += 1;
      }
      return [erased, soon];
    }

    /* Send every waiting item, oldest first, photos first. `send(method, url, body, type)`
     * resolves to {status, json} or rejects when the network failed. Stops at the first
     * failure of the network or of the session; returns "done", "offline", "login". */
    async sync(api, onChange) {
      for (const item of await this.items()) {
        if (!PENDING.includes(item.state)) continue;
        item.state = "sending"; await this.put(item); onChange();
        let outcome;
        try {
          outcome = await this._send(api, item);
        } catch (error) {
          outcome = "offline";
        }
        if (outcome !== "sent") {
          if (item.state === "sending") { item.state = "waiting"; await this.put(item); }
          onChange();
          return outcome;
        }
        onChange();
      }
      return "done";
    }

    async _send(api, item) {
      for (const photo of await this.photosOf(item.id)) {
        if (photo.sent) continue;
        const answer = await api.send("PUT", api.attachments + photo.id + "?kind=" + encodeURIComponent(photo.kind), photo.blob, photo.type || "image/jpeg");
        if (answer.status === 401 || answer.status === 403 && answer.json.code === "csrf") return "login";
        if (answer.status >= 500) return "offline";
        if (answer.status !== 201) return this._refused(item, answer);
        photo.sent = true; await this.putPhoto(photo);
      }
      const answer = await api.send("POST", api.items, JSON.stringify({
        id: item.id, kind: item.kind, captured_at: item.capturedAt,
        sent_at: new Date().toISOString(), body: item.body,
      }), "application/json");
      if (answer.status === 401) return "login";
      if (answer.status >= 500) return "offline";
      if (answer.status === 409 && answer.json.code === "attachment_missing") {
        for (const photo of await this.photosOf(item.id)) { photo.sent = false; await this.putPhoto(photo); }
        return "offline";
      }
      const json = answer.json || {};
      if (answer.status === 201 || answer.status === 202 || answer.status === 200) {
        item.state = json.state || "applied";
        item.reason = json.reason || "";
        item.message = json.message || "";
        item.answer = json;
        item.sentAt = new Date().toISOString();
        await this.put(item);
        await this._dropPhotos(item.id);  // sent: their space is given back
        return "sent";
      }
      return this._refused(item, answer);
    }

    async _refused(item, answer) {
      const json = answer.json || {};
      item.state = "refused";
      item.reason = json.code || String(answer.status);
      const fields = json.fields ? Object.values(json.fields).flat().join(" ") : "";
      item.message = [json.message, fields].filter(Boolean).join(" ");
      item.answer = json;
      await this.put(item);
      return "sent";
    }

    async _dropPhotos(itemId) {
      const photos = await this.photosOf(itemId);
      const tx = this.db.transaction("photos", "readwrite");
      for (const p of photos) tx.objectStore("photos").delete(p.id);
      await done(tx);
    }

    /* The whole outbox as one JSON text (photos in base64): the last resort when the
     * phone is full or must be changed. */
    async exportText() {
      const items = await this.items();
      const photos = [];
      for (const item of items) {
        for (const p of await this.photosOf(item.id)) {
          photos.push({ id: p.id, item: p.item, kind: p.kind, type: p.type, size: p.size, sent: p.sent, data: await toBase64(p.blob) });
        }
      }
      return JSON.stringify({ format: FORMAT, version: 1, agent: this.agent, exported_at: new Date().toISOString(), items, photos });
    }

    /* Items of an export not already here are added, with their ids: an item sent meanwhile
     * is answered by the server from its first answer. Returns [added, known]. */
    async importText(text) {
      let data;
      try { data = JSON.parse(text); } catch (error) { throw new Error("bad"); }
      if (!data || data.format !== FORMAT || data.version !== 1 || !Array.isArray(data.items)) throw new Error("bad");
      if (data.agent !== this.agent) throw new Error("other");
      const here = new Set((await this.items()).map((item) => item.id));
      let added = 0, known = 0;
      for (const item of data.items) {
        if (!item || typeof item.id !== "string" || typeof item.kind !== "string") throw new Error("bad");
        if (here.has(item.id)) { known += 1; continue; }
        const photos = (data.photos || []).filter((p) => p.item === item.id);
        const tx = this.db.transaction(["items", "photos"], "readwrite");
        tx.objectStore("items").put(item);
        for (const p of photos) {
          tx.objectStore("photos").put({ id: p.id, item: p.item, kind: p.kind, type: p.type, size: p.size, sent: !!p.sent, blob: fromBase64(p.data, p.type) });
        }
        await done(tx);
        added += 1;
      }
      return [added, known];
    }
  }

  function toBase64(blob) {
    return new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result).split(",", 2)[1] || "");
      reader.onerror = () => reject(reader.error);
      reader.readAsDataURL(blob);
    });
  }

  function fromBase64(text, type) {
    const bytes = atob(text || "");
    const array = new Uint8Array(bytes.length);
    for (let i = 0; i < bytes.length; i += 1) array[i] = bytes.charCodeAt(i);
    return new Blob([array], { type: type || "image/jpeg" });
  }

  global.HirfaOutbox = { Outbox, uuid, dbName, FORMAT };
})(window);
