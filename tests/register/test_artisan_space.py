from datetime import timedelta

import pytest
from django.utils import timezone

from hirfa.register import services
from hirfa.register.models import Dossier, Person, Registration
from hirfa.register.numbers import format_number
from hirfa.register.rules import RejectionReason
from tests.factories import agent_of, officer_of
from tests.register.helpers import (
    ARABIC_PAGE,
    TIZNIT,
    applicant_craft_data,
    applicant_person_data,
    approved_registration_of,
    draft_of,
    logged_in_artisan,
    pdf_bytes,
    submitted_dossier_of,
)

pytestmark = pytest.mark.django_db


def filed_by_an_agent(**person_overrides):
    return services.file_assisted(
        agent=agent_of("09"),
        person_data=applicant_person_data(**person_overrides),
        craft_data=applicant_craft_data(),
        consent=True,
    )


def test_an_artisan_without_a_file_is_offered_to_start_or_to_find_the_agents_file(client):
    logged_in_artisan(client)
    page = client.get("/me/")
    assert page.status_code == 200
    assert page.context["person"] is None
    content = page.content.decode()
    assert "/me/apply/you/" in content
    assert "/me/claim/" in content


def test_claiming_with_the_right_cnie_and_phone_links_the_agents_file(client):
    dossier = filed_by_an_agent()
    user = logged_in_artisan(client)
    response = client.post("/me/claim/", {"cnie": "jk 123456"})
    assert response["Location"] == "/me/"
    assert Person.objects.get(pk=dossier.person_id).user == user
    assert client.get("/me/").context["dossier"] == dossier


def test_claiming_with_a_wrong_cnie_is_refused_beside_the_field_and_links_nothing(client):
    filed_by_an_agent()
    logged_in_artisan(client)
    response = client.post("/me/claim/", {"cnie": "JK654321"})
    assert response.status_code == 200
    assert response.context["form"].has_error("cnie")
    assert Person.objects.get().user is None


def test_claiming_a_file_made_with_another_phone_is_refused(client):
    filed_by_an_agent(phone="0677777777")
    logged_in_artisan(client)
    response = client.post("/me/claim/", {"cnie": "JK123456"})
    assert response.context["form"].has_error("cnie")
    assert Person.objects.get().user is None


def test_a_sent_application_tells_the_artisan_to_wait_for_an_sms(client):
    submitted_dossier_of(logged_in_artisan(client))
    client.cookies["hirfa_language"] = "en"
    page = client.get("/me/")
    assert page.context["dossier"].state == Dossier.State.SUBMITTED
    assert "we will send you an SMS" in page.content.decode()


def test_changes_requested_shows_the_officers_message_and_the_artisan_sends_again(client):
    user = logged_in_artisan(client)
    dossier = submitted_dossier_of(user)
    services.request_changes(
        officer=officer_of(TIZNIT), dossier=dossier, message="The photo of the card is blurred."
    )
    space = client.get("/me/")
    assert "The photo of the card is blurred." in space.content.decode()
    assert space.context["resume_url"] == "/me/apply/check/"

    check = client.get("/me/apply/check/")
    assert "The photo of the card is blurred." in check.content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post(
        "/me/apply/documents/",
        {"kind": "cnie", "file": SimpleUploadedFile("card.pdf", pdf_bytes())},
    )
    assert client.post("/me/apply/check/", {"declaration": "on"})["Location"] == "/me/"
    dossier.refresh_from_db()
    assert dossier.state == Dossier.State.RESUBMITTED


def test_an_approved_artisan_sees_the_number_and_the_validity_date(client):
    registration = approved_registration_of(logged_in_artisan(client))
    page = client.get("/me/")
    content = page.content.decode()
    assert format_number(registration.number) in content
    assert page.context["registration"].valid_until == registration.valid_until
    assert "/me/attestation.pdf" in content


def test_an_approved_artisan_downloads_the_attestation_as_a_pdf(client):
    registration = approved_registration_of(logged_in_artisan(client))
    response = client.get("/me/attestation.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"attestation-{registration.number}.pdf" in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment")


def test_an_artisan_without_registration_gets_no_attestation(client):
    draft_of(logged_in_artisan(client))
    assert client.get("/me/attestation.pdf").status_code == 404


def test_a_suspended_artisan_is_told_why_instead_of_getting_an_attestation(client):
    registration = approved_registration_of(logged_in_artisan(client))
    services.suspend(
        officer=officer_of(TIZNIT),
        registration=registration,
        reason="Inspection pending",
        until=None,
    )
    response = client.get("/me/attestation.pdf")
    assert response["Location"] == "/me/"
    assert "Inspection pending" in client.get("/me/").content.decode()


