"""The segment builder: criteria within the user's territory, one COUNT query, only those who
consented and did not opt out (decision 44)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hirfa.accounts.selectors import scope_of
from hirfa.campaigns import selectors, services
from hirfa.campaigns.models import OptOut
from hirfa.core.errors import DomainError, Forbidden
from hirfa.register.models import Dossier
from tests.factories import agent_of, complete_dossier, officer_of

pytestmark = pytest.mark.django_db


def count(user, channel="sms", **raw):
    return selectors.segment_count(user, selectors.criteria_for(user, raw), channel)


def test_registered_in_tiznit_not_enrolled_in_amo_counts_the_artisans_of_tiznit(
    souss_agent, tiznit_artisans, agadir_artisan
):
    assert count(souss_agent, province="09.581", amo="not_enrolled") == 3
    assert count(souss_agent) == 4


def test_the_count_is_one_query(souss_agent, tiznit_artisans):
    criteria = selectors.criteria_for(souss_agent, {"province": "09.581", "amo": "not_enrolled"})
    with CaptureQueriesContext(connection) as queries:
        selectors.segment_count(souss_agent, criteria, "sms")
    assert len(queries) == 1
    assert "COUNT" in queries[0]["sql"].upper()


def test_a_place_outside_the_users_territory_is_refused(tiznit_artisans):
    rabat_agent = agent_of("04", username="rabat")
    with pytest.raises(Forbidden):
        selectors.criteria_for(rabat_agent, {"province": "09.581"})


def test_a_user_sees_only_the_artisans_of_their_territory(tiznit_artisans):
    assert count(agent_of("04", username="rabat")) == 0


def test_an_unknown_place_or_state_is_a_field_message(souss_agent):
    with pytest.raises(DomainError) as error:
        selectors.criteria_for(souss_agent, {"amo": "dreaming"})
    assert "amo" in error.value.fields


def test_an_opted_out_phone_is_left_out(souss_agent, tiznit_artisans):
    services.opt_out(address=tiznit_artisans[0].phone, source=OptOut.Source.STOP)
    assert count(souss_agent, province="09.581") == 2


def test_a_person_who_never_consented_is_left_out(souss_agent, tiznit_artisans):
    Dossier.objects.filter(person=tiznit_artisans[0]).update(consent_at=None)
    assert count(souss_agent, province="09.581") == 2


def test_the_email_channel_counts_only_persons_with_an_email(souss_agent, tiznit_artisans):
    assert count(souss_agent, channel="email") == 0


def test_an_application_started_long_ago_and_not_submitted_is_found(souss_agent):
    dossier = complete_dossier(souss_agent, cnie="JK300000", phone="0633000000")
    assert count(souss_agent, stalled_days=30) == 0
    Dossier.objects.filter(pk=dossier.pk).update(
        created_at=dossier.created_at - __import__("datetime").timedelta(days=31)
    )
    assert count(souss_agent, stalled_days=30) == 1


def test_a_stalled_application_with_registration_criteria_is_refused(souss_agent):
    with pytest.raises(DomainError) as error:
        selectors.criteria_for(souss_agent, {"stalled_days": 30, "amo": "not_enrolled"})
    assert "stalled_days" in error.value.fields


def test_an_officer_of_a_province_has_that_province_as_scope(tiznit_artisans):
    officer = officer_of("09.581", username="tiznit-officer")
    assert scope_of(officer).province_id is not None
