"""The life of a dossier, through the services both interfaces call."""

import pytest

from hirfa.audit.models import AuditEntry
from hirfa.core.errors import Conflict, DomainError, Forbidden, NotFound
from hirfa.register import services
from hirfa.register.models import Dossier, Person, Registration
from hirfa.register.numbers import parse_number
from tests.factories import (
    AGADIR_CITY,
    artisan_account,
    complete_dossier,
    craft_data,
    officer_of,
    person_data,
    png_upload,
    submitted_dossier,
)

pytestmark = pytest.mark.django_db

State = Dossier.State


def test_an_agent_files_an_assisted_dossier_as_a_draft_with_consent_recorded(agent):
    dossier = services.file_assisted(
        agent=agent, person_data=person_data(), craft_data=craft_data(), consent=True
    )
    assert dossier.state == State.DRAFT
    assert dossier.assisted and dossier.consent_at is not None
    assert dossier.province.code == "09.581"
    assert dossier.person.cnie == "JK123456"
    assert dossier.person.phone == "+212612345678"


def test_without_consent_nothing_is_written(agent):
    with pytest.raises(DomainError) as refused:
        services.file_assisted(
            agent=agent, person_data=person_data(), craft_data=craft_data(), consent=False
        )
    assert "consent" in refused.value.fields
    assert not Person.objects.exists() and not Dossier.objects.exists()


def test_every_invalid_field_is_reported_at_once_and_nothing_is_written(agent):
    bad = person_data(
        cnie="12", first_name_ar="Fadma", phone="0512", birth_date="2030-01-01", commune="99"
    )
    with pytest.raises(DomainError) as refused:
        services.file_assisted(agent=agent, person_data=bad, craft_data=craft_data(), consent=True)
    assert {"cnie", "first_name_ar", "phone", "birth_date", "commune"} <= set(refused.value.fields)
    assert not Person.objects.exists()


def test_an_applicant_younger_than_the_minimum_age_is_refused(agent, settings):
    settings.REGISTRATION_MIN_AGE = 15
    with pytest.raises(DomainError) as refused:
        services.file_assisted(
            agent=agent,
            person_data=person_data(birth_date="2020-01-01"),
            craft_data=craft_data(),
            consent=True,
        )
    assert "birth_date" in refused.value.fields


def test_an_unknown_or_retired_activity_is_refused(agent):
    with pytest.raises(DomainError) as refused:
        services.file_assisted(
            agent=agent,
            person_data=person_data(),
            craft_data=craft_data(principal_activity="ZZ99"),
            consent=True,
        )
    assert "principal_activity" in refused.value.fields


def test_more_than_three_secondary_activities_are_refused(agent):
    from hirfa.crafts.models import Activity

    codes = list(Activity.objects.values_list("code", flat=True)[1:5])
    with pytest.raises(DomainError) as refused:
        services.file_assisted(
            agent=agent,
            person_data=person_data(),
            craft_data=craft_data(secondary_activities=codes),
            consent=True,
        )
    assert "secondary_activities" in refused.value.fields


def test_an_agent_cannot_file_for_a_workplace_outside_their_region(agent):
    with pytest.raises(Forbidden):
        services.file_assisted(
            agent=agent,
            person_data=person_data(),
            craft_data=craft_data(workplace_commune="06.371.01.01"),
            consent=True,
        )


def test_the_same_cnie_cannot_be_filed_twice(agent):
    complete_dossier(agent)
    with pytest.raises(Conflict) as refused:
        complete_dossier(agent, phone="0698765432")
    assert "cnie" in refused.value.fields
    assert Person.objects.count() == 1


def test_a_dossier_without_its_required_documents_cannot_be_submitted(agent):
    dossier = services.file_assisted(
        agent=agent, person_data=person_data(), craft_data=craft_data(), consent=True
    )
    with pytest.raises(DomainError) as refused:
        services.submit(actor=agent, dossier=dossier)
    assert refused.value.fields["documents"]
    dossier.refresh_from_db()
    assert dossier.state == State.DRAFT


