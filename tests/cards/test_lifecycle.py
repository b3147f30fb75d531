"""Cards follow their registration: issue, reissue, suspension, striking-off, reinstatement."""

import io

import pytest
from django.core.management import call_command

from hirfa.audit.models import AuditEntry
from hirfa.cards import keys, qr, services
from hirfa.cards.models import Card
from hirfa.cards.verification import verify_text
from hirfa.core.errors import Conflict, DomainError, Forbidden
from hirfa.imports import services as imports
from hirfa.register import services as register
from hirfa.register.models import Dossier, Registration
from tests.factories import agent_of, issued_card, national
from tests.imports.helpers import activity_codes, row, write_csv

pytestmark = pytest.mark.django_db


def test_approving_a_registration_queues_a_card_that_the_job_issues(run_jobs, officer, agent):
    card = issued_card(run_jobs, officer=officer, agent=agent)
    assert (card.version, card.status, card.issue_reason) == (1, "current", "approved")
    signed = qr.decode_card(card.qr_text, keys.public_key)
    registration = card.registration
    assert signed.card.number == registration.number
    assert signed.card.name_latin == "Fadma AIT LAHCEN"
    assert signed.card.province == "09.581"
    assert card.print_state == Card.PrintState.TO_PRINT
    assert AuditEntry.objects.filter(action="card.issued", object_id=str(card.pk)).exists()


def test_the_card_expires_at_the_end_of_the_registration_s_last_day(run_jobs):
    card = issued_card(run_jobs)
    local = card.expires_at.astimezone(services.CARD_TIME_ZONE)
    assert local.date() == card.registration.valid_until
    assert (local.hour, local.minute, local.second) == (23, 59, 59)


def test_running_the_job_again_issues_no_second_card(run_jobs, officer, agent):
    from hirfa.cards.jobs import issue_card

    card = issued_card(run_jobs, officer=officer, agent=agent)
    dossier = Dossier.objects.get(registration=card.registration)
    issue_card.enqueue(card.registration_id, "approved", f"dossier:{dossier.pk}")
    run_jobs()
    assert card.registration.cards.count() == 1


def test_suspension_suspends_the_card_and_reinstatement_issues_a_new_version(
    run_jobs, officer, agent
):
    card = issued_card(run_jobs, officer=officer, agent=agent)
    registration = card.registration
    register.suspend(officer=officer, registration=registration, reason="Contrôle", until=None)
    card.refresh_from_db()
    assert card.status == Card.Status.SUSPENDED
    assert verify_text(card.qr_text).verdict == qr.Verdict.SUSPENDED

    register.reinstate(officer=officer, registration=registration, reason="Contrôle levé")
    run_jobs()
    card.refresh_from_db()
    assert (card.status, card.revocation_reason) == ("revoked", "replaced")
    new = registration.cards.get(status=Card.Status.CURRENT)
    assert (new.version, new.issue_reason) == (2, "reinstated")
    assert verify_text(card.qr_text).verdict == qr.Verdict.REVOKED
    assert verify_text(new.qr_text).verdict == qr.Verdict.VALID


def test_striking_off_revokes_the_card_in_the_same_transaction(run_jobs, officer, agent):
    card = issued_card(run_jobs, officer=officer, agent=agent)
    register.strike_off(officer=officer, registration=card.registration, reason="Cessation")
    card.refresh_from_db()
    assert (card.status, card.revocation_reason) == ("revoked", "struck_off")
    assert verify_text(card.qr_text).verdict == qr.Verdict.REVOKED


def test_a_registration_suspended_before_the_job_runs_gets_no_card(
    run_jobs, officer, agent, django_capture_on_commit_callbacks
):
    from tests.factories import submitted_dossier

    with django_capture_on_commit_callbacks(execute=True):
        dossier = register.approve(officer=officer, dossier=submitted_dossier(agent))
    registration = Registration.objects.get(pk=dossier.registration_id)
    register.suspend(officer=officer, registration=registration, reason="Contrôle", until=None)
    run_jobs()
    assert not registration.cards.exists()


