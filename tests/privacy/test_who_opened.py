"""Law 09-08: the artisan sees, on their personal data page (linked from /me/), who among
the staff opened their file (the reads logged by decision 40)."""

import pytest

from tests.factories import officer_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english(client):
    client.cookies["hirfa_language"] = "en"


def test_an_officer_opening_the_registration_is_shown_to_the_artisan(client, registration, artisan):
    client.force_login(officer_of("09.581", username="k.oubella2"))
    assert client.get(f"/registrations/{registration.number}/").status_code == 200
    client.force_login(artisan)
    page = client.get("/me/data/").content.decode()
    assert "Who opened my file recently" in page
    assert "k.oubella2" in page
    assert "(Provincial officer)" in page


def test_the_artisan_s_own_visits_are_not_listed_as_openings(client, registration, artisan):
    client.force_login(artisan)
    client.get("/me/")
    client.get("/me/data/")
    page = client.get("/me/data/").content.decode()
    assert "Who opened my file recently" not in page


def test_the_artisan_s_space_links_to_the_page(client, registration, artisan):
    client.force_login(artisan)
    assert 'href="/me/data/"' in client.get("/me/").content.decode()


def test_an_opening_refused_to_the_reader_is_not_listed(client, registration, artisan):
    client.force_login(officer_of("09.001", username="far.away"))
    assert client.get(f"/registrations/{registration.number}/").status_code == 404
    client.force_login(artisan)
    assert "far.away" not in client.get("/me/data/").content.decode()