def test_a_file_whose_content_is_not_what_its_name_says_is_refused(agent):
    from django.core.files.uploadedfile import SimpleUploadedFile

    dossier = services.file_assisted(
        agent=agent, person_data=person_data(), craft_data=craft_data(), consent=True
    )
    fake = SimpleUploadedFile("cnie.pdf", b"MZ\x90\x00 not a pdf at all", "application/pdf")
    with pytest.raises(DomainError) as refused:
        services.attach_document(actor=agent, dossier=dossier, kind="cnie", uploaded=fake)
    assert refused.value.code == "unsupported_file"
    assert not dossier.documents.exists()


def test_an_oversized_file_is_refused(agent, settings):
    settings.DOCUMENT_MAX_BYTES = 2048
    from django.core.files.uploadedfile import SimpleUploadedFile

    dossier = services.file_assisted(
        agent=agent, person_data=person_data(), craft_data=craft_data(), consent=True
    )
    big = SimpleUploadedFile("cnie.pdf", b"%PDF-1.4\n" + b"0" * 4096 + b"%%EOF")
    with pytest.raises(DomainError) as refused:
        services.attach_document(actor=agent, dossier=dossier, kind="cnie", uploaded=big)
    assert refused.value.code == "too_large"


def test_uploaded_images_are_re_encoded_without_their_metadata(agent):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "SecretPhoneMaker"
    Image.new("RGB", (20, 20)).save(buffer, format="JPEG", exif=exif)
    dossier = services.file_assisted(
        agent=agent, person_data=person_data(), craft_data=craft_data(), consent=True
    )
    document = services.attach_document(
        actor=agent,
        dossier=dossier,
        kind="cnie",
        uploaded=SimpleUploadedFile("x.jpg", buffer.getvalue()),
    )
    stored = document.file.read()
    assert stored.startswith(b"\xff\xd8\xff")
    assert b"SecretPhoneMaker" not in stored


def test_the_full_path_from_draft_to_a_numbered_registration(agent, officer):
    dossier = submitted_dossier(agent)
    assert dossier.state == State.SUBMITTED
    services.start_review(officer=officer, dossier=dossier)
    services.request_changes(officer=officer, dossier=dossier, message="Photo illisible")
    dossier.refresh_from_db()
    assert dossier.state == State.CHANGES_REQUESTED
    services.attach_document(actor=agent, dossier=dossier, kind="cnie", uploaded=png_upload())
    services.submit(actor=agent, dossier=dossier)
    dossier.refresh_from_db()
    assert dossier.state == State.RESUBMITTED
    services.approve(officer=officer, dossier=dossier)
    dossier.refresh_from_db()
    assert dossier.state == State.APPROVED
    registration = dossier.registration
    assert parse_number(registration.number) == registration.number
    assert registration.status == Registration.Status.ACTIVE
    assert registration.valid_until > registration.registered_on


def test_every_transition_is_in_the_audit_trail_with_its_author(agent, officer):
    dossier = submitted_dossier(agent)
    services.approve(officer=officer, dossier=dossier)
    actions = list(
        AuditEntry.objects.filter(object_id=str(dossier.pk), object_type="register.dossier")
        .order_by("id")
        .values_list("action", "actor__username")
    )
    assert ("dossier.submit", agent.username) in actions
    assert ("dossier.approve", officer.username) in actions


def test_the_applicant_is_notified_of_each_decision(agent, officer):
    from hirfa.notifications.models import Notification

    dossier = submitted_dossier(agent)
    services.approve(officer=officer, dossier=dossier)
    events = set(Notification.objects.values_list("event", flat=True))
    assert {"dossier.submit", "dossier.approve"} <= events
    approved = Notification.objects.filter(event="dossier.approve").first()
    assert approved.address == "+212612345678"


