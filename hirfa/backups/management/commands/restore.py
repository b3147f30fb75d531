from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hirfa.backups import services


class Command(BaseCommand):
    help = (
        "Restore an archive written by `hirfa backup`: checks every checksum first (a "
        "corrupt archive changes nothing), refuses a database in use unless --force, "
        "restores database, media and keys, then checks row counts and the audit chain."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="An archive written by `hirfa backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a database that holds accounts or audit entries.",
        )

    def handle(self, *args, archive, force, **options):
        try:
            report = services.restore(
                archive_path=Path(archive),
                force=force,
                passphrase=services.passphrase_from_environment(),
            )
        except services.BackupError as error:
            raise CommandError(str(error)) from error
        manifest = report.manifest
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']} (hirfa "
            f"{manifest['hirfa_version']}): database, {report.media_files} media files, "
            f"{report.key_files} key files."
        )
        for table, (expected, found) in sorted(report.row_mismatches.items()):
            self.stderr.write(f"Rows of {table}: {found}, the backup had {expected}")
        if not report.row_mismatches:
            self.stdout.write(f"Row counts match the manifest ({len(manifest['rows'])} tables).")
        if report.audit_ok:
            self.stdout.write(f"Audit chain intact ({report.audit_checked} entries checked).")
        else:
            self.stderr.write(f"Audit chain broken: {report.audit_problem}")
        if report.pending_migrations:
            self.stdout.write(
                f"{len(report.pending_migrations)} migrations of this version are not applied "
                "to the restored database: run `hirfa migrate`."
            )
        if not report.ok:
            raise CommandError("The restored data does not match the backup.")
