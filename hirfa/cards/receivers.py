"""The cards app's answers to the register's changes (`hirfa.register.signals`)."""

from hirfa.cards import services
from hirfa.register import signals


def _approved(sender, *, registration, dossier, **kwargs):
    services.registration_approved(registration, dossier)


def _status_changed(sender, *, registration, actor, action, reason, **kwargs):
    services.registration_status_changed(registration, actor, action, reason)


def connect() -> None:
    signals.registration_approved.connect(_approved, dispatch_uid="cards.approved")
    signals.registration_status_changed.connect(_status_changed, dispatch_uid="cards.status")