def test_a_transition_from_the_wrong_state_is_refused_and_changes_nothing(agent, officer):
    dossier = complete_dossier(agent)
    with pytest.raises(Conflict):
        services.approve(officer=officer, dossier=dossier)
    dossier.refresh_from_db()
    assert dossier.state == State.DRAFT
    assert not Registration.objects.exists()


def test_a_dossier_already_decided_cannot_be_decided_again(agent, officer):
    dossier = submitted_dossier(agent)
    services.approve(officer=officer, dossier=dossier)
    other = officer_of("09.581", username="second")
    with pytest.raises(Conflict):
        services.reject(officer=other, dossier=dossier, reason="other", note="trop tard")
    assert Registration.objects.count() == 1


def test_four_eyes_an_officer_who_filed_cannot_decide(agent, officer):
    dossier = submitted_dossier(agent)
    Dossier.objects.filter(pk=dossier.pk).update(filed_by=officer)
    with pytest.raises(Forbidden):
        services.approve(officer=officer, dossier=dossier)


def test_an_officer_cannot_decide_a_dossier_of_another_province(agent):
    dossier = submitted_dossier(agent)
    with pytest.raises(NotFound):
        services.approve(officer=officer_of("09.001"), dossier=dossier)


def test_rejection_needs_a_reason_from_the_list(agent, officer):
    dossier = submitted_dossier(agent)
    with pytest.raises(DomainError):
        services.reject(officer=officer, dossier=dossier, reason="because")
    services.reject(officer=officer, dossier=dossier, reason="not_a_craft", note="")
    dossier.refresh_from_db()
    assert dossier.state == State.REJECTED and dossier.rejection_reason == "not_a_craft"


def test_numbers_are_never_reused_and_follow_each_other(agent, officer):
    numbers = []
    for index in range(3):
        dossier = submitted_dossier(agent, cnie=f"JK10000{index}", phone=f"061000000{index}")
        numbers.append(services.approve(officer=officer, dossier=dossier).registration.number)
    assert len(set(numbers)) == 3
    assert [int(n[:9]) for n in numbers] == sorted(int(n[:9]) for n in numbers)


