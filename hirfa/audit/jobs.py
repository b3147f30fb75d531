"""The chain's verification as a background job (asked for on the auditor's page)."""

from django.utils import timezone

from hirfa.audit import checkpoints
from hirfa.audit.models import ChainVerification
from hirfa.audit.selectors import check_chain
from hirfa.core.jobs import job


def run_verification(
    verification: ChainVerification, *, checkpoint: bool = True, batch_size: int = 5000
):
    """Check the whole chain, keep the result on `verification`, and append a checkpoint of
    the head when the chain is intact (as `hirfa verify_audit` does). Returns the check."""
    result = check_chain(batch_size)
    report, last = result
    if report.ok and checkpoint:
        checkpoints.append(
            count=report.checked,
            last_id=last.pk if last else None,
            head=last.hash if last else None,
        )
    verification.intact = report.ok
    verification.checked = report.checked
    verification.first_broken_id = report.first_broken.pk if report.first_broken else None
    verification.problem = report.problem
    verification.finished_at = timezone.now()
    verification.save(
        update_fields=["intact", "checked", "first_broken_id", "problem", "finished_at"]
    )
    return result


@job
def verify_chain(verification_id: int) -> None:
    """Idempotent: a verification already finished is not run again."""
    verification = ChainVerification.objects.filter(
        pk=verification_id, finished_at__isnull=True
    ).first()
    if verification is not None:
        run_verification(verification)
