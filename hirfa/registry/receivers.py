"""The registry API's answers to the register's changes (`hirfa.register.signals`, ADR 0034):
approvals and strike-offs become notices owed to the subscribers."""

from django.utils import timezone

from hirfa.register import signals
from hirfa.registry import policy, services


def _approved(sender, *, registration, dossier, **kwargs):
    services.queue_notices(
        registration=registration,
        event_type=policy.event_for_approval(dossier.kind),
        cause=f"dossier:{dossier.pk}",
    )


def _status_changed(sender, *, registration, actor, action, reason, **kwargs):
    services.queue_notices(
        registration=registration,
        event_type=policy.event_for_status(action),
        cause=f"{action}:{registration.pk}:{timezone.now():%Y%m%dT%H%M%S.%f}",
    )


def connect() -> None:
    signals.registration_approved.connect(_approved, dispatch_uid="registry.approved")
    signals.registration_status_changed.connect(_status_changed, dispatch_uid="registry.status")
