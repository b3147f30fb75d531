"""The coverage app's answers to the register's changes (`hirfa.register.signals`)."""

from hirfa.coverage import services
from hirfa.register import signals


def _status_changed(sender, *, registration, actor, action, reason, **kwargs):
    if action == "struck_off":
        services.registration_struck_off(registration, actor, reason)


def connect() -> None:
    signals.registration_status_changed.connect(_status_changed, dispatch_uid="coverage.status")
