"""Issue 11, finding 7: the audit chain must resist someone with write access to the
database (but not to the audit key and checkpoint files outside it)."""

import json
import stat

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from hirfa.audit import checkpoints, keys, services
from hirfa.audit.models import GENESIS_HASH, AuditEntry, compute_hash
from hirfa.audit.selectors import BAD_CHECKPOINT, FORGED, MISSING, verify_chain
from tests.audit.helpers import drop_append_only_triggers, raw_delete, raw_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain():
    return [
        services.record(
            actor=None, action=f"dossier.step-{n}", object_type="register.dossier", object_id="7"
        )
        for n in range(5)
    ]


def rehash_from(index: int, chain):
    """The attacker's move: rewrite the plain SHA-256 chain from `index` to the end."""
    previous = chain[index - 1].hash if index else GENESIS_HASH
    for entry in chain[index:]:
        stored = AuditEntry.objects.get(pk=entry.pk)
        stored.previous_hash = previous
        new_hash = compute_hash(stored)
        raw_update(entry.pk, "previous_hash", previous)
        raw_update(entry.pk, "hash", new_hash)
        previous = new_hash


def test_an_entry_edited_with_every_later_hash_recomputed_is_detected(chain):
    drop_append_only_triggers()
    raw_update(chain[1].pk, "reason", "never happened")
    rehash_from(1, chain)
    report = verify_chain()
    assert not report.ok
    assert report.first_broken.pk == chain[1].pk
    assert report.problem.startswith(FORGED)


def test_an_entry_inserted_with_a_plain_hash_is_detected(chain):
    drop_append_only_triggers()
    raw_delete(chain[4].pk)
    forged = AuditEntry(
        at=chain[4].at,
        actor_label="system",
        action="dossier.approved",
        previous_hash=chain[3].hash,
    )
    forged.hash = compute_hash(forged)
    forged.mac = "0" * 64
    forged.save()
    report = verify_chain()
    assert report.first_broken.pk == forged.pk
    assert report.problem.startswith(FORGED)


def test_deleting_the_newest_entry_after_a_checkpoint_is_detected(chain):
    call_command("verify_audit")
    drop_append_only_triggers()
    raw_delete(chain[-1].pk)
    report = verify_chain()
    assert not report.ok
    assert report.problem.startswith(MISSING)
    assert f"#{chain[-1].pk}" in report.problem


def test_a_truncated_tail_is_detected_by_the_command(chain):
    call_command("verify_audit")
    drop_append_only_triggers()
    for entry in chain[2:]:
        raw_delete(entry.pk)
    with pytest.raises(CommandError) as error:
        call_command("verify_audit")
    assert MISSING in str(error.value)
    assert "at its end" in str(error.value)


def test_entries_added_after_a_checkpoint_still_verify(chain):
    call_command("verify_audit")
    services.record(actor=None, action="dossier.approved", object_type="x", object_id="1")
    assert verify_chain().ok


def test_each_verification_appends_a_checkpoint_of_the_head(chain):
    call_command("verify_audit")
    call_command("verify_audit")
    recorded = checkpoints.read_all()
    assert [(c.count, c.last_id, c.head) for c in recorded] == [
        (5, chain[-1].pk, chain[-1].hash)
    ] * 2


def test_a_checkpoint_edited_by_hand_is_refused(chain):
    call_command("verify_audit")
    path = checkpoints.checkpoint_path()
    line = json.loads(path.read_text())
    line["count"] = 4
    path.write_text(json.dumps(line) + "\n")
    report = verify_chain()
    assert not report.ok
    assert report.problem.startswith(BAD_CHECKPOINT)


def test_the_key_is_created_outside_the_database_readable_by_its_owner_only(settings, tmp_path):
    settings.AUDIT_KEY_FILE = str(tmp_path / "elsewhere" / "audit.key")
    services.record(actor=None, action="dossier.submitted", object_type="x", object_id="1")
    mode = stat.S_IMODE((tmp_path / "elsewhere" / "audit.key").stat().st_mode)
    assert mode == 0o600


def test_a_lost_key_is_not_silently_replaced_once_the_trail_is_keyed(chain, settings, tmp_path):
    settings.AUDIT_KEY_FILE = str(tmp_path / "lost.key")
    with pytest.raises(keys.MissingAuditKey):
        services.record(actor=None, action="dossier.submitted", object_type="x", object_id="1")
    assert not (tmp_path / "lost.key").exists()


def test_the_database_refuses_deleting_an_entry_on_every_engine(chain):
    with pytest.raises(DatabaseError), transaction.atomic():
        raw_delete(chain[0].pk)
    assert AuditEntry.objects.count() == 5


def test_the_database_refuses_updating_an_entry_on_every_engine(chain):
    with pytest.raises(DatabaseError), transaction.atomic():
        raw_update(chain[0].pk, "mac", "0" * 64)


def test_recording_reads_the_chain_head_once(django_assert_max_num_queries, chain):
    # PostgreSQL: the chain's advisory lock and the head read in one query.
    with django_assert_max_num_queries(2):
        services.record(actor=None, action="dossier.approved", object_type="x", object_id="1")


def test_entries_written_before_the_key_existed_are_keyed_by_the_migration(chain):
    """Migration audit.0002 gives the entries already written a MAC without touching
    their hashes, so they verify as before, and are keyed from then on."""
    import importlib

    migration = importlib.import_module("hirfa.audit.migrations.0002_entry_mac_and_delete_guard")
    hashes = [entry.hash for entry in chain]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending trigger events
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
            cursor.execute("UPDATE audit_auditentry SET mac = NULL")
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER USER")
        else:
            drop_append_only_triggers()
            cursor.execute("UPDATE audit_auditentry SET mac = NULL")
            cursor.execute(
                "CREATE TRIGGER audit_auditentry_no_update BEFORE UPDATE ON "
                "audit_auditentry BEGIN SELECT RAISE(ABORT, 'no'); END"
            )
    assert not verify_chain().ok

    class SchemaEditor:
        def __init__(self):
            self.connection = connection

        def execute(self, sql, params=None):
            with connection.cursor() as cursor:
                cursor.execute(sql)

    migration.key_entries_and_guard_deletes(None, SchemaEditor())
    assert verify_chain().ok
    assert list(AuditEntry.objects.values_list("hash", flat=True)) == hashes
    with pytest.raises(DatabaseError), transaction.atomic():
        raw_delete(chain[0].pk)
