"""The artisan's data page on a 360-px phone, in Arabic (right to left): it fits the screen,
and a correction sent from it opens a modification."""

import pytest

from hirfa.accounts.models import User
from hirfa.register import services
from hirfa.register.models import Dossier, Person
from tests.factories import DEFAULT_PASSWORD, agent_of, officer_of, submitted_dossier

pytestmark = pytest.mark.browser


@pytest.fixture
def artisan(register):
    dossier = submitted_dossier(agent_of("09"))
    registration = services.approve(officer=officer_of("09.581"), dossier=dossier).registration
    user = User.objects.create_user(
        username="+212612345678", phone="+212612345678", password=DEFAULT_PASSWORD
    )
    Person.objects.filter(pk=registration.person_id).update(user=user)
    return user


def test_the_page_fits_a_phone_in_arabic_and_sends_a_correction(register, phone, artisan):
    phone.goto(register.url + "/accounts/login/")
    phone.locator("input[name=username]").fill(artisan.username)
    phone.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    phone.locator("form.stacked button[type=submit]").click()
    phone.wait_for_load_state()
    phone.goto(register.url + "/me/data/")
    assert phone.locator("html").get_attribute("dir") == "rtl"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.locator("#id_address").fill("5 Rue Nouvelle")
    phone.locator("form.stacked button[type=submit]").click()
    phone.wait_for_load_state()
    dossier = Dossier.objects.get(kind=Dossier.Kind.MODIFICATION)
    assert dossier.person_changes["address"]["to"] == "5 Rue Nouvelle"
