"""Campaigns: messages a chamber sends to a segment of the register to bring artisans back
(docs/campaigns.md), the people each one went to, and those who asked for no more."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hirfa.notifications.models import Channel, Notification
from hirfa.outreach.models import Event
from hirfa.register.models import Person
from hirfa.territory.models import Province, Region


class Campaign(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")

    name = models.CharField(_("name"), max_length=200)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    channel = models.CharField(
        _("channel"), max_length=5, choices=Channel.choices, default=Channel.SMS
    )
    # The territory it belongs to: its author's (no region: a national campaign).
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The segment (see `segments.Criteria`) and the text in each language (code → text).
    criteria = models.JSONField(_("segment"), default=dict, blank=True)
    messages = models.JSONField(_("message"), default=dict, blank=True)
    subject = models.CharField(_("subject of the e-mail"), max_length=200, blank=True)
    event = models.ForeignKey(
        Event,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("event"),
    )
    link = models.URLField(_("link"), max_length=300, blank=True)
    scheduled_for = models.DateTimeField(_("to be sent at"), null=True, blank=True)
    recipients_count = models.PositiveIntegerField(_("recipients"), default=0)
    batches_total = models.PositiveIntegerField(default=0, editable=False)
    batches_done = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    launched_at = models.DateTimeField(_("launched at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        indexes = [models.Index(fields=["region", "province", "-created_at"])]

    def __str__(self) -> str:
        return self.name

    @property
    def notification_event(self) -> str:
        """The `event` of its notifications."""
        return f"campaign.{self.pk}"


class Recipient(models.Model):
    """One person a campaign went to, in their language, and the message sent to them."""

    # Indexed by `campaign_recipient_batch` (campaign, id), which also serves the campaign.
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="recipients", db_index=False
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(_("language"), max_length=8)
    notification = models.OneToOneField(
        Notification,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="campaign_recipient",
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "person"], name="campaign_person_once")
        ]
        # A batch reads its recipients by their id range within the campaign: by the campaign
        # alone, PostgreSQL read all of them for every batch (ADR 0070).
        indexes = [models.Index(fields=["campaign", "id"], name="campaign_recipient_batch")]

    def __str__(self) -> str:
        return f"{self.campaign_id} → {self.person_id}"


class OptOut(models.Model):
    """An address (phone or e-mail) or a person that receives no more campaign messages.

    Transactional messages (codes, reminders of one's own sign-up) still go (decision 44).
    """

    class Source(models.TextChoices):
        STOP = "stop", _("STOP reply by SMS")
        LINK = "link", _("Unsubscribe link")

    address = models.CharField(_("address"), max_length=254, unique=True)
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    source = models.CharField(_("source"), max_length=5, choices=Source.choices)
    campaign = models.ForeignKey(
        Campaign, on_delete=models.SET_NULL, null=True, blank=True, related_name="opt_outs"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("opt-out")
        verbose_name_plural = _("opt-outs")
        indexes = [models.Index(fields=["person"], name="campaign_optout_person")]

    def __str__(self) -> str:
        return self.address
