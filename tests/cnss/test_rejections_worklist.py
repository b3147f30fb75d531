"""The artisans the CNSS rejected, as a worklist (issue 16, item 1; ADR 0053): for the
liaison (national) and the agents and officers of the artisan's province; filters; a
contact recorded; a line leaves the list when the CNSS accepts the artisan."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hirfa.audit.models import AuditEntry
from hirfa.cnss import services
from hirfa.cnss.models import Rejection, RejectionNote
from hirfa.core.errors import DomainError
from hirfa.coverage import selectors as coverage
from hirfa.register import services as register
from tests.factories import (
    AGADIR_CITY,
    agent_of,
    approved_registration,
    attach_required_documents,
    craft_data,
    national,
    officer_of,
    person_data,
)

pytestmark = pytest.mark.django_db

UNKNOWN_CNIE = "JK100013"  # the sandbox answers CNIE_UNKNOWN
COVERED_CNIE = "JK290000"  # digits adding up to 11: ALREADY_COVERED
GOOD_CNIE = "JK123456"


def _page(client, user, url, **query):
    client.force_login(user)
    client.cookies["hirfa_language"] = "en"
    return client.get(url, query)


@pytest.fixture
def rejected(approve, answer):
    """Two Tiznit artisans rejected by the CNSS sandbox (one CNIE unknown, one already
    covered) and one accepted, through the real exchange: the first answer is imported."""
    unknown = approve(UNKNOWN_CNIE, "0611111113")
    covered = approve(COVERED_CNIE, "0611111114")
    approve(GOOD_CNIE, "0611111115")
    services.export_batches()
    [path] = answer()
    report = services.import_file(path)
    assert (report.applied, report.rejected) == (3, 0)
    return unknown, covered


@pytest.fixture
def agadir_rejected(approve, answer):
    registration = approved_registration(
        agent=agent_of("09"),
        officer=officer_of("09.001"),
        cnie="JK200013",
        phone="0622222213",
        craft={"workplace_commune": AGADIR_CITY},
    )
    services.export_batches()
    services.import_file(answer()[0])
    return registration


def test_each_rejection_of_an_answer_is_a_line_of_the_worklist(rejected):
    unknown, covered = rejected
    lines = Rejection.objects.order_by("number")
    assert [(r.number, r.code, r.closed_at) for r in lines] == sorted(
        [(unknown.number, "CNIE_UNKNOWN", None), (covered.number, "ALREADY_COVERED", None)]
    )
    assert {r.sent_batch.batch_id for r in lines} == {"RNA-00000001"}
    assert {r.batch.batch_id for r in lines} == {"CNSS-00000001"}
    assert {r.registration.province.code for r in lines} == {"09.581"}


def test_the_liaison_reads_each_reason_in_their_language(client, rejected):
    unknown, _covered = rejected
    page = _page(client, national("cnss"), reverse("cnss:rejections")).content.decode()
    assert "2 artisans to act on." in page
    assert unknown.number in page
    assert "does not find this national identity card number" in page
    assert "already insured under another scheme" in page


def test_the_reason_is_translated_for_an_arabic_reader(client, rejected):
    client.force_login(national("cnss"))
    client.cookies["hirfa_language"] = "ar"
    page = client.get(reverse("cnss:rejections")).content.decode()
    assert "does not find" not in page
    assert "CNIE_UNKNOWN" in page


def test_the_officer_of_the_province_sees_its_rejections_and_no_other(
    client, rejected, agadir_rejected
):
    unknown, _covered = rejected
    page = _page(client, officer_of("09.581"), reverse("cnss:rejections")).content.decode()
    assert unknown.number in page
    assert agadir_rejected.number not in page
    liaison = _page(client, national("cnss"), reverse("cnss:rejections")).content.decode()
    assert agadir_rejected.number in liaison and unknown.number in liaison


def test_an_agent_of_another_region_sees_none_and_cannot_open_one(client, rejected):
    agent = agent_of("01")
    page = _page(client, agent, reverse("cnss:rejections")).content.decode()
    assert "No artisan rejected by the CNSS waits for you." in page
    line = Rejection.objects.first()
    assert _page(client, agent, reverse("cnss:rejection", args=[line.pk])).status_code == 404


def test_artisans_and_auditors_do_not_reach_the_worklist(client, rejected):
    assert _page(client, national("auditor"), reverse("cnss:rejections")).status_code == 403


def test_the_worklist_filters_by_reason_batch_province_and_age(client, rejected, agadir_rejected):
    unknown, covered = rejected
    liaison = national("cnss")
    url = reverse("cnss:rejections")

    def numbers(**query):
        page = _page(client, liaison, url, **query).content.decode()
        return {r.number for r in (unknown, covered, agadir_rejected) if r.number in page}

    assert numbers(code="ALREADY_COVERED") == {covered.number}
    assert numbers(batch="RNA-00000002") == {agadir_rejected.number}
    assert numbers(batch="cnss-00000001") == {unknown.number, covered.number}
    assert numbers(province="09.001") == {agadir_rejected.number}
    assert numbers(older_than="7") == set()
    Rejection.objects.filter(number=unknown.number).update(
        received_at=timezone.now() - timedelta(days=40)
    )
    assert numbers(older_than="30") == {unknown.number}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"older_than": "5"}, "Choose an age among those proposed"),
        ({"older_than": "-1"}, "Choose an age among those proposed"),
        ({"batch": "RNA-1"}, "A batch is written like RNA-00000001"),
        ({"province": "99.999"}, "Unknown province, or outside your territory."),
        ({"code": "<script>"}, "Unknown reason"),
    ],
)
def test_a_bad_filter_is_ignored_with_a_message(client, rejected, query, message):
    response = _page(client, national("cnss"), reverse("cnss:rejections"), **query)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "2 artisans to act on." in page


def test_an_officer_filtering_on_another_province_is_told_it_is_outside(client, rejected):
    page = _page(
        client, officer_of("09.581"), reverse("cnss:rejections"), province="09.001"
    ).content.decode()
    assert "Unknown province, or outside your territory." in page


def test_recording_a_contact_keeps_the_line_open_and_is_audited(client, rejected):
    unknown, _covered = rejected
    line = Rejection.objects.get(number=unknown.number)
    officer = officer_of("09.581")
    client.force_login(officer)
    client.cookies["hirfa_language"] = "en"
    url = reverse("cnss:rejection", args=[line.pk])
    response = client.post(url, {"note": "Called: the artisan brings the CNIE on Monday."})
    assert response.status_code == 302
    note = RejectionNote.objects.get()
    assert (note.author, note.rejection) == (officer, line)
    entry = AuditEntry.objects.get(action="cnss.rejection_noted")
    assert (entry.actor, entry.province_code) == (officer, "09.581")
    assert "Monday" in entry.reason
    page = client.get(url).content.decode()
    assert "brings the CNIE on Monday" in page
    assert Rejection.objects.get(pk=line.pk).closed_at is None


def test_an_empty_contact_note_is_refused_with_a_message(client, rejected):
    line = Rejection.objects.first()
    client.force_login(national("cnss"))
    client.cookies["hirfa_language"] = "en"
    response = client.post(reverse("cnss:rejection", args=[line.pk]), {"note": "   "})
    assert response.status_code == 400
    assert not RejectionNote.objects.exists()


def test_a_contact_on_a_closed_rejection_is_refused(rejected):
    line = Rejection.objects.first()
    Rejection.objects.filter(pk=line.pk).update(closed_at=timezone.now(), closing="accepted")
    with pytest.raises(DomainError):
        services.note_contact(actor=national("cnss"), rejection_id=line.pk, note="Called")
    assert not RejectionNote.objects.exists()


def test_the_reply_batchs_page_shows_its_rejections(client, rejected):
    unknown, covered = rejected
    page = _page(
        client, national("cnss"), reverse("cnss:batch", args=["CNSS-00000001"])
    ).content.decode()
    assert "Artisans rejected by the CNSS" in page
    assert unknown.number in page and covered.number in page
    assert "does not find this national identity card number" in page
    assert reverse("cnss:rejections") + "?batch=CNSS-00000001" in page


def test_the_reconciliations_rejected_count_links_to_its_lines(client, rejected):
    page = _page(client, national("cnss"), reverse("cnss:reconciliation")).content.decode()
    link = reverse("cnss:rejections") + "?batch=RNA-00000001"
    assert f'href="{link}"' in page


def test_a_corrected_artisan_is_sent_again_and_leaves_the_list_once_accepted(
    approve, answer, rejected
):
    unknown, _covered = rejected
    agent, officer = agent_of("09"), officer_of("09.581")
    # The register's own modification workflow corrects the CNIE.
    dossier = register.request_modification(
        actor=agent, registration=unknown, craft_data=craft_data()
    )
    register.update_dossier(
        actor=agent, dossier=dossier, person_data=person_data(cnie="JK777777", phone="0611111113")
    )
    attach_required_documents(agent, dossier)
    register.submit(actor=agent, dossier=dossier)
    register.approve(
        officer=officer, dossier=register.start_review(officer=officer, dossier=dossier)
    )
    # The next batch takes the artisan again; the CNSS accepts them.
    [batch] = services.export_batches()
    assert batch.batch_id == "RNA-00000002"
    assert services.import_file(answer()[0]).applied == 1
    line = Rejection.objects.get(number=unknown.number)
    assert (line.closing, line.closed_by.batch_id) == ("accepted", "CNSS-00000002")
    assert coverage.enrolment_of(unknown).state == "immatriculated"
    assert list(
        Rejection.objects.filter(closed_at__isnull=True).values_list("code", flat=True)
    ) == ["ALREADY_COVERED"]


def test_a_second_rejection_replaces_the_first(approve, answer, rejected, client):
    from hirfa.coverage import services as coverage_services

    unknown, _covered = rejected
    coverage_services.send_again(agent=agent_of("09"), registration=unknown)
    services.export_batches()
    services.import_file(answer()[0])
    lines = Rejection.objects.filter(number=unknown.number).order_by("id")
    assert [(r.closing, r.batch.batch_id) for r in lines] == [
        ("rejected_again", "CNSS-00000001"),
        ("", "CNSS-00000002"),
    ]


def test_the_worklist_page_costs_the_same_queries_for_more_rows(
    client, approve, answer, django_assert_num_queries
):
    liaison = national("cnss")
    client.force_login(liaison)
    client.cookies["hirfa_language"] = "en"
    url = reverse("cnss:rejections")
    approve("JK100013", "0611111113")
    services.export_batches()
    services.import_file(answer()[0])
    client.get(url)  # warm the session and the language
    # Session, user, count, rows, reason codes, provinces, the menu's inbox count; then the
    # reads logged: savepoint, chain head (PostgreSQL: with the chain's advisory lock, in
    # the same query), insert, release.
    queries = 7 + 4
    with django_assert_num_queries(queries):
        client.get(url)
    for i, cnie in enumerate(["JK200013", "JK300013", "JK400013"]):
        approve(cnie, f"06222222{i}3")
    services.export_batches()
    services.import_file(answer()[0])
    assert Rejection.objects.filter(closed_at__isnull=True).count() == 4
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert "4 artisans to act on." in response.content.decode()


def test_a_correction_to_a_cnie_already_registered_is_refused_and_the_line_stays(rejected):
    from hirfa.core.errors import Conflict
    from hirfa.register.models import Person

    unknown, _covered = rejected
    agent = agent_of("09")
    dossier = register.request_modification(
        actor=agent, registration=unknown, craft_data=craft_data()
    )
    with pytest.raises(Conflict) as refused:
        register.update_dossier(
            actor=agent, dossier=dossier, person_data=person_data(cnie=COVERED_CNIE)
        )
    assert list(refused.value.fields) == ["cnie"]
    assert Person.objects.get(pk=unknown.person_id).cnie == UNKNOWN_CNIE
    assert Rejection.objects.get(number=unknown.number).closed_at is None


def test_a_registration_moved_to_another_province_takes_its_line_along(client, rejected):
    from hirfa.register.models import Registration
    from hirfa.territory.models import Province

    unknown, _covered = rejected
    Registration.objects.filter(pk=unknown.pk).update(province=Province.objects.get(code="09.001"))
    tiznit = _page(client, officer_of("09.581"), reverse("cnss:rejections")).content.decode()
    agadir = _page(client, officer_of("09.001"), reverse("cnss:rejections")).content.decode()
    assert unknown.number not in tiznit
    assert unknown.number in agadir


def test_the_migration_lists_the_artisans_already_rejected_and_not_sent_since(rejected):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("hirfa.cnss.migrations.0002_rejections_worklist")
    before = sorted(Rejection.objects.values_list("number", "code", "sent_batch__batch_id"))
    Rejection.objects.all().delete()
    migration.open_rejections(apps, None)
    after = sorted(Rejection.objects.values_list("number", "code", "sent_batch__batch_id"))
    assert after == before
