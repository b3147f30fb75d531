from hirfa.cnss import services
from hirfa.core.jobs import job


@job
def exchange_with_cnss() -> dict:
    """Send new batches to the CNSS and import its answers (idempotent: safe to retry)."""
    return services.synchronise()
