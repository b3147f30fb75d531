/* Claim 169 cards and the register's status list in the browser (docs/card-qr.md §11–12,
 * docs/decisions/0062, 0063), built on rna.js (Base45, bounded zlib, CBOR, COSE_Sign1 and
 * Ed25519 through WebCrypto: the same steps as a card printed before).
 *
 *   card text   = Base45(zlib(COSE_Sign1(CWT claims + claim 169 + status 65535)))
 *   status list = COSE_Sign1 typed "application/statuslist+cwt", 2 bits a card
 *
 * Same checks and verdict order as hirfa/cards/claim169.py and statuslist.py: every failure
 * is a NotGenuine error naming its step. Cards printed before (`RNA1:…`) are still read by
 * rna.js: `RNA.decodeDocument` takes whichever the text is.
 */
(function (global) {
  "use strict";

  const RNA = global.RNA;
  if (!RNA) return;
  const NotGenuine = RNA.NotGenuine;
  const ISSUER = "https://rna.artisanat.gov.ma";
  const STATUS_LIST_URI = ISSUER + "/.well-known/rna-status-list";
  const STATUS_LIST_TYPE = "application/statuslist+cwt";
  const MAX_INFLATED = 16384;
  const MAX_IMAGE_BYTES = 4096;
  const MAX_LIST_BYTES = 2 * 1024 * 1024;
  const CLAIM = { iss: 1, sub: 2, exp: 4, nbf: 5, iat: 6, identity: 169, status: 65535,
    statusList: 65533, ttl: 65534 };
  const A = { id: 1, fullName: 4, firstName: 5, lastName: 7, birthDate: 8, gender: 9,
    secondaryName: 19, face: 62, category: 100, activity: 101, province: 102, version: 103,
    nameZgh: 104 };
  const TEXT = new Set([1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 15, 19, 20, 21, 22, 23, 100, 101,
    102, 104]);
  const INTEGER = new Set([9, 14, 17, 103]);
  const isInt = (value) => Number.isSafeInteger(value);
  const base45Text = /^[0-9A-Z $%*+\-./:]+$/;

  /* A bare Claim 169 text: Base45 alone, starting with a zlib header once decoded. */
  function looksLike(text) {
    if (typeof text !== "string" || text.length < 32 || !base45Text.test(text)) return false;
    try {
      const head = RNA.base45Decode(text.slice(0, 3));
      return head[0] === 0x78 && (head[0] * 256 + head[1]) % 31 === 0;
    } catch (error) {
      return false;
    }
  }

  function biometrics(key, value) {
    if (!Array.isArray(value) || !value.length) {
      throw new NotGenuine("payload", "attribute " + key + " is not a list of biometrics");
    }
    for (const item of value) {
      if (!(item instanceof Map) || !(item.get(0) instanceof Uint8Array)) {
        throw new NotGenuine("payload", "attribute " + key + ": biometric data missing");
      }
      if (item.get(0).length > MAX_IMAGE_BYTES) {
        throw new NotGenuine("payload", "attribute " + key + ": image too large");
      }
      for (const sub of [1, 2]) {
        if (item.has(sub) && !isInt(item.get(sub))) {
          throw new NotGenuine("payload", "attribute " + key + ": format of a wrong type");
        }
      }
    }
  }

  function checked(identity) {
    if (!(identity instanceof Map)) throw new NotGenuine("payload", "claim 169 missing or not a map");
    for (const [key, value] of identity) {
      if (TEXT.has(key) && typeof value !== "string") {
        throw new NotGenuine("payload", "attribute " + key + " is not text");
      }
      if (INTEGER.has(key) && !isInt(value)) {
        throw new NotGenuine("payload", "attribute " + key + " is not an integer");
      }
      if (key >= 50 && key <= 65) biometrics(key, value);
    }
    if (identity.has(A.gender) && ![1, 2, 3].includes(identity.get(A.gender))) {
      throw new NotGenuine("payload", "gender outside 1, 2, 3");
    }
    return identity;
  }

  function statusReference(payload) {
    const status = payload.get(CLAIM.status);
    const reference = status instanceof Map ? status.get("status_list") : null;
    if (!(reference instanceof Map)) throw new NotGenuine("payload", "no status list entry");
    const index = reference.get("idx");
    const uri = reference.get("uri");
    if (!isInt(index) || index < 0 || uri !== STATUS_LIST_URI) {
      throw new NotGenuine("payload", "no status list entry of this register");
    }
    return { index, uri };
  }

  async function decodeCard(text, keys) {
    if (text.length > RNA.MAX_TEXT) throw new NotGenuine("too_large", "longer than a QR code holds");
    const compressed = RNA.base45Decode(text);
    const { payload, kid } = await RNA.openSigned(await RNA.inflate(compressed, MAX_INFLATED), keys);
    if (payload.get(CLAIM.iss) !== ISSUER) throw new NotGenuine("payload", "another issuer");
    const identity = checked(payload.get(CLAIM.identity));
    const issuedAt = payload.get(CLAIM.iat);
    const expiresAt = payload.get(CLAIM.exp);
    if (!isInt(issuedAt) || !isInt(expiresAt)) throw new NotGenuine("payload", "iat or exp missing");
    for (const key of [A.id, A.fullName, A.secondaryName, A.category, A.activity, A.province, A.version]) {
      if (!identity.has(key)) throw new NotGenuine("payload", "card attribute " + key + " missing");
    }
    const version = identity.get(A.version);
    if (!(version > 0 && version < 2 ** 31)) throw new NotGenuine("payload", "card version out of range");
    const birth = identity.get(A.birthDate) || "";
    return {
      kind: "card", standard: true, status: statusReference(payload), issuedAt, expiresAt, kid,
      card: {
        number: identity.get(A.id), version, nameAr: identity.get(A.fullName),
        nameLatin: identity.get(A.secondaryName), nameZgh: identity.get(A.nameZgh) || "",
        category: identity.get(A.category), activity: identity.get(A.activity),
        province: identity.get(A.province),
        birthDate: /^\d{8}$/.test(birth) ? birth.replace(/^(\d{4})(\d{2})(\d{2})$/, "$1-$2-$3") : "",
        gender: identity.get(A.gender) || null,
      },
    };
  }

  // --- The status list -------------------------------------------------------------------

  async function decodeStatusList(bytes, keys, now = Date.now() / 1000) {
    if (!(bytes instanceof Uint8Array) || bytes.length > MAX_LIST_BYTES) {
      throw new NotGenuine("too_large", "not a status list of a fitting size");
    }
    const { payload, header } = await RNA.openSigned(bytes, keys);
    if (header.get(16) !== STATUS_LIST_TYPE) throw new NotGenuine("structure", "not a status list token");
    if (payload.get(CLAIM.iss) !== ISSUER) throw new NotGenuine("payload", "another issuer");
    if (payload.get(CLAIM.sub) !== STATUS_LIST_URI) throw new NotGenuine("payload", "another status list");
    const issuedAt = payload.get(CLAIM.iat);
    const expiresAt = payload.get(CLAIM.exp);
    const ttl = payload.has(CLAIM.ttl) ? payload.get(CLAIM.ttl) : null;
    if (!isInt(issuedAt) || !isInt(expiresAt)) throw new NotGenuine("payload", "iat or exp missing");
    if (ttl !== null && !(isInt(ttl) && ttl > 0)) throw new NotGenuine("payload", "ttl is not positive");
    if (now > expiresAt) throw new NotGenuine("stale", "the status list has expired");
    const body = payload.get(CLAIM.statusList);
    const bits = body instanceof Map ? body.get("bits") : null;
    if (![1, 2, 4, 8].includes(bits) || !(body.get("lst") instanceof Uint8Array)) {
      throw new NotGenuine("payload", "status_list malformed");
    }
    const statuses = await RNA.inflate(body.get("lst"), MAX_LIST_BYTES);
    const perByte = 8 / bits;
    const size = statuses.length * perByte;
    return {
      issuedAt, expiresAt, ttl, size,
      refreshAt: ttl ? issuedAt + ttl : expiresAt,
      status(index) {
        if (!(index >= 0 && index < size)) return null;
        return (statuses[Math.floor(index / perByte)] >> ((index % perByte) * bits)) & ((1 << bits) - 1);
      },
      // 1 (INVALID) revoked, 2 suspended: the verdict's list reasons.
      reasonFor(signed) {
        const value = signed.status ? this.status(signed.status.index) : null;
        return value === 1 ? RNA.REVOKED : value === 2 ? RNA.SUSPENDED : null;
      },
    };
  }

  // --- Both card formats through the same entry points ------------------------------------

  const decodeDocumentBefore = RNA.decodeDocument;
  const decodeCardBefore = RNA.decodeCard;
  const isSignedBefore = RNA.isSigned;

  function bare(text) {
    const inner = RNA.payload(text);
    return !inner.startsWith(RNA.PREFIX) && looksLike(inner) ? inner : null;
  }

  RNA.decodeDocument = async function (text, keys) {
    const standard = bare(text);
    return standard ? decodeCard(standard, keys) : decodeDocumentBefore(text, keys);
  };
  RNA.decodeCard = async function (text, keys) {
    const standard = bare(text);
    return standard ? decodeCard(standard, keys) : decodeCardBefore(text, keys);
  };
  RNA.isSigned = function (text) {
    if (isSignedBefore(text)) return true;
    try {
      return bare(text) !== null;
    } catch (error) {
      return false;
    }
  };
  Object.assign(RNA, { ISSUER, STATUS_LIST_URI, looksLike, decodeClaim169: decodeCard, decodeStatusList });
})(globalThis);
