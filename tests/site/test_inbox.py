"""The staff's inbox: who is told of what, each item linked to the thing to do and gone
once it is done, nothing outside the reader's scope, a count in the menu, a daily e-mail."""

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from hirfa.accounts.roles import Role
from hirfa.imports.inbox import run_ended
from hirfa.imports.models import ImportRun
from hirfa.notifications import backends
from hirfa.notifications.inbox import set_digest
from hirfa.notifications.models import InboxItem
from hirfa.register import services
from hirfa.site.inbox import send_digests
from tests.factories import (
    AGADIR_CITY,
    approved_dossier,
    craft_data,
    national,
    officer_of,
    submitted_dossier,
    use_test_signing_key,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english(client):
    client.cookies["hirfa_language"] = "en"


def inbox_of(client, user) -> list[str]:
    client.force_login(user)
    response = client.get("/inbox/")
    assert response.status_code == 200
    return [f"{item.text} {item.reference}" for item in response.context["page"]]


def changes_requested(agent, officer):
    dossier = submitted_dossier(agent)
    return services.request_changes(officer=officer, dossier=dossier, message="Photo floue")


# --- Who is told of what ------------------------------------------------------------------


def test_a_file_sent_for_review_lands_in_the_inbox_of_the_province_s_officers(
    client, agent, officer
):
    dossier = submitted_dossier(agent)
    assert inbox_of(client, officer) == [f"A new file waits for your review #{dossier.pk}"]


def test_officers_of_another_province_and_the_agent_who_filed_it_are_not_told(
    client, agent, officer
):
    submitted_dossier(agent)
    assert inbox_of(client, officer_of("09.001", username="agadir")) == []
    assert inbox_of(client, agent) == []


def test_the_item_links_to_the_decision_screen(client, agent, officer):
    dossier = submitted_dossier(agent)
    client.force_login(officer)
    item = InboxItem.objects.get(recipient=officer)
    response = client.get(f"/inbox/{item.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/review/{dossier.pk}/"


def test_opening_a_thing_to_do_does_not_make_it_done(client, agent, officer):
    submitted_dossier(agent)
    client.force_login(officer)
    client.get(f"/inbox/{InboxItem.objects.get(recipient=officer).pk}/")
    assert len(inbox_of(client, officer)) == 1


def test_the_item_leaves_every_inbox_once_the_file_is_decided(client, agent, officer):
    other_officer = officer_of("09.581", username="second.officer")
    dossier = submitted_dossier(agent)
    services.approve(officer=other_officer, dossier=dossier)
    assert inbox_of(client, officer) == []
    assert inbox_of(client, other_officer) == []


def test_a_file_sent_back_for_changes_lands_in_the_inbox_of_the_agent_who_filed_it(
    client, agent, officer
):
    dossier = changes_requested(agent, officer)
    assert inbox_of(client, agent) == [
        f"The officer asked for changes to a file you filed #{dossier.pk}"
    ]
    assert inbox_of(client, officer) == []
    client.force_login(agent)
    item = InboxItem.objects.get(recipient=agent, resolved_at__isnull=True)
    assert client.get(f"/inbox/{item.pk}/")["Location"] == f"/desk/dossiers/{dossier.pk}/"


def test_a_file_sent_back_after_changes_returns_to_the_officers_and_leaves_the_agent(
    client, agent, officer
):
    dossier = changes_requested(agent, officer)
    services.submit(actor=agent, dossier=dossier)
    assert inbox_of(client, officer) == [
        f"A file came back after the changes you asked for #{dossier.pk}"
    ]
    assert inbox_of(client, agent) == []


def test_a_withdrawn_file_leaves_the_inbox(client, agent, officer):
    dossier = submitted_dossier(agent)
    services.withdraw(actor=agent, dossier=dossier)
    assert inbox_of(client, officer) == []


# --- Scope ---------------------------------------------------------------------------------


def test_a_file_moved_to_another_province_leaves_the_inbox_of_those_who_no_longer_cover_it(
    client, agent, officer
):
    agadir = officer_of("09.001", username="agadir")
    dossier = changes_requested(agent, officer)
    services.update_dossier(
        actor=agent, dossier=dossier, craft_data=craft_data(workplace_commune=AGADIR_CITY)
    )
    assert InboxItem.objects.get(recipient=agent).province_code == "09.001"
    # The agent covers the whole region: Agadir too.
    assert len(inbox_of(client, agent)) == 1
    services.submit(actor=agent, dossier=dossier)
    assert inbox_of(client, officer) == []
    assert len(inbox_of(client, agadir)) == 1


def test_an_officer_moved_to_another_province_no_longer_sees_the_items_of_the_old_one(
    client, agent, officer
):
    from tests.factories import province

    submitted_dossier(agent)
    officer.scope_province = province("09.001")
    officer.save()
    assert inbox_of(client, officer) == []


def test_artisans_have_no_inbox(client, agent, officer):
    from tests.factories import artisan_account

    client.force_login(artisan_account())
    assert client.get("/inbox/").status_code == 403


def test_an_item_of_someone_else_is_not_found(client, agent, officer):
    submitted_dossier(agent)
    item = InboxItem.objects.get(recipient=officer)
    client.force_login(officer_of("09.581", username="other"))
    assert client.get(f"/inbox/{item.pk}/").status_code == 404


# --- Cards, CNSS, imports --------------------------------------------------------------------


def test_cards_issued_in_a_province_wait_in_its_printers_inboxes_until_printed(
    client, agent, officer, settings, run_jobs
):
    from hirfa.cards import services as cards
    from hirfa.cards.models import Card

    use_test_signing_key(settings)
    settings.CARD_ISSUE_BATCH_SECONDS = 0
    with TestCase.captureOnCommitCallbacks(execute=True):
        approved_dossier(agent=agent, officer=officer)
    run_jobs()
    assert inbox_of(client, agent) == ["New professional cards are ready to print 09.581"]
    item = InboxItem.objects.get(recipient=officer, resolved_at__isnull=True)
    assert item.url == "/cards/print/?province=09.581"
    cards.mark_printed(actor=officer, card=Card.objects.get())
    assert inbox_of(client, agent) == []
    assert inbox_of(client, officer) == []


def test_a_finished_import_is_told_to_whoever_started_it_and_done_once_opened(client, agent):
    run = ImportRun.objects.create(
        file_name="chambre.csv",
        file_sha256="0" * 64,
        file_format="csv",
        language="ar",
        actor=agent,
        status=ImportRun.Status.DONE,
    )
    run_ended(run)
    assert inbox_of(client, agent) == ["An import you started has finished chambre.csv"]
    client.get(f"/inbox/{InboxItem.objects.get().pk}/")
    assert inbox_of(client, agent) == []


# --- The menu and the page's cost ------------------------------------------------------------


def test_the_menu_shows_how_many_things_wait(client, agent, officer):
    submitted_dossier(agent)
    submitted_dossier(agent, cnie="AB654321", phone="0611111111")
    client.force_login(officer)
    assert "Inbox (2)" in client.get("/my-work/").content.decode()


def test_the_inbox_page_takes_a_fixed_number_of_queries_whatever_its_items(
    client, agent, officer, django_assert_num_queries
):
    submitted_dossier(agent)
    client.force_login(officer)
    client.get("/inbox/")
    # session, user, the count and the page of items, the digest setting, the menu's count
    with django_assert_num_queries(6):
        client.get("/inbox/")
    for number in range(2, 12):
        submitted_dossier(agent, cnie=f"AB65432{number % 10}", phone=f"06111111{number:02}")
    with django_assert_num_queries(6):
        response = client.get("/inbox/")
    assert len(response.context["page"]) == 11


def test_the_count_in_the_menu_costs_one_query(client, officer):
    client.force_login(officer)
    client.get("/crafts/")
    with CaptureQueriesContext(connection) as page:
        client.get("/crafts/")
    assert sum("notifications_inboxitem" in q["sql"] for q in page.captured_queries) == 1


# --- The daily e-mail ----------------------------------------------------------------------------


def emails():
    return [m for m in backends.outbox if m.channel == "email"]


def test_the_daily_e_mail_goes_to_those_who_asked_for_it_with_what_waits(agent, officer):
    officer.email = "officer@example.ma"
    officer.save()
    set_digest(user=officer, on=True)
    dossier = submitted_dossier(agent)
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert send_digests(site_url="https://hirfa.ma") == 1
    (mail,) = [n for n in officer.notifications.all() if n.event == "inbox.digest"]
    assert f"https://hirfa.ma/review/{dossier.pk}/" in mail.body
    assert mail.channel == "email"


def test_no_e_mail_when_nothing_new_arrived_since_the_last(agent, officer):
    officer.email = "officer@example.ma"
    officer.save()
    set_digest(user=officer, on=True)
    submitted_dossier(agent)
    send_digests(site_url="https://hirfa.ma")
    assert send_digests(site_url="https://hirfa.ma") == 0


def test_no_e_mail_to_those_who_did_not_ask(agent, officer):
    officer.email = "officer@example.ma"
    officer.save()
    submitted_dossier(agent)
    assert send_digests(site_url="https://hirfa.ma") == 0


def test_the_setting_is_turned_on_and_off_on_the_inbox_page(client, officer):
    client.force_login(officer)
    client.post("/inbox/digest", {"digest": "on"})
    assert client.get("/inbox/").context["digest"] is True
    client.post("/inbox/digest", {})
    assert client.get("/inbox/").context["digest"] is False


def test_the_national_staff_have_an_inbox_too(client):
    client.force_login(national(Role.AUDITOR, username="auditor"))
    assert client.get("/inbox/").status_code == 200


def test_the_daily_command_e_mails_the_subscribers(agent, officer, capsys):
    from django.core.management import call_command

    officer.email = "officer@example.ma"
    officer.save()
    set_digest(user=officer, on=True)
    submitted_dossier(agent)
    call_command("send_inbox_digests")
    assert "1 digests queued" in capsys.readouterr().out


def test_the_e_mail_leaves_out_what_moved_out_of_the_reader_s_scope(agent, officer):
    from tests.factories import province

    officer.email = "officer@example.ma"
    officer.save()
    set_digest(user=officer, on=True)
    submitted_dossier(agent)
    officer.scope_province = province("09.001")
    officer.save()
    assert send_digests(site_url="https://hirfa.ma") == 0
