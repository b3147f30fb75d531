"""Reading the territory: public reference data, the same for every user.

Scoped reads (what a given officer may see) live in hirfa.accounts.selectors.
"""

from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from hirfa.core import pagecache
from hirfa.core.errors import NotFound
from hirfa.core.memo import ProcessMemo
from hirfa.territory import census
from hirfa.territory.models import Commune, Organisation, Province, Region
from hirfa.territory.search import fold


def regions() -> QuerySet[Region]:
    return Region.objects.all()


def region_by_code(code: str) -> Region:
    try:
        return Region.objects.get(code=code)
    except Region.DoesNotExist:
        raise NotFound(_("Unknown region code.")) from None


def provinces(region: Region | str | None = None) -> QuerySet[Province]:
    """Provinces and prefectures, of one region (a Region or its code) if given."""
    queryset = Province.objects.select_related("region")
    if region is None:
        return queryset
    if not isinstance(region, Region):
        region = region_by_code(region)
    return queryset.filter(region=region)


def province_by_code(code: str) -> Province:
    try:
        return Province.objects.select_related("region").get(code=code)
    except Province.DoesNotExist:
        raise NotFound(_("Unknown province code.")) from None


def communes(
    province: Province | str | None = None, search: str | None = None
) -> QuerySet[Commune]:
    """Communes, of one province (a Province or its code) if given, matching `search`.

    The search matches part of the code or of the Arabic or French name, ignoring
    case, accents and Arabic spelling variants (see territory.search).
    """
    queryset = Commune.objects.select_related("province__region")
    if province is not None:
        if not isinstance(province, Province):
            province = province_by_code(province)
        queryset = queryset.filter(province=province)
    folded = fold(search or "")
    if folded:
        queryset = queryset.filter(search_key__contains=folded)
    return queryset


def commune_by_code(code: str) -> Commune:
    try:
        return Commune.objects.select_related("province__region").get(code=code)
    except Commune.DoesNotExist:
        raise NotFound(_("Unknown commune code.")) from None


def offices_by_region() -> list[tuple[Region, list]]:
    """Each region with its chamber of crafts first, then its provincial directorates."""
    organisations = (
        Organisation.objects.filter(kind__in=["chamber", "directorate"])
        .select_related("region", "province")
        .order_by("region__code", "kind", "province__code")
    )
    grouped: dict[int, tuple[Region, list]] = {}
    for organisation in organisations:
        region = organisation.region
        grouped.setdefault(region.pk, (region, []))[1].append(organisation)
    return list(grouped.values())


def census_workers(units) -> list[tuple]:
    """Each of `units` (regions or provinces) with its 2024 census workers (`census.Workers`,
    or None for a unit the census does not list), in the order given."""
    workers = census.workers_by_code()
    return [(unit, workers.get(unit.code)) for unit in units]


def _province_names(language: str) -> dict[str, str]:
    with translation.override(language):
        return {p.code: p.name for p in Province.objects.all()}


# Read by the public verification page; forgotten when the territory is loaded or edited
# (apps.py), and after a minute in other processes (docs/decisions/0058).
_province_names_memo = ProcessMemo(_province_names)


def province_names() -> dict[str, str]:
    """Code → name in the active language of every province."""
    return _province_names_memo.get(translation.get_language() or "ar")


def forget_public_reads(*args, **kwargs) -> None:
    pagecache.forget()
    _province_names_memo.forget()
