import pytest

from hirfa.core.errors import NotFound
from hirfa.territory import selectors

pytestmark = pytest.mark.django_db


def codes(queryset) -> list[str]:
    return [unit.code for unit in queryset]


def test_regions_are_listed_in_code_order():
    assert codes(selectors.regions()) == [f"{n:02d}" for n in range(1, 13)]


def test_a_region_is_found_by_its_code():
    assert selectors.region_by_code("09").name_fr == "Souss-Massa"


def test_an_unknown_region_code_is_not_found():
    with pytest.raises(NotFound):
        selectors.region_by_code("13")


def test_provinces_can_be_narrowed_to_a_region():
    souss_massa = codes(selectors.provinces(region="09"))

    assert len(souss_massa) == 6
    assert "09.581" in souss_massa
    assert len(selectors.provinces()) == 75


def test_provinces_of_an_unknown_region_are_not_found():
    with pytest.raises(NotFound):
        selectors.provinces(region="13")


def test_an_unknown_province_code_is_not_found():
    with pytest.raises(NotFound):
        selectors.province_by_code("09.999")


def test_communes_can_be_narrowed_to_a_province():
    assert len(selectors.communes(province="09.581")) == 25


def test_communes_of_an_unknown_province_are_not_found():
    with pytest.raises(NotFound):
        selectors.communes(province="09.999")


def test_a_search_ignores_case_and_accents():
    found = codes(selectors.communes(search="FES"))

    assert "03.231.01.0" in found


def test_a_search_ignores_hyphens_and_diaereses():
    assert codes(selectors.communes(search="Aït-Melloul")) == ["09.273.01.05"]


def test_a_search_finds_arabic_names_written_without_hamza():
    found = codes(selectors.communes(search="اكادير"))

    assert "09.001.01.01" in found


def test_a_search_finds_a_commune_by_its_code():
    assert codes(selectors.communes(search="09.581.01.07")) == ["09.581.01.07"]


def test_a_search_and_a_province_narrow_together():
    found = selectors.communes(province="09.581", search="tafraout")

    assert {c.name_fr for c in found} == {"Tafraout", "Tafraout El Mouloud"}


def test_a_blank_search_finds_every_commune():
    assert len(selectors.communes(search="   ")) == 1503


def test_a_search_does_not_treat_percent_as_a_wildcard():
    assert len(selectors.communes(search="%")) == 0


def test_an_unknown_commune_code_is_not_found():
    with pytest.raises(NotFound) as error:
        selectors.commune_by_code("09.581.01.99")

    assert error.value.code == "not_found"
    assert error.value.status == 404
