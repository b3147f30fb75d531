"""`hirfa backup` and `hirfa restore`: database, media and keys in one archive (ADR 35).

backup(output=…) writes the archive (hirfa.backups.archive) and returns its manifest;
restore(archive=…) checks the whole archive first, touching nothing when it is corrupt,
refuses a database in use unless forced, restores database, media and keys, then checks
the row counts against the manifest and the audit chain, and returns what it found.
"""

from __future__ import annotations

import os
import posixpath
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

import hirfa
from hirfa.audit import checkpoints, keys
from hirfa.audit.selectors import verify_chain
from hirfa.backups import archive, databases
from hirfa.backups.databases import BackupError
from hirfa.env import env_str

__all__ = ["BackupError", "RestoreReport", "backup", "key_locations", "restore"]


def key_locations() -> dict[str, Path]:
    """Where the secrets kept outside the database live, by their name in the archive.

    Secrets given in environment variables (SECRET_KEY, CARD_SIGNING_KEYS,
    CNSS_SIGNING_KEY) belong to the deployment's secret store, not to the backup.
    """
    locations = {
        "card-signing": Path(settings.CARD_SIGNING_KEYS_DIR),
        "cnss": Path(settings.CNSS_SIGNING_KEY_FILE).parent,
        "secret-key": Path(settings.VAR_DIR) / "secret-key",
    }
    return locations | _audit_files()


def _audit_files() -> dict[str, Path]:
    """The audit trail's HMAC key and its checkpoints file (decision 33), where the audit
    has them: both outside the database, both needed for the restored chain to verify."""
    return {"audit-key": keys.key_path(), "audit-checkpoints": checkpoints.checkpoint_path()}


def passphrase_from_environment() -> str | None:
    return env_str("HIRFA_BACKUP_PASSPHRASE", "") or None


# --- Backup -------------------------------------------------------------------------------


def backup(*, output: Path, passphrase: str | None = None) -> dict:
    """Write the archive to `output` (mode 0600); returns its manifest."""
    output = Path(output)
    vendor = databases.vendor()
    writer = archive.ArchiveWriter(output, passphrase=passphrase)
    try:
        with tempfile.TemporaryDirectory(prefix="hirfa-backup-") as work:
            snapshot = databases.snapshot(Path(work) / databases.MEMBER_NAMES[vendor])
            writer.add_path(databases.MEMBER_NAMES[vendor], snapshot.path)
        media_count = _add_media(writer)
        keys = _add_keys(writer)
        manifest = {
            "format": archive.FORMAT,
            "format_version": archive.FORMAT_VERSION,
            "hirfa_version": hirfa.__version__,
            "created_at": timezone.now().isoformat(),
            "encrypted": bool(passphrase),
            "database": {
                "vendor": snapshot.vendor,
                "member": databases.MEMBER_NAMES[vendor],
                "tool": snapshot.tool,
                "server_version": snapshot.server_version,
            },
            "migrations": snapshot.migrations,
            "rows": snapshot.rows,
            "media": {"storage": _storage_name(), "files": media_count},
            "keys": keys,
        }
        writer.close(manifest)
    except BaseException:
        writer.abandon()
        raise
    return manifest | {"members": writer.members}


def _storage_name() -> str:
    return f"{type(default_storage).__module__}.{type(default_storage).__qualname__}"


