"""Whoever may act on an artisan's coverage can open it (issue 16, item 1): the agents, the
officers of the artisan's province and the CNSS liaison — by policy, within the same
territory as before (coverage.policy.may_open_coverage)."""

import pytest
from django.urls import reverse

from tests.factories import agent_of, approved_registration, artisan_account, national, officer_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def registration():
    return approved_registration()


def _get(client, user, registration):
    client.force_login(user)
    client.cookies["hirfa_language"] = "en"
    return client.get(reverse("coverage:artisan", args=[registration.number]))


def test_the_cnss_liaison_opens_an_artisans_coverage(client, registration):
    response = _get(client, national("cnss"), registration)
    assert response.status_code == 200
    assert registration.number in response.content.decode()


def test_the_officer_of_the_province_opens_it_without_the_agents_actions(client, registration):
    response = _get(client, officer_of("09.581"), registration)
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("coverage:declare", args=[registration.number]) not in page
    assert reverse("coverage:close", args=[registration.number]) not in page


def test_an_officer_of_another_province_finds_nothing(client, registration):
    assert _get(client, officer_of("09.001"), registration).status_code == 404


def test_an_agent_still_opens_it_with_the_actions(client, registration):
    page = _get(client, agent_of("09"), registration).content.decode()
    assert reverse("coverage:declare", args=[registration.number]) in page


def test_an_auditor_and_an_artisan_may_not_open_it(client, registration):
    assert _get(client, national("auditor"), registration).status_code == 403
    assert _get(client, artisan_account(), registration).status_code == 403
