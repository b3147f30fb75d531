"""The SPDCI registry API's subscribers, the messages they sent (kept for idempotency and
for `txn/status`) and the notifications we owe them (docs/spdci.md, ADR 0066)."""

import base64
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    REGISTERED = "registered", _("Artisan registered")
    CHANGED = "changed", _("Registration changed")
    STRUCK_OFF = "struck_off", _("Artisan struck off")


class Subscriber(models.Model):
    """A programme linked to the register (the CNSS): who may call the API, with which key,
    and where its notifications go. Managed by the administrators."""

    name = models.CharField(_("name"), max_length=200)
    sender_id = models.CharField(
        _("sender id"), max_length=100, unique=True, help_text=_("The sender_id of its messages.")
    )
    public_key = models.CharField(
        _("Ed25519 public key"),
        max_length=64,
        help_text=_("The raw 32-byte public key, in base64url."),
    )
    callback_url = models.URLField(_("notification address"), max_length=500)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("registry subscriber")
        verbose_name_plural = _("registry subscribers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        try:
            key = base64.urlsafe_b64decode(self.public_key + "=" * (-len(self.public_key) % 4))
        except ValueError:
            key = b""
        if len(key) != 32:
            raise ValidationError(
                {"public_key": _("Give the raw 32-byte Ed25519 public key, in base64url.")}
            )


class Subscription(models.Model):
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    code = models.UUIDField(_("subscription code"), default=uuid.uuid4, unique=True)
    event_type = models.CharField(_("event"), max_length=12, choices=EventType.choices)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "event_type"],
                condition=models.Q(ended_at__isnull=True),
                name="one_live_subscription_per_event",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subscriber} · {self.event_type}"


class ReceivedMessage(models.Model):
    """A message a subscriber sent and the answer it got: the same `message_id` again gets
    the same answer, and `txn/status` finds it by its transaction."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="+")
    message_id = models.CharField(max_length=100)
    transaction_id = models.CharField(max_length=100, blank=True)
    action = models.CharField(max_length=20)
    digest = models.CharField(max_length=100)
    answer = models.JSONField()
    status = models.PositiveSmallIntegerField(default=200)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "message_id"], name="one_answer_per_message_id"
            )
        ]
        indexes = [models.Index(fields=["subscriber", "transaction_id"])]

    def __str__(self) -> str:
        return f"{self.action} {self.message_id}"


class Notice(models.Model):
    """A notification owed to a subscription: sent by a background job, retried until
    delivered, always under the same `message_id` (the subscriber drops a repeat)."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="+")
    message_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event_type = models.CharField(_("event"), max_length=12, choices=EventType.choices)
    # What caused it ("dossier:42", "struck_off:7:2026-12-05T…"): a receiver run twice for the
    # same change makes no second notice.
    cause = models.CharField(max_length=80)
    registration = models.ForeignKey(
        "register.Registration", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("notification to a subscriber")
        verbose_name_plural = _("notifications to subscribers")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "cause"], name="one_notice_per_cause")
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(delivered_at__isnull=True),
                name="notice_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.registration_id} → {self.subscription_id}"
