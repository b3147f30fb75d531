import pytest

from hirfa.cnss import exchange_format as fmt
from hirfa.cnss.sandbox import Sandbox
from tests.helpers import cnss_in_folder


@pytest.fixture(autouse=True)
def cnss_folders(settings, tmp_path):
    """Every exchange folder and key in the test's own directory; the sandbox is trusted."""
    return cnss_in_folder(settings, tmp_path)


@pytest.fixture
def sandbox(settings):
    """The CNSS sandbox, reading our outbox and answering into our inbox."""
    from hirfa.cnss.keys import signing_key

    signing_key()  # writes our public key where the sandbox reads it
    return Sandbox(
        settings.CNSS_SANDBOX_DIR,
        rna_public_key=settings.CNSS_SIGNING_KEY_FILE.with_suffix(".pub"),
        outgoing=settings.CNSS_INBOX_DIR,
    )


@pytest.fixture
def cnss_batch(sandbox, tmp_path):
    """Write an inbound batch signed with the sandbox's (trusted) key."""

    def write(kind, records, *, sequence=1, in_reply_to=None, name=None):
        path = tmp_path / (name or f"{fmt.batch_id_for('CNSS', sequence)}.jsonl")
        with fmt.BatchWriter(
            path, kind=kind, sequence=sequence, key=sandbox.key, in_reply_to=in_reply_to
        ) as writer:
            for record in records:
                writer.write(record)
        return path

    return write


@pytest.fixture
def raw_cnss_batch(sandbox, tmp_path):
    """A batch whose record lines are given as raw bytes, correctly counted and signed."""
    import hashlib

    def write(kind, lines, *, sequence=1, in_reply_to=None):
        body = b"".join(line + b"\n" for line in lines)
        header = fmt.Header(
            batch_id=fmt.batch_id_for("CNSS", sequence),
            sequence=sequence,
            kind=kind,
            created_at="2026-11-25T10:00:00+00:00",
            record_count=len(lines),
            records_sha256=hashlib.sha256(body).hexdigest(),
            in_reply_to=in_reply_to,
        )
        header_line = fmt.dumps(header.as_dict())
        trailer = {
            "signature": {
                "alg": "Ed25519",
                "key_id": fmt.key_id(sandbox.key.public_key()),
                "value": fmt.b64url(sandbox.key.sign(header_line)),
            }
        }
        path = tmp_path / f"{header.batch_id}.jsonl"
        path.write_bytes(header_line + b"\n" + body + fmt.dumps(trailer) + b"\n")
        return path

    return write


@pytest.fixture
def approve(db):
    """Approve a first registration through the register's services; returns it."""
    from tests.factories import agent_of, approved_registration, officer_of

    agent = agent_of("09")
    officer = officer_of("09.581")

    def make(cnie: str, phone: str):
        return approved_registration(agent=agent, officer=officer, cnie=cnie, phone=phone)

    return make


@pytest.fixture
def answer(sandbox, settings):
    """The sandbox takes what we delivered to the outbox and answers into our inbox."""
    from hirfa.cnss.sandbox import _collect

    def run():
        _collect(settings.CNSS_OUTBOX_DIR, sandbox)
        return [settings.CNSS_INBOX_DIR / f"{b}.jsonl" for b in sandbox.answer_pending()]

    return run


@pytest.fixture
def english():
    """Commands speak the active language; these tests read them in English."""
    from django.utils import translation

    with translation.override("en"):
        yield