def test_a_second_live_registration_for_the_same_person_is_impossible(agent, officer):
    from django.db import IntegrityError, transaction

    registration = services.approve(officer=officer, dossier=submitted_dossier(agent)).registration
    duplicate = Registration(
        number="1000000990",
        category=registration.category,
        person=registration.person,
        principal_activity=registration.principal_activity,
        workplace_kind=registration.workplace_kind,
        workplace_commune=registration.workplace_commune,
        workplace_address="x",
        province=registration.province,
        registered_on=registration.registered_on,
        valid_until=registration.valid_until,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


class TestLifecycle:
    @pytest.fixture
    def registration(self, agent, officer):
        return services.approve(officer=officer, dossier=submitted_dossier(agent)).registration

    def test_suspension_then_reinstatement(self, registration, officer):
        services.suspend(officer=officer, registration=registration, reason="Contrôle", until=None)
        registration.refresh_from_db()
        assert registration.status == Registration.Status.SUSPENDED
        services.reinstate(officer=officer, registration=registration, reason="Contrôle levé")
        registration.refresh_from_db()
        assert registration.status == Registration.Status.ACTIVE

    def test_striking_off_is_final(self, registration, officer):
        services.strike_off(officer=officer, registration=registration, reason="Décès")
        with pytest.raises(Conflict):
            services.reinstate(officer=officer, registration=registration, reason="Erreur")

    def test_a_suspension_needs_a_reason(self, registration, officer):
        with pytest.raises(DomainError):
            services.suspend(officer=officer, registration=registration, reason=" ", until=None)

    def test_a_registration_past_its_validity_expires_and_can_be_renewed(
        self, registration, agent, officer
    ):
        from datetime import timedelta

        registration.valid_until = registration.registered_on - timedelta(days=1)
        registration.save()
        assert services.expire_registrations()["expired"] == 1
        registration.refresh_from_db()
        assert registration.status == Registration.Status.EXPIRED
        renewal = services.request_renewal(actor=agent, registration=registration)
        services.submit(actor=agent, dossier=renewal)
        services.approve(officer=officer, dossier=renewal)
        registration.refresh_from_db()
        assert registration.status == Registration.Status.ACTIVE
        assert registration.valid_until > registration.registered_on

    def test_the_artisan_is_reminded_once_before_expiry(self, registration, settings):
        from hirfa.notifications.models import Notification

        settings.RENEWAL_REMINDER_DAYS = 10_000
        assert services.expire_registrations()["reminded"] == 1
        assert services.expire_registrations()["reminded"] == 0
        assert Notification.objects.filter(event="registration.renewal_reminder").exists()

    def test_a_modification_changes_the_activity_after_review(self, registration, agent, officer):
        from hirfa.crafts.models import Activity

        new_activity = Activity.objects.filter(is_active=True).order_by("-code").first()
        modification = services.request_modification(
            actor=agent,
            registration=registration,
            craft_data=craft_data(
                category="master", principal_activity=new_activity.code, secondary_activities=[]
            ),
        )
        for kind in ("cnie", "recognition", "photo"):
            services.attach_document(
                actor=agent, dossier=modification, kind=kind, uploaded=png_upload()
            )
        services.submit(actor=agent, dossier=modification)
        services.approve(officer=officer, dossier=modification)
        registration.refresh_from_db()
        assert registration.category == "master"
        assert registration.principal_activity == new_activity

    def test_the_attestation_is_a_pdf_with_the_number(self, registration, agent):
        pdf = services.attestation_pdf(actor=agent, registration=registration)
        assert pdf.startswith(b"%PDF")

    def test_no_attestation_for_a_suspended_registration(self, registration, officer):
        services.suspend(officer=officer, registration=registration, reason="x", until=None)
        registration.refresh_from_db()
        with pytest.raises(Conflict):
            services.attestation_pdf(actor=officer, registration=registration)


def test_an_artisan_claims_the_file_an_agent_filed_with_phone_and_cnie(agent):
    complete_dossier(agent)
    artisan = artisan_account()
    with pytest.raises(DomainError):
        services.claim_person(user=artisan, cnie="ZZ999999")
    person = services.claim_person(user=artisan, cnie="jk 123456")
    assert person.user == artisan


def test_a_self_service_applicant_files_their_own_dossier():
    artisan = artisan_account()
    dossier = services.start_dossier(
        applicant=artisan, person_data=person_data(), craft_data=craft_data()
    )
    assert dossier.person.user == artisan and not dossier.assisted
    with pytest.raises(Conflict):
        services.start_dossier(
            applicant=artisan, person_data=person_data(cnie="AB12345"), craft_data=craft_data()
        )


def test_a_cooperative_of_registered_members_is_filed_by_an_agent(agent, officer):
    member = services.approve(officer=officer, dossier=submitted_dossier(agent)).registration
    dossier = services.file_entity(
        agent=agent,
        entity_data={
            "name_ar": "تعاونية تيزنيت للفضة",
            "name_fr": "Coopérative Tiznit Argent",
            "ice": "001234567000089",
            "address": "Souk",
            "commune": "09.581.01.07",
            "members": [member.number],
        },
        craft_data=craft_data(category="cooperative", secondary_activities=[]),
        consent=True,
    )
    assert dossier.entity.members.get() == member.person


def test_a_cooperative_with_an_unregistered_member_is_refused(agent):
    with pytest.raises(DomainError) as refused:
        services.file_entity(
            agent=agent,
            entity_data={
                "name_ar": "تعاونية",
                "name_fr": "Coop",
                "ice": "001234567000089",
                "address": "Souk",
                "commune": AGADIR_CITY,
                "members": ["1000000017"],
            },
            craft_data=craft_data(category="cooperative", workplace_commune=AGADIR_CITY),
            consent=True,
        )
    assert "members" in refused.value.fields
