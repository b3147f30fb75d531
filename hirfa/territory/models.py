from django.db import models
from django.db.models import Q
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