def test_approving_a_modification_reissues_the_card(run_jobs, officer, agent):
    from hirfa.crafts.models import Activity
    from hirfa.register import selectors
    from tests.factories import craft_data, png_upload

    card = issued_card(run_jobs, officer=officer, agent=agent)
    other = Activity.objects.filter(is_active=True).order_by("code")[5]
    dossier = register.request_modification(
        actor=agent,
        registration=card.registration,
        craft_data=craft_data(principal_activity=other.code, secondary_activities=[]),
    )
    for requirement in selectors.required_documents(dossier.category):
        register.attach_document(
            actor=agent, dossier=dossier, kind=requirement.code, uploaded=png_upload()
        )
    register.submit(actor=agent, dossier=dossier)
    register.approve(officer=officer, dossier=Dossier.objects.get(pk=dossier.pk))
    run_jobs()
    card.refresh_from_db()
    assert (card.status, card.revocation_reason) == ("revoked", "data_changed")
    new = card.registration.cards.get(status=Card.Status.CURRENT)
    assert (new.version, new.issue_reason) == (2, "data_changed")
    assert qr.decode_card(new.qr_text, keys.public_key).card.activity == other.code


def test_an_agent_reissues_a_lost_card_and_the_old_one_reads_revoked(run_jobs, agent):
    card = issued_card(run_jobs, agent=agent)
    new = services.reissue(actor=agent, registration=card.registration, reason="lost", note="Vol")
    card.refresh_from_db()
    assert (card.status, card.revocation_reason, card.revocation_note) == ("revoked", "lost", "Vol")
    assert (new.version, new.status, new.issue_reason) == (2, "current", "lost")
    assert verify_text(card.qr_text).verdict == qr.Verdict.REVOKED


def test_reissue_needs_a_known_reason_and_a_card_manager(run_jobs, agent):
    card = issued_card(run_jobs, agent=agent)
    with pytest.raises(DomainError):
        services.reissue(actor=agent, registration=card.registration, reason="bored")
    with pytest.raises(Forbidden):
        services.reissue(actor=national("auditor"), registration=card.registration, reason="lost")


def test_an_agent_of_another_region_cannot_reissue(run_jobs):
    from hirfa.core.errors import NotFound

    card = issued_card(run_jobs)
    with pytest.raises(NotFound):
        services.reissue(actor=agent_of("01"), registration=card.registration, reason="lost")


def test_printing_then_reprinting_counts_reprints_and_keeps_reasons(run_jobs, agent):
    card = issued_card(run_jobs, agent=agent)
    services.mark_printed(actor=agent, card=card)
    with pytest.raises(DomainError):
        services.mark_printed(actor=agent, card=card)
    card = services.mark_printed(actor=agent, card=card, reason="Ribbon ran out")
    assert (card.print_state, card.print_count) == ("printed", 2)
    assert [(p.reprint, p.reason) for p in card.prints.all()] == [
        (False, ""),
        (True, "Ribbon ran out"),
    ]


def test_handing_over_needs_a_printed_card_and_an_acknowledgement(run_jobs, agent):
    card = issued_card(run_jobs, agent=agent)
    with pytest.raises(Conflict):
        services.hand_over(actor=agent, card=card, received_by="Fadma", acknowledged=True)
    services.mark_printed(actor=agent, card=card)
    with pytest.raises(DomainError):
        services.hand_over(actor=agent, card=card, received_by="Fadma", acknowledged=False)
    card = services.hand_over(actor=agent, card=card, received_by="Fadma", acknowledged=True)
    assert (card.print_state, card.received_by, card.handed_over_by) == (
        "handed_over",
        "Fadma",
        agent,
    )


def test_a_revoked_card_cannot_be_printed(run_jobs, agent):
    card = issued_card(run_jobs, agent=agent)
    services.reissue(actor=agent, registration=card.registration, reason="damaged")
    with pytest.raises(Conflict):
        services.mark_printed(actor=agent, card=card)


