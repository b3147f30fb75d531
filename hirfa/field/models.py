"""What an agent's phone sent from the field (docs/decisions/0060).

`FieldItem` is one thing captured offline (an assisted registration, a check-in), known by
the id the phone gave it when it was created: that id is its idempotency key for ever. It
is written in the same transaction as what it applied, so an item is either applied (with
its first answer kept) or absent; a replay is answered from `answer`.
`FieldAttachment` is a photo sent ahead of its item, staged until the item uses it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hirfa.register.models import StoredDocument


class FieldItem(models.Model):
    class Kind(models.TextChoices):
        REGISTRATION = "registration", _("Assisted registration")
        CHECK_IN = "check_in", _("Event check-in")

    class State(models.TextChoices):
        APPLIED = "applied", pgettext_lazy("outbox item", "Sent")
        ATTENTION = "attention", pgettext_lazy("outbox item", "Needs attention")
        REFUSED = "refused", pgettext_lazy("outbox item", "Refused")

    class Reason(models.TextChoices):
        NONE = "", _("None")
        CNIE_TAKEN = "cnie_taken", _("CNIE already in the register")
        POSSIBLE_DUPLICATE = "possible_duplicate", _("Possible duplicate")
        RETIRED = "retired", _("Commune or activity no longer in the lists")

    uuid = models.UUIDField(_("id given by the phone"), unique=True)
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    body_sha256 = models.CharField(_("SHA-256 of the body"), max_length=64)
    body = models.JSONField(_("body"))
    state = models.CharField(_("state"), max_length=12, choices=State.choices)
    reason = models.CharField(
        _("needs attention because"), max_length=24, choices=Reason.choices, blank=True
    )
    answer = models.JSONField(_("first answer"))
    status = models.PositiveSmallIntegerField(_("HTTP status of the first answer"))
    province_code = models.CharField(_("province"), max_length=12, blank=True)
    dossier = models.ForeignKey(
        "register.Dossier", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    captured_at = models.DateTimeField(_("captured on the device at (device clock)"))
    clock_skew_seconds = models.IntegerField(_("device clock minus server clock, seconds"))
    received_at = models.DateTimeField(_("received at (server clock)"), auto_now_add=True)
    settled_at = models.DateTimeField(_("attention settled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("field item")
        verbose_name_plural = _("field items")
        indexes = [
            models.Index(fields=["agent", "-id"], name="field_item_agent"),
            models.Index(
                fields=["province_code", "-id"],
                name="field_item_attention",
                condition=models.Q(state="attention", settled_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.uuid}"


class FieldAttachment(StoredDocument):
    """A photo sent before its item; `item` is set when an item used it."""

    uuid = models.UUIDField(_("id given by the phone"), unique=True)
    kind = models.SlugField(_("kind of document"), max_length=40)
    file = models.FileField(_("file"), upload_to="field/%Y/%m/")
    # Of the bytes the phone sent (the stored file is re-encoded): a resend is recognised.
    sent_sha256 = models.CharField(_("SHA-256 as sent"), max_length=64)
    item = models.ForeignKey(
        FieldItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )

    class Meta(StoredDocument.Meta):
        verbose_name = _("field attachment")
        verbose_name_plural = _("field attachments")
