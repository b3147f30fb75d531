"""Writes of campaigns: create and change a draft, launch it (its messages queued, one job
per batch), cancel it; opt-outs by STOP reply or unsubscribe link (decisions 44, 45)."""

from datetime import datetime
from itertools import islice

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hirfa.accounts.selectors import scope_of
from hirfa.audit.services import record
from hirfa.campaigns import bulk, jobs, policy, selectors, sms, texts
from hirfa.campaigns.models import Campaign, OptOut, Recipient
from hirfa.core.errors import DomainError, Forbidden
from hirfa.notifications.models import Channel, Notification, Status
from hirfa.outreach.selectors import events_for
from hirfa.register.bulk import next_ids
from hirfa.register.models import Person

UNSUBSCRIBE_SALT = "hirfa.campaigns.unsubscribe"


def _refuse(field: str, message) -> DomainError:
    return DomainError(message, fields={field: [message]})


def _audit(actor, action: str, campaign: Campaign, **data) -> None:
    record(
        actor=actor,
        action=action,
        obj=campaign,
        province_code=campaign.province.code if campaign.province_id else None,
        data=data or None,
    )


def _clean(actor, data: dict) -> dict:
    """The campaign's fields checked; DomainError naming the field otherwise."""
    name = " ".join(str(data.get("name") or "").split())[:200]
    if not name:
        raise _refuse("name", _("This field is required."))
    channel = data.get("channel") or Channel.SMS
    if channel not in Channel.values:
        raise _refuse("channel", _("Choose SMS or e-mail."))
    criteria = selectors.criteria_for(actor, data.get("criteria") or {})
    event = data.get("event")
    if event is not None and not events_for(actor).filter(pk=event.pk).exists():
        raise _refuse("event", _("Choose an event of your territory."))
    link = str(data.get("link") or "").strip()
    messages = {
        language: str((data.get("messages") or {}).get(language) or "").strip()
        for language in texts.LANGUAGES
    }
    messages = {language: text for language, text in messages.items() if text}
    if settings.LANGUAGE_CODE not in messages:
        field = f"message_{settings.LANGUAGE_CODE}"
        raise _refuse(field, _("Write the message in Arabic at least."))
    probe = Campaign(event=event, link=link)
    for language, text in messages.items():
        field = f"message_{language}"
        texts.check_placeholders(text, field=field, event=event, link=link)
        if channel == Channel.SMS:
            values = texts.event_values(probe, language)
            texts.check_length(text, field=field, values=values, language=language)
    subject = " ".join(str(data.get("subject") or "").split())[:200]
    if channel == Channel.EMAIL and not subject:
        raise _refuse("subject", _("An e-mail needs a subject."))
    return {
        "name": name,
        "channel": channel,
        "criteria": criteria.as_json(),
        "event": event,
        "link": link,
        "messages": messages,
        "subject": subject,
        "scheduled_for": data.get("scheduled_for"),
    }


@transaction.atomic
def create_campaign(*, actor, data: dict) -> Campaign:
    """A draft campaign of the actor's territory."""
    if not policy.may_use_campaigns(actor):
        raise Forbidden()
    clean = _clean(actor, data)
    scope = scope_of(actor)
    province = actor.scope_province if scope.province_id else None
    region = province.region if province else (actor.scope_region if scope.region_id else None)
    campaign = Campaign.objects.create(**clean, region=region, province=province, created_by=actor)
    _audit(actor, "campaign.created", campaign, channel=campaign.channel)
    return campaign


def _lock(actor, campaign: Campaign) -> Campaign:
    if not policy.may_manage(actor, campaign):
        raise Forbidden()
    return (
        Campaign.objects.select_for_update(of=("self",))
        .select_related("event", "province")
        .get(pk=campaign.pk)
    )


@transaction.atomic
def update_campaign(*, actor, campaign: Campaign, data: dict) -> Campaign:
    campaign = _lock(actor, campaign)
    if not policy.may_edit(campaign):
        raise DomainError(_("This campaign can no longer be changed."), status=409)
    for name, value in _clean(actor, data).items():
        setattr(campaign, name, value)
    campaign.save()
    _audit(actor, "campaign.changed", campaign)
    return campaign


