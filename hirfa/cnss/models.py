"""What went to the CNSS and what came back (docs/cnss-exchange.md).

A `Batch` is one signed file, outbound (our pre-registrations, updates, dependants) or
inbound (the CNSS's acknowledgements, payments, rights). Each direction has its own
sequence, so a duplicate or an out-of-order batch is seen. `SentItem` follows every
artisan or dependant we sent until the CNSS answers about it: that is the reconciliation
(sent, acknowledged, missing). `LineRejection` keeps each line of an inbound batch that was
not applied, with why. A file refused as a whole (bad header, checksum, signature,
truncation) is a `RefusedFile`: it has no trustworthy batch id.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Direction(models.TextChoices):
    OUTBOUND = "rna-to-cnss", _("Sent to the CNSS")
    INBOUND = "cnss-to-rna", _("Received from the CNSS")


class Kind(models.TextChoices):
    PRE_REGISTRATION = "pre_registration", _("Pre-registrations")
    UPDATE = "update", _("Updates")
    DEPENDANTS = "dependants", _("Dependants")
    ACKNOWLEDGEMENT = "acknowledgement", _("Acknowledgements")
    PAYMENTS = "payments", _("Payments")
    RIGHTS = "rights", _("Rights status")


class Batch(models.Model):
    class Status(models.TextChoices):
        WRITTEN = "written", _("Written, not yet sent")
        SENT = "sent", _("Sent")
        APPLIED = "applied", _("Applied")
        PARTLY_APPLIED = "partly_applied", _("Applied, some lines rejected")

    batch_id = models.CharField(_("batch id"), max_length=20, unique=True)
    direction = models.CharField(_("direction"), max_length=12, choices=Direction.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    sequence = models.PositiveIntegerField(_("sequence"))
    in_reply_to = models.CharField(_("in reply to"), max_length=20, blank=True)
    schema_version = models.PositiveSmallIntegerField(_("schema version"))
    record_count = models.PositiveIntegerField(_("records"))
    applied_count = models.PositiveIntegerField(_("lines applied"), default=0)
    rejected_count = models.PositiveIntegerField(_("lines rejected"), default=0)
    sha256 = models.CharField(_("SHA-256 of the records"), max_length=64)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    file = models.FileField(_("file"), upload_to="cnss/", max_length=200)
    created_at = models.DateTimeField(_("created at"))
    processed_at = models.DateTimeField(_("sent or imported at"), null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("CNSS batch")
        verbose_name_plural = _("CNSS batches")
        constraints = [
            models.UniqueConstraint(
                fields=["direction", "sequence"], name="one_batch_per_sequence_and_direction"
            ),
        ]

    def __str__(self) -> str:
        return self.batch_id


class SentItem(models.Model):
    """One artisan (or dependant) in an outbound batch, and what the CNSS answered."""

    class Outcome(models.TextChoices):
        PENDING = "", _("No answer yet")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="items")
    # The registration number, or "dependant:<id>".
    key = models.CharField(max_length=30)
    line = models.PositiveIntegerField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True, default="")
    answered_by = models.ForeignKey(
        Batch, on_delete=models.PROTECT, null=True, blank=True, related_name="answers"
    )

    class Meta:
        indexes = [
            models.Index(fields=["key"]),
            models.Index(fields=["batch", "outcome"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["batch", "key"], name="one_item_per_key_and_batch")
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.key}"


class LineRejection(models.Model):
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="rejections")
    line = models.PositiveIntegerField(_("line"))
    key = models.CharField(_("artisan or dependant"), max_length=40, blank=True)
    code = models.CharField(_("code"), max_length=40)
    reason = models.TextField(_("reason"))

    class Meta:
        ordering = ["batch", "line"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "line"], name="one_rejection_per_line")
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.line}"


class RefusedFile(models.Model):
    """A file refused whole: nothing of it was applied. Kept once per content."""

    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, unique=True)
    name = models.CharField(_("file name"), max_length=200)
    batch_id = models.CharField(_("batch id announced"), max_length=20, blank=True)
    code = models.CharField(_("code"), max_length=40)
    reason = models.TextField(_("reason"))
    at = models.DateTimeField(_("refused at"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("refused CNSS file")
        verbose_name_plural = _("refused CNSS files")

    def __str__(self) -> str:
        return self.name


class Counter(models.Model):
    """The last outbound sequence used; it only grows."""

    name = models.CharField(max_length=20, primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}: {self.last}"


class Rejection(models.Model):
    """An artisan the CNSS rejected (a `rejection` record of an answer): a line of the
    rejections worklist of the liaison and of the artisan's province, until the CNSS accepts
    the artisan (or rejects them again: the newer line replaces it). Its province is its
    registration's, read when it is listed: a registration that moves takes its line along."""

    class Closing(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted by the CNSS")
        REJECTED_AGAIN = "rejected_again", _("Rejected again")

    batch = models.ForeignKey(
        Batch, on_delete=models.CASCADE, related_name="cnss_rejections", verbose_name=_("answer")
    )
    sent_batch = models.ForeignKey(
        Batch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rejections_of_sent",
        verbose_name=_("batch sent"),
    )
    line = models.PositiveIntegerField(_("line"))
    number = models.CharField(_("registration number"), max_length=20, db_index=True)
    registration = models.ForeignKey(
        "register.Registration",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registration"),
    )
    code = models.CharField(_("code"), max_length=40)
    reason = models.TextField(_("reason given by the CNSS"), blank=True)
    received_at = models.DateTimeField(_("received at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closing = models.CharField(_("closing"), max_length=16, choices=Closing.choices, blank=True)
    closed_by = models.ForeignKey(
        Batch, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["received_at", "id"]
        verbose_name = _("CNSS rejection")
        verbose_name_plural = _("CNSS rejections")
        constraints = [
            models.UniqueConstraint(fields=["batch", "line"], name="one_cnss_rejection_per_line")
        ]
        indexes = [
            models.Index(fields=["closed_at", "received_at"]),
            models.Index(fields=["closed_at", "code"]),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.line} {self.number}"


class RejectionNote(models.Model):
    """Someone contacted the artisan about a rejection, and why it stays open."""

    rejection = models.ForeignKey(
        Rejection, on_delete=models.CASCADE, related_name="notes", verbose_name=_("rejection")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    note = models.TextField(_("note"))

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("note on a CNSS rejection")
        verbose_name_plural = _("notes on CNSS rejections")

    def __str__(self) -> str:
        return f"{self.rejection_id}: {self.at:%Y-%m-%d}"
