import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hirfa.accounts.roles import TERRITORIAL_ROLES, Role


class User(AbstractUser):
    """Anyone who logs in: artisans and staff.

    A staff account carries a territorial scope: a region, a province, or neither
    (national). What it may see is derived from that scope in `selectors`.
    """

    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.ARTISAN)
    phone = models.CharField(_("mobile phone"), max_length=16, unique=True, null=True, blank=True)
    # The language the person last used the site in: their SMS and e-mails are written in it.
    language = models.CharField(_("language of the messages"), max_length=8, blank=True)
    organisation = models.ForeignKey(
        "territory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("organisation"),
    )
    scope_region = models.ForeignKey(
        "territory.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region of competence"),
    )
    scope_province = models.ForeignKey(
        "territory.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province of competence"),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="scope_is_region_or_province_not_both",
                condition=Q(scope_region__isnull=True) | Q(scope_province__isnull=True),
            ),
            models.CheckConstraint(
                name="territorial_roles_have_a_scope",
                condition=~Q(role__in=sorted(TERRITORIAL_ROLES))
                | Q(scope_region__isnull=False)
                | Q(scope_province__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class ApiToken(models.Model):
    """A bearer token for a machine client. Only a SHA-256 digest is stored."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, unique=True, editable=False)
    digest = models.CharField(_("digest"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def digest_of(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()


class LoginFailure(models.Model):
    """A failed login, kept to throttle password guessing across server processes."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.GenericIPAddressField(null=True, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.username} @ {self.at:%Y-%m-%d %H:%M}"


class ApiUse(models.Model):
    """How many API requests one caller (a token, or a signed-in session) made in one
    minute: kept in the database so that the budget holds across server processes
    (API_REQUESTS_PER_MINUTE, docs/decisions/0077). The caller is named by a digest, never
    by its secret."""

    caller = models.CharField(_("caller"), max_length=80)
    minute = models.DateTimeField(_("minute"))
    count = models.PositiveIntegerField(_("requests"), default=0)

    class Meta:
        verbose_name = _("use of the API")
        verbose_name_plural = _("uses of the API")
        constraints = [
            models.UniqueConstraint(fields=["caller", "minute"], name="one_api_use_a_minute")
        ]
        indexes = [models.Index(fields=["minute"], name="api_use_minute")]

    def __str__(self) -> str:
        return f"{self.caller} {self.minute:%Y-%m-%d %H:%M}: {self.count}"


class PhoneVerification(models.Model):
    """A one-time code sent by SMS to prove that a person holds a phone number.

    Only a digest of the code is kept (SHA-256 of the code and the phone). A code
    lives a few minutes and allows a few attempts (see `services`).
    """

    class Purpose(models.TextChoices):
        SIGNUP = "signup", _("Opening an account")
        EVENT = "event", _("Signing up to an event")
        RECOVERY = "recovery", _("Choosing a new password")
        STATUS = "status", _("Checking the state of a file")
        WALLET = "wallet", _("Putting the card in a phone wallet")

    phone = models.CharField(_("mobile phone"), max_length=16)
    code_digest = models.CharField(_("code digest"), max_length=64, editable=False)
    purpose = models.CharField(
        _("purpose"), max_length=12, choices=Purpose.choices, default=Purpose.SIGNUP
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveSmallIntegerField(_("wrong attempts"), default=0)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("phone verification")
        verbose_name_plural = _("phone verifications")
        indexes = [models.Index(fields=["phone", "purpose", "created_at"])]

    def __str__(self) -> str:
        return f"{self.phone} ({self.get_purpose_display()})"

    @staticmethod
    def digest_of(code: str, phone: str) -> str:
        return hashlib.sha256(f"{code}{phone}".encode()).hexdigest()
