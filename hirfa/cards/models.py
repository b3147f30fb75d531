"""Professional cards: each version of a registration's card, and each time it was printed.

A card is issued (signed) once; reissuing makes a new version and revokes the old one.
The signed QR text is kept, so a reprint is the same card, byte for byte.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Card(models.Model):
    class Status(models.TextChoices):
        CURRENT = "current", _("Current")
        SUSPENDED = "suspended", _("Suspended")
        REVOKED = "revoked", _("Revoked")

    class IssueReason(models.TextChoices):
        APPROVED = "approved", _("Registration approved")
        DATA_CHANGED = "data_changed", _("Data changed")
        RENEWED = "renewed", _("Registration renewed")
        LOST = "lost", _("Card lost")
        DAMAGED = "damaged", _("Card damaged")
        REINSTATED = "reinstated", _("Registration reinstated")

    class RevocationReason(models.TextChoices):
        REPLACED = "replaced", _("Replaced by a new version")
        LOST = "lost", _("Card lost")
        DAMAGED = "damaged", _("Card damaged")
        DATA_CHANGED = "data_changed", _("Data changed")
        SUSPENDED = "suspended", _("Registration suspended")
        STRUCK_OFF = "struck_off", _("Registration struck off")

    class PrintState(models.TextChoices):
        TO_PRINT = "to_print", _("To print")
        PRINTED = "printed", _("Printed")
        HANDED_OVER = "handed_over", _("Handed over")

    registration = models.ForeignKey(
        "register.Registration",
        on_delete=models.PROTECT,
        related_name="cards",
        verbose_name=_("registration"),
    )
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.CURRENT
    )
    issue_reason = models.CharField(_("reason of issue"), max_length=14, choices=IssueReason)
    # What caused a background issue ("dossier:42"…): a retried job issues no second card.
    cause = models.CharField(max_length=40, blank=True, editable=False)
    issued_at = models.DateTimeField(_("issued at"))
    expires_at = models.DateTimeField(_("expires at"))
    kid = models.CharField(_("key id"), max_length=12)
    qr_text = models.TextField(_("QR code text"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revocation_reason = models.CharField(
        _("reason of revocation"), max_length=14, choices=RevocationReason, blank=True
    )
    revocation_note = models.TextField(_("note"), blank=True)
    print_state = models.CharField(
        _("printing"), max_length=12, choices=PrintState.choices, default=PrintState.TO_PRINT
    )
    print_count = models.PositiveIntegerField(_("times printed"), default=0)
    printed_at = models.DateTimeField(_("printed at"), null=True, blank=True)
    handed_over_at = models.DateTimeField(_("handed over at"), null=True, blank=True)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handed over by"),
    )
    received_by = models.CharField(_("received by"), max_length=200, blank=True)
    # The province the chamber prints for: the registration's at issue time.
    province = models.ForeignKey(
        "territory.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )

    class Meta:
        verbose_name = _("professional card")
        verbose_name_plural = _("professional cards")
        ordering = ["registration", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "version"], name="one_card_per_version"
            ),
            models.UniqueConstraint(
                fields=["registration"],
                condition=Q(status__in=["current", "suspended"]),
                name="one_live_card_per_registration",
            ),
            models.UniqueConstraint(
                fields=["registration", "cause"], condition=~Q(cause=""), name="one_card_per_cause"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="card_version_from_one"),
        ]
        indexes = [
            models.Index(fields=["province", "print_state", "status"]),
            models.Index(fields=["status", "expires_at"]),
            # Cards printed and waiting to be collected: a campaign's segment starts there.
            # Not partial: SQLite uses a partial index only for literal values, and Django
            # passes them as parameters (ADR 0070).
            models.Index(fields=["print_state", "status", "registration"], name="card_waiting"),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id} v{self.version}"


class CardPrint(models.Model):
    """One printing of a card: the first, or a reprint with its reason."""

    card = models.ForeignKey(
        Card, on_delete=models.CASCADE, related_name="prints", verbose_name=_("card")
    )
    at = models.DateTimeField(_("printed at"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("printed by"),
    )
    reprint = models.BooleanField(_("reprint"), default=False)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("card printing")
        verbose_name_plural = _("card printings")

    def __str__(self) -> str:
        return f"{self.card} @ {self.at:%Y-%m-%d}"
