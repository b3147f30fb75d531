"""Campaigns: a draft checked (placeholders, SMS length), launched to its segment in each
recipient's language, cancelled; every change through a service, audited."""

import json
from datetime import timedelta

import pytest
from django.test import TestCase
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from hirfa.audit.models import AuditEntry
from hirfa.campaigns import selectors, services, sms
from hirfa.campaigns.models import Campaign, Recipient
from hirfa.core.errors import DomainError, Forbidden
from hirfa.notifications import backends
from hirfa.notifications.models import Notification, Status
from hirfa.outreach.models import Attendee
from tests.factories import agent_of
from tests.outreach.conftest import make_event

pytestmark = pytest.mark.django_db


def test_a_new_campaign_is_a_draft_of_its_authors_region_and_audited(make_campaign):
    campaign = make_campaign()
    assert (campaign.state, campaign.region.code, campaign.province) == ("draft", "09", None)
    assert AuditEntry.objects.filter(action="campaign.created", object_id=str(campaign.pk)).exists()


def test_an_unknown_placeholder_is_refused_with_its_name(make_campaign):
    with pytest.raises(DomainError) as error:
        make_campaign(messages={"ar": "السلام {nom}"})
    assert "{nom}" in str(error.value.fields["message_ar"][0])
    assert not Campaign.objects.exists()


def test_a_placeholder_of_an_event_needs_an_event(make_campaign):
    with pytest.raises(DomainError) as error:
        make_campaign(messages={"ar": "موعدنا {date}"})
    assert "message_ar" in error.value.fields


def test_a_message_over_the_sms_length_is_refused(make_campaign, settings):
    settings.CAMPAIGN_MAX_SMS_SEGMENTS = 1
    with pytest.raises(DomainError) as error:
        make_campaign(messages={"ar": "سجلوا " * 12})
    assert "2" in str(error.value.fields["message_ar"][0])


def test_arabic_counts_as_ucs2_and_french_as_gsm7():
    assert sms.measure("ا" * 70) == sms.Length("UCS-2", 70, 1)
    assert sms.measure("ا" * 71).segments == 2
    assert sms.measure("é" * 160) == sms.Length("GSM-7", 160, 1)
    assert sms.measure("€" * 80) == sms.Length("GSM-7", 160, 1)
    assert sms.measure("x" * 161).segments == 2
    assert sms.measure("ⵣ" * 134).segments == 2


def test_the_arabic_message_is_required(make_campaign):
    with pytest.raises(DomainError) as error:
        make_campaign(messages={"fr": "Bonjour"})
    assert "message_ar" in error.value.fields


def test_an_agent_outside_the_territory_cannot_change_the_campaign(make_campaign):
    campaign = make_campaign()
    with pytest.raises(Forbidden):
        services.update_campaign(actor=agent_of("04", username="rabat"), campaign=campaign, data={})


def test_a_campaign_to_an_empty_segment_is_refused_and_writes_nothing(make_campaign, souss_agent):
    campaign = make_campaign()
    with pytest.raises(DomainError) as error:
        services.launch(actor=souss_agent, campaign=campaign)
    assert error.value.code == "empty_segment"
    campaign.refresh_from_db()
    assert campaign.state == "draft"
    assert not Recipient.objects.exists() and not Notification.objects.exists()


def test_launching_queues_one_message_per_recipient_in_their_language(launched, tiznit_artisans):
    person = tiznit_artisans[1]
    Attendee.objects.create(
        event=make_event(),
        name="Fadma",
        phone=person.phone,
        language="fr",
        person=person,
        status="signed_up",
        source="phone",
        signed_up_at=person.created_at,
    )
    campaign = launched()
    assert (campaign.state, campaign.recipients_count) == ("sending", 3)
    bodies = dict(
        Recipient.objects.filter(campaign=campaign).values_list("language", "notification__body")
    )
    assert bodies["fr"] == "Bonjour Fadma Ait Lahcen, inscrivez-vous à l'AMO : https://hirfa.ma/amo"
    assert bodies["ar"].startswith("السلام فاضمة أيت لحسن")
    assert set(selectors.recipient_person_ids(campaign)) == {p.pk for p in tiznit_artisans}


def test_a_launched_campaign_cannot_be_launched_again(launched, souss_agent, tiznit_artisans):
    campaign = launched()
    with pytest.raises(DomainError) as error:
        services.launch(actor=souss_agent, campaign=campaign)
    assert error.value.status == 409
    assert Recipient.objects.count() == 3


