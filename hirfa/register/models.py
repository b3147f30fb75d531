"""The National Register: who applied, what was decided, who is registered.

A `Dossier` is an application (a first registration, a modification or a
renewal) moving through explicit states. Its approval creates or changes a
`Registration`, which carries the national number. Registrants are natural
persons (`Person`) or legal persons (`LegalEntity`: cooperatives and
enterprises) per Law 50-17.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from hirfa.core.names import name_keys


class Category(models.TextChoices):
    ARTISAN_DIPLOMA = "artisan_diploma", _("Artisan (diploma)")
    ARTISAN_EXPERIENCE = "artisan_experience", _("Artisan (3 years of practice)")
    MASTER = "master", _("Master artisan (maâlem)")
    COOPERATIVE = "cooperative", _("Craft cooperative")
    ENTERPRISE = "enterprise", _("Craft enterprise")


NATURAL_PERSON_CATEGORIES = frozenset(
    {Category.ARTISAN_DIPLOMA, Category.ARTISAN_EXPERIENCE, Category.MASTER}
)


class Sex(models.TextChoices):
    FEMALE = "F", _("Woman")
    MALE = "M", _("Man")


class Education(models.TextChoices):
    NONE = "none", _("No schooling")
    PRIMARY = "primary", _("Primary school")
    SECONDARY = "secondary", _("Secondary school")
    VOCATIONAL = "vocational", _("Vocational training")
    HIGHER = "higher", _("Higher education")


class WorkplaceKind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    HOME = "home", _("At home")
    ITINERANT = "itinerant", _("Itinerant")


class Person(models.Model):
    """A natural person: an artisan, a master artisan, or a cooperative member."""

    cnie = models.CharField(_("national identity card number"), max_length=9, unique=True)
    first_name_ar = models.CharField(_("first name in Arabic"), max_length=100)
    last_name_ar = models.CharField(_("family name in Arabic"), max_length=100)
    first_name_latin = models.CharField(_("first name in Latin letters"), max_length=100)
    last_name_latin = models.CharField(_("family name in Latin letters"), max_length=100)
    first_name_zgh = models.CharField(_("first name in Tifinagh"), max_length=100, blank=True)
    last_name_zgh = models.CharField(_("family name in Tifinagh"), max_length=100, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"))
    birth_place = models.CharField(_("place of birth"), max_length=100)
    nationality = models.CharField(_("nationality"), max_length=2, default="MA")
    address = models.CharField(_("home address"), max_length=250)
    commune = models.ForeignKey(
        "territory.Commune", on_delete=models.PROTECT, related_name="+", verbose_name=_("commune")
    )
    phone = models.CharField(_("mobile phone"), max_length=13, db_index=True)
    email = models.EmailField(_("e-mail"), blank=True)
    education = models.CharField(_("education"), max_length=12, choices=Education.choices)
    photo = models.FileField(_("photo"), upload_to="photos/%Y/%m/", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("account"),
    )
    # Phonetic keys of the names (hirfa.search), kept by save() and indexed by the
    # database in the same transaction (see docs/search.md).
    search_keys = models.TextField(blank=True, default="", editable=False)
    # The provinces of the person's registrations and files, one token each (`p<id>`),
    # indexed beside the keys: kept by the database's triggers (ADR 0080).
    search_scope = models.TextField(blank=True, default="", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    NAME_FIELDS = ("first_name_ar", "last_name_ar", "first_name_latin", "last_name_latin")

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self) -> str:
        return self.full_name_latin

    def save(self, *args, **kwargs):
        _keep_search_keys(self, kwargs)
        super().save(*args, **kwargs)

    @property
    def full_name_ar(self) -> str:
        return person_name_ar(self.first_name_ar, self.last_name_ar)

    @property
    def full_name_latin(self) -> str:
        return person_name_latin(self.first_name_latin, self.last_name_latin)


def person_name_ar(first: str, last: str) -> str:
    """A person's full name in Arabic, as the register shows it."""
    return f"{first} {last}"


def person_name_latin(first: str, last: str) -> str:
    """A person's full name in Latin letters, as the register shows it (family name in
    capitals)."""
    return f"{first} {last.upper()}"


