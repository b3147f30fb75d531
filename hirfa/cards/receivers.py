"""The cards app's answers to the register's changes (`hirfa.register.signals`)."""

import logging

from django.conf import settings

from hirfa.cards import issuing, keys, qr, services
from hirfa.register import signals

logger = logging.getLogger(__name__)


def _approved(sender, *, registration, dossier, **kwargs):
    services.registration_approved(registration, dossier)


def _status_changed(sender, *, registration, actor, action, reason, **kwargs):
    services.registration_status_changed(registration, actor, action, reason)


def _attestation(sender, *, registration, code, **kwargs) -> str:
    """The attestation's signed QR code, as the camera address; none without a key (the
    attestation is still issued: its code is checked online)."""
    try:
        text = issuing.attestation_text(registration, code)
    except keys.NoSigningKey:
        logger.warning("No signing key: attestation %s issued without QR code", registration.pk)
        return ""
    return qr.camera_url(settings.PUBLIC_URL, text)


def connect() -> None:
    signals.registration_approved.connect(_approved, dispatch_uid="cards.approved")
    signals.registration_status_changed.connect(_status_changed, dispatch_uid="cards.status")
    signals.attestation_signing.connect(_attestation, dispatch_uid="cards.attestation")
