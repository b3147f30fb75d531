"""CNSS SANDBOX — not the CNSS. A stand-in that answers our batches the way the CNSS would.

It runs as its own process (`python -m hirfa.cnss.sandbox serve …`, started by `make run`
in the demo) and never touches hirfa's database: it reads only the batch files we send
(a drop folder, or POST /batches over HTTP), keeps its own small state (a SQLite file in
its folder) and writes signed answer batches (to our inbox folder, and GET /answers).

Its answers are deterministic, so that demonstrations and tests can rely on them
(docs/cnss-exchange.md, "The sandbox"):

- pre-registration: an immatriculation number (9 digits derived from the CNIE, the next
  free one if taken), except
  a CNIE ending in "13" (rejected CNIE_UNKNOWN) and a CNIE whose digits add up to a
  multiple of 11 (rejected ALREADY_COVERED);
- update: acknowledged for known insured, UNKNOWN_INSURED otherwise;
- dependant: accepted, except a child over 21 not a student, or over 26 (AGE_LIMIT);
- each simulated month (`month`, or every --month-seconds): a payments batch (135.00 for
  the month from every insured, except that an immatriculation number ending in 0 stops
  paying after its fourth month) and a rights batch with the changes: open after three
  paid months, suspended after two unpaid months.
"""

from __future__ import annotations

import argparse
import calendar
import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from hirfa.cnss import exchange_format as fmt

NAME = "CNSS SANDBOX — not the CNSS"
CONTRIBUTION = "135.00"
WAITING_MONTHS = 3
SUSPEND_AFTER_UNPAID = 2
STOPS_PAYING_AFTER = 4
KEY_FILE = "sandbox-signing.key"


def say(message: str) -> None:
    print(f"[{NAME}] {message}", flush=True)


def _add_month(day: date) -> date:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def cnss_number_for(cnie: str) -> str:
    return str(100_000_000 + int(hashlib.sha256(cnie.encode()).hexdigest(), 16) % 900_000_000)


