"""A backup restored after losing everything gives back the same register."""

import stat

import pytest

from hirfa.audit.selectors import verify_chain
from hirfa.backups import services
from tests.backups.conftest import every_file, every_row, wipe

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def round_trip(small_register, settings, archive_path):
    """(rows and files before, rows and files after, the restore's report)."""
    rows, files = every_row(), every_file(settings)
    services.backup(output=archive_path)
    wipe(settings)
    assert every_file(settings) == {}
    report = services.restore(archive_path=archive_path)
    return (rows, files), (every_row(), every_file(settings)), report


def test_every_row_of_every_table_comes_back(round_trip):
    (rows_before, _), (rows_after, _), _ = round_trip
    assert rows_before["register.Dossier"]  # the register was not empty
    assert rows_after == rows_before


def test_media_files_come_back_byte_for_byte(round_trip):
    (_, before), (_, after), _ = round_trip
    media = {name for name in before if name.startswith("media:")}
    assert media  # the documents' files
    assert {name: after[name] for name in media} == {name: before[name] for name in media}


def test_card_cnss_and_secret_keys_come_back_identical(round_trip):
    (_, before), (_, after), _ = round_trip
    keys = {name for name in before if not name.startswith("media:")}
    assert {"card-signing", "cnss", "secret-key"} <= {name.split(":")[0] for name in keys}
    assert after == before


def test_restored_key_files_are_readable_by_their_owner_only(round_trip):
    for location in services.key_locations().values():
        files = [location] if location.is_file() else [p for p in location.rglob("*")]
        for path in files:
            if path.is_file():
                assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_the_restored_audit_chain_verifies(round_trip):
    *_, report = round_trip
    assert report.audit_ok and report.audit_checked > 0
    assert verify_chain().ok


def test_row_counts_are_checked_against_the_manifest(round_trip):
    (rows_before, _), _, report = round_trip
    assert report.row_mismatches == {}
    assert report.ok
    assert report.manifest["rows"]["register_dossier"] == len(rows_before["register.Dossier"])


def test_an_encrypted_backup_round_trips_with_its_passphrase(
    small_register, settings, archive_path
):
    rows = every_row()
    services.backup(output=archive_path, passphrase="correct horse")
    assert archive_path.read_bytes().startswith(b"hirfa-backup-aes256gcm-v1\n")
    wipe(settings)
    services.restore(archive_path=archive_path, passphrase="correct horse")
    assert every_row() == rows
