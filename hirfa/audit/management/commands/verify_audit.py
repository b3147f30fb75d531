from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from hirfa.audit import checkpoints
from hirfa.audit.jobs import run_verification
from hirfa.audit.models import ChainVerification


class Command(BaseCommand):
    help = (
        "Check the whole audit trail: recompute every entry's hash and MAC, every link, "
        "and the checkpoints kept outside the database; then append a new checkpoint. "
        "Exits non-zero at the first problem."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=5000,
            help="Entries read from the database at a time (default 5000).",
        )
        parser.add_argument(
            "--no-checkpoint",
            action="store_true",
            help="Check only: do not append a checkpoint of the head (AUDIT_CHECKPOINT_FILE).",
        )

    def handle(self, *args, batch_size, no_checkpoint, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        verification = ChainVerification.objects.create(requested_at=timezone.now())
        (ok, checked, broken, problem), last = run_verification(
            verification, checkpoint=False, batch_size=batch_size
        )
        if not ok:
            where = (
                f"at entry #{broken.pk} ({broken.at.isoformat()}, {broken.action})"
                if broken is not None
                else "at its end"
            )
            raise CommandError(f"Audit chain broken {where}: {problem}. {checked} entries checked.")
        self.stdout.write(f"{checked} entries checked, chain intact")
        if last is not None:
            self.stdout.write(f"Latest entry #{last.pk}, hash {last.hash}")
        if not no_checkpoint:
            path = checkpoints.append(
                count=checked,
                last_id=last.pk if last else None,
                head=last.hash if last else None,
            )
            self.stdout.write(f"Checkpoint appended to {path}")