def test_the_messages_are_sent_by_the_batch_jobs_and_the_campaign_ends_sent(
    launched, tiznit_artisans, run_jobs
):
    campaign = launched()
    run_jobs()
    campaign.refresh_from_db()
    assert campaign.state == "sent"
    assert len(backends.outbox) == 3
    sent = Notification.objects.filter(campaign_recipient__campaign=campaign)
    assert set(sent.values_list("status", flat=True)) == {Status.SENT}
    assert AuditEntry.objects.filter(action="campaign.sent").count() == 1


def test_through_the_file_backend_a_batch_is_written_at_once_and_recorded_sent(
    launched, tiznit_artisans, run_jobs, settings, tmp_path, monkeypatch
):
    monkeypatch.setenv("SMS_BACKEND", "file")
    settings.VAR_DIR = tmp_path
    campaign = launched()
    run_jobs()
    lines = (tmp_path / "outbox" / "sms.jsonl").read_text(encoding="utf-8").splitlines()
    sent = Notification.objects.filter(campaign_recipient__campaign=campaign)
    assert sorted(json.loads(line)["id"] for line in lines) == sorted(
        sent.values_list("pk", flat=True)
    )
    assert set(sent.values_list("status", "attempts", "error")) == {(Status.SENT, 1, "")}
    assert sent.filter(sent_at__isnull=True).count() == 0


def test_a_file_that_cannot_be_written_fails_the_whole_batch_to_retry(
    launched, tiznit_artisans, run_jobs, settings, tmp_path, monkeypatch
):
    (tmp_path / "outbox").write_text("a file where the folder should be")
    monkeypatch.setenv("SMS_BACKEND", "file")
    settings.VAR_DIR = tmp_path
    campaign = launched()
    run_jobs()
    failed = Notification.objects.filter(campaign_recipient__campaign=campaign)
    # Each attempt of the job tried the whole batch, and recorded it failed.
    assert len(set(failed.values_list("status", "attempts"))) == 1
    assert failed.first().status == Status.FAILED
    assert all("FileExistsError" in error for error in failed.values_list("error", flat=True))


def test_a_cancelled_campaign_sends_nothing_more(launched, souss_agent, tiznit_artisans, run_jobs):
    campaign = launched()
    services.cancel(actor=souss_agent, campaign=campaign)
    run_jobs()
    assert backends.outbox == []
    withdrawn = Notification.objects.filter(campaign_recipient__campaign=campaign)
    assert set(withdrawn.values_list("status", flat=True)) == {Status.REFUSED}
    campaign.refresh_from_db()
    assert campaign.state == "cancelled"


def test_the_preview_shows_one_message_per_language_found(make_campaign, tiznit_artisans):
    preview = selectors.preview(make_campaign())
    assert [item["language"] for item in preview] == ["ar"]
    assert preview[0]["length"].encoding == "UCS-2"


def test_a_scheduled_campaign_waits_for_its_time(make_campaign, souss_agent, tiznit_artisans):
    campaign = make_campaign(scheduled_for=timezone.now() + timedelta(days=1))
    with TestCase.captureOnCommitCallbacks(execute=True):
        campaign = services.launch(actor=souss_agent, campaign=campaign)
    assert campaign.state == "scheduled"


def test_a_campaign_to_a_place_outside_the_territory_is_refused_and_not_saved(make_campaign):
    with pytest.raises(Forbidden):
        make_campaign(criteria={"province": "04.421"})
    assert not Campaign.objects.exists()


def test_a_launch_in_the_quiet_hours_is_scheduled_for_their_end(
    settings, launched, tiznit_artisans
):
    settings.CAMPAIGN_QUIET_FROM, settings.CAMPAIGN_QUIET_UNTIL = "00:00", "23:59"
    campaign = launched()
    assert campaign.state == "scheduled"
    assert timezone.localtime(campaign.scheduled_for).strftime("%H:%M") == "23:59"
    assert AuditEntry.objects.filter(action="campaign.scheduled").exists()


def test_the_batch_job_moves_a_scheduled_campaign_to_sending_then_sent(
    souss_agent, make_campaign, tiznit_artisans, run_jobs
):
    campaign = make_campaign(scheduled_for=timezone.now() + timedelta(minutes=1))
    with TestCase.captureOnCommitCallbacks(execute=True):
        campaign = services.launch(actor=souss_agent, campaign=campaign)
    DBTaskResult.objects.update(run_after=timezone.now())
    run_jobs()
    campaign.refresh_from_db()
    assert campaign.state == "sent"
    entries = AuditEntry.objects.filter(object_id=str(campaign.pk), action__startswith="campaign.")
    assert list(entries.order_by("id").values_list("action", flat=True)) == [
        "campaign.created",
        "campaign.scheduled",
        "campaign.sending",
        "campaign.sent",
    ]
