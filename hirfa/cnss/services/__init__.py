"""Writes of the exchange with the CNSS: `exchange` sends our batches and applies the CNSS's
answers (docs/cnss-exchange.md); `rejections` keeps the worklist of the artisans it
rejected (ADR 0053)."""

from hirfa.cnss.services.exchange import (
    AUDIT_LABEL,
    FLUSH_EVERY,
    ImportReport,
    export_batches,
    import_file,
    last_inbound_sequence,
    receive,
    send_pending,
    synchronise,
)
from hirfa.cnss.services.rejections import note_contact

__all__ = [
    "AUDIT_LABEL",
    "FLUSH_EVERY",
    "ImportReport",
    "export_batches",
    "import_file",
    "last_inbound_sequence",
    "note_contact",
    "receive",
    "send_pending",
    "synchronise",
]
