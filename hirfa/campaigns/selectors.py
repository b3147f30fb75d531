"""Reads of campaigns: the territory's campaigns, a segment and its count, the recipients and
the delivery log. Territorial scope is applied here and in `segments`, nowhere else."""

from django.conf import settings
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from hirfa.accounts.selectors import Scope, scope_of
from hirfa.campaigns import policy, segments, sms, texts
from hirfa.campaigns.models import Campaign, Recipient
from hirfa.core.errors import NotFound
from hirfa.core.tables import Table
from hirfa.outreach import figures, funnel
from hirfa.outreach.models import Attendee
from hirfa.outreach.selectors import events_for

PERSON_FIELDS = (
    "pk",
    "phone",
    "email",
    "user_id",
    "first_name_ar",
    "last_name_ar",
    "first_name_latin",
    "last_name_latin",
    "first_name_zgh",
    "last_name_zgh",
)


def campaigns_for(user) -> QuerySet[Campaign]:
    """The campaigns of the user's territory, newest first (chamber agents only)."""
    if not policy.may_use_campaigns(user):
        return Campaign.objects.none()
    campaigns = Campaign.objects.select_related("region", "province", "event")
    scope = scope_of(user)
    if scope.national:
        return campaigns
    if scope.province_id:
        return campaigns.filter(province_id=scope.province_id)
    return campaigns.filter(region_id=scope.region_id)


def campaign_for(user, pk) -> Campaign:
    try:
        return campaigns_for(user).get(pk=int(pk))
    except (Campaign.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def scope_of_campaign(campaign: Campaign) -> Scope:
    """The territory a campaign reaches: its author's when it was created."""
    if campaign.province_id:
        return Scope(province_id=campaign.province_id)
    if campaign.region_id:
        return Scope(region_id=campaign.region_id)
    return Scope(national=True)


def criteria_for(user, raw: dict) -> segments.Criteria:
    """`raw` criteria checked against the user's territory and events."""
    return segments.clean(raw, scope_of(user), events=events_for(user))


def segment_of(campaign: Campaign):
    """The persons the campaign would reach now (its stored criteria, its territory)."""
    criteria = segments.Criteria(**campaign.criteria)
    return segments.persons(
        criteria, scope_of_campaign(campaign), channel=campaign.channel, now=timezone.now()
    )


def segment_count(user, criteria: segments.Criteria, channel: str) -> int:
    """How many persons `criteria` select for the user, in one COUNT query."""
    return segments.persons(criteria, scope_of(user), channel=channel, now=timezone.now()).count()


def language_of_person() -> Subquery:
    """The language a person last chose at an event's sign-up ("" when none)."""
    return Subquery(
        Attendee.objects.filter(person=OuterRef("pk"))
        .order_by("-signed_up_at", "-id")
        .values("language")[:1]
    )


def recipient_language(chosen: str | None) -> str:
    return chosen if chosen in texts.LANGUAGES else settings.LANGUAGE_CODE


def text_for(campaign: Campaign, language: str) -> str:
    """The campaign's text in `language`, else in the default language."""
    messages = campaign.messages or {}
    return messages.get(language) or messages.get(settings.LANGUAGE_CODE, "")


def preview(campaign: Campaign, *, sample: int = 200) -> list[dict]:
    """One rendered message per language found among the first recipients, with its length."""
    rows = (
        segment_of(campaign)
        .annotate(chosen=language_of_person())
        .order_by("pk")
        .values(*PERSON_FIELDS, "chosen")[:sample]
    )
    found = {}
    for row in rows:
        language = recipient_language(row["chosen"])
        found.setdefault(language, row)
    shown = []
    for language in texts.LANGUAGES:
        if language not in found:
            continue
        row = found[language]
        values = texts.event_values(campaign, language) | {"name": texts.name_in(language, row)}
        body = texts.fill(text_for(campaign, language), values)
        shown.append(
            {"language": language, "body": body, "length": sms.measure(body), "person": row}
        )
    return shown


def recipient_person_ids(campaign: Campaign) -> QuerySet:
    """The ids of the persons the campaign was sent to (for its funnel)."""
    return Recipient.objects.filter(campaign=campaign).values_list("person_id", flat=True)


def funnel_table(campaign: Campaign) -> Table | None:
    """What became of the campaign's recipients since it was launched: the outreach funnel
    (docs/outreach.md) of the persons it was sent to; None before it is launched."""
    if campaign.launched_at is None:
        return None
    result = funnel.funnel(
        persons=recipient_person_ids(campaign), since=campaign.launched_at, splits=()
    )
    return figures.steps_table(result, key="campaign-funnel", title=_("The campaign's funnel"))


def delivery_log(campaign: Campaign) -> QuerySet[Recipient]:
    """The campaign's messages, each with what the gateway said of it, in sending order."""
    return (
        Recipient.objects.filter(campaign=campaign)
        .select_related("notification")
        .only(
            "id",
            "language",
            "person_id",
            "notification__address",
            "notification__status",
            "notification__delivery_status",
            "notification__sent_at",
            "notification__error",
            "notification__attempts",
        )
        .order_by("id")
    )


def delivery_counts(campaign: Campaign) -> dict[str, dict[str, int]]:
    """Messages per sending status ("sending") and per gateway report ("delivery")."""
    counts = {"sending": {}, "delivery": {}}
    rows = (
        Recipient.objects.filter(campaign=campaign)
        .values("notification__status", "notification__delivery_status")
        .annotate(n=Count("id"))
    )
    for row in rows:
        for kind, key in (
            ("sending", "notification__status"),
            ("delivery", "notification__delivery_status"),
        ):
            name = row[key] or ""
            if name:
                counts[kind][name] = counts[kind].get(name, 0) + row["n"]
    return counts
