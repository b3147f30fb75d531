"""Offers of the card to a phone wallet (OpenID4VCI pre-authorized code flow, ADR 0065).

Only digests of the pre-authorized code and of the access token are kept: whoever reads
the database cannot redeem an offer. The transaction code the wallet asks for is an SMS
code of the accounts (`PhoneVerification`, purpose "wallet"), sent to `phone`.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CredentialOffer(models.Model):
    card = models.ForeignKey(
        "cards.Card", on_delete=models.PROTECT, related_name="+", verbose_name=_("card")
    )
    code_digest = models.CharField(max_length=64, unique=True, editable=False)
    phone = models.CharField(_("mobile phone"), max_length=16)
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("offered by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    # Set when the wallet redeems the pre-authorized code: the code is spent.
    redeemed_at = models.DateTimeField(_("redeemed at"), null=True, blank=True)
    token_digest = models.CharField(max_length=64, null=True, unique=True, editable=False)
    token_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set when the credential is issued: the access token is spent.
    issued_at = models.DateTimeField(_("credential issued at"), null=True, blank=True)
    holder_key = models.CharField(_("wallet key thumbprint"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("wallet offer")
        verbose_name_plural = _("wallet offers")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["card", "created_at"])]

    def __str__(self) -> str:
        return f"{self.card_id} @ {self.created_at:%Y-%m-%d %H:%M}"
