"""Background jobs of imports and exports (ADR 0055)."""

from hirfa.core.jobs import job
from hirfa.imports import running


@job
def run_import(run_id: int) -> str:
    return running.continue_import(run_id)


@job
def run_export(export_id: int) -> str:
    return running.write_export(export_id)
