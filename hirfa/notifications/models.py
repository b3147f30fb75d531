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


class InboxItem(models.Model):
    """Something a member of staff has to do, in their inbox, until it is done (decision 54).

    The notifications know no domain: `kind` names the thing to do ("dossier.to_review"), and
    the app that tells it registers its words (`hirfa.notifications.inbox.register_kind`).
    `subject_type` and `subject_id` name what it is about (a model's label and key) and
    `province_code` where that is, so that the reader's scope is checked each time the item
    is shown. An item is resolved when its subject changes state, not when it is read.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="inbox_items",
        verbose_name=_("recipient"),
        db_index=False,  # covered by the indexes below
    )
    kind = models.CharField(_("kind"), max_length=64)
    subject_type = models.CharField(_("about (type)"), max_length=100)
    subject_id = models.CharField(_("about (id)"), max_length=100)
    province_code = models.CharField(_("province"), max_length=12, null=True, blank=True)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    url = models.CharField(_("link"), max_length=300)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    resolved_at = models.DateTimeField(_("done at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("sent in a digest at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("inbox item")
        verbose_name_plural = _("inbox items")
        indexes = [
            models.Index(
                fields=["recipient", "-created_at"],
                condition=models.Q(resolved_at__isnull=True),
                name="inbox_open_by_recipient",
            ),
            models.Index(
                fields=["subject_type", "subject_id"],
                condition=models.Q(resolved_at__isnull=True),
                name="inbox_open_by_subject",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "subject_type", "subject_id"],
                condition=models.Q(resolved_at__isnull=True),
                name="inbox_one_open_item_per_thing",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject_type}:{self.subject_id} → {self.recipient_id}"


class DigestSubscription(models.Model):
    """A member of staff who asked for a daily e-mail of what waits in their inbox."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="inbox_digest",
        verbose_name=_("user"),
    )
    since = models.DateTimeField(_("since"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("daily digest subscription")
        verbose_name_plural = _("daily digest subscriptions")

    def __str__(self) -> str:
        return str(self.user_id)
