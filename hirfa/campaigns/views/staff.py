"""Staff pages of campaigns: the territory's campaigns, a new one with its segment's live
count, a campaign's page (segment, preview in each language, delivery log) and its actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hirfa.accounts.selectors import provinces_for
from hirfa.campaigns import policy, selectors, services
from hirfa.campaigns.forms import CampaignForm, SegmentForm
from hirfa.campaigns.models import Campaign
from hirfa.core.errors import DomainError
from hirfa.core.forms import show_domain_error
from hirfa.notifications.models import Channel
from hirfa.outreach.selectors import events_for

LOG_PAGE = 50


def _require(user):
    if not policy.may_use_campaigns(user):
        raise PermissionDenied


def _form(request, form_class, **kwargs):
    return form_class(
        request.POST if request.method == "POST" else None,
        provinces=provinces_for(request.user),
        events=events_for(request.user).order_by("-starts_at", "-id")[:100],
        **kwargs,
    )


@login_required
@require_GET
def campaign_list(request):
    _require(request.user)
    campaigns = selectors.campaigns_for(request.user)
    state = request.GET.get("state")
    if state in Campaign.State.values:
        campaigns = campaigns.filter(state=state)
    page = Paginator(campaigns, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "campaigns/list.html",
        {"page": page, "states": Campaign.State.choices, "state": state},
    )


@login_required
@require_GET
def count(request):
    """The live count of the segment the form describes (an htmx fragment)."""
    _require(request.user)
    form = SegmentForm(
        request.GET,
        provinces=provinces_for(request.user),
        events=events_for(request.user),
    )
    context, status = {"count": None, "error": None}, 200
    if form.is_valid():
        try:
            criteria = selectors.criteria_for(request.user, form.criteria())
        except DomainError as error:
            context["error"], status = error.message, error.status
        else:
            channel = form.cleaned_data["channel"] or Channel.SMS
            context["count"] = selectors.segment_count(request.user, criteria, channel)
    else:
        context["error"], status = _("Check the criteria."), 400
    # htmx swaps 2xx answers only: a refusal is said in the fragment itself.
    return render(request, "campaigns/_count.html", context | {"refused": status != 200})


def _save(request, form, campaign=None):
    data = form.campaign_data()
    if campaign is None:
        return services.create_campaign(actor=request.user, data=data)
    return services.update_campaign(actor=request.user, campaign=campaign, data=data)


@login_required
@require_http_methods(["GET", "POST"])
def new_campaign(request):
    _require(request.user)
    form = _form(request, CampaignForm)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                campaign = _save(request, form)
            except DomainError as error:
                show_domain_error(request, form, error)
                status = error.status
            else:
                messages.success(request, _("The campaign is saved as a draft."))
                return redirect("campaigns:detail", pk=campaign.pk)
    return render(request, "campaigns/edit.html", {"form": form}, status=status)


def _initial(campaign: Campaign) -> dict:
    criteria = campaign.criteria or {}
    return {
        **{key: value for key, value in criteria.items() if key != "event"},
        "attended": criteria.get("event"),
        "name": campaign.name,
        "channel": campaign.channel,
        "event": campaign.event,
        "link": campaign.link,
        "subject": campaign.subject,
        "scheduled_for": campaign.scheduled_for,
        **{f"message_{code}": text for code, text in (campaign.messages or {}).items()},
    }


@login_required
@require_http_methods(["GET", "POST"])
def edit_campaign(request, pk):
    campaign = selectors.campaign_for(request.user, pk)
    if not policy.may_manage(request.user, campaign) or not policy.may_edit(campaign):
        raise PermissionDenied
    form = _form(request, CampaignForm, initial=_initial(campaign))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                _save(request, form, campaign)
            except DomainError as error:
                show_domain_error(request, form, error)
                status = error.status
            else:
                messages.success(request, _("The campaign is saved."))
                return redirect("campaigns:detail", pk=campaign.pk)
    context = {"form": form, "campaign": campaign}
    return render(request, "campaigns/edit.html", context, status=status)


@login_required
@require_GET
def detail(request, pk):
    campaign = selectors.campaign_for(request.user, pk)
    may_manage = policy.may_manage(request.user, campaign)
    draft = campaign.state == Campaign.State.DRAFT
    log = Paginator(selectors.delivery_log(campaign), LOG_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "campaigns/detail.html",
        {
            "campaign": campaign,
            "may_edit": may_manage and policy.may_edit(campaign),
            "may_launch": may_manage and draft,
            "may_cancel": may_manage and policy.may_cancel(campaign),
            "count": selectors.segment_of(campaign).count() if draft else None,
            "preview": selectors.preview(campaign) if draft else [],
            "counts": selectors.delivery_counts(campaign),
            "log": log,
            "funnel": selectors.funnel_table(campaign),
        },
    )


def _act(request, pk, action, done_message):
    campaign = selectors.campaign_for(request.user, pk)
    try:
        action(actor=request.user, campaign=campaign)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("campaigns:detail", pk=campaign.pk)
    messages.success(request, done_message)
    return redirect("campaigns:detail", pk=campaign.pk)


@login_required
@require_POST
def launch(request, pk):
    _require(request.user)
    return _act(request, pk, services.launch, _("The campaign is launched."))


@login_required
@require_POST
def cancel(request, pk):
    _require(request.user)
    return _act(request, pk, services.cancel, _("The campaign is cancelled."))
