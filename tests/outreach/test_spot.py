import pytest

from hirfa.core.errors import DomainError
from hirfa.outreach import services
from hirfa.outreach.models import Question, Referral
from hirfa.register.models import Dossier
from tests.factories import craft_data, person_data
from tests.outreach.conftest import make_event

pytestmark = pytest.mark.django_db


def test_filing_from_an_attendee_records_the_referral_with_the_file(client, souss_agent):
    event = make_event(souss_agent, publish=True)
    attendee = services.sign_up_for(
        agent=souss_agent, event=event, name="Fadma Ait Lahcen", phone="0612345678", consent=True
    )
    client.force_login(souss_agent)
    url = f"/outreach/{event.pk}/attendees/{attendee.pk}/file/"
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["registrant_form"]["phone"].value() == "+212612345678"
    data = person_data() | craft_data() | {"consent": "on"}
    response = client.post(url, data)
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    referral = Referral.objects.get(dossier=dossier)
    assert (referral.event, referral.attendee) == (event, attendee)


def test_a_refused_file_leaves_no_referral(souss_agent):
    event = make_event(souss_agent, publish=True)
    with pytest.raises(DomainError):
        services.file_from_attendee(
            agent=souss_agent,
            event=event,
            attendee=None,
            person_data=person_data(),
            craft_data=craft_data(),
            consent=False,
        )
    assert not Referral.objects.exists()
    assert not Dossier.objects.exists()


def test_help_given_is_recorded_as_a_service(client, souss_agent):
    event = make_event(souss_agent, publish=True)
    attendee = services.record_walk_in(
        actor=souss_agent, event=event, name="Ijja", phone="0612345670", consent=True
    )[0]
    client.force_login(souss_agent)
    response = client.post(
        f"/outreach/{event.pk}/attendees/{attendee.pk}/help/",
        {"kind": "enrolment_steps", "note": "Étapes expliquées"},
    )
    assert response.status_code == 302
    assert attendee.services.get().kind == "enrolment_steps"


def test_a_published_question_shows_in_the_public_faq(client, souss_agent):
    event = make_event(souss_agent, publish=True)
    client.force_login(souss_agent)
    response = client.post(
        f"/outreach/{event.pk}/questions/",
        {"topic": "AMO", "question": "هل تشمل التغطية أسرتي؟", "answer": "نعم، الزوج والأبناء."},
    )
    assert response.status_code == 302
    question = Question.objects.get()
    assert "هل تشمل التغطية أسرتي؟" not in client.get(f"/events/{event.slug}/").content.decode()
    response = client.post(f"/outreach/{event.pk}/questions/{question.pk}/publish/")
    assert response.status_code == 302
    assert "هل تشمل التغطية أسرتي؟" in client.get(f"/events/{event.slug}/").content.decode()


def test_a_question_without_an_answer_cannot_be_published(souss_agent):
    event = make_event(souss_agent, publish=True)
    question = services.log_question(actor=souss_agent, event=event, topic="AMO", question="?")
    with pytest.raises(DomainError) as refused:
        services.publish_question(actor=souss_agent, question=question)
    assert "answer" in refused.value.fields
