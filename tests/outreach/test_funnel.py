from datetime import timedelta

import pytest
from django.utils import timezone, translation

from hirfa.outreach import funnel, services
from hirfa.register.models import Dossier
from tests.factories import agent_of
from tests.outreach.conftest import make_event
from tests.outreach.funnel_scenes import carry, file_elsewhere, file_on_the_spot

pytestmark = pytest.mark.django_db


def walk_in(agent, event, phone, name="Brahim Oubella"):
    return services.record_walk_in(actor=agent, event=event, name=name, phone=phone, consent=True)[
        0
    ]


@pytest.fixture
def scene(souss_agent):
    """A meeting: Fadma signed up, came, filed on the spot and went all the way to her AMO
    rights; Brahim walked in and filed nothing; Aïcha signed up and did not come; Said walked
    in and filed later at the chamber's desk; Lahcen never came and filed elsewhere."""
    event = make_event(souss_agent, publish=True)
    fadma = services.sign_up_for(
        agent=souss_agent, event=event, name="Fadma", phone="0612345678", consent=True
    )
    fadma = services.check_in(actor=souss_agent, event=event, attendee=fadma)[0]
    walk_in(souss_agent, event, "0612340001")
    services.sign_up_for(
        agent=souss_agent, event=event, name="Aicha", phone="0612340002", consent=True
    )
    said = walk_in(souss_agent, event, "0612340003", name="Said")
    dossier = file_on_the_spot(souss_agent, event, fadma)
    carry(souss_agent, dossier, to="rights")
    file_elsewhere(souss_agent, cnie="JK200003", phone=said.phone, first_name_latin="Said", sex="M")
    file_elsewhere(souss_agent, cnie="JK200004", phone="0612340004", first_name_latin="Lahcen")
    return event


def test_an_events_funnel_counts_each_step(scene):
    result = funnel.funnel(events=[scene.pk])
    assert result.counts == {
        "signed_up": 4,
        "attended": 3,
        "started": 2,
        "submitted": 1,
        "approved": 1,
        "card": 1,
        "enrolled": 1,
        "rights": 1,
    }


def test_each_step_gives_its_conversion_from_the_step_before_and_from_the_first(scene):
    steps = {step.key: step for step in funnel.funnel(events=[scene.pk]).steps}
    assert (steps["signed_up"].rate, steps["attended"].rate) == (None, 75.0)
    assert (steps["started"].rate, steps["started"].overall) == (66.7, 50.0)
    assert (steps["submitted"].rate, steps["rights"].overall) == (50.0, 25.0)


def test_the_median_days_between_steps_are_computed_by_the_database(scene):
    Dossier.objects.filter(state=Dossier.State.APPROVED).update(
        created_at=timezone.now() - timedelta(days=6)
    )
    steps = {step.key: step for step in funnel.funnel(events=[scene.pk]).steps}
    assert steps["attended"].median_days == 0
    assert steps["submitted"].median_days == 6


def test_the_funnel_splits_by_sex_age_band_branch_and_province(scene):
    with translation.override("en"):
        splits = funnel.funnel(events=[scene.pk]).splits
    by_sex = dict(splits["sex"])
    assert by_sex["Woman"]["rights"] == 1
    assert by_sex["Man"]["started"] == 1
    # At the door only Fadma was known to the register (her file links her attendance).
    assert by_sex["Not known"]["signed_up"] == 3
    assert sum(row["started"] for _label, row in splits["age"]) == 2
    assert sum(row["card"] for _label, row in splits["province"]) == 1
    assert sum(row["approved"] for _label, row in splits["branch"]) == 1


def test_an_application_started_after_the_window_is_not_credited(scene, settings):
    settings.OUTREACH_ATTRIBUTION_DAYS = 30
    Dossier.objects.filter(person__first_name_latin="Said").update(
        created_at=timezone.now() + timedelta(days=31)
    )
    assert funnel.funnel(events=[scene.pk]).count("started") == 1


def test_the_last_event_attended_before_the_application_gets_the_credit(souss_agent):
    first = make_event(souss_agent, publish=True)
    second = make_event(souss_agent, days=12, publish=True)
    walk_in(souss_agent, first, "0612340003")
    walk_in(souss_agent, second, "0612340003")
    file_elsewhere(souss_agent, cnie="JK200003", phone="0612340003")
    assert funnel.by_event([first.pk, second.pk]) == {
        first.pk: funnel.by_event([first.pk])[first.pk] | {"started": 0},
        second.pk: funnel.by_event([second.pk])[second.pk],
    }
    assert funnel.by_event([second.pk])[second.pk]["started"] == 1


def test_a_file_started_on_the_spot_is_credited_to_its_event_whatever_came_after(souss_agent):
    meeting = make_event(souss_agent, publish=True)
    fair = make_event(souss_agent, days=12, publish=True)
    attendee = walk_in(souss_agent, meeting, "0612345678")
    walk_in(souss_agent, fair, "0612345678")
    file_on_the_spot(souss_agent, meeting, attendee)
    side_by_side = funnel.by_event([meeting.pk, fair.pk])
    assert (side_by_side[meeting.pk]["started"], side_by_side[fair.pk]["started"]) == (1, 0)


def test_a_set_of_persons_has_its_own_funnel(scene):
    persons = Dossier.objects.values_list("person_id", flat=True)
    result = funnel.funnel(persons=list(persons))
    assert result.counts["signed_up"] == 2  # Fadma and Said; Lahcen came to no event
    assert (result.count("started"), result.count("rights")) == (3, 1)


def test_a_set_of_persons_at_given_events_counts_only_their_credited_applications(scene):
    persons = Dossier.objects.values("person_id")
    result = funnel.funnel(persons=persons, events=[scene.pk])
    assert (result.count("attended"), result.count("started")) == (2, 2)


def test_an_event_nobody_came_to_has_an_empty_funnel(souss_agent):
    event = make_event(souss_agent, publish=True)
    result = funnel.funnel(events=[event.pk])
    assert set(result.counts.values()) == {0}
    assert all(step.rate is None for step in result.steps)


def test_the_funnels_queries_do_not_grow_with_the_people_counted(
    scene, django_assert_max_num_queries
):
    agent = agent_of("09")
    for index in range(5):
        attendee = walk_in(agent, scene, f"06123410{index:02d}")
        file_on_the_spot(agent, scene, attendee, cnie=f"JK3000{index:02d}")
    with django_assert_max_num_queries(7):
        funnel.funnel(events=[scene.pk])


def test_a_set_of_persons_since_a_date_counts_only_what_came_after(scene):
    persons = Dossier.objects.values("person_id")
    result = funnel.funnel(persons=persons, since=timezone.now() + timedelta(minutes=1))
    assert set(result.counts.values()) == {0}


def test_a_queryset_of_persons_is_taken_as_it_is(scene):
    from hirfa.register.models import Person

    result = funnel.funnel(persons=Person.objects.filter(sex="M"), splits=())
    assert (result.count("signed_up"), result.count("started")) == (1, 1)


def test_many_matched_persons_are_selected_by_a_subquery_with_the_same_counts(scene, monkeypatch):
    expected = funnel.funnel(events=[scene.pk]).counts
    monkeypatch.setattr(funnel, "ID_LIST_LIMIT", 0)
    assert funnel.funnel(events=[scene.pk]).counts == expected
