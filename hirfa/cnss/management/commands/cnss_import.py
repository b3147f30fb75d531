from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hirfa.cnss import services


class Command(BaseCommand):
    help = "Import one answer batch from the CNSS; prints what was applied and rejected."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if not file.is_file():
            raise CommandError(_("No such file: %(file)s") % {"file": file})
        report = services.import_file(file)
        if report.refused:
            raise CommandError(
                _("%(file)s refused, nothing applied: %(reason)s")
                % {"file": file.name, "reason": report.message}
            )
        batch = report.batch
        if report.status == "already_imported":
            self.stdout.write(
                _("%(batch)s was already imported: nothing changed.") % {"batch": batch.batch_id}
            )
            return
        self.stdout.write(
            _("%(batch)s (%(kind)s): %(applied)d lines applied, %(rejected)d rejected.")
            % {
                "batch": batch.batch_id,
                "kind": batch.get_kind_display(),
                "applied": report.applied,
                "rejected": report.rejected,
            }
        )
        for rejection in batch.rejections.order_by("line").iterator(chunk_size=2000):
            self.stdout.write(
                _("  line %(line)d %(key)s: rejected (%(code)s) %(reason)s")
                % {
                    "line": rejection.line,
                    "key": rejection.key or "-",
                    "code": rejection.code,
                    "reason": rejection.reason,
                }
            )
