from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hirfa.backups import services


class Command(BaseCommand):
    help = (
        "Write one archive (mode 0600) holding a consistent snapshot of the database, the "
        "media files, the key folders and a manifest with a SHA-256 of every member "
        "(docs/backups.md). Encrypted when HIRFA_BACKUP_PASSPHRASE is set."
    )

    def add_arguments(self, parser):
        parser.add_argument("output", help="The archive to write, e.g. hirfa-2026-12-05.tar.gz")

    def handle(self, *args, output, **options):
        try:
            manifest = services.backup(
                output=Path(output), passphrase=services.passphrase_from_environment()
            )
        except services.BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["rows"].values())
        self.stdout.write(
            f"{output}: {manifest['database']['vendor']} database ({rows} rows in "
            f"{len(manifest['rows'])} tables), {manifest['media']['files']} media files, "
            f"key locations: {', '.join(manifest['keys']) or 'none'}"
            + (", encrypted" if manifest["encrypted"] else "")
        )