def test_a_rejected_artisan_sees_the_reason_and_the_note(client):
    user = logged_in_artisan(client)
    dossier = submitted_dossier_of(user)
    services.reject(
        officer=officer_of(TIZNIT),
        dossier=dossier,
        reason=RejectionReason.NOT_ELIGIBLE,
        note="The attestation covers one year only.",
    )
    page = client.get("/me/")
    assert page.context["rejection_reason"] == RejectionReason.NOT_ELIGIBLE.label
    assert "The attestation covers one year only." in page.content.decode()
    assert page.context["may_start"]


def test_renewal_is_offered_only_near_the_end_of_validity(client, settings):
    registration = approved_registration_of(logged_in_artisan(client))
    assert not client.get("/me/").context["renewal_due"]
    Registration.objects.filter(pk=registration.pk).update(
        valid_until=timezone.localdate() + timedelta(days=settings.RENEWAL_REMINDER_DAYS - 1)
    )
    page = client.get("/me/")
    assert page.context["renewal_due"]
    assert "/me/renew/" in page.content.decode()


def test_asking_for_renewal_starts_a_renewal_file_to_check_and_send(client):
    registration = approved_registration_of(logged_in_artisan(client))
    Registration.objects.filter(pk=registration.pk).update(status=Registration.Status.EXPIRED)
    response = client.post("/me/renew/")
    assert response["Location"] == "/me/apply/"
    renewal = Dossier.objects.get(kind=Dossier.Kind.RENEWAL)
    assert renewal.state == Dossier.State.DRAFT
    assert client.get("/me/apply/")["Location"] == "/me/apply/check/"
    assert client.get("/me/apply/you/")["Location"] == "/me/apply/"
    assert client.post("/me/apply/check/", {"declaration": "on"})["Location"] == "/me/"
    renewal.refresh_from_db()
    assert renewal.state == Dossier.State.SUBMITTED


def test_asking_for_renewal_twice_opens_only_one_renewal_file(client):
    registration = approved_registration_of(logged_in_artisan(client))
    Registration.objects.filter(pk=registration.pk).update(status=Registration.Status.EXPIRED)
    client.post("/me/renew/")
    client.post("/me/renew/")
    assert Dossier.objects.filter(kind=Dossier.Kind.RENEWAL).count() == 1


def test_the_history_lists_what_happened_to_the_file(client):
    user = logged_in_artisan(client)
    dossier = submitted_dossier_of(user)
    services.request_changes(
        officer=officer_of(TIZNIT), dossier=dossier, message="Add the back side."
    )
    history = client.get("/me/").context["history"]
    texts = " ".join(text for _at, text in history)
    assert "Add the back side." in texts
    assert len(history) == 3  # opened, sent, the officer's message
    assert history[0][0] >= history[-1][0]


def test_notifications_received_are_listed(client):
    user = logged_in_artisan(client)
    submitted_dossier_of(user)
    notifications = list(client.get("/me/").context["notifications"])
    assert [n.event for n in notifications] == ["dossier.submit", "dossier.submit"]


def test_the_menu_shows_my_file_to_artisans_only(client):
    logged_in_artisan(client)
    assert "/me/" in [url for url, _label in client.get("/").context["navigation"]]
    client.logout()
    assert "/me/" not in [url for url, _label in client.get("/").context["navigation"]]


def test_every_artisan_page_renders_in_arabic_right_to_left(client):
    user = logged_in_artisan(client)
    pages = ["/me/", "/me/claim/", "/me/apply/you/"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert ARABIC_PAGE in response.content, url
    dossier = draft_of(user)
    for url in [
        "/me/",
        "/me/apply/you/",
        "/me/apply/craft/",
        "/me/apply/documents/",
        "/me/apply/check/",
        "/me/withdraw/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert ARABIC_PAGE in response.content, url
    services.withdraw(actor=user, dossier=dossier)
    assert ARABIC_PAGE in client.get("/me/").content


def test_the_space_of_an_approved_artisan_renders_in_french_on_request(client):
    approved_registration_of(logged_in_artisan(client))
    client.cookies["hirfa_language"] = "fr"
    response = client.get("/me/")
    assert response.status_code == 200
    assert b'lang="fr" dir="ltr"' in response.content


def test_the_history_tells_each_step_in_a_sentence_in_the_artisans_language(client):
    user = logged_in_artisan(client)
    client.cookies["hirfa_language"] = "fr"
    dossier = submitted_dossier_of(user)
    services.approve(officer=officer_of(TIZNIT), dossier=dossier)
    texts = [text for _at, text in client.get("/me/").context["history"]]
    assert texts == [
        "Le registre a approuvé votre dossier.",
        "Vous avez envoyé votre dossier au registre.",
        "Vous avez commencé un dossier : Première inscription.",
    ]
