"""The filters of a statistics page or download, checked before any figure is read: an
unknown or malformed filter, a territory outside the user's scope (told apart from nothing:
"unknown" either way) or a period in the future is refused with a translated message."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from hirfa.accounts.selectors import provinces_for, regions_for
from hirfa.core.errors import DomainError

_MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])", re.ASCII)
BY = ("region", "province", "commune", "branch", "activity", "category", "sex", "age_band")
KNOWN = ("region", "province", "from", "to", "by")
DEFAULT_MONTHS = 12


@dataclass(frozen=True)
class Filters:
    start: date
    end: date  # the first day of the last month shown
    by: str = "province"
    region_id: int | None = None
    province_id: int | None = None
    region_code: str = ""
    province_code: str = ""

    def as_query(self) -> dict:
        query = {"from": f"{self.start:%Y-%m}", "to": f"{self.end:%Y-%m}", "by": self.by}
        if self.region_code:
            query["region"] = self.region_code
        if self.province_code:
            query["province"] = self.province_code
        return query


def shift(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _month(value: str, field: str, errors: dict) -> date | None:
    if not _MONTH.fullmatch(value):
        errors[field] = [
            _("Write a month as %(format)s, for example %(example)s.")
            % {"format": "YYYY-MM", "example": "2026-03"}
        ]
        return None
    year, month = value.split("-")
    return date(int(year), int(month), 1)


def clean(user, params) -> Filters:
    """`params` (a QueryDict or dict) as Filters for `user`, or a DomainError."""
    errors: dict[str, list] = {}
    unknown = sorted(set(params) - set(KNOWN))
    if unknown:
        errors["filters"] = [
            _("Unknown filter: %(names)s.") % {"names": ", ".join(n[:20] for n in unknown)}
        ]
    this_month = timezone.localdate().replace(day=1)
    end = this_month
    if params.get("to"):
        end = _month(params["to"], "to", errors) or this_month
    start = shift(end, -(DEFAULT_MONTHS - 1))
    if params.get("from"):
        start = _month(params["from"], "from", errors) or start
    if end > this_month:
        errors["to"] = [_("The period cannot end in the future.")]
    if start > end:
        errors["from"] = [_("The period must start before it ends.")]
    by = params.get("by") or "province"
    if by not in BY:
        errors["by"] = [_("Choose one of the proposed values.")]
    region = province = None
    if params.get("region"):
        region = regions_for(user).filter(code=str(params["region"]).replace("\0", "")).first()
        if region is None:
            errors["region"] = [_("Unknown region.")]
    if params.get("province"):
        code = str(params["province"]).replace("\0", "")
        province = provinces_for(user).filter(code=code).first()
        if province is None or (region and province.region_id != region.pk):
            errors["province"] = [_("Unknown province.")]
    if errors:
        raise DomainError(_("Check the filters."), fields=errors)
    return Filters(
        start=start,
        end=end,
        by=by,
        region_id=region.pk if region else None,
        province_id=province.pk if province else None,
        region_code=region.code if region else "",
        province_code=province.code if province else "",
    )


def for_month(month: date) -> Filters:
    """The filters of one month's report (every place of the scope)."""
    first = month.replace(day=1)
    return Filters(start=first, end=first, by="province")