def test_a_cooperative_gets_a_card_in_its_own_names(
    run_jobs, officer, agent, django_capture_on_commit_callbacks
):
    from hirfa.register import selectors
    from tests.factories import craft_data, png_upload

    member = issued_card(run_jobs, officer=officer, agent=agent).registration
    dossier = register.file_entity(
        agent=agent,
        entity_data={
            "name_ar": "تعاونية الأمل",
            "name_fr": "Coopérative Al Amal",
            "ice": "001234567000089",
            "address": "1 Avenue Hassan II",
            "commune": "09.581.01.07",
            "members": [member.number],
        },
        craft_data=craft_data(category="cooperative", secondary_activities=[]),
        consent=True,
    )
    for requirement in selectors.required_documents(dossier.category):
        register.attach_document(
            actor=agent, dossier=dossier, kind=requirement.code, uploaded=png_upload()
        )
    register.submit(actor=agent, dossier=dossier)
    with django_capture_on_commit_callbacks(execute=True):
        dossier = register.approve(officer=officer, dossier=Dossier.objects.get(pk=dossier.pk))
    run_jobs()
    card = Card.objects.get(registration_id=dossier.registration_id)
    claims = qr.decode_card(card.qr_text, keys.public_key).card
    assert (claims.name_ar, claims.name_latin, claims.category) == (
        "تعاونية الأمل",
        "Coopérative Al Amal",
        "cooperative",
    )


def test_no_valid_key_means_no_card_and_a_clear_error(settings, run_jobs, agent):
    card = issued_card(run_jobs, agent=agent)
    settings.CARD_SIGNING_KEYS_DIR = settings.VAR_DIR / "no-keys"
    with pytest.raises(keys.NoSigningKey):
        services.reissue(actor=agent, registration=card.registration, reason="lost")


def test_approvals_in_one_window_share_one_batch_job(
    settings, run_jobs, officer, agent, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from tests.factories import submitted_dossier

    settings.CARD_ISSUE_BATCH_SECONDS = 60
    services.FIRST_CARDS.reopen()
    for index in range(3):
        dossier = submitted_dossier(agent, cnie=f"JK77000{index}", phone=f"061234560{index}")
        with django_capture_on_commit_callbacks(execute=True):
            register.approve(officer=officer, dossier=dossier)
    queued = DBTaskResult.objects.filter(task_path__endswith="issue_first_cards")
    assert queued.count() == 1
    assert queued.get().run_after is not None
    services.FIRST_CARDS.reopen()
    assert services.issue_first_cards() == 3


def test_imported_artisans_get_their_first_cards_from_the_batch_the_import_asks_for(
    tmp_path, run_jobs, django_capture_on_commit_callbacks
):

    codes = activity_codes()
    path = write_csv(tmp_path / "list.csv", [row(i, codes) for i in range(2)])
    with django_capture_on_commit_callbacks(execute=True):
        imports.import_file(path)
    run_jobs()
    imported = Registration.objects.filter(person__cnie__startswith="JT")
    assert imported.count() == 2
    for registration in imported:
        assert registration.cards.get().status == Card.Status.CURRENT


def test_the_daily_command_issues_the_first_cards_no_batch_issued(tmp_path):

    codes = activity_codes()
    # The import's request for a batch is never run: as if its process had died.
    imports.import_file(write_csv(tmp_path / "list.csv", [row(i, codes) for i in range(3)]))
    assert not Card.objects.filter(registration__person__cnie__startswith="JT").exists()
    out = io.StringIO()
    call_command("issue_cards", stdout=out)
    assert Card.objects.filter(registration__person__cnie__startswith="JT").count() == 3
    assert "3" in out.getvalue()
    call_command("issue_cards", stdout=out)
    assert Card.objects.filter(registration__person__cnie__startswith="JT").count() == 3


def test_the_daily_command_without_a_valid_key_says_how_to_make_one(tmp_path, settings):
    from django.core.management.base import CommandError

    codes = activity_codes()
    imports.import_file(write_csv(tmp_path / "list.csv", [row(0, codes)]))
    settings.CARD_SIGNING_KEYS_DIR = settings.VAR_DIR / "no-keys"
    with pytest.raises(CommandError, match="create_signing_key"):
        call_command("issue_cards", stdout=io.StringIO())
    assert not Card.objects.exists()
