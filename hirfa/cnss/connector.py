"""One connector, two transports: how batches reach the CNSS and how its answers come back.

The exchange services only know `Transport`: `send` delivers one outbound batch file,
`receive` yields the inbound batch files waiting (as local paths, oldest first) and `done`
says one was handled. Files (default) are drop folders; HTTP is for a future CNSS API
(docs/cnss-exchange.md describes both). CNSS_TRANSPORT chooses.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from django.conf import settings

from hirfa.cnss import exchange_format as fmt


class TransportError(Exception):
    """The other side could not be reached or answered wrongly; nothing was lost."""


class Transport(Protocol):
    name: str

    def send(self, path: Path, batch_id: str) -> None: ...

    def receive(self, after_sequence: int) -> Iterator[Path]: ...

    def done(self, path: Path, *, refused: bool) -> None: ...


def _copy_atomically(source: Path, folder: Path, name: str) -> Path:
    """Copy into `folder` under a hidden name, then rename: a reader sees all or nothing."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    partial = folder / f".{name}.part"
    shutil.copyfile(source, partial)
    os.replace(partial, target)
    return target


class FileTransport:
    """Drop folders: outbound batches into `outbox`, answers read from `inbox`.

    A handled inbound file moves to inbox/done/ (or inbox/refused/), so the folder
    only ever shows what is still to import.
    """

    name = "file"

    def __init__(self, outbox: Path, inbox: Path):
        self.outbox = Path(outbox)
        self.inbox = Path(inbox)

    def send(self, path: Path, batch_id: str) -> None:
        _copy_atomically(path, self.outbox, f"{batch_id}.jsonl")

    def receive(self, after_sequence: int) -> Iterator[Path]:
        if not self.inbox.is_dir():
            return
        # Batch ids carry the sequence with leading zeros: the name order is the send order.
        yield from sorted(p for p in self.inbox.glob("*.jsonl") if p.is_file())

    def done(self, path: Path, *, refused: bool) -> None:
        folder = self.inbox / ("refused" if refused else "done")
        folder.mkdir(parents=True, exist_ok=True)
        os.replace(path, folder / path.name)


class HttpTransport:
    """A CNSS API: POST {url}/batches (the file as body), GET {url}/answers?after=N (a JSON
    list of {"batch_id", "sequence"}), GET {url}/answers/<batch id> (the file)."""

    name = "http"

    def __init__(self, url: str, *, token: str = "", timeout: int = 60, work_dir: Path):
        if not url:
            raise TransportError("CNSS_HTTP_URL is not set")
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.work_dir = Path(work_dir)

    def _request(self, method: str, path: str, *, body=None, length: int | None = None):
        headers = {"Accept": "application/json, application/x-ndjson"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if body is not None:
            headers["Content-Type"] = "application/x-ndjson"
            headers["Content-Length"] = str(length)
        request = urllib.request.Request(self.url + path, data=body, method=method, headers=headers)
        try:
            return urllib.request.urlopen(request, timeout=self.timeout)
        except OSError as error:
            raise TransportError(f"{method} {self.url}{path}: {error}") from error

    def send(self, path: Path, batch_id: str) -> None:
        with open(path, "rb") as body:
            response = self._request("POST", "/batches", body=body, length=os.path.getsize(path))
            with response:
                if response.status not in (200, 201, 202):
                    raise TransportError(f"POST /batches answered {response.status}")

    def receive(self, after_sequence: int) -> Iterator[Path]:
        query = urllib.parse.urlencode({"after": after_sequence})
        with self._request("GET", f"/answers?{query}") as response:
            try:
                listing = json.loads(response.read(1024 * 1024))
            except ValueError as error:
                raise TransportError("GET /answers did not answer JSON") from error
        if not isinstance(listing, list):
            raise TransportError("GET /answers did not answer a list")
        folder = self.work_dir / "http-inbox"
        folder.mkdir(parents=True, exist_ok=True)
        for entry in sorted(listing, key=lambda item: item.get("sequence", 0)):
            batch_id = entry.get("batch_id") if isinstance(entry, dict) else None
            if not isinstance(batch_id, str) or not fmt.BATCH_ID.match(batch_id):
                raise TransportError("GET /answers listed an invalid batch id")
            with (
                self._request("GET", f"/answers/{batch_id}") as response,
                tempfile.NamedTemporaryFile("wb", dir=folder, delete=False) as partial,
            ):
                shutil.copyfileobj(response, partial, fmt.CHUNK)
            target = folder / f"{batch_id}.jsonl"
            os.replace(partial.name, target)
            yield target

    def done(self, path: Path, *, refused: bool) -> None:
        path.unlink(missing_ok=True)


def transport(name: str | None = None) -> Transport:
    """The configured transport (CNSS_TRANSPORT), or the one named."""
    name = name or settings.CNSS_TRANSPORT
    if name == "http":
        return HttpTransport(
            settings.CNSS_HTTP_URL,
            token=settings.CNSS_HTTP_TOKEN,
            timeout=settings.CNSS_HTTP_TIMEOUT_SECONDS,
            work_dir=settings.CNSS_WORK_DIR,
        )
    return FileTransport(settings.CNSS_OUTBOX_DIR, settings.CNSS_INBOX_DIR)
