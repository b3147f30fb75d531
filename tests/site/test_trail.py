"""The auditor's page of the audit trail: searched by doer, artisan, object, action and
period, told in words, paged in the database, with the chain's state and its check."""

from datetime import timedelta

import pytest
from django.utils import timezone

from hirfa.accounts.roles import Role
from hirfa.audit.models import AuditEntry, ChainVerification
from hirfa.audit.services import record, record_access
from tests.factories import approved_registration, national, officer_of

pytestmark = pytest.mark.django_db

URL = "/audit/"


@pytest.fixture(autouse=True)
def in_english(client):
    client.cookies["hirfa_language"] = "en"


@pytest.fixture
def auditor():
    return national(Role.AUDITOR, username="auditor")


@pytest.fixture
def registration(agent, officer):
    return approved_registration(agent=agent, officer=officer)


@pytest.fixture
def reader():
    return officer_of("09.581", username="curious.officer")


def rows(response) -> list[str]:
    return [entry.sentence for entry in response.context["result"].entries]


def test_the_auditor_and_the_national_administrator_open_the_trail(client, auditor):
    client.force_login(auditor)
    assert client.get(URL).status_code == 200
    client.force_login(national(Role.ADMIN, username="admin1"))
    assert client.get(URL).status_code == 200


@pytest.mark.parametrize("role", [Role.CNSS])
def test_other_national_staff_are_refused(client, role):
    client.force_login(national(role, username="other"))
    assert client.get(URL).status_code == 403


def test_an_officer_is_refused(client, officer):
    client.force_login(officer)
    assert client.get(URL).status_code == 403


def test_a_visitor_is_sent_to_the_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_auditor_s_menu_holds_the_audit_trail(client, auditor):
    client.force_login(auditor)
    urls = [url for url, _label in client.get(URL).context["navigation"]]
    assert URL in urls


def test_an_officer_s_menu_does_not(client, officer):
    client.force_login(officer)
    urls = [url for url, _label in client.get("/my-work/").context["navigation"]]
    assert URL not in urls


def test_searching_an_artisan_by_cnie_finds_who_opened_their_file(
    client, auditor, registration, reader
):
    record_access(actor=reader, obj=registration.person, province_code="09.581")
    client.force_login(auditor)
    response = client.get(URL, {"artisan": registration.person.cnie, "action": "reads"})
    assert rows(response) == ["curious.officer opened an artisan's file."]


def test_searching_an_artisan_by_registration_number_finds_their_file_s_history(
    client, auditor, registration
):
    client.force_login(auditor)
    response = client.get(URL, {"artisan": registration.number})
    actions = {entry.action for entry in response.context["result"].entries}
    assert {"dossier.created", "dossier.approve", "registration.created"} <= actions


def test_an_unknown_artisan_is_told_and_nothing_else_is_shown(client, auditor, registration):
    client.force_login(auditor)
    response = client.get(URL, {"artisan": "ZZ999999"})
    assert response.status_code == 200
    assert response.context["result"].entries == []
    assert "No artisan has this CNIE or registration number." in response.content.decode()


def test_searching_by_doer_keeps_only_their_entries(client, auditor, registration, reader):
    record_access(actor=reader, obj=registration.person)
    client.force_login(auditor)
    response = client.get(URL, {"who": "curious.officer"})
    assert {entry.actor_id for entry in response.context["result"].entries} == {reader.pk}


def test_searching_by_object_keeps_only_its_entries(client, auditor, registration):
    client.force_login(auditor)
    response = client.get(URL, {"object": f"register.registration:{registration.pk}"})
    entries = response.context["result"].entries
    assert entries and {(e.object_type, e.object_id) for e in entries} == {
        ("register.registration", str(registration.pk))
    }


def test_searching_by_period_keeps_the_entries_of_those_days(client, auditor, registration):
    client.force_login(auditor)
    today = timezone.localdate()
    assert rows(client.get(URL, {"since": today, "until": today}))
    assert rows(client.get(URL, {"until": today - timedelta(days=1)})) == []


def test_a_period_ending_before_it_starts_is_refused_with_a_message(client, auditor):
    client.force_login(auditor)
    response = client.get(URL, {"since": "2026-03-01", "until": "2025-03-01"})
    assert response.status_code == 200
    assert response.context["result"] is None
    assert "The end of the period comes before its start." in response.content.decode()


@pytest.mark.parametrize(
    "field, value",
    [
        ("since", "1900-01-01"),
        ("until", "not a day"),
        ("object", "person 12"),
        ("artisan", "hello"),
        ("action", "made.up"),
        ("before", "-4"),
    ],
)
def test_bad_search_terms_are_refused_with_a_message_not_a_crash(client, auditor, field, value):
    client.force_login(auditor)
    response = client.get(URL, {field: value})
    assert response.status_code == 200
    assert response.context["form"].errors[field]