def unsubscribe_token(person_id: int, campaign_id: int | None = None) -> str:
    return signing.dumps([person_id, campaign_id], salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_link(person_id: int, campaign_id: int | None = None) -> str:
    path = reverse(
        "campaigns:unsubscribe", kwargs={"token": unsubscribe_token(person_id, campaign_id)}
    )
    return settings.PUBLIC_URL.rstrip("/") + path


def _footer(language: str, person_id: int, campaign_id: int) -> str:
    with translation.override(language):
        return "\n\n" + gettext("To receive no more of these messages: %(link)s") % {
            "link": unsubscribe_link(person_id, campaign_id)
        }


def _queue(campaign: Campaign, now: datetime) -> list[tuple[int, int]]:
    """Create the messages of every recipient, in chunks; return the batches (first and last
    recipient id of each), in the order of the persons' ids."""
    size = settings.CAMPAIGN_BATCH_SIZE
    values = {language: texts.event_values(campaign, language) for language in texts.LANGUAGES}
    templates = {language: selectors.text_for(campaign, language) for language in texts.LANGUAGES}
    limit = settings.CAMPAIGN_MAX_SMS_SEGMENTS
    people = (
        selectors.segment_of(campaign)
        .annotate(chosen=selectors.language_of_person())
        .order_by("pk")
        .values_list(*selectors.PERSON_FIELDS, "chosen")
    )
    channel, subject = campaign.channel, campaign.subject
    event_name, batches = campaign.notification_event, []
    # One query read as it goes (a server-side cursor on PostgreSQL): a query per chunk would
    # make the database select the whole segment again for each one.
    stream = people.iterator(chunk_size=size)
    fields = (*selectors.PERSON_FIELDS, "chosen")
    while True:
        rows = [dict(zip(fields, row, strict=True)) for row in islice(stream, size)]
        if not rows:
            return batches
        notification_ids = next_ids(Notification, len(rows))
        recipient_ids = next_ids(Recipient, len(rows))
        notifications, recipients = [], []
        for row, notification_id, recipient_id in zip(
            rows, notification_ids, recipient_ids, strict=True
        ):
            language = selectors.recipient_language(row["chosen"])
            body = texts.fill(
                templates[language], values[language] | {"name": texts.name_in(language, row)}
            )
            status, error = Status.QUEUED, ""
            if channel == Channel.SMS:
                address = row["phone"]
                if sms.measure(body).segments > limit:
                    status, error = Status.REFUSED, "longer than CAMPAIGN_MAX_SMS_SEGMENTS"
            else:
                address = row["email"]
                body += _footer(language, row["pk"], campaign.pk)
            notifications.append(
                (
                    notification_id,
                    row["user_id"],
                    channel,
                    address,
                    subject,
                    body,
                    language,
                    event_name,
                    status,
                    0,
                    now,
                    error,
                    "",
                    "",
                )
            )
            recipients.append((recipient_id, campaign.pk, row["pk"], language, notification_id))
        bulk.insert(notifications, recipients)
        batches.append((recipient_ids[0], recipient_ids[-1]))


@transaction.atomic
def launch(*, actor, campaign: Campaign, now: datetime | None = None) -> Campaign:
    """Queue the campaign's messages to its segment as it stands now; they leave at its
    scheduled time (or now), SMS never in the quiet hours. An empty segment is refused."""
    campaign = _lock(actor, campaign)
    if campaign.state != Campaign.State.DRAFT:
        raise DomainError(_("This campaign has already been launched."), status=409)
    _clean(actor, _as_data(campaign))
    now = now or timezone.now()
    wanted = max(campaign.scheduled_for or now, now)
    start = policy.next_sending_time(wanted, campaign.channel)
    batches = _queue(campaign, now)
    if not batches:
        raise DomainError(
            _("Nobody is in this segment (or nobody there accepts messages): nothing is sent."),
            status=409,
            code="empty_segment",
        )
    campaign.recipients_count = Recipient.objects.filter(campaign=campaign).count()
    campaign.batches_total = len(batches)
    campaign.launched_at = now
    campaign.scheduled_for = start
    campaign.state = Campaign.State.SCHEDULED if start > now else Campaign.State.SENDING
    campaign.save()
    _audit(
        actor,
        f"campaign.{campaign.state}",
        campaign,
        recipients=campaign.recipients_count,
        at=start,
    )
    run_after = start if start > now else None

    def enqueue():
        task = jobs.send_batch.using(run_after=run_after) if run_after else jobs.send_batch
        for first, last in batches:
            task.enqueue(campaign.pk, first, last)

    transaction.on_commit(enqueue, robust=True)
    return campaign


def _as_data(campaign: Campaign) -> dict:
    return {
        "name": campaign.name,
        "channel": campaign.channel,
        "criteria": campaign.criteria,
        "event": campaign.event,
        "link": campaign.link,
        "messages": campaign.messages,
        "subject": campaign.subject,
        "scheduled_for": campaign.scheduled_for,
    }


@transaction.atomic
def cancel(*, actor, campaign: Campaign) -> Campaign:
    """Stop a campaign: its messages not yet sent are not sent."""
    campaign = _lock(actor, campaign)
    if not policy.may_cancel(campaign):
        raise DomainError(_("This campaign can no longer be cancelled."), status=409)
    withdrawn = Notification.objects.filter(
        campaign_recipient__campaign=campaign, status__in=(Status.QUEUED, Status.FAILED)
    ).update(status=Status.REFUSED, error="campaign cancelled")
    campaign.state = Campaign.State.CANCELLED
    campaign.cancelled_at = timezone.now()
    campaign.save(update_fields=["state", "cancelled_at"])
    _audit(actor, "campaign.cancelled", campaign, withdrawn=withdrawn)
    return campaign


@transaction.atomic
def opt_out(*, address: str, source: str, person: Person | None = None, campaign=None) -> bool:
    """`address` (and `person`) receive no more campaign messages. True when it is new;
    a second opt-out of the same address changes nothing."""
    address = address.strip()[:254]
    row, created = OptOut.objects.get_or_create(
        address=address, defaults={"person": person, "source": source, "campaign": campaign}
    )
    if not created and person is not None and row.person_id is None:
        row.person = person
        row.save(update_fields=["person"])
    if created:
        record(
            actor=None,
            actor_label=f"system:opt-out-{source}",
            action="campaign.opted_out",
            object_type="person" if person else "address",
            object_id=person.pk if person else None,
            data={"source": source},
        )
    return created


def stop_by_sms(*, phone: str, text: str) -> str:
    """An inbound SMS: "opted_out" for a STOP word (new), "unchanged" when already out,
    "ignored" for anything else."""
    if not policy.is_stop_word(text):
        return "ignored"
    person = Person.objects.filter(phone=phone).order_by("pk").first()
    created = opt_out(address=phone, source=OptOut.Source.STOP, person=person)
    return "opted_out" if created else "unchanged"


def read_unsubscribe_token(token: str) -> tuple[Person, Campaign | None]:
    """The person (and campaign) of a signed link; DomainError when it is not one of ours."""
    try:
        person_id, campaign_id = signing.loads(str(token)[:500], salt=UNSUBSCRIBE_SALT)
        person = Person.objects.get(pk=int(person_id))
    except (signing.BadSignature, ValueError, TypeError, Person.DoesNotExist):
        raise DomainError(_("This link is not valid."), status=404, code="not_found") from None
    campaign = Campaign.objects.filter(pk=campaign_id).first() if campaign_id else None
    return person, campaign


def unsubscribe(*, token: str) -> bool:
    """Opt out the person of a signed link (phone and e-mail). True when it is new."""
    person, campaign = read_unsubscribe_token(token)
    addresses = [person.phone, person.email.lower() if person.email else ""]
    created = False
    for address in (item for item in addresses if item):
        created |= opt_out(
            address=address, source=OptOut.Source.LINK, person=person, campaign=campaign
        )
    if not any(addresses):
        created = opt_out(address=f"person:{person.pk}", source=OptOut.Source.LINK, person=person)
    return created
