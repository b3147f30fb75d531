"""Likely duplicates of a person, the reviewers' decisions, and the merges they led to.

Nothing is deleted by a merge: the merged person stays in the register with a pointer
(`Merge`) to the person who now holds their files.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Reason(models.TextChoices):
    NAMES_AND_BIRTH_DATE = "names_birth_date", _("Same names (in any script) and birth date")
    SIMILAR_NAMES = "similar_names", _("Similar names")
    CNIE_ONE_CHARACTER = "cnie_one_character", _("CNIE one character away")
    SAME_PHONE = "same_phone", _("Same phone number")
    SAME_COMMUNE = "same_commune", _("Same commune (home or workplace)")
    SAME_PROVINCE = "same_province", _("Same province (home or workplace)")
    SAME_ACTIVITY = "same_activity", _("Same craft")


class Candidate(models.Model):
    """Two persons who may be one; `person` has the smaller id."""

    class Status(models.TextChoices):
        OPEN = "open", _("To check")
        CONFIRMED = "confirmed", _("Confirmed and merged")
        DISMISSED = "dismissed", _("Not the same person")

    class Source(models.TextChoices):
        SUBMISSION = "submission", _("At submission")
        SCAN = "scan", _("Register scan")

    person = models.ForeignKey(
        "register.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    other = models.ForeignKey(
        "register.Person",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("other person"),
    )
    score = models.PositiveSmallIntegerField(_("score"))
    reasons = models.JSONField(_("reasons"), default=list)
    source = models.CharField(_("found"), max_length=10, choices=Source.choices)
    dossier = models.ForeignKey(
        "register.Dossier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dossier"),
    )
    cluster = models.BigIntegerField(_("cluster"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "other"], name="one_candidate_per_pair"),
            models.CheckConstraint(condition=Q(person__lt=F("other")), name="candidate_ordered"),
        ]
        indexes = [models.Index(fields=["status", "cluster"])]

    def __str__(self) -> str:
        return f"{self.person_id}~{self.other_id} ({self.score})"

    def reason_labels(self) -> list[str]:
        return [str(Reason(code).label) for code in self.reasons if code in Reason.values]


class Merge(models.Model):
    """`merged` was found to be `into`; its files now belong to `into`."""

    merged = models.OneToOneField(
        "register.Person", on_delete=models.PROTECT, related_name="merged_into"
    )
    into = models.ForeignKey("register.Person", on_delete=models.PROTECT, related_name="merges")
    candidate = models.OneToOneField(Candidate, on_delete=models.PROTECT, related_name="merge")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    moved = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"{self.merged_id} → {self.into_id}"
