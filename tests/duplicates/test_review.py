"""Duplicates at submission, and the reviewers' confirm (merge) or dismiss."""

import pytest

from hirfa.audit.models import AuditEntry
from hirfa.core.errors import Conflict
from hirfa.duplicates import services
from hirfa.duplicates.models import Candidate, Merge
from hirfa.register import services as register
from hirfa.register.models import Dossier, Person, Registration
from tests.factories import (
    approved_dossier,
    complete_dossier,
    officer_of,
    submitted_dossier,
)

pytestmark = pytest.mark.django_db


def test_a_respelled_artisan_with_the_same_birth_date_is_flagged_with_reasons(agent, officer):
    first = approved_dossier(agent=agent, officer=officer)
    second = submitted_dossier(
        agent,
        cnie="ZZ998877",
        first_name_latin="Fatma",
        last_name_latin="Ait Lhassen",
        phone="0699887766",
    )
    candidate = Candidate.objects.get()
    assert {candidate.person_id, candidate.other_id} == {first.person_id, second.person_id}
    # Both in Tiznit, the same craft: the names and birth date are corroborated (ADR 0056).
    assert candidate.reasons == ["names_birth_date", "same_commune", "same_activity"]
    assert candidate.score == 79
    assert candidate.dossier == second


def test_a_different_artisan_is_not_flagged(agent, officer):
    approved_dossier(agent=agent, officer=officer)
    submitted_dossier(
        agent,
        cnie="ZZ998877",
        first_name_ar="محمد",
        first_name_latin="Mohamed",
        birth_date="1980-01-02",
        phone="0699887766",
        sex="M",
    )
    assert not Candidate.objects.exists()


def test_a_cnie_already_registered_is_refused_at_submission(agent, officer):
    draft = complete_dossier(agent)
    Registration.objects.create(
        number="1000000018",
        category=draft.category,
        person=draft.person,
        principal_activity=draft.principal_activity,
        workplace_kind=draft.workplace_kind,
        workplace_commune=draft.workplace_commune,
        workplace_address="x",
        province=draft.province,
        registered_on="2024-01-01",
        valid_until="2029-01-01",
    )
    with pytest.raises(Conflict) as refused:
        register.submit(actor=agent, dossier=draft)
    assert "100 000 001 8" in str(refused.value.message)
    assert list(refused.value.fields) == ["cnie"]
    draft.refresh_from_db()
    assert draft.state == Dossier.State.DRAFT


def test_the_reviewer_sees_the_possible_duplicate_on_the_decision_screen(agent, officer, client):
    first = approved_dossier(agent=agent, officer=officer)
    second = submitted_dossier(agent, cnie="ZZ998877", phone="0699887766")
    client.force_login(officer_of("09.581", username="other.officer"))
    client.cookies["hirfa_language"] = "en"
    page = client.get(f"/review/{second.pk}/").content.decode()
    assert "Possible duplicates" in page
    assert f"/registrations/{first.registration.number}/" in page
    assert "Same names (in any script) and birth date" in page


def test_confirming_merges_the_later_file_into_the_registered_person(agent, officer, client):
    first = approved_dossier(agent=agent, officer=officer)
    second = submitted_dossier(agent, cnie="ZZ998877", phone="0699887766")
    candidate = Candidate.objects.get()
    reviewer = officer_of("09.581", username="reviewer")
    client.force_login(reviewer)
    response = client.post(
        f"/duplicates/{candidate.pk}/confirm/", {"next": f"/review/{second.pk}/"}
    )
    assert response.status_code == 302
    merge = Merge.objects.get()
    assert (merge.into_id, merge.merged_id) == (first.person_id, second.person_id)
    second.refresh_from_db()
    assert second.person_id == first.person_id
    assert second.documents.exists()
    assert Person.objects.filter(pk=merge.merged_id).exists()
    candidate.refresh_from_db()
    assert (candidate.status, candidate.decided_by) == ("confirmed", reviewer)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"person.merged", "person.merged_into"} <= actions
    # The history of the merged file stays readable under its own id.
    assert (
        AuditEntry.objects.filter(object_type="register.dossier", object_id=str(second.pk)).count()
        >= 2
    )


def test_a_person_registered_twice_keeps_one_live_registration_after_the_merge(agent, officer):
    first = approved_dossier(agent=agent, officer=officer)
    second = approved_dossier(agent=agent, officer=officer, cnie="ZZ998877", phone="0699887766")
    candidate = Candidate.objects.get()
    services.confirm(reviewer=officer_of("09.581", username="reviewer"), candidate_id=candidate.pk)
    registrations = Registration.objects.filter(person=first.person)
    assert registrations.count() == 2
    assert registrations.exclude(status="struck_off").get() == first.registration
    assert (
        second.registration.__class__.objects.get(pk=second.registration_id).status == "struck_off"
    )


def test_dismissing_keeps_both_files_and_records_the_decision(agent, officer):
    approved_dossier(agent=agent, officer=officer)
    submitted_dossier(agent, cnie="ZZ998877", phone="0699887766")
    candidate = Candidate.objects.get()
    reviewer = officer_of("09.581", username="reviewer")
    services.dismiss(reviewer=reviewer, candidate_id=candidate.pk, note="Twins")
    candidate.refresh_from_db()
    assert (candidate.status, candidate.note) == ("dismissed", "Twins")
    assert not Merge.objects.exists()
    assert AuditEntry.objects.filter(action="duplicate.dismissed").count() == 1
    with pytest.raises(Conflict):
        services.dismiss(reviewer=reviewer, candidate_id=candidate.pk)


def test_an_officer_of_another_province_cannot_decide(agent, officer):
    from hirfa.core.errors import NotFound

    approved_dossier(agent=agent, officer=officer)
    submitted_dossier(agent, cnie="ZZ998877", phone="0699887766")
    with pytest.raises(NotFound):
        services.confirm(
            reviewer=officer_of("09.001", username="agadir"),
            candidate_id=Candidate.objects.get().pk,
        )


def test_a_cnie_one_character_away_with_the_same_phone_is_flagged(agent, officer):
    first = approved_dossier(agent=agent, officer=officer)
    submitted_dossier(
        agent,
        cnie="JK123465",
        first_name_ar="خديجة",
        first_name_latin="Khadija",
        birth_date="1979-03-14",
    )
    candidate = Candidate.objects.get()
    assert first.person_id in (candidate.person_id, candidate.other_id)
    assert candidate.reasons == ["cnie_one_character", "same_phone"]


def test_the_decision_screen_says_in_the_readers_language_that_the_place_weighed(
    agent, officer, client
):
    approved_dossier(agent=agent, officer=officer)
    second = submitted_dossier(agent, cnie="ZZ998877", phone="0699887766")
    client.force_login(officer_of("09.581", username="other.officer"))
    client.cookies["hirfa_language"] = "ar"
    page = client.get(f"/review/{second.pk}/").content.decode()
    assert "نفس الجماعة (السكن أو مكان العمل)" in page
    assert "نفس الحرفة" in page
