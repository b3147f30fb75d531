"""Outreach: the events a chamber of crafts holds to bring artisans into the register and
into AMO (awareness meetings, fair stands, registration drives, CNSS help desk days), the
people who sign up and come, what was done for them there and the files they brought."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hirfa.core.models import Named
from hirfa.crafts.models import Activity, Branch
from hirfa.register.models import Dossier, Person, Registration
from hirfa.territory.models import Commune, Organisation, Province, Region


class Event(Named):
    """One event; its title is in Arabic, French and (where known) Tifinagh (`Named`)."""

    class Kind(models.TextChoices):
        AWARENESS = "awareness", _("Awareness meeting")
        FAIR = "fair", _("Crafts fair stand")
        DRIVE = "drive", _("Mobile registration drive")
        HELP_DESK = "help_desk", _("CNSS help desk day")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        HELD = "held", _("Held")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    slug = models.SlugField(_("address"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    organiser = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="events", verbose_name=_("organiser")
    )
    partners = models.ManyToManyField(
        Organisation, blank=True, related_name="partner_events", verbose_name=_("partners")
    )
    other_partners = models.CharField(_("other partners"), max_length=300, blank=True)
    # Where: the commune fixes the province and region (kept here for scope and feeds).
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, verbose_name=_("commune"))
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, editable=False, related_name="+"
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, editable=False, related_name="+")
    venue = models.CharField(_("venue"), max_length=300)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    # Who it is for.
    branches = models.ManyToManyField(Branch, blank=True, verbose_name=_("branches"))
    activities = models.ManyToManyField(Activity, blank=True, verbose_name=_("activities"))
    categories = models.JSONField(_("categories"), default=list, blank=True)
    provinces = models.ManyToManyField(
        Province, blank=True, related_name="targeted_by_events", verbose_name=_("provinces")
    )
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    # One item per line, in the order they come.
    agenda = models.TextField(_("agenda"), blank=True)
    speakers = models.TextField(_("speakers"), blank=True)
    report = models.TextField(_("report"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The first session's start, kept for ordering and "upcoming" lists.
    starts_at = models.DateTimeField(_("starts at"), null=True, editable=False, db_index=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, editable=False)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["state", "region", "starts_at"])]

    def agenda_items(self) -> list[str]:
        return [line.strip() for line in self.agenda.splitlines() if line.strip()]

    def speaker_items(self) -> list[str]:
        return [line.strip() for line in self.speakers.splitlines() if line.strip()]


class EventSession(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                name="outreach_session_ends_after_start",
                condition=Q(ends_at__gt=models.F("starts_at")),
            )
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} – {self.ends_at:%Y-%m-%d %H:%M}"


class Attendee(models.Model):
    """A person signed up to an event, waiting for a seat, or come to it (walk-ins too)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the SMS code")
        SIGNED_UP = "signed_up", _("Signed up")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    class Source(models.TextChoices):
        PHONE = "phone", _("Signed up by phone")
        AGENT = "agent", _("Signed up by an agent")
        WALK_IN = "walk_in", _("Walk-in")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendees")
    name = models.CharField(_("name"), max_length=150)
    phone = models.CharField(_("mobile phone"), max_length=16, blank=True)
    cnie = models.CharField(_("national identity card number"), max_length=9, blank=True)
    language = models.CharField(_("language"), max_length=8, default="ar")
    registration = models.ForeignKey(
        Registration, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    signed_up_at = models.DateTimeField(_("signed up at"))
    signed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)

    class Meta:
        ordering = ["signed_up_at", "id"]
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "phone"], condition=~Q(phone=""), name="outreach_one_row_per_phone"
            ),
            models.UniqueConstraint(
                fields=["event", "registration"],
                condition=Q(registration__isnull=False),
                name="outreach_one_row_per_registration",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "status", "signed_up_at"]),
            # The funnel finds a person's attendances by phone or CNIE (decision 46).
            # Partial: most attendees give no CNIE, and a blank one never matches.
            models.Index(
                fields=["phone", "checked_in_at"],
                condition=~Q(phone=""),
                name="outreach_attendee_phone",
            ),
            models.Index(
                fields=["cnie", "checked_in_at"],
                condition=~Q(cnie=""),
                name="outreach_attendee_cnie",
            ),
            models.Index(fields=["person", "checked_in_at"], name="outreach_attendee_person"),
        ]

    def __str__(self) -> str:
        return self.name


class Referral(models.Model):
    """The event a dossier came from: filed by an agent from one of its attendees.

    The register knows nothing of events; the link lives here, one per dossier.
    """

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="referrals")
    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="+")
    attendee = models.ForeignKey(
        Attendee, on_delete=models.SET_NULL, null=True, blank=True, related_name="referrals"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return f"{self.event_id} → {self.dossier_id}"


class EventService(models.Model):
    """Help given to an attendee at an event (AMO enrolment steps, dependants)."""

    class Kind(models.TextChoices):
        ENROLMENT_STEPS = "enrolment_steps", _("AMO enrolment steps explained")
        DEPENDANTS = "dependants", _("Dependants declared")
        OTHER = "other", _("Other help")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="services")
    attendee = models.ForeignKey(Attendee, on_delete=models.CASCADE, related_name="services")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    given_at = models.DateTimeField(_("given at"), auto_now_add=True)

    class Meta:
        ordering = ["given_at", "id"]
        verbose_name = _("service given")
        verbose_name_plural = _("services given")

    def __str__(self) -> str:
        return self.get_kind_display()


class Question(models.Model):
    """A question asked at an event, its answer, and whether it is shown on the public page."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    topic = models.CharField(_("topic"), max_length=150)
    question = models.TextField(_("question"))
    answer = models.TextField(_("answer"), blank=True)
    published = models.BooleanField(_("published in the FAQ"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.topic
