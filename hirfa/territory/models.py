from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from hirfa.core.models import Named


class Region(Named):
    code = models.CharField(_("HCP code"), max_length=2, unique=True)
    population = models.PositiveIntegerField(_("population (2024)"), default=0)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class Province(Named):
    class Kind(models.TextChoices):
        PROVINCE = "province", _("province")
        PREFECTURE = "prefecture", _("prefecture")

    code = models.CharField(_("HCP code"), max_length=6, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="provinces", verbose_name=_("region")
    )
    population = models.PositiveIntegerField(_("population (2024)"), default=0)

    class Meta:
        ordering = ["code"]
        verbose_name = _("province or prefecture")
        verbose_name_plural = _("provinces and prefectures")


class Commune(Named):
    class Kind(models.TextChoices):
        URBAN = "urban", _("urban commune")
        RURAL = "rural", _("rural commune")

    code = models.CharField(_("HCP code"), max_length=12, unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="communes", verbose_name=_("province")
    )
    population = models.PositiveIntegerField(_("population (2024)"), default=0)
    # Code and folded names (see territory.search), written by the loader, so that
    # "fes" finds Fès and "ايت" finds آيت on every database.
    search_key = models.CharField(_("search key"), max_length=500, blank=True, editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")


class Organisation(Named):
    """A body that takes part in the register: chambers, directorates, CNSS, ministry."""

    class Kind(models.TextChoices):
        CHAMBER = "chamber", _("chamber of crafts")
        DIRECTORATE = "directorate", _("provincial directorate of crafts")
        CNSS = "cnss", _("national social security fund")
        MINISTRY = "ministry", _("ministry")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("region"),
    )
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("province"),
    )
    # Where the public finds it (data/offices.json, editable in the admin).
    city_ar = models.CharField(_("town in Arabic"), max_length=100, blank=True)
    city_fr = models.CharField(_("town in French"), max_length=100, blank=True)
    city_zgh = models.CharField(_("town in Tifinagh"), max_length=100, blank=True)
    address_ar = models.CharField(_("address in Arabic"), max_length=250, blank=True)
    address_fr = models.CharField(_("address in French"), max_length=250, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    hours = models.CharField(
        _("opening hours (Monday to Friday, HH:MM-HH:MM)"), max_length=11, blank=True
    )

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                name="chamber_has_region_only",
                condition=~Q(kind="chamber") | Q(region__isnull=False, province__isnull=True),
            ),
            models.CheckConstraint(
                name="directorate_has_province",
                condition=~Q(kind="directorate") | Q(province__isnull=False),
            ),
            models.CheckConstraint(
                name="national_body_has_no_territory",
                condition=~Q(kind__in=["cnss", "ministry"])
                | Q(region__isnull=True, province__isnull=True),
            ),
        ]

    @property
    def city(self) -> str:
        language = get_language() or "ar"
        if language == "zgh" and self.city_zgh:
            return self.city_zgh
        if language in ("fr", "en"):
            return self.city_fr or self.city_ar
        return self.city_ar or self.city_fr

    @property
    def address(self) -> str:
        language = get_language() or "ar"
        if language in ("fr", "en"):
            return self.address_fr or self.address_ar
        return self.address_ar or self.address_fr
