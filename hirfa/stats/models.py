"""The aggregates: counts kept up to date with the register (docs/decisions/0047).

`Count` holds one figure per measure and key; `Contribution` remembers, for each counted
object, the keys it was last counted under, so that a change moves it from its old keys to
its new ones exactly (no rescan); `Freshness` says when the figures were last true and
whether a bulk write left them to be rebuilt; `Pending` lists the objects changed since the
counts were last folded (docs/decisions/0068).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Territory, crafts and dates are kept as plain ids and codes (no foreign keys): a count
# outlives nothing and constrains nothing; 0 and "" stand for "not applicable".
KEY_FIELDS = (
    "measure",
    "month",
    "region_id",
    "province_id",
    "commune_id",
    "branch_id",
    "activity_id",
    "category",
    "sex",
    "age_band",
    "state",
    "detail",
)


class Count(models.Model):
    measure = models.CharField(max_length=20)
    month = models.DateField()  # the first day of the month
    region_id = models.PositiveIntegerField(default=0)
    province_id = models.PositiveIntegerField(default=0)
    commune_id = models.PositiveIntegerField(default=0)
    branch_id = models.PositiveIntegerField(default=0)
    activity_id = models.PositiveIntegerField(default=0)
    category = models.CharField(max_length=20, blank=True, default="")
    sex = models.CharField(max_length=1, blank=True, default="")
    age_band = models.CharField(max_length=8, blank=True, default="")
    state = models.CharField(max_length=20, blank=True, default="")
    detail = models.CharField(max_length=40, blank=True, default="")
    n = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("statistical count")
        verbose_name_plural = _("statistical counts")
        constraints = [models.UniqueConstraint(fields=KEY_FIELDS, name="one_count_per_key")]
        indexes = [
            models.Index(fields=["measure", "province_id", "month"], name="count_province"),
            models.Index(fields=["measure", "region_id", "month"], name="count_region"),
            models.Index(fields=["measure", "month"], name="count_month"),
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.month:%Y-%m}: {self.n}"


class Contribution(models.Model):
    """The keys one object is counted under now (a list of key lists)."""

    source = models.CharField(max_length=12)
    object_id = models.BigIntegerField()
    keys = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "object_id"], name="one_contribution")
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.object_id}"


class Freshness(models.Model):
    """One row: when the aggregates were last rebuilt and whether a bulk write left them
    stale (to rebuild)."""

    rebuilt_at = models.DateTimeField(null=True, blank=True)
    changed_at = models.DateTimeField(null=True, blank=True)
    stale_since = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"rebuilt {self.rebuilt_at}"


class Pending(models.Model):
    """Objects changed and not yet counted: written (one cheap insert) in the transaction of
    the change, folded into the counts by a job or by the next page read (0068)."""

    id = models.BigAutoField(primary_key=True)
    source = models.CharField(max_length=12)
    object_ids = models.TextField()  # comma-separated ids
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("change to count")
        verbose_name_plural = _("changes to count")

    def __str__(self) -> str:
        return f"{self.source} {self.object_ids[:40]}"
