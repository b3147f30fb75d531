from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hirfa.core.languages import interpolate_lazy


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("e-mail")


class Status(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    REFUSED = "refused", _("refused")


class DeliveryStatus(models.TextChoices):
    """What the gateway's delivery reports say became of a sent SMS (decision 41)."""

    UNKNOWN = "", _("no report")
    PENDING = "pending", _("on its way")
    DELIVERED = "delivered", _("delivered")
    FAILED = "failed", _("not delivered")
    EXPIRED = "expired", _("expired")

    @classmethod
    def final(cls) -> set[str]:
        return {cls.DELIVERED, cls.FAILED, cls.EXPIRED}


class Notification(models.Model):
    """One message to one address on one channel, kept as a record of what was sent.

    The text is stored already rendered in the recipient's language. A failed
    message keeps the last error; the delivery job retries it (decision 5).
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("recipient"),
        # Covered by the (recipient, created_at) index below.
        db_index=False,
    )
    channel = models.CharField(_("channel"), max_length=5, choices=Channel.choices)
    address = models.CharField(
        _("address"), max_length=254, help_text=_("E.164 phone number or e-mail address")
    )
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body = models.TextField(_("body"))
    language = models.CharField(_("language"), max_length=10)
    event = models.CharField(
        _("event"),
        max_length=64,
        help_text=interpolate_lazy(
            _("What happened, e.g. %(example)s"), {"example": "dossier.changes_requested"}
        ),
    )
    status = models.CharField(
        _("status"), max_length=7, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.TextField(_("last error"), blank=True)
    gateway_id = models.CharField(
        _("gateway message id"), max_length=100, blank=True, default="", db_index=True
    )
    delivery_status = models.CharField(
        _("delivery status"),
        max_length=9,
        choices=DeliveryStatus.choices,
        blank=True,
        default=DeliveryStatus.UNKNOWN,
    )
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    delivery_reported_at = models.DateTimeField(_("last delivery report"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notif_recipient_created"),
            models.Index(fields=["-created_at"], name="notif_created"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.address} ({self.get_status_display()})"
