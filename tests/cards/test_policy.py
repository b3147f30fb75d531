import pytest
from django.contrib.auth.models import AnonymousUser

from hirfa.accounts.roles import Role
from hirfa.cards import policy
from tests.factories import UserFactory, agent_of, national, officer_of

pytestmark = pytest.mark.django_db


def test_agents_and_officers_manage_cards():
    assert policy.may_manage_cards(agent_of("09"))
    assert policy.may_manage_cards(officer_of("09.581"))


def test_artisans_auditors_and_visitors_do_not_manage_cards():
    assert not policy.may_manage_cards(UserFactory())
    assert not policy.may_manage_cards(national(Role.AUDITOR))
    assert not policy.may_manage_cards(AnonymousUser())


def test_only_an_artisan_fetches_a_card_of_their_own():
    assert policy.may_fetch_own_card(UserFactory())
    assert not policy.may_fetch_own_card(officer_of("09.581"))
    assert not policy.may_fetch_own_card(AnonymousUser())


def test_an_officer_asking_for_a_card_of_their_own_is_refused(client):
    client.force_login(officer_of("09.581"))
    assert client.get("/me/card.pdf").status_code == 403