def rejection_for(cnie: str) -> tuple[str, str] | None:
    if cnie.endswith("13"):
        return "CNIE_UNKNOWN", "CNIE not found in the national identity register"
    if sum(int(c) for c in cnie if c.isdigit()) % 11 == 0:
        return "ALREADY_COVERED", "Already insured under another scheme"
    return None


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class Sandbox:
    """The sandbox's state (its own SQLite file) and its answers."""

    def __init__(self, folder: Path, *, rna_public_key: Path, outgoing: Path | None = None):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.incoming = self.folder / "incoming"
        self.answers = self.folder / "answers"
        self.incoming.mkdir(exist_ok=True)
        self.answers.mkdir(exist_ok=True)
        self.outgoing = Path(outgoing) if outgoing else None
        self.rna_public_key = Path(rna_public_key)
        self.key = fmt.load_or_create_private_key(self.folder / KEY_FILE)
        self.lock = threading.Lock()
        self.db = sqlite3.connect(self.folder / "sandbox.sqlite3", check_same_thread=False)
        self.db.executescript(
            """
            PRAGMA journal_mode=WAL;
            CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS seen (batch_id TEXT PRIMARY KEY, outcome TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS answer (
                batch_id TEXT PRIMARY KEY, sequence INTEGER NOT NULL UNIQUE);
            CREATE TABLE IF NOT EXISTS insured (
                number TEXT PRIMARY KEY, cnss_number TEXT NOT NULL, since TEXT NOT NULL,
                paid INTEGER NOT NULL DEFAULT 0, unpaid INTEGER NOT NULL DEFAULT 0,
                rights TEXT NOT NULL DEFAULT 'waiting');
            CREATE UNIQUE INDEX IF NOT EXISTS insured_cnss_number ON insured (cnss_number);
            """
        )
        if self._meta("today") is None:
            self._set_meta("today", date.today().isoformat())
            self._set_meta("sequence", "0")
            self.db.commit()

    # --- state ---

    def _meta(self, name: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def _set_meta(self, name: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (name, value))

    @property
    def today(self) -> date:
        return date.fromisoformat(self._meta("today"))

    def _rna_keys(self) -> dict:
        if not self.rna_public_key.exists():
            return {}
        key = fmt.public_key_from_text(self.rna_public_key.read_text())
        return {fmt.key_id(key): key}

    # --- answers ---

    def _write(self, kind: str, records, *, in_reply_to: str | None = None) -> str | None:
        """Write one signed answer batch, unless it would be empty."""
        records = iter(records)
        first = next(records, None)
        if first is None:
            return None
        sequence = int(self._meta("sequence")) + 1
        path = self.answers / f"{fmt.batch_id_for('CNSS', sequence)}.jsonl"
        with fmt.BatchWriter(
            path, kind=kind, sequence=sequence, key=self.key, in_reply_to=in_reply_to
        ) as writer:
            writer.write(first)
            for record in records:
                writer.write(record)
        self._set_meta("sequence", str(sequence))
        batch_id = writer.header.batch_id
        self.db.execute("INSERT INTO answer VALUES (?, ?)", (batch_id, sequence))
        self.db.commit()
        if self.outgoing is not None:
            self.outgoing.mkdir(parents=True, exist_ok=True)
            partial = self.outgoing / f".{path.name}.part"
            shutil.copyfile(path, partial)
            os.replace(partial, self.outgoing / path.name)
        say(f"wrote {batch_id} ({kind}, {writer.header.record_count} records)")
        return batch_id

    def answer_pending(self) -> list[str]:
        """Answer every batch of ours in the incoming folder not seen yet."""
        written = []
        with self.lock:
            for path in sorted(self.incoming.glob("RNA-*.jsonl")):
                batch_id = self._answer(path)
                if batch_id:
                    written.append(batch_id)
        return written

    def _answer(self, path: Path) -> str | None:
        seen = self.db.execute("SELECT 1 FROM seen WHERE batch_id = ?", (path.stem,)).fetchone()
        if seen:
            return None
        try:
            header = fmt.verify(path, self._rna_keys())
            if header.direction != fmt.RNA_TO_CNSS:
                raise fmt.FileError("wrong_direction")
        except fmt.FileError as error:
            say(f"refused {path.name}: {error.code}")
            self.db.execute("INSERT INTO seen VALUES (?, ?)", (path.stem, error.code))
            self.db.commit()
            return None
        answers = {
            "pre_registration": self._pre_registrations,
            "update": self._updates,
            "dependants": self._dependants,
        }[header.kind](fmt.records(path, header.kind))
        batch_id = self._write("acknowledgement", answers, in_reply_to=header.batch_id)
        self.db.execute("INSERT INTO seen VALUES (?, ?)", (header.batch_id, "answered"))
        self.db.commit()
        return batch_id

    def _pre_registrations(self, lines):
        today = self.today
        for line in lines:
            if line.error is not None:
                if line.key:
                    yield {
                        "type": "rejection",
                        "number": line.key,
                        "code": "INVALID_RECORD",
                        "reason": f"Invalid record: {line.error}",
                    }
                continue
            record = line.record
            refusal = rejection_for(record["cnie"])
            if refusal:
                code, reason = refusal
                yield {
                    "type": "rejection",
                    "number": record["number"],
                    "code": code,
                    "reason": reason,
                }
                continue
            cnss_number = self._insure(record["number"], record["cnie"], today)
            yield {
                "type": "immatriculation",
                "number": record["number"],
                "cnss_number": cnss_number,
                "on": today,
            }

    def _insure(self, number: str, cnie: str, today: date) -> str:
        """The insured's number: kept if known, else derived from the CNIE, the next free
        one when two CNIEs hash alike (numbers are never given twice)."""
        row = self.db.execute(
            "SELECT cnss_number FROM insured WHERE number = ?", (number,)
        ).fetchone()
        if row:
            return row[0]
        candidate = int(cnss_number_for(cnie))
        while self.db.execute(
            "SELECT 1 FROM insured WHERE cnss_number = ?", (str(candidate),)
        ).fetchone():
            candidate = 100_000_000 + (candidate - 100_000_000 + 1) % 900_000_000
        self.db.execute(
            "INSERT INTO insured (number, cnss_number, since) VALUES (?, ?, ?)",
            (number, str(candidate), today.isoformat()),
        )
        return str(candidate)

    def _updates(self, lines):
        for line in lines:
            if line.error is not None:
                continue
            row = self.db.execute(
                "SELECT cnss_number, since FROM insured WHERE number = ?",
                (line.record["number"],),
            ).fetchone()
            if row is None:
                yield {
                    "type": "rejection",
                    "number": line.record["number"],
                    "code": "UNKNOWN_INSURED",
                    "reason": "Not insured at the CNSS",
                }
            else:
                yield {
                    "type": "immatriculation",
                    "number": line.record["number"],
                    "cnss_number": row[0],
                    "on": row[1],
                }

    def _dependants(self, lines):
        today = self.today
        for line in lines:
            if line.error is not None:
                continue
            record = line.record
            age = _age(record["birth_date"], today)
            too_old = record["relation"] == "child" and (
                age > 26 or (age > 21 and not record["student"] and not record["disabled"])
            )
            yield {
                "type": "dependant_decision",
                "number": record["number"],
                "dependant_id": record["dependant_id"],
                "accepted": not too_old,
                "reason": "Over the age limit for a dependent child" if too_old else "",
            }

    def month(self) -> list[str]:
        """Close the current simulated month: payments, then rights changes; move on a month."""
        with self.lock:
            today = self.today
            period = f"{today.year:04d}-{today.month:02d}"
            paid_on = date(today.year, today.month, calendar.monthrange(today.year, today.month)[1])
            rows = self.db.execute(
                "SELECT number, cnss_number, paid, unpaid, rights FROM insured "
                "WHERE since <= ? ORDER BY number",
                (paid_on.isoformat(),),
            ).fetchall()
            payers = [row for row in rows if self._pays(row)]
            written = []
            payments = (
                {
                    "type": "payment",
                    "number": row[0],
                    "period": period,
                    "amount": CONTRIBUTION,
                    "paid_on": paid_on,
                    "reference": f"S{row[1]}{period.replace('-', '')}",
                }
                for row in payers
            )
            batch_id = self._write("payments", payments)
            if batch_id:
                written.append(batch_id)
            payer_numbers = {row[0] for row in payers}
            changes = []
            rights_on = paid_on + timedelta(days=1)
            for number, _cnss, paid, unpaid, rights in rows:
                if number in payer_numbers:
                    paid, unpaid = paid + 1, 0
                else:
                    unpaid += 1
                status = rights
                if paid >= WAITING_MONTHS and unpaid == 0 and rights != "open":
                    status = "open"
                elif rights == "open" and unpaid >= SUSPEND_AFTER_UNPAID:
                    status = "suspended"
                self.db.execute(
                    "UPDATE insured SET paid = ?, unpaid = ?, rights = ? WHERE number = ?",
                    (paid, unpaid, status, number),
                )
                if status != rights:
                    changes.append(
                        {"type": "rights", "number": number, "status": status, "on": rights_on}
                    )
            batch_id = self._write("rights", changes)
            if batch_id:
                written.append(batch_id)
            self._set_meta("today", _add_month(today).isoformat())
            self.db.commit()
            say(f"closed {period}: {len(payers)} payments, {len(changes)} rights changes")
            return written

    def _pays(self, row) -> bool:
        _number, cnss_number, paid, _unpaid, _rights = row
        return not (cnss_number.endswith("0") and paid >= STOPS_PAYING_AFTER)

    def receive(self, stream, length: int) -> Path:
        """Store a batch POSTed to us, under its own batch id."""
        with tempfile.NamedTemporaryFile("wb", dir=self.incoming, delete=False) as partial:
            remaining = length
            while remaining > 0:
                chunk = stream.read(min(fmt.CHUNK, remaining))
                if not chunk:
                    break
                partial.write(chunk)
                remaining -= len(chunk)
        try:
            header = fmt.read_header(Path(partial.name))
        except fmt.FileError:
            os.unlink(partial.name)
            raise
        target = self.incoming / f"{header.batch_id}.jsonl"
        os.replace(partial.name, target)
        return target

    def answers_after(self, sequence: int) -> list[dict]:
        rows = self.db.execute(
            "SELECT batch_id, sequence FROM answer WHERE sequence > ? ORDER BY sequence",
            (sequence,),
        ).fetchall()
        return [{"batch_id": batch_id, "sequence": number} for batch_id, number in rows]


def _handler(sandbox: Sandbox, token: str):
    class Handler(BaseHTTPRequestHandler):
        server_version = "CNSS-SANDBOX"

        def log_message(self, format, *args):
            say("http " + format % args)

        def _authorised(self) -> bool:
            if token and self.headers.get("Authorization") != f"Bearer {token}":
                self._json(401, {"error": "not authorised", "sandbox": NAME})
                return False
            return True

        def _json(self, status: int, value) -> None:
            body = json.dumps(value).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("X-Sandbox", NAME.encode("ascii", "replace").decode())
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            if not self._authorised():
                return
            if self.path != "/batches":
                return self._json(404, {"error": "not found"})
            try:
                length = int(self.headers.get("Content-Length", "0"))
                path = sandbox.receive(self.rfile, length)
            except (ValueError, fmt.FileError) as error:
                return self._json(400, {"error": str(error), "sandbox": NAME})
            sandbox.answer_pending()
            self._json(202, {"batch_id": path.stem, "sandbox": NAME})

        def do_GET(self):
            if not self._authorised():
                return
            if self.path.startswith("/answers/"):
                batch_id = self.path.removeprefix("/answers/")
                path = sandbox.answers / f"{batch_id}.jsonl"
                if not fmt.BATCH_ID.match(batch_id) or not path.exists():
                    return self._json(404, {"error": "not found"})
                self.send_response(200)
                self.send_header("Content-Type", "application/x-ndjson")
                self.send_header("Content-Length", str(path.stat().st_size))
                self.end_headers()
                with open(path, "rb") as handle:
                    shutil.copyfileobj(handle, self.wfile, fmt.CHUNK)
                return None
            if self.path.startswith("/answers"):
                after = 0
                if "after=" in self.path:
                    with contextlib.suppress(ValueError):
                        after = int(self.path.split("after=", 1)[1].split("&")[0])
                return self._json(200, sandbox.answers_after(after))
            return self._json(200, {"sandbox": NAME})

    return Handler


def serve_http(sandbox: Sandbox, port: int, token: str = "", host: str = "127.0.0.1"):
    server = ThreadingHTTPServer((host, port), _handler(sandbox, token))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hirfa.cnss.sandbox", description=NAME)
    parser.add_argument("command", choices=["serve", "answer", "month", "public-key"])
    parser.add_argument("--dir", type=Path, default=Path("var/cnss-sandbox"))
    parser.add_argument("--incoming", type=Path, help="Folder our batches are dropped into")
    parser.add_argument("--outgoing", type=Path, help="Folder to write answers into")
    parser.add_argument(
        "--rna-public-key", type=Path, default=Path("var/cnss/keys/rna-signing.pub")
    )
    parser.add_argument("--http-port", type=int, default=0)
    parser.add_argument("--token", default=os.environ.get("CNSS_HTTP_TOKEN", ""))
    parser.add_argument("--poll-seconds", type=float, default=3)
    parser.add_argument("--month-seconds", type=float, default=0)
    parser.add_argument("--months", type=int, default=1)
    args = parser.parse_args(argv)
    sandbox = Sandbox(args.dir, rna_public_key=args.rna_public_key, outgoing=args.outgoing)
    if args.command == "public-key":
        print(fmt.b64url(fmt.public_bytes(sandbox.key.public_key())))
        return 0
    if args.command == "month":
        for _ in range(args.months):
            sandbox.month()
        return 0
    if args.command == "answer":
        _collect(args.incoming, sandbox)
        sandbox.answer_pending()
        return 0
    say(f"state in {args.dir}; answers to {args.outgoing or sandbox.answers}")
    if args.http_port:
        serve_http(sandbox, args.http_port, args.token)
        say(f"HTTP on http://127.0.0.1:{args.http_port}/")
    next_month = time.monotonic() + args.month_seconds if args.month_seconds else None
    try:
        while True:
            _collect(args.incoming, sandbox)
            sandbox.answer_pending()
            if next_month is not None and time.monotonic() >= next_month:
                sandbox.month()
                next_month = time.monotonic() + args.month_seconds
            time.sleep(args.poll_seconds)
    except KeyboardInterrupt:
        return 0


def _collect(incoming: Path | None, sandbox: Sandbox) -> None:
    """Take new batches from the drop folder into the sandbox's own folder."""
    if incoming is None or not incoming.is_dir():
        return
    for path in sorted(incoming.glob("RNA-*.jsonl")):
        target = sandbox.incoming / path.name
        if not target.exists():
            partial = sandbox.incoming / f".{path.name}.part"
            shutil.copyfile(path, partial)
            os.replace(partial, target)


if __name__ == "__main__":
    sys.exit(main())
