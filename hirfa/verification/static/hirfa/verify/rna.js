/* The card verifier of docs/card-qr.md, in the browser: no server, no library.
 *
 *   text = "RNA1:" + Base45(zlib(COSE_Sign1(CWT claims + card claim)))
 *
 * Everything read comes from a stranger's QR code: each step is bounded and refuses what
 * it does not expect with a NotGenuine error whose `kind` names the step (the verdict is
 * NOT GENUINE whatever the kind). Same steps and verdict order as hirfa/cards/qr.py.
 * Claim 169 cards and the status list (docs/card-qr.md §11–12) are read by claim169.js,
 * which builds on the functions exported here.
 */
(function (global) {
  "use strict";

  const PREFIX = "RNA1:";
  const ISSUER = "MA-RNA";
  const MAX_TEXT = 4296; // the most alphanumeric characters a QR code holds
  const MAX_INFLATED = 4096;
  const BASE45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
  const COSE_SIGN1_TAG = 18;
  const ALG_EDDSA = -8;
  const KID_LENGTH = 8;
  const CLAIM = { iss: 1, exp: 4, iat: 6, card: -70000, nextUpdate: -70001, entries: -70002,
    attestation: -70003 };
  const REVOKED = 1;
  const SUSPENDED = 2;
  const CARD_FIELDS = { n: "string", v: "int", ar: "string", la: "string", zg: "string",
    c: "string", a: "string", p: "string" };
  const REQUIRED = ["n", "v", "ar", "la", "c", "a", "p"];
  const ATTESTATION_FIELDS = { n: "string", ar: "string", la: "string", zg: "string",
    c: "string", a: "string", p: "string", r: "string", u: "string", k: "string" };
  const ATTESTATION_REQUIRED = ["n", "ar", "la", "c", "a", "p", "r", "k"];

  class NotGenuine extends Error {
    constructor(kind, detail) {
      super(detail ? kind + ": " + detail : kind);
      this.name = "NotGenuine";
      this.kind = kind;
    }
  }

  // --- Base45 (RFC 9285) -------------------------------------------------------------

  function base45Decode(text) {
    const values = new Array(text.length);
    for (let i = 0; i < text.length; i++) {
      const value = BASE45.indexOf(text[i]);
      if (value < 0) throw new NotGenuine("base45", "character outside the alphabet");
      values[i] = value;
    }
    if (values.length % 3 === 1) throw new NotGenuine("base45", "truncated");
    const out = new Uint8Array(Math.floor(values.length / 3) * 2 + (values.length % 3 ? 1 : 0));
    let o = 0;
    for (let i = 0; i < values.length; i += 3) {
      if (i + 2 < values.length) {
        const n = values[i] + values[i + 1] * 45 + values[i + 2] * 2025;
        if (n > 0xffff) throw new NotGenuine("base45", "group out of range");
        out[o++] = n >> 8;
        out[o++] = n & 0xff;
      } else {
        const n = values[i] + values[i + 1] * 45;
        if (n > 0xff) throw new NotGenuine("base45", "group out of range");
        out[o++] = n;
      }
    }
    return out;
  }

  // --- The camera address (docs/card-qr.md §1): https://…/verify/#RNA1:… ------------

  // A QR code holds 4296 characters at most, whatever their form: a camera address too.
  const MAX_CAMERA_TEXT = MAX_TEXT + PREFIX.length + 64;

  /* The RNA1: text a scanned code holds: the text itself, or the fragment of a camera
   * address, unescaped (%20 is Base45's space, %25 its %). Anything else comes back
   * trimmed, for the prefix check to refuse. */
  function payloadText(text) {
    if (typeof text !== "string") throw new NotGenuine("prefix");
    text = text.trim();
    const hash = text.indexOf("#");
    if (text.startsWith(PREFIX) || !/^https?:\/\//i.test(text) || hash < 0) return text;
    if (text.length > MAX_CAMERA_TEXT) throw new NotGenuine("too_large", "longer than a QR code holds");
    const fragment = text.slice(hash + 1);
    if (/%(?![0-9A-Fa-f]{2})/.test(fragment)) throw new NotGenuine("base45", "a % that escapes nothing");
    return fragment.replace(/%([0-9A-Fa-f]{2})/g, (_, code) => {
      const value = parseInt(code, 16);
      if (value > 0x7f) throw new NotGenuine("base45", "character outside the Base45 alphabet");
      return String.fromCharCode(value);
    });
  }

  function isSigned(text) {
    try {
      return payloadText(text).startsWith(PREFIX);
    } catch (error) {
      return false;
    }
  }

  // --- zlib, bounded -----------------------------------------------------------------

  async function inflate(data, limit) {
    const stream = new DecompressionStream("deflate");
    const writer = stream.writable.getWriter();
    // Their failures surface on the reading side; unobserved they would be reported twice.
    writer.write(data).catch(() => {});
    writer.close().catch(() => {});
    const reader = stream.readable.getReader();
    const chunks = [];
    let total = 0;
    for (;;) {
      let step;
      try {
        step = await reader.read();
      } catch (error) {
        throw new NotGenuine("zlib", String(error && error.message));
      }
      if (step.done) break;
      total += step.value.length;
      if (total > limit) {
        // A bomb: stop inflating at once rather than after the whole output.
        reader.cancel().catch(() => {});
        throw new NotGenuine("too_large", "more than " + limit + " bytes once decompressed");
      }
      chunks.push(step.value);
    }
    return concat(chunks);
  }

  function concat(parts) {
    const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
    let offset = 0;
    for (const part of parts) {
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  }

  // --- CBOR (RFC 8949): what the format uses, definite lengths only --------------------

  class Tagged {
    constructor(tag, value) {
      this.tag = tag;
      this.value = value;
    }
  }

  const MAX_DEPTH = 8;
  const MAX_ITEMS = 10000;
  const UTF8 = new TextDecoder("utf-8", { fatal: true });

  function cborDecode(bytes, kind) {
    let offset = 0;
    let items = 0;
    const fail = (detail) => { throw new NotGenuine(kind, detail); };

    function argument(info) {
      if (info < 24) return info;
      const size = { 24: 1, 25: 2, 26: 4, 27: 8 }[info];
      if (!size) fail("indefinite or reserved length");
      if (offset + size > bytes.length) fail("truncated");
      let value = 0;
      for (let i = 0; i < size; i++) value = value * 256 + bytes[offset + i];
      offset += size;
      if (!Number.isSafeInteger(value)) fail("integer too large");
      return value;
    }

    function take(length) {
      if (length > bytes.length - offset) fail("truncated");
      const out = bytes.subarray(offset, offset + length);
      offset += length;
      return out;
    }

    function item(depth) {
      if (depth > MAX_DEPTH) fail("nested too deeply");
      if (++items > MAX_ITEMS) fail("too many items");
      if (offset >= bytes.length) fail("truncated");
      const initial = bytes[offset++];
      const major = initial >> 5;
      const info = initial & 0x1f;
      if (major === 7) {
        if (info === 20) return false;
        if (info === 21) return true;
        if (info === 22) return null;
        fail("unsupported simple value or float");
      }
      const n = argument(info);
      switch (major) {
        case 0: return n;
        case 1: return -1 - n;
        case 2: return take(n);
        case 3:
          try {
            return UTF8.decode(take(n));
          } catch (error) {
            if (error instanceof NotGenuine) throw error;
            return fail("text is not UTF-8");
          }
        case 4: {
          if (n > bytes.length - offset) fail("truncated");
          const list = [];
          for (let i = 0; i < n; i++) list.push(item(depth + 1));
          return list;
        }
        case 5: {
          if (n * 2 > bytes.length - offset) fail("truncated");
          const map = new Map();
          for (let i = 0; i < n; i++) {
            const key = item(depth + 1);
            if (typeof key !== "number" && typeof key !== "string") fail("map key of a wrong type");
            if (map.has(key)) fail("duplicate map key");
            map.set(key, item(depth + 1));
          }
          return map;
        }
        default:
          return new Tagged(n, item(depth + 1));
      }
    }

    const value = item(0);
    if (offset !== bytes.length) fail("trailing bytes");
    return value;
  }

  function cborHead(major, length) {
    if (length < 24) return [(major << 5) | length];
    if (length < 0x100) return [(major << 5) | 24, length];
    if (length < 0x10000) return [(major << 5) | 25, length >> 8, length & 0xff];
    return [(major << 5) | 26, (length >>> 24) & 0xff, (length >> 16) & 0xff,
      (length >> 8) & 0xff, length & 0xff];
  }

  function bstr(bytes) {
    return concat([Uint8Array.from(cborHead(2, bytes.length)), bytes]);
  }

  // Sig_structure = ["Signature1", protected, h'' (external_aad), payload]
  function sigStructure(protectedBytes, payload) {
    const context = new TextEncoder().encode("Signature1");
    return concat([
      Uint8Array.from(cborHead(4, 4)),
      Uint8Array.from(cborHead(3, context.length)), context,
      bstr(protectedBytes), bstr(new Uint8Array(0)), bstr(payload),
    ]);
  }

  // --- Keys --------------------------------------------------------------------------

  function b64urlDecode(text) {
    if (typeof text !== "string" || !/^[A-Za-z0-9_-]*$/.test(text)) throw new Error("not base64url");
    const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  }

  function hex(bytes) {
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  /* The published keys, by kid (hex). A key whose kid is not the start of the SHA-256 of
   * its bytes is left out: a kid must name one key only. */
  async function importKeys(jwks) {
    const keys = new Map();
    const listed = jwks && Array.isArray(jwks.keys) ? jwks.keys : [];
    for (const jwk of listed) {
      try {
        if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519") continue;
        const raw = b64urlDecode(jwk.x);
        if (raw.length !== 32) continue;
        const kid = new Uint8Array(await crypto.subtle.digest("SHA-256", raw)).subarray(0, KID_LENGTH);
        if (jwk.kid !== undefined && hex(b64urlDecode(jwk.kid)) !== hex(kid)) continue;
        const key = await crypto.subtle.importKey("raw", raw, { name: "Ed25519" }, false, ["verify"]);
        keys.set(hex(kid), key);
      } catch (error) {
        // One malformed entry must not hide the others.
      }
    }
    return keys;
  }

  // --- COSE_Sign1 (RFC 9052) ---------------------------------------------------------

  async function openSigned(bytes, keys) {
    let message = cborDecode(bytes, "cbor");
    if (message instanceof Tagged) {
      if (message.tag !== COSE_SIGN1_TAG) throw new NotGenuine("structure", "CBOR tag " + message.tag);
      message = message.value;
    }
    if (!(Array.isArray(message) && message.length === 4 && message[0] instanceof Uint8Array &&
          message[1] instanceof Map && message[2] instanceof Uint8Array &&
          message[3] instanceof Uint8Array)) {
      throw new NotGenuine("structure", "not a COSE_Sign1 array");
    }
    const [protectedBytes, , body, signature] = message;
    const header = cborDecode(protectedBytes, "structure");
    if (!(header instanceof Map) || header.get(1) !== ALG_EDDSA) throw new NotGenuine("algorithm");
    const kid = header.get(4);
    if (!(kid instanceof Uint8Array) || kid.length !== KID_LENGTH) {
      throw new NotGenuine("structure", "no 8-byte kid in the protected header");
    }
    const key = keys.get(hex(kid));
    if (!key) throw new NotGenuine("unknown_kid", hex(kid));
    if (signature.length !== 64) throw new NotGenuine("signature", "not 64 bytes");
    const good = await crypto.subtle.verify({ name: "Ed25519" }, key, signature,
      sigStructure(protectedBytes, body));
    if (!good) throw new NotGenuine("signature");
    const payload = cborDecode(body, "payload");
    if (!(payload instanceof Map)) throw new NotGenuine("payload", "not a map");
    return { payload, kid: hex(kid), header };
  }

  // --- The card ----------------------------------------------------------------------

  const isInt = (value) => Number.isSafeInteger(value);

  function cardClaims(card) {
    if (!(card instanceof Map) || REQUIRED.some((key) => !card.has(key))) {
      throw new NotGenuine("payload", "card claim incomplete");
    }
    for (const [key, value] of card) {
      const expected = CARD_FIELDS[key];
      if (expected === "string" && typeof value !== "string") {
        throw new NotGenuine("payload", "card claim " + key + " of a wrong type");
      }
      if (expected === "int" && !(isInt(value) && value > 0 && value < 2 ** 31)) {
        throw new NotGenuine("payload", "card claim " + key + " of a wrong type");
      }
    }
    return {
      number: card.get("n"), version: card.get("v"), nameAr: card.get("ar"),
      nameLatin: card.get("la"), nameZgh: card.get("zg") || "", category: card.get("c"),
      activity: card.get("a"), province: card.get("p"),
    };
  }

  // The signed payload of a QR text (bare or camera address), of this issuer.
  async function openText(text, keys) {
    text = payloadText(text);
    if (!text.startsWith(PREFIX)) throw new NotGenuine("prefix");
    if (text.length > MAX_TEXT + PREFIX.length) throw new NotGenuine("too_large", "longer than a QR code holds");
    const compressed = base45Decode(text.slice(PREFIX.length));
    const opened = await openSigned(await inflate(compressed, MAX_INFLATED), keys);
    if (opened.payload.get(CLAIM.iss) !== ISSUER) throw new NotGenuine("payload", "another issuer");
    return opened;
  }

  function signedCard(payload, kid) {
    const issuedAt = payload.get(CLAIM.iat);
    const expiresAt = payload.get(CLAIM.exp);
    if (!isInt(issuedAt) || !isInt(expiresAt)) throw new NotGenuine("payload", "iat or exp missing");
    return { kind: "card", card: cardClaims(payload.get(CLAIM.card)), issuedAt, expiresAt, kid };
  }

  async function decodeCard(text, keys) {
    const { payload, kid } = await openText(text, keys);
    return signedCard(payload, kid);
  }

  // --- The attestation (docs/card-qr.md §10) --------------------------------------------

  function attestationClaims(claim) {
    if (!(claim instanceof Map) || ATTESTATION_REQUIRED.some((key) => !claim.has(key))) {
      throw new NotGenuine("payload", "attestation claim incomplete");
    }
    for (const [key, value] of claim) {
      if (ATTESTATION_FIELDS[key] && typeof value !== "string") {
        throw new NotGenuine("payload", "attestation claim " + key + " of a wrong type");
      }
    }
    for (const key of ["r", "u"]) {
      if (claim.has(key) && !/^\d{4}-\d{2}-\d{2}$/.test(claim.get(key))) {
        throw new NotGenuine("payload", "attestation claim " + key + " is not a date");
      }
    }
    return {
      number: claim.get("n"), nameAr: claim.get("ar"), nameLatin: claim.get("la"),
      nameZgh: claim.get("zg") || "", category: claim.get("c"), activity: claim.get("a"),
      province: claim.get("p"), registeredOn: claim.get("r"), validUntil: claim.get("u") || "",
      code: claim.get("k"),
    };
  }

  /* A card or an attestation, whichever the signed text holds. */
  async function decodeDocument(text, keys) {
    const { payload, kid } = await openText(text, keys);
    if (payload.has(CLAIM.attestation) && !payload.has(CLAIM.card)) {
      const issuedAt = payload.get(CLAIM.iat);
      const expiresAt = payload.has(CLAIM.exp) ? payload.get(CLAIM.exp) : null;
      if (!isInt(issuedAt) || !(expiresAt === null || isInt(expiresAt))) {
        throw new NotGenuine("payload", "iat missing or exp not a date");
      }
      return { kind: "attestation", attestation: attestationClaims(payload.get(CLAIM.attestation)),
        issuedAt, expiresAt, kid };
    }
    return signedCard(payload, kid);
  }

  // --- The revocation list -------------------------------------------------------------

  async function decodeRevocations(bytes, keys) {
    const { payload } = await openSigned(bytes, keys);
    const issuedAt = payload.get(CLAIM.iat);
    const nextUpdate = payload.get(CLAIM.nextUpdate);
    const rows = payload.get(CLAIM.entries);
    if (payload.get(CLAIM.iss) !== ISSUER || !isInt(issuedAt) || !isInt(nextUpdate) || !Array.isArray(rows)) {
      throw new NotGenuine("payload", "not a revocation list");
    }
    const entries = new Map();
    for (const row of rows) {
      if (!(Array.isArray(row) && row.length === 3 && typeof row[0] === "string" && isInt(row[1]) &&
            (row[2] === REVOKED || row[2] === SUSPENDED))) {
        throw new NotGenuine("payload", "malformed revocation entry");
      }
      entries.set(row[0] + "/" + row[1], row[2]);
    }
    return {
      issuedAt, nextUpdate, size: entries.size,
      reasonFor: (number, version) => entries.get(number + "/" + version) || null,
    };
  }

  // --- The verdict ---------------------------------------------------------------------

  /* The verdict of a card whose signature checked: revoked (by the list or live) first,
   * then suspended, then expired. `live` is the online status, or null when unknown. */
  function verdict(signed, { listReason = null, live = null, now = Date.now() / 1000 } = {}) {
    if (signed.kind === "attestation") {
      // Never on the revocation list: its current status is the online check's.
      return signed.expiresAt !== null && now > signed.expiresAt ? "expired" : "valid";
    }
    if (listReason === REVOKED || live === "revoked") return "revoked";
    if (listReason === SUSPENDED || live === "suspended") return "suspended";
    if (now > signed.expiresAt || live === "expired") return "expired";
    return "valid";
  }

  function formatNumber(number) {
    return /^\d{10}$/.test(number) ? number.replace(/^(\d{3})(\d{3})(\d{3})(\d)$/, "$1 $2 $3 $4") : number;
  }

  global.RNA = {
    PREFIX, MAX_TEXT, MAX_INFLATED, REVOKED, SUSPENDED, NotGenuine, Tagged, payload: payloadText,
    isSigned, base45Decode, inflate, cborDecode, sigStructure, importKeys, openSigned,
    decodeCard, decodeDocument, decodeRevocations, verdict, formatNumber,
  };
})(globalThis);
