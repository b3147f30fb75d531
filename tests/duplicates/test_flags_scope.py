"""The flags shown beside a file name other files only within the reader's territory
(issue 16, item 6): a flag may say that a file exists elsewhere, never its number."""

import pytest
from django.urls import reverse
from django.utils import translation

from hirfa.core.errors import Conflict
from hirfa.duplicates import services
from hirfa.duplicates.models import Candidate
from hirfa.register.models import Registration
from hirfa.territory.models import Commune
from tests.factories import (
    AGADIR_CITY,
    approved_dossier,
    complete_dossier,
    officer_of,
    submitted_dossier,
)

pytestmark = pytest.mark.django_db

OTHER_NUMBER = "1000000018"


def _register_in(dossier, commune_code: str) -> Registration:
    """A live registration of the dossier's person, in the province of `commune_code`."""
    commune = Commune.objects.select_related("province").get(code=commune_code)
    return Registration.objects.create(
        number=OTHER_NUMBER,
        category=dossier.category,
        person=dossier.person,
        principal_activity=dossier.principal_activity,
        workplace_kind=dossier.workplace_kind,
        workplace_commune=commune,
        workplace_address="x",
        province=commune.province,
        registered_on="2024-01-01",
        valid_until="2029-01-01",
    )


def _decision_page(client, user, dossier) -> str:
    client.force_login(user)
    client.cookies["hirfa_language"] = "en"
    response = client.get(reverse("register_staff:decision", args=[dossier.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_already_registered_flag_hides_a_number_of_another_province(agent, officer, client):
    dossier = submitted_dossier(agent)
    _register_in(dossier, AGADIR_CITY)
    page = _decision_page(client, officer, dossier)
    assert "Already registered" in page
    assert "registered outside your territory" in page
    assert OTHER_NUMBER not in page


def test_the_already_registered_flag_links_a_registration_of_the_readers_province(
    agent, officer, client
):
    dossier = submitted_dossier(agent)
    _register_in(dossier, "09.581.01.07")
    page = _decision_page(client, officer, dossier)
    assert reverse("register_staff:registration", args=[OTHER_NUMBER]) in page


def test_a_possible_duplicate_registered_in_another_province_shows_no_number(
    agent, officer, client
):
    # The first artisan lives in Tiznit (so the Tiznit officer sees the flag) but works,
    # and is registered, in Agadir.
    first = approved_dossier(
        agent=agent, officer=officer_of("09.001"), craft={"workplace_commune": AGADIR_CITY}
    )
    second = submitted_dossier(agent, cnie="ZZ998877", phone="0699887766")
    assert Candidate.objects.exists()
    page = _decision_page(client, officer, second)
    assert "Possible duplicates" in page
    assert first.registration.number not in page
    assert reverse("register_staff:registration", args=[first.registration.number]) not in page


def test_submitting_a_cnie_registered_elsewhere_does_not_tell_its_number(agent):
    draft = complete_dossier(agent)
    _register_in(draft, AGADIR_CITY)
    with translation.override("en"), pytest.raises(Conflict) as refused:
        services.check_submission(draft, actor=officer_of("09.581"))
    assert "another territory" in str(refused.value.message)
    assert "100 000 001 8" not in str(refused.value.message)


def test_submitting_a_cnie_registered_in_ones_territory_tells_its_number(agent):
    draft = complete_dossier(agent)
    _register_in(draft, AGADIR_CITY)
    with pytest.raises(Conflict) as refused:
        services.check_submission(draft, actor=agent)
    assert "100 000 001 8" in str(refused.value.message)
