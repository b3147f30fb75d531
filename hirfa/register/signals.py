"""What the register tells the apps above it, without importing them.

The register is below cards, coverage and duplicates (docs/architecture.md): they react to its
changes through these signals, connected in their `AppConfig.ready()`. Every signal is sent
inside the transaction of the change, so a receiver's writes commit or roll back with it, and a
receiver that raises a `DomainError` refuses the change.
"""

from django.dispatch import Signal

# A dossier is about to be submitted (or resubmitted) by `actor`; `dossier` is locked. Receivers may
# refuse (raise a DomainError) or record what a reviewer should see (likely duplicates).
dossier_submitting = Signal()

# A dossier was approved: `registration` was created, modified or renewed from `dossier`.
registration_approved = Signal()

# A registration's status changed: `registration`, `actor` (None for the daily pass),
# `action` ("suspended", "reinstated", "struck_off", "expired") and `reason`.
registration_status_changed = Signal()

# A dossier moved along its workflow: `dossier`, `action` (a key of `rules.TRANSITIONS`),
# `actor` and `previous` (the state it left). Sent after the move is saved and audited.
dossier_moved = Signal()

# A dossier's data was edited (its workplace, hence its province, may have changed): `dossier`.
dossier_updated = Signal()

# An attestation is being issued for `registration`, whose verification code is `code`.
# A receiver may answer with the text of a signed QR code to print on it (the cards app
# signs it with the register's key, docs/decisions/0051); an empty answer prints none.
attestation_signing = Signal()
