"""Writes on the register. Every state change goes through here, in a transaction, with an
audit entry and a notification; every "may" rule comes from `hirfa.register.policy`.

- `validation`: person, craft and entity data checked at the edge;
- `workflow`: a dossier's transitions (submit, withdraw, review, changes, reject);
- `filing`: applications, assisted filing, corrections, documents, change and renewal
  requests, claiming a file;
- `decisions`: approval and national numbers;
- `registrations`: suspend, reinstate, strike off, expire; the attestation;
- `receipts`: the receipt of filing.
"""

from hirfa.register.services.decisions import (
    NATIONAL_COUNTER,
    allocate_number,
    approve,
    reserve_serials,
)
from hirfa.register.services.filing import (
    PHOTO_KIND,
    attach_document,
    claim_person,
    file_assisted,
    file_entity,
    remove_document,
    request_modification,
    request_renewal,
    start_dossier,
    update_dossier,
)
from hirfa.register.services.receipts import receipt_pdf
from hirfa.register.services.registrations import (
    CATEGORY_NAMES,
    CATEGORY_NAMES_ZGH,
    attestation_pdf,
    expire_registrations,
    reinstate,
    strike_off,
    suspend,
    verification_code,
)
from hirfa.register.services.validation import (
    MAX_SECONDARY_ACTIVITIES,
    clean_craft,
    clean_entity,
    clean_person,
)
from hirfa.register.services.workflow import (
    STATE_MESSAGES,
    reject,
    request_changes,
    start_review,
    submit,
    withdraw,
)

__all__ = [
    "CATEGORY_NAMES",
    "CATEGORY_NAMES_ZGH",
    "MAX_SECONDARY_ACTIVITIES",
    "NATIONAL_COUNTER",
    "PHOTO_KIND",
    "STATE_MESSAGES",
    "allocate_number",
    "approve",
    "attach_document",
    "attestation_pdf",
    "claim_person",
    "clean_craft",
    "clean_entity",
    "clean_person",
    "expire_registrations",
    "file_assisted",
    "file_entity",
    "receipt_pdf",
    "reinstate",
    "reject",
    "remove_document",
    "request_changes",
    "request_modification",
    "request_renewal",
    "reserve_serials",
    "start_dossier",
    "start_review",
    "strike_off",
    "submit",
    "suspend",
    "update_dossier",
    "verification_code",
    "withdraw",
]
