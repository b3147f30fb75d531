"""What `hirfa backup` writes, and what `hirfa restore` refuses before touching anything."""

import gzip
import hashlib
import io
import stat
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from hirfa.backups import services
from hirfa.register.models import Dossier
from tests.backups.conftest import every_file, every_row, wipe
from tests.factories import agent_of, national, submitted_dossier

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_archive_is_readable_by_its_owner_only(small_register, archive_path):
    services.backup(output=archive_path)
    assert stat.S_IMODE(archive_path.stat().st_mode) == 0o600
    assert not archive_path.with_name(archive_path.name + ".partial").exists()


def test_the_manifest_gives_vendor_migrations_counts_and_every_checksum(
    small_register, archive_path
):
    manifest = services.backup(output=archive_path)
    with tarfile.open(archive_path) as tar:
        names = tar.getnames()
        contents = {name: tar.extractfile(name).read() for name in names}
    assert names[-1] == "manifest.json"
    assert manifest["database"]["vendor"] == connection.vendor
    assert "0001_initial" in manifest["migrations"]["register"]
    assert manifest["rows"]["register_dossier"] == Dossier.objects.count()
    assert set(manifest["members"]) == set(names) - {"manifest.json"}
    for name, member in manifest["members"].items():
        assert member["sha256"] == hashlib.sha256(contents[name]).hexdigest()


def test_a_corrupted_archive_is_refused_and_nothing_is_changed(
    small_register, settings, archive_path
):
    services.backup(output=archive_path)
    data = bytearray(archive_path.read_bytes())
    data[len(data) // 2] ^= 0x01
    archive_path.write_bytes(bytes(data))
    wipe(settings)
    national()  # something that a restore would remove
    rows, files = every_row(), every_file(settings)
    with pytest.raises(services.BackupError):
        services.restore(archive_path=archive_path, force=True)
    assert every_row() == rows
    assert every_file(settings) == files


def test_a_truncated_archive_is_refused(small_register, archive_path):
    services.backup(output=archive_path)
    archive_path.write_bytes(archive_path.read_bytes()[:-100])
    with pytest.raises(services.BackupError, match=r"corrupt or truncated|cut short"):
        services.restore(archive_path=archive_path, force=True)


def test_a_member_altered_inside_a_valid_archive_is_refused(small_register, archive_path):
    services.backup(output=archive_path)
    with tarfile.open(archive_path) as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar.getmembers()]
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w|") as tar:
        for member, content in members:
            if member.name.startswith("media/"):
                content = content[:-1] + bytes([content[-1] ^ 1])
            tar.addfile(member, io.BytesIO(content))
    archive_path.write_bytes(gzip.compress(buffer.getvalue()))
    with pytest.raises(services.BackupError, match="does not match its checksum"):
        services.restore(archive_path=archive_path, force=True)


def test_a_database_in_use_is_not_replaced_without_force(small_register, archive_path):
    services.backup(output=archive_path)
    rows = every_row()
    with pytest.raises(services.BackupError, match="--force"):
        services.restore(archive_path=archive_path)
    assert every_row() == rows


def test_force_replaces_a_database_in_use(small_register, archive_path):
    services.backup(output=archive_path)
    rows = every_row()
    submitted_dossier(agent_of("09"), cnie="AB111111", phone="0611111111")
    services.restore(archive_path=archive_path, force=True)
    assert every_row() == rows


def test_a_backup_of_another_database_vendor_is_refused(
    small_register, settings, archive_path, monkeypatch
):
    services.backup(output=archive_path)
    wipe(settings)
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    monkeypatch.setattr("hirfa.backups.databases.vendor", lambda: other)
    with pytest.raises(services.BackupError, match="across databases is not supported"):
        services.restore(archive_path=archive_path)


def test_a_wrong_passphrase_is_refused(small_register, archive_path):
    services.backup(output=archive_path, passphrase="correct horse")
    with pytest.raises(services.BackupError, match="Wrong passphrase"):
        services.restore(archive_path=archive_path, force=True, passphrase="battery staple")


def test_the_commands_back_up_and_restore(small_register, settings, archive_path, capsys):
    call_command("backup", str(archive_path))
    wipe(settings)
    call_command("restore", str(archive_path))
    output = capsys.readouterr().out
    assert "Row counts match the manifest" in output
    assert "Audit chain intact" in output


def test_the_restore_command_refuses_a_database_in_use(small_register, archive_path):
    call_command("backup", str(archive_path))
    with pytest.raises(CommandError, match="--force"):
        call_command("restore", str(archive_path))


def test_the_commands_take_the_passphrase_from_the_environment(
    small_register, settings, archive_path, monkeypatch, capsys
):
    monkeypatch.setenv("HIRFA_BACKUP_PASSPHRASE", "correct horse")
    call_command("backup", str(archive_path))
    assert archive_path.read_bytes().startswith(b"hirfa-backup-aes256gcm-v1\n")
    wipe(settings)
    call_command("restore", str(archive_path))
    assert "Audit chain intact" in capsys.readouterr().out
    monkeypatch.delenv("HIRFA_BACKUP_PASSPHRASE")
    with pytest.raises(CommandError, match="HIRFA_BACKUP_PASSPHRASE"):
        call_command("restore", str(archive_path), force=True)


def test_a_different_key_found_at_restore_is_kept_aside(small_register, settings, archive_path):
    services.backup(output=archive_path)
    secret = Path(settings.VAR_DIR) / "secret-key"
    original = secret.read_bytes()
    secret.write_text("another-secret-key-" * 4)
    services.restore(archive_path=archive_path, force=True)
    assert secret.read_bytes() == original
    assert secret.with_name("secret-key.before-restore").read_text() == "another-secret-key-" * 4


def test_a_key_file_inside_another_key_folder_is_archived_once_under_its_own_name(
    small_register, settings, archive_path, monkeypatch
):
    audit_key = Path(settings.CARD_SIGNING_KEYS_DIR) / "audit.key"
    audit_key.write_text("ab" * 32)
    monkeypatch.setattr(services, "_audit_files", lambda: {"audit-key": audit_key})
    manifest = services.backup(output=archive_path)
    assert [name for name in manifest["members"] if "audit" in name] == ["keys/audit-key"]
    audit_key.unlink()
    services.restore(archive_path=archive_path, force=True)
    assert audit_key.read_text() == "ab" * 32
