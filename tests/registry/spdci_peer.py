"""The CNSS's side of the SPDCI API, written from the documented message form alone
(docs/spdci.md): it signs the requests it sends, checks the signatures of what it receives,
and runs a subscriber's notification endpoint on loopback. Nothing of hirfa is imported.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

SENDER_ID = "cnss.ma"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _digest(header: dict, message: dict) -> str:
    content = json.dumps(
        {"header": header, "message": message},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode()
    return base64.b64encode(hashlib.blake2b(content, digest_size=64).digest()).decode()


def _signing_string(created: int, expires: int, digest: str) -> bytes:
    return f"(created): {created}\n(expires): {expires}\ndigest: BLAKE-512={digest}".encode()


class Peer:
    def __init__(self, sender_id: str = SENDER_ID):
        self.sender_id = sender_id
        self.key = Ed25519PrivateKey.generate()

    @property
    def public_key_text(self) -> str:
        return b64url(self.key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))

    def envelope(
        self,
        action: str,
        message: dict,
        *,
        message_id: str | None = None,
        created: int | None = None,
        **header_items,
    ) -> dict:
        header = {
            "version": "1.0.0",
            "message_id": message_id or str(uuid.uuid4()),
            "message_ts": "2026-12-05T10:00:00+00:00",
            "action": action,
            "sender_id": self.sender_id,
            "receiver_id": "ma.rna",
            "total_count": 1,
            "is_msg_encrypted": False,
            **header_items,
        }
        created = created if created is not None else int(time.time())
        expires = created + 300
        signature = self.key.sign(_signing_string(created, expires, _digest(header, message)))
        text = (
            f'namespace="dci", kidId="{self.sender_id}|k1|ed25519", algorithm="ed25519", '
            f'created="{created}", expires="{expires}", headers="(created) (expires) digest", '
            f'signature="{base64.b64encode(signature).decode()}"'
        )
        return {"signature": text, "header": header, "message": message}

    def search(self, id_type: str, value: str, **envelope_args) -> dict:
        message = {
            "transaction_id": str(uuid.uuid4()),
            "search_request": [
                {
                    "reference_id": "r1",
                    "timestamp": "2026-12-05T10:00:00+00:00",
                    "search_criteria": {
                        "version": "1.0.0",
                        "query_type": "idtype-value",
                        "query": {"type": id_type, "value": value},
                    },
                    "locale": "fr",
                }
            ],
        }
        return self.envelope("search", message, **envelope_args)

    def subscribe(self, event: str) -> dict:
        message = {
            "transaction_id": str(uuid.uuid4()),
            "subscribe_request": [
                {
                    "reference_id": "s1",
                    "timestamp": "2026-12-05T10:00:00+00:00",
                    "subscribe_criteria": {"version": "1.0.0", "reg_event_type": event},
                }
            ],
        }
        return self.envelope("subscribe", message)


def verified(envelope: dict, jwks: dict) -> bool:
    """Does the registry's signature over `envelope` check with a key of its JWKS?"""
    params = dict(re.findall(r'(\w+)="([^"]*)"', envelope["signature"]))
    sender, kid, alg = params["kidId"].split("|")
    if alg != "ed25519" or sender != envelope["header"]["sender_id"]:
        return False
    key = next((k for k in jwks["keys"] if k["kid"] == kid), None)
    if key is None:
        return False
    public = Ed25519PublicKey.from_public_bytes(base64.urlsafe_b64decode(key["x"] + "=="))
    string = _signing_string(
        int(params["created"]),
        int(params["expires"]),
        _digest(envelope["header"], envelope["message"]),
    )
    try:
        public.verify(base64.b64decode(params["signature"]), string)
    except Exception:
        return False
    return True


class Subscriber:
    """A notification endpoint on loopback: keeps every message posted to it. `fail` makes
    it answer 503 (a subscriber that is down)."""

    def __init__(self):
        self.received: list[dict] = []
        self.fail = False
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length))
                if outer.fail:
                    self.send_response(503)
                    self.end_headers()
                    return
                outer.received.append(body)
                answer = json.dumps(
                    {
                        "message": {
                            "ack_status": "ACK",
                            "correlation_id": body["header"]["message_id"],
                        }
                    }
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/dci/notify"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