def media_names(storage=default_storage, folder: str = "") -> list[str]:
    """Every file in the media storage, through Django's storage API (any backend)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [posixpath.join(folder, name) for name in files]
    for sub in folders:
        names += media_names(storage, posixpath.join(folder, sub))
    return sorted(names)


def _add_media(writer: archive.ArchiveWriter) -> int:
    added = 0
    for name in media_names():
        try:
            size = default_storage.size(name)
            stream = default_storage.open(name, "rb")
        except FileNotFoundError:  # deleted since it was listed
            continue
        with stream:
            writer.add(f"media/{name}", stream, size)
        added += 1
    return added


def _add_keys(writer: archive.ArchiveWriter) -> dict[str, str]:
    """Each key location's kind ("file" or "folder"), for those that exist. A file with a
    location of its own (the audit key in the card keys' folder) is kept under that name."""
    kinds = {}
    locations = key_locations()
    own = {location.resolve() for location in locations.values() if location.is_file()}
    for name, location in locations.items():
        if location.is_file():
            writer.add_path(f"keys/{name}", location)
            kinds[name] = "file"
        elif location.is_dir():
            for path in sorted(p for p in location.rglob("*") if p.is_file()):
                if path.resolve() not in own:
                    relative = path.relative_to(location).as_posix()
                    writer.add_path(f"keys/{name}/{relative}", path)
            kinds[name] = "folder"
    return kinds


# --- Restore ------------------------------------------------------------------------------


@dataclass
class RestoreReport:
    manifest: dict
    media_files: int = 0
    key_files: int = 0
    row_mismatches: dict[str, tuple[int, int]] = field(default_factory=dict)
    audit_ok: bool = False
    audit_checked: int = 0
    audit_problem: str = ""
    pending_migrations: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.row_mismatches and self.audit_ok


def restore(
    *, archive_path: Path, force: bool = False, passphrase: str | None = None
) -> RestoreReport:
    """Check `archive_path` whole, then restore it over this installation."""
    manifest = archive.verify(Path(archive_path), passphrase=passphrase)
    _check_restorable(manifest, force=force)
    report = RestoreReport(manifest=manifest)
    database_member = manifest["database"]["member"]
    with tempfile.TemporaryDirectory(prefix="hirfa-restore-") as work:
        for name, stream in archive.members(Path(archive_path), passphrase=passphrase):
            if name == database_member:
                copy = Path(work) / name
                with open(copy, "wb") as file:
                    while chunk := stream.read(archive.CHUNK):
                        file.write(chunk)
                databases.restore(copy, tool_version=manifest["database"]["tool"])
                copy.unlink()
            elif name.startswith("media/"):
                _restore_media(name.removeprefix("media/"), stream.read())
                report.media_files += 1
            elif name.startswith("keys/"):
                _restore_key(name.removeprefix("keys/"), stream.read(), manifest["keys"])
                report.key_files += 1
    _verify_restored(report)
    return report


def _check_restorable(manifest: dict, *, force: bool) -> None:
    databases.check_outside_transaction()
    vendor = databases.vendor()
    if manifest["database"]["vendor"] != vendor:
        raise BackupError(
            f"This backup holds a {manifest['database']['vendor']} database and this "
            f"installation uses {vendor}: restoring across databases is not supported."
        )
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    unknown = [
        f"{app}.{name}"
        for app, names in manifest["migrations"].items()
        for name in names
        if (app, name) not in known
    ]
    if unknown:
        raise BackupError(
            "The backup was made by a newer hirfa: its database has migrations this "
            f"version does not know ({', '.join(unknown[:5])}). Install hirfa "
            f"{manifest['hirfa_version']} or newer to restore it."
        )
    unplaced = set(manifest["keys"]) - set(key_locations())
    if unplaced:
        raise BackupError(
            f"The backup holds keys ({', '.join(sorted(unplaced))}) that this installation "
            "has no setting for: configure them, then restore."
        )
    if not force and databases.holds_data():
        raise BackupError(
            "The database is in use (it holds accounts or audit entries): restoring would "
            "replace it. Nothing was changed; use --force to replace it."
        )


def _restore_media(name: str, content: bytes) -> None:
    if default_storage.exists(name):
        default_storage.delete(name)
    saved = default_storage.save(name, ContentFile(content))
    if saved != name:
        raise BackupError(f"The media storage saved {name} as {saved}.")


def _restore_key(name: str, content: bytes, kinds: dict[str, str]) -> None:
    location_name, _, relative = name.partition("/")
    location = key_locations().get(location_name)
    kind = kinds.get(location_name)
    if location is None or kind is None or (kind == "file") != (relative == ""):
        raise BackupError(f"keys/{name}: no such key location in this installation.")
    target = location / relative if relative else location
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if target.is_file() and target.read_bytes() != content:
        # A different key is never lost: it may have signed cards, batches or entries.
        target.replace(target.with_name(target.name + ".before-restore"))
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(content)


def _verify_restored(report: RestoreReport) -> None:
    expected = report.manifest["rows"]
    found = databases.current_rows(expected)
    report.row_mismatches = {
        table: (count, found.get(table, -1))
        for table, count in expected.items()
        if found.get(table) != count
    }
    chain = verify_chain()
    report.audit_ok, report.audit_checked, report.audit_problem = (
        chain.ok,
        chain.checked,
        chain.problem,
    )
    loader = MigrationLoader(None, ignore_no_migrations=True)
    applied = {
        (app, name) for app, names in report.manifest["migrations"].items() for name in names
    }
    report.pending_migrations = sorted(
        f"{app}.{name}" for app, name in loader.disk_migrations if (app, name) not in applied
    )
