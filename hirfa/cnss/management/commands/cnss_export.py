from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from hirfa.cnss import services
from hirfa.cnss.connector import FileTransport


class Command(BaseCommand):
    help = "Write the outbound CNSS batches (pre-registrations, dependants, updates) into OUTDIR."

    def add_arguments(self, parser):
        parser.add_argument("outdir", type=Path)
        parser.add_argument("--limit", type=int, default=None, help="At most this many records")

    def handle(self, *args, outdir: Path, limit=None, **options):
        via = FileTransport(outbox=outdir, inbox=settings.CNSS_INBOX_DIR)
        batches = services.export_batches(via=via, limit=limit)
        if not batches:
            self.stdout.write(_("Nothing to send to the CNSS."))
        for batch in batches:
            self.stdout.write(
                _("%(batch)s: %(count)d %(kind)s records written to %(path)s")
                % {
                    "batch": batch.batch_id,
                    "count": batch.record_count,
                    "kind": batch.get_kind_display(),
                    "path": outdir / f"{batch.batch_id}.jsonl",
                }
            )
