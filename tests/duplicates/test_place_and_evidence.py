"""Place and the other evidence in the duplicate score (issue 16, item 8; ADR 0056): the
same names and birth date alone are common in a register of millions; a shared place, a
CNIE one character away or a shared phone make two persons likely one."""

import pytest

from hirfa.duplicates.clusters import find_clusters
from hirfa.duplicates.models import Candidate
from hirfa.duplicates.scoring import THRESHOLD, compare
from hirfa.duplicates.selectors import open_candidates_of, profiles
from hirfa.duplicates.services import likely_duplicates
from hirfa.register.models import Person, Registration
from hirfa.territory.models import Commune
from tests.factories import AGADIR_CITY, TIZNIT_CITY, craft_data, person_data

pytestmark = pytest.mark.django_db


def _person(cnie, commune=TIZNIT_CITY, **overrides) -> Person:
    data = person_data(cnie=cnie, **overrides)
    data["commune"] = Commune.objects.get(code=commune)
    return Person.objects.create(**data)


def _other_commune_of_tiznit() -> str:
    return (
        Commune.objects.filter(province__code="09.581")
        .exclude(code=TIZNIT_CITY)
        .order_by("code")
        .values_list("code", flat=True)
        .first()
    )


def _registered(person, *, workplace=None, activity=None) -> Registration:
    from hirfa.crafts.models import Activity

    commune = workplace or person.commune
    return Registration.objects.create(
        number=f"1{person.pk:08d}"[:9] + "0",
        category="artisan_experience",
        person=person,
        principal_activity=activity
        or Activity.objects.get(code=craft_data()["principal_activity"]),
        workplace_kind="workshop",
        workplace_commune=commune,
        workplace_address="Atelier",
        province=commune.province,
        registered_on="2024-01-01",
        valid_until="2029-01-01",
    )


def _score(a: Person, b: Person) -> tuple[int, list[str]]:
    found = profiles([a.pk, b.pk])
    return compare(found[a.pk], found[b.pk])


def test_same_names_and_birth_date_in_other_provinces_and_nothing_else_are_not_flagged():
    first = _person("JK111111", phone="0611111111")
    second = _person("WX987654", commune=AGADIR_CITY, phone="0622222222")
    score, reasons = _score(first, second)
    assert score < THRESHOLD
    assert reasons == ["names_birth_date"]
    assert likely_duplicates(second) == []


def test_same_names_and_birth_date_in_the_same_commune_are_flagged():
    first = _person("JK111111", phone="0611111111")
    second = _person("WX987654", phone="0622222222", first_name_latin="Fatma")
    [(found, score, reasons)] = likely_duplicates(second)
    assert found == first
    assert score >= THRESHOLD
    assert reasons == ["names_birth_date", "same_commune"]


def test_same_names_and_birth_date_in_two_communes_of_one_province_are_flagged():
    _person("JK111111", phone="0611111111")
    second = _person("WX987654", commune=_other_commune_of_tiznit(), phone="0622222222")
    [(_found, score, reasons)] = likely_duplicates(second)
    assert score >= THRESHOLD
    assert reasons == ["names_birth_date", "same_province"]


def test_a_workplace_in_the_home_commune_of_the_other_counts_as_the_same_commune():
    _person("JK111111", phone="0611111111")
    second = _person("WX987654", commune=AGADIR_CITY, phone="0622222222")
    _registered(second, workplace=Commune.objects.get(code=TIZNIT_CITY))
    [(_found, _score, reasons)] = likely_duplicates(second)
    assert "same_commune" in reasons


def test_a_cnie_one_character_away_and_the_same_names_are_flagged_across_provinces():
    first = _person("JK111111", phone="0611111111")
    second = _person("JK111171", commune=AGADIR_CITY, phone="0622222222")
    [(found, score, reasons)] = likely_duplicates(second)
    assert found == first
    assert score >= THRESHOLD
    assert reasons == ["names_birth_date", "cnie_one_character"]


def test_the_same_phone_and_the_same_names_are_flagged_across_provinces():
    _person("JK111111", phone="0611111111")
    second = _person("WX987654", commune=AGADIR_CITY, phone="0611111111")
    [(_found, score, reasons)] = likely_duplicates(second)
    assert score >= THRESHOLD
    assert reasons == ["names_birth_date", "same_phone"]


def test_the_same_craft_alone_does_not_flag_namesakes_of_other_provinces():
    first = _registered(_person("JK111111", phone="0611111111")).person
    second = _registered(_person("WX987654", commune=AGADIR_CITY, phone="0622222222")).person
    score, reasons = _score(first, second)
    assert reasons == ["names_birth_date", "same_activity"]
    assert score < THRESHOLD


def test_a_shared_commune_does_not_make_brothers_duplicates():
    first = _person("JK111111", phone="0611111111")
    brother = _person(
        "WX987654", phone="0611111111", first_name_ar="إبراهيم", first_name_latin="Brahim"
    )
    score, reasons = _score(first, brother)
    assert reasons == ["same_phone"]
    assert score < THRESHOLD


def test_the_same_commune_does_not_make_namesakes_born_another_day_duplicates():
    first = _person("JK111111", phone="0611111111")
    namesake = _person("WX987654", phone="0622222222", birth_date="1978-09-02")
    score, reasons = _score(first, namesake)
    assert reasons == ["similar_names"]
    assert score < THRESHOLD


def test_the_register_scan_leaves_namesakes_of_other_provinces_out_of_its_clusters():
    _person("JK111111", phone="0611111111")
    _person("WX987654", commune=AGADIR_CITY, phone="0622222222")
    assert find_clusters()["pairs"] == 0


def test_the_register_scan_finds_a_person_registered_again_in_another_province_with_a_typo():
    first = _person("JK111111", phone="0611111111")
    second = _person("JK111171", commune=AGADIR_CITY, phone="0622222222")
    assert find_clusters()["pair_set"] == {tuple(sorted((first.pk, second.pk)))}


def test_profiles_are_read_in_three_queries_whatever_their_number(django_assert_num_queries):
    persons = [_person(f"JK11111{i}", phone=f"061111111{i}") for i in range(5)]
    with django_assert_num_queries(3):
        found = profiles([p.pk for p in persons])
    assert len(found) == 5


def _stored_with_the_old_score(first, second) -> Candidate:
    """An open candidate as decision 25's score stored it (names and birth date: 85)."""
    a, b = sorted((first.pk, second.pk))
    return Candidate.objects.create(
        person_id=a, other_id=b, score=85, reasons=["names_birth_date"], source="scan"
    )


def test_the_register_scan_scores_open_candidates_again_with_the_current_score():
    first = _person("JK111111", phone="0611111111")
    second = _person("WX987654", commune=AGADIR_CITY, phone="0622222222")
    candidate = _stored_with_the_old_score(first, second)
    assert find_clusters()["rescored"] == 1
    candidate.refresh_from_db()
    assert (candidate.score, candidate.reasons) == (50, ["names_birth_date"])
    assert candidate.status == Candidate.Status.OPEN


def test_an_open_candidate_now_below_the_threshold_is_not_shown_beside_the_file(officer):
    first = _person("JK111111", phone="0611111111")
    second = _person("WX987654", commune=AGADIR_CITY, phone="0622222222")
    _stored_with_the_old_score(first, second)
    assert len(open_candidates_of(officer, second)) == 1
    find_clusters()
    assert open_candidates_of(officer, second) == []
