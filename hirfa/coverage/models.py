"""Mandatory health insurance (AMO) of registered artisans, through the CNSS.

An `Enrolment` follows one registration of a natural person from its pre-registration
to its closing (docs/coverage.md, docs/decisions/0015). "Not enrolled" has no row:
an active registration of a person without an enrolment is waiting to be sent.
Dependants, the contribution schedule and the payments hang off it. Money is MAD in
`Decimal` with two places.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hirfa.core.languages import interpolate_lazy
from hirfa.register.models import Sex, StoredDocument


class State(models.TextChoices):
    NOT_ENROLLED = "not_enrolled", _("Not enrolled")
    SENT = "sent", _("Sent to the CNSS")
    IMMATRICULATED = "immatriculated", _("Immatriculated")
    RIGHTS_OPEN = "rights_open", _("Rights open")
    SUSPENDED = "suspended", _("Rights suspended")
    CLOSED = "closed", _("Closed")


class ClosingReason(models.TextChoices):
    STRUCK_OFF = "struck_off", _("Struck off the register")
    DEATH = "death", _("Death")
    OTHER_SCHEME = "other_scheme", _("Moved to another insurance scheme")
    CNSS = "cnss", _("Closed by the CNSS")


class ContributionCategory(models.TextChoices):
    # Non-fiscalised artisans enter through the register (decree of December 2021).
    RNA = "rna", _("Artisan registered in the RNA, not taxed")
    FISCAL_1 = "fiscal_1", _("Taxed artisan, flat-rate income 1 × the reference")
    FISCAL_3_2 = "fiscal_3_2", _("Taxed artisan, flat-rate income 3.2 × the reference")
    FISCAL_6 = "fiscal_6", _("Taxed artisan, flat-rate income 6 × the reference")


class Enrolment(models.Model):
    registration = models.OneToOneField(
        "register.Registration",
        on_delete=models.PROTECT,
        related_name="enrolment",
        verbose_name=_("registration"),
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, db_index=True)
    state_since = models.DateField(_("in this state since"))
    category = models.CharField(
        _("contribution category"),
        max_length=12,
        choices=ContributionCategory.choices,
        default=ContributionCategory.RNA,
    )
    cnss_number = models.CharField(_("CNSS number"), max_length=12, blank=True)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    sent_batch = models.CharField(_("sent in batch"), max_length=64, blank=True)
    immatriculated_on = models.DateField(_("immatriculated on"), null=True, blank=True)
    # First month of dues: the month of the immatriculation.
    dues_from = models.DateField(_("dues from"), null=True, blank=True)
    rights_open_on = models.DateField(_("rights open on"), null=True, blank=True)
    suspended_on = models.DateField(_("suspended on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closing_reason = models.CharField(
        _("reason of the closing"), max_length=14, choices=ClosingReason.choices, blank=True
    )
    rejection_code = models.CharField(_("CNSS rejection code"), max_length=40, blank=True)
    rejection_reason = models.CharField(_("CNSS rejection reason"), max_length=300, blank=True)
    rejected_at = models.DateTimeField(_("rejected at"), null=True, blank=True)
    # Who last set the rights (a CNSS statement outranks the local rules, ADR 0016).
    rights_source = models.CharField(max_length=80, blank=True, editable=False)
    rights_stated_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Kept up to date by every evaluation, for the figures and the lists.
    arrears = models.DecimalField(_("arrears (MAD)"), max_digits=12, decimal_places=2, default=0)
    unpaid_months = models.PositiveSmallIntegerField(_("unpaid months"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("AMO enrolment")
        verbose_name_plural = _("AMO enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["cnss_number"],
                condition=~Q(cnss_number="") & ~Q(state="closed"),
                name="one_live_cnss_number",
            ),
            models.CheckConstraint(
                name="enrolment_state_known", condition=Q(state__in=State.values)
            ),
            models.CheckConstraint(
                name="enrolment_cnss_number_digits",
                condition=Q(cnss_number="") | Q(cnss_number__regex=r"^[0-9]{6,12}$"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id}: {self.state}"


class CoverageRules(models.Model):
    """The periods the law leaves open (UNCONFIRMED, docs/coverage.md): one row, edited in admin."""

    waiting_months = models.PositiveSmallIntegerField(
        _("waiting period (months of paid dues before rights open)"), default=3
    )
    suspend_after_unpaid_months = models.PositiveSmallIntegerField(
        _("unpaid months that suspend the rights"), default=2
    )
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("coverage rules")
        verbose_name_plural = _("coverage rules")
        constraints = [
            models.CheckConstraint(name="one_rules_row", condition=Q(id=1)),
            models.CheckConstraint(
                name="suspension_needs_a_month", condition=Q(suspend_after_unpaid_months__gte=1)
            ),
        ]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "CoverageRules":
        rules, _created = cls.objects.get_or_create(pk=1)
        return rules


class EligibilityRule(models.Model):
    """When a spouse or a child is a dependant (configurable data, ADR 0017).

    A dependant is eligible on a date when one active rule of its relation holds; the
    age limit is inclusive ("21 years at most": until the day before the 22nd birthday).
    """

    class Relation(models.TextChoices):
        SPOUSE = "spouse", _("Spouse")
        CHILD = "child", _("Child")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    relation = models.CharField(_("relation"), max_length=8, choices=Relation.choices)
    max_age = models.PositiveSmallIntegerField(
        _("age limit (years, inclusive)"), null=True, blank=True
    )
    requires_student = models.BooleanField(_("only in higher education"), default=False)
    requires_unmarried = models.BooleanField(_("only unmarried"), default=False)
    requires_disabled = models.BooleanField(_("only with a disability"), default=False)
    documents = models.JSONField(
        _("documents to attach"),
        default=list,
        blank=True,
        help_text=interpolate_lazy(
            _("Codes among: %(codes)s."),
            {
                "codes": "family_record, birth_certificate, school_certificate, "
                "disability_certificate"
            },
        ),
    )
    active = models.BooleanField(_("active"), default=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["relation", "code"]
        verbose_name = _("eligibility rule")
        verbose_name_plural = _("eligibility rules")

    def __str__(self) -> str:
        return self.code


class Dependant(models.Model):
    Relation = EligibilityRule.Relation

    class State(models.TextChoices):
        DECLARED = "declared", _("Declared, to be checked by an agent")
        CONFIRMED = "confirmed", _("Confirmed")
        ACCEPTED = "accepted", _("Accepted by the CNSS")
        REFUSED = "refused", _("Refused")
        ENDED = "ended", _("No longer a dependant")

    registration = models.ForeignKey(
        "register.Registration",
        on_delete=models.PROTECT,
        related_name="dependants",
        verbose_name=_("registration"),
    )
    relation = models.CharField(_("relation"), max_length=8, choices=Relation.choices)
    first_name_ar = models.CharField(_("first name in Arabic"), max_length=100)
    last_name_ar = models.CharField(_("family name in Arabic"), max_length=100)
    first_name_latin = models.CharField(_("first name in Latin letters"), max_length=100)
    last_name_latin = models.CharField(_("family name in Latin letters"), max_length=100)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"))
    cnie = models.CharField(_("national identity card number"), max_length=9, blank=True)
    student = models.BooleanField(_("in higher education"), default=False)
    married = models.BooleanField(_("married"), default=False)
    disabled = models.BooleanField(_("with a disability"), default=False)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.DECLARED
    )
    eligible_until = models.DateField(_("dependant until"), null=True, blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    decision_reason = models.CharField(_("reason"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent to the CNSS at"), null=True, blank=True)
    sent_batch = models.CharField(_("sent in batch"), max_length=64, blank=True)
    # What the CNSS must hear about again: set on every change, cleared when sent.
    changed_at = models.DateTimeField(auto_now_add=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["relation", "birth_date", "id"]
        verbose_name = _("dependant")
        verbose_name_plural = _("dependants")
        indexes = [models.Index(fields=["state", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.first_name_latin} {self.last_name_latin}"

    @property
    def full_name_ar(self) -> str:
        return f"{self.first_name_ar} {self.last_name_ar}"


class DependantDocument(StoredDocument):
    class Kind(models.TextChoices):
        FAMILY_RECORD = "family_record", _("Family record (livret de famille)")
        BIRTH_CERTIFICATE = "birth_certificate", _("Birth certificate")
        SCHOOL_CERTIFICATE = "school_certificate", _("School or university certificate")
        DISABILITY_CERTIFICATE = "disability_certificate", _("Disability certificate")

    dependant = models.ForeignKey(
        Dependant, on_delete=models.CASCADE, related_name="documents", verbose_name=_("dependant")
    )
    kind = models.CharField(_("kind of document"), max_length=24, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to="coverage/%Y/%m/")

    class Meta(StoredDocument.Meta):
        verbose_name = _("dependant's document")
        verbose_name_plural = _("dependants' documents")


class ContributionRate(models.Model):
    """One row of the effective-dated contribution schedule (ADR 0016).

    A row holds from the first day of `starts_on`'s month to `ends_on` (inclusive), or
    on when `ends_on` is empty. Rows of a category never overlap.
    """

    category = models.CharField(
        _("contribution category"), max_length=12, choices=ContributionCategory.choices
    )
    starts_on = models.DateField(_("from (first day of a month)"))
    ends_on = models.DateField(_("until (last day of a month)"), null=True, blank=True)
    basis = models.DecimalField(
        _("flat-rate monthly income (MAD)"), max_digits=12, decimal_places=2
    )
    rate = models.DecimalField(_("rate (%)"), max_digits=6, decimal_places=3)
    monthly_amount = models.DecimalField(
        _("monthly contribution (MAD)"), max_digits=10, decimal_places=2
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["category", "starts_on"]
        verbose_name = _("contribution rate")
        verbose_name_plural = _("contribution schedule")
        constraints = [
            models.UniqueConstraint(fields=["category", "starts_on"], name="one_rate_per_start"),
            # At most one open-ended row per category.
            models.UniqueConstraint(
                fields=["category"], condition=Q(ends_on__isnull=True), name="one_current_rate"
            ),
            models.CheckConstraint(
                name="rate_period_ordered",
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=models.F("starts_on")),
            ),
            models.CheckConstraint(
                name="rate_amounts_positive",
                condition=Q(monthly_amount__gt=0, basis__gt=0, rate__gt=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.starts_on}: {self.monthly_amount}"


class Payment(models.Model):
    """A contribution paid for one month, as the CNSS reported it."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.PROTECT, related_name="payments", verbose_name=_("enrolment")
    )
    period = models.DateField(_("month paid (first day)"))
    amount = models.DecimalField(_("amount (MAD)"), max_digits=10, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    reference = models.CharField(_("reference"), max_length=64, unique=True)
    source = models.CharField(_("source"), max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["period", "paid_on", "id"]
        verbose_name = _("contribution payment")
        verbose_name_plural = _("contribution payments")
        indexes = [models.Index(fields=["enrolment", "period"])]
        constraints = [
            models.CheckConstraint(name="payment_positive", condition=Q(amount__gt=0)),
        ]

    def __str__(self) -> str:
        return self.reference