class LegalEntity(models.Model):
    """A craft cooperative or a craft enterprise."""

    class Kind(models.TextChoices):
        COOPERATIVE = "cooperative", _("Craft cooperative")
        ENTERPRISE = "enterprise", _("Craft enterprise")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    name_ar = models.CharField(_("name in Arabic"), max_length=200)
    name_fr = models.CharField(_("name in French"), max_length=200)
    ice = models.CharField(_("ICE"), max_length=15, unique=True)
    register_number = models.CharField(
        _("trade or cooperative register number"), max_length=30, blank=True
    )
    address = models.CharField(_("address"), max_length=250)
    commune = models.ForeignKey(
        "territory.Commune", on_delete=models.PROTECT, related_name="+", verbose_name=_("commune")
    )
    phone = models.CharField(_("phone"), max_length=13, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    members = models.ManyToManyField(
        Person, blank=True, related_name="entities", verbose_name=_("members")
    )
    supervisor = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised_entities",
        verbose_name=_("supervising artisan"),
    )
    search_keys = models.TextField(blank=True, default="", editable=False)
    search_scope = models.TextField(blank=True, default="", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    NAME_FIELDS = ("name_ar", "name_fr")

    class Meta:
        verbose_name = _("cooperative or enterprise")
        verbose_name_plural = _("cooperatives and enterprises")

    def __str__(self) -> str:
        return self.name_fr

    def save(self, *args, **kwargs):
        _keep_search_keys(self, kwargs)
        super().save(*args, **kwargs)


def search_scope_token(province_id: int) -> str:
    """A province in a registrant's `search_scope` (as migration register 0012's triggers
    write it): digits never occur in a name key, so it never matches a typed name."""
    return f"p{province_id}"


def _keep_search_keys(registrant, save_kwargs: dict) -> None:
    """Recompute the search keys when the names may have changed (hirfa.search)."""
    fields = save_kwargs.get("update_fields")
    if fields is not None and not set(fields) & set(registrant.NAME_FIELDS):
        return
    registrant.search_keys = name_keys(
        *(getattr(registrant, field) for field in registrant.NAME_FIELDS)
    )
    if fields is not None:
        save_kwargs["update_fields"] = {*fields, "search_keys"}
    elif (
        registrant.pk is not None
        and not registrant._state.adding
        and not save_kwargs.get("force_insert")
    ):
        # `search_scope` belongs to the database's triggers (ADR 0080): an update writes
        # every other loaded field, never the value read before a province changed.
        deferred = registrant.get_deferred_fields()
        save_kwargs["update_fields"] = [
            field.name
            for field in registrant._meta.concrete_fields
            if not field.primary_key
            and field.name != "search_scope"
            and field.attname not in deferred
        ]


class DocumentRequirement(models.Model):
    """A document to attach to an application of a category (configurable data)."""

    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    code = models.SlugField(_("code"), max_length=40)
    name_ar = models.CharField(_("name in Arabic"), max_length=200)
    name_fr = models.CharField(_("name in French"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200)
    name_zgh = models.CharField(_("name in Tifinagh"), max_length=200, blank=True)
    required = models.BooleanField(_("required"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["category", "position", "code"]
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="one_requirement_per_code")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = get_language() or "ar"
        if language == "zgh":
            return self.name_zgh or self.name_ar
        return {"ar": self.name_ar, "fr": self.name_fr}.get(language, self.name_en)


class CraftRecord(models.Model):
    """Who practises which craft, where: what an application asks and a registration holds."""

    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="%(class)ss",
        verbose_name=_("person"),
    )
    entity = models.ForeignKey(
        LegalEntity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="%(class)ss",
        verbose_name=_("cooperative or enterprise"),
    )
    principal_activity = models.ForeignKey(
        "crafts.Activity",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("principal activity"),
    )
    secondary_activities = models.ManyToManyField(
        "crafts.Activity", blank=True, related_name="+", verbose_name=_("secondary activities")
    )
    workplace_kind = models.CharField(_("workplace"), max_length=10, choices=WorkplaceKind.choices)
    workplace_commune = models.ForeignKey(
        "territory.Commune",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("commune of the workplace"),
    )
    workplace_address = models.CharField(_("address of the workplace"), max_length=250)
    province = models.ForeignKey(
        "territory.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                name="%(class)s_has_exactly_one_registrant",
                condition=Q(person__isnull=False, entity__isnull=True)
                | Q(person__isnull=True, entity__isnull=False),
            ),
        ]

    @property
    def registrant_name_ar(self) -> str:
        return self.person.full_name_ar if self.person else self.entity.name_ar

    @property
    def registrant_name_latin(self) -> str:
        return self.person.full_name_latin if self.person else self.entity.name_fr


class Registration(CraftRecord):
    """An entry of the register, with its national number."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        EXPIRED = "expired", _("Expired")
        STRUCK_OFF = "struck_off", _("Struck off")

    number = models.CharField(_("registration number"), max_length=10, unique=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    status_reason = models.TextField(_("reason of the status"), blank=True)
    suspended_until = models.DateField(_("suspended until"), null=True, blank=True)
    registered_on = models.DateField(_("registered on"))
    valid_until = models.DateField(_("valid until"))
    reminder_sent_for = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            *CraftRecord.Meta.constraints,
            # One live registration per CNIE (per person) and per legal entity:
            # a struck-off registrant may register again, nobody twice at once.
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(person__isnull=False) & ~Q(status="struck_off"),
                name="one_live_registration_per_person",
            ),
            models.UniqueConstraint(
                fields=["entity"],
                condition=Q(entity__isnull=False) & ~Q(status="struck_off"),
                name="one_live_registration_per_entity",
            ),
            models.CheckConstraint(
                name="registration_number_is_ten_digits",
                condition=Q(number__regex=r"^[1-9][0-9]{9}$"),
            ),
        ]
        indexes = [
            models.Index(fields=["province", "status"]),
            # Search intersects matching registrants with a province without reading rows.
            models.Index(fields=["province", "person"], name="registration_province_person"),
            # A number being typed, in a province's scope: one page of the index, whatever
            # the province's size (ADR 0074).
            models.Index(fields=["province", "number"], name="registration_province_number"),
        ]

    def __str__(self) -> str:
        return self.number


class Dossier(CraftRecord):
    """An application to the register, from draft to decision."""

    class Kind(models.TextChoices):
        REGISTRATION = "registration", _("First registration")
        MODIFICATION = "modification", _("Modification")
        RENEWAL = "renewal", _("Renewal")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        IN_REVIEW = "in_review", _("In review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        RESUBMITTED = "resubmitted", _("Resubmitted")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    kind = models.CharField(
        _("kind"), max_length=14, choices=Kind.choices, default=Kind.REGISTRATION
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default="draft")
    registration = models.ForeignKey(
        Registration,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
        verbose_name=_("registration"),
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="filed_dossiers",
        verbose_name=_("filed by"),
    )
    assisted = models.BooleanField(_("filed with the help of an agent"), default=False)
    consent_at = models.DateTimeField(_("consent recorded at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decided_dossiers",
        verbose_name=_("decided by"),
    )
    rejection_reason = models.CharField(_("reason of rejection"), max_length=30, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    # A change of a registered person's identity, proposed by a modification or a renewal and
    # applied on approval only: {field: {"from": old, "to": new}} (codes and ISO dates).
    person_changes = models.JSONField(_("proposed identity changes"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        constraints = [
            *CraftRecord.Meta.constraints,
            # One open first-registration file per person: a second would only
            # produce a duplicate to reject.
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(kind="registration")
                & Q(
                    state__in=[
                        "draft",
                        "submitted",
                        "in_review",
                        "changes_requested",
                        "resubmitted",
                    ]
                ),
                name="one_open_registration_dossier_per_person",
            ),
        ]
        indexes = [
            models.Index(fields=["province", "state", "submitted_at"]),
            models.Index(fields=["state", "submitted_at"]),
            # Who accepted to be contacted: a campaign asks it of each person of its segment,
            # answered from this index alone (ADR 0070).
            models.Index(
                fields=["person"],
                condition=Q(consent_at__isnull=False),
                name="dossier_consented_person",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()}"


class StoredDocument(models.Model):
    """An uploaded file checked by content (hirfa.register.documents) and kept through
    Django storage; concrete models add what it belongs to, its kind and its `file` field
    (their folders differ)."""

    original_name = models.CharField(_("original name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=40)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["kind", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class Document(StoredDocument):
    """A file attached to a dossier."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="documents", verbose_name=_("dossier")
    )
    kind = models.SlugField(_("kind of document"), max_length=40)
    file = models.FileField(_("file"), upload_to="documents/%Y/%m/")

    class Meta(StoredDocument.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")


class Message(models.Model):
    """What a reviewer tells the artisan about their dossier (and replies)."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="messages", verbose_name=_("dossier")
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"))
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.body[:40]


class NumberCounter(models.Model):
    """The last serial handed out; it only grows, so a number is never reused."""

    name = models.CharField(max_length=20, primary_key=True)
    last = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.name}: {self.last}"
