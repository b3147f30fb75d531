from django.db import models
from django.utils.translation import gettext_lazy as _

from hirfa.core.models import Named


class Nomenclature(Named):
    """Shared fields of the three levels of the crafts nomenclature.

    Codes are stable and opaque; nothing is ever deleted once in use. An entry that
    disappears from a newer list is retired (inactive) instead.
    """

    code = models.CharField(_("code"), max_length=16, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "code"]


class Category(Nomenclature):
    class Meta(Nomenclature.Meta):
        verbose_name = _("crafts category")
        verbose_name_plural = _("crafts categories")


class Branch(Nomenclature):
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="branches", verbose_name=_("category")
    )

    class Meta(Nomenclature.Meta):
        verbose_name = _("crafts branch")
        verbose_name_plural = _("crafts branches")


class Activity(Nomenclature):
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="activities", verbose_name=_("branch")
    )

    class Meta(Nomenclature.Meta):
        verbose_name = _("craft activity")
        verbose_name_plural = _("craft activities")


class NomenclatureRelease(models.Model):
    """One import of the nomenclature file: which list is in force, and since when."""

    version = models.CharField(_("version"), max_length=64)
    provisional = models.BooleanField(_("provisional"))
    source = models.TextField(_("source"), blank=True)
    checksum = models.CharField(_("SHA-256 of the file"), max_length=64)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)
    summary = models.JSONField(_("summary of changes"), default=dict)

    class Meta:
        ordering = ["-loaded_at", "-id"]
        get_latest_by = "loaded_at"
        verbose_name = _("nomenclature release")
        verbose_name_plural = _("nomenclature releases")

    def __str__(self) -> str:
        return self.version