def test_a_search_over_years_is_paged_by_the_newest_entries(client, auditor, settings):
    for number in range(55):
        record(actor=None, action="account.locked", object_type="accounts.user", object_id=number)
    client.force_login(auditor)
    first = client.get(URL, {"since": "2001-01-01", "action": "account.locked"})
    result = first.context["result"]
    assert len(result.entries) == 50
    assert result.entries[0].object_id == "54"
    second = client.get(
        URL, {"since": "2001-01-01", "action": "account.locked", "before": result.following}
    )
    assert [e.object_id for e in second.context["result"].entries] == [
        str(n) for n in range(4, -1, -1)
    ]
    assert second.context["result"].following is None


def test_each_entry_is_told_in_the_reader_s_language(client, auditor, registration, reader):
    record_access(actor=reader, obj=registration.person)
    client.force_login(auditor)
    client.cookies["hirfa_language"] = "fr"
    response = client.get(URL, {"action": "person.viewed"})
    assert rows(response) == ["curious.officer a ouvert le dossier d’un artisan."]


def test_the_search_page_makes_the_same_queries_for_one_entry_or_many(
    client, auditor, registration, reader, django_assert_num_queries
):
    client.force_login(auditor)
    search = {"artisan": registration.person.cnie, "who": "curious.officer", "action": "reads"}
    record_access(actor=reader, obj=registration.person)
    client.get(URL, search)  # the session's first read
    # session, user, the doer, the artisan's six kinds of records, one page of entries,
    # the chain's state, the menu's count of the inbox
    with django_assert_num_queries(12):
        client.get(URL, search)
    for _n in range(30):
        record_access(actor=reader, obj=registration.person)
    with django_assert_num_queries(12):
        response = client.get(URL, search)
    assert len(response.context["result"].entries) == 31


def test_the_chain_s_state_shows_the_last_verification(client, auditor):
    ChainVerification.objects.create(
        requested_at=timezone.now(), finished_at=timezone.now(), intact=True, checked=12
    )
    client.force_login(auditor)
    assert "Intact: checked on" in client.get(URL).content.decode()


def test_a_broken_chain_shows_its_first_broken_link(client, auditor):
    ChainVerification.objects.create(
        requested_at=timezone.now(),
        finished_at=timezone.now(),
        intact=False,
        checked=7,
        first_broken_id=7,
        problem="content altered: …",
    )
    client.force_login(auditor)
    assert "First broken link: entry #7." in client.get(URL).content.decode()


def test_the_button_runs_the_verification_as_a_background_job(
    client, auditor, run_jobs, django_capture_on_commit_callbacks
):
    record(actor=None, action="account.locked", object_type="accounts.user", object_id=1)
    client.force_login(auditor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/audit/verify")
    assert response.status_code == 302
    verification = ChainVerification.objects.get()
    assert verification.intact is None
    run_jobs()
    verification.refresh_from_db()
    assert verification.intact is True
    assert verification.checked == AuditEntry.objects.count()
    assert "Intact: checked on" in client.get(URL).content.decode()


def test_asking_twice_while_a_check_waits_queues_one_check(client, auditor):
    client.force_login(auditor)
    client.post("/audit/verify")
    client.post("/audit/verify")
    assert ChainVerification.objects.count() == 1
    assert AuditEntry.objects.filter(action="audit.verification_requested").count() == 1


def test_an_officer_may_not_ask_for_the_check(client, officer):
    client.force_login(officer)
    assert client.post("/audit/verify").status_code == 403
    assert not ChainVerification.objects.exists()


def test_a_broken_chain_is_found_by_the_background_check(
    client, auditor, run_jobs, django_capture_on_commit_callbacks
):
    from tests.audit.helpers import drop_append_only_triggers, raw_update

    for number in range(3):
        record(actor=None, action="account.locked", object_type="accounts.user", object_id=number)
    second = AuditEntry.objects.order_by("id")[1]
    drop_append_only_triggers()
    raw_update(second.pk, "action", "account.unlocked")
    client.force_login(auditor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/audit/verify")
    run_jobs()
    verification = ChainVerification.objects.get()
    assert (verification.intact, verification.first_broken_id) == (False, second.pk)
    assert f"First broken link: entry #{second.pk}." in client.get(URL).content.decode()


def test_the_admin_s_audit_address_leads_the_auditor_to_the_trail(client, auditor):
    client.force_login(auditor)
    response = client.get("/admin/audit/")
    assert (response.status_code, response["Location"]) == (302, URL)


def test_an_action_an_app_described_in_its_own_words_is_told_with_its_doer():
    from django.utils import translation

    from hirfa.audit import wording

    wording.describe({"sample.done": "The sample was done."})
    with translation.override("en"):
        assert wording.sentence("k.oubella", "sample.done") == "k.oubella: The sample was done."
        assert wording.sentence("k.oubella", "sample.unknown") == "k.oubella did “sample.unknown”."


def test_what_an_entry_is_about_is_told_in_words_and_links_to_its_history(
    client, auditor, registration, reader
):
    record_access(actor=reader, obj=registration.person)
    client.force_login(auditor)
    page = client.get(URL, {"action": "person.viewed"}).content.decode()
    person = registration.person_id
    assert f'href="?object=register.person:{person}">artisan #{person}</a>' in page
