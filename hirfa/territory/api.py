"""The territory as public reference data: regions, provinces and communes.

No authentication: these are the HCP's published units, and forms everywhere need
them before anyone has signed in.
"""

from typing import Annotated

from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from hirfa.core.api_errors import ErrorOut
from hirfa.core.pagination import Pages
from hirfa.core.schemas import NamedOut
from hirfa.territory import selectors

router = Router(tags=["territory"])

ERRORS = {404: ErrorOut, 422: ErrorOut}

# The code shapes of the HCP, so that garbage is refused before any query.
RegionCode = Annotated[str, Field(pattern=r"^[0-9]{2}$", examples=["09"])]
ProvinceCode = Annotated[str, Field(pattern=r"^[0-9]{2}\.[0-9]{3}$", examples=["09.581"])]
CommuneCode = Annotated[
    str, Field(pattern=r"^[0-9]{2}\.[0-9]{3}\.[0-9]{2}\.[0-9]{1,2}$", examples=["09.581.01.03"])
]


class RegionOut(NamedOut):
    population: int


class ProvinceOut(NamedOut):
    kind: str
    region: str = Field(description="Code of the region")
    population: int

    @staticmethod
    def resolve_region(province) -> str:
        return province.region.code


class CommuneOut(NamedOut):
    kind: str
    province: str = Field(description="Code of the province or prefecture")
    region: str = Field(description="Code of the region")
    population: int

    @staticmethod
    def resolve_province(commune) -> str:
        return commune.province.code

    @staticmethod
    def resolve_region(commune) -> str:
        return commune.province.region.code


class ProvinceFilters(Schema):
    region: RegionCode | None = None


class CommuneFilters(Schema):
    province: ProvinceCode | None = None
    q: str | None = Field(
        None, max_length=100, description="Part of the code or of the Arabic or French name"
    )


@router.get("/regions", response={200: list[RegionOut], **ERRORS}, summary="Regions")
def regions(request):
    return selectors.regions()


@router.get("/regions/{code}", response={200: RegionOut, **ERRORS}, summary="A region")
def region(request, code: Path[RegionCode]):
    return selectors.region_by_code(code)


@router.get(
    "/provinces",
    response={200: list[ProvinceOut], **ERRORS},
    summary="Provinces and prefectures, of a region if given",
)
def provinces(request, filters: Query[ProvinceFilters]):
    return selectors.provinces(region=filters.region)


@router.get(
    "/provinces/{code}",
    response={200: ProvinceOut, **ERRORS},
    summary="A province or prefecture",
)
def province(request, code: Path[ProvinceCode]):
    return selectors.province_by_code(code)


@router.get(
    "/communes",
    response={200: list[CommuneOut], **ERRORS},
    summary="Communes, of a province or matching a search if given (100 a page, at most 500)",
)
@paginate(Pages, page_size=100, max_page_size=500)
def communes(request, filters: Query[CommuneFilters]):
    return selectors.communes(province=filters.province, search=filters.q)


@router.get("/communes/{code}", response={200: CommuneOut, **ERRORS}, summary="A commune")
def commune(request, code: Path[CommuneCode]):
    return selectors.commune_by_code(code)
