"""Staff pages of the funnel: one event's, and events (a chamber's, a kind's) side by side."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from hirfa.accounts.roles import Capability, has_capability
from hirfa.outreach import figures, selectors
from hirfa.outreach.models import Event

PAGE_SIZE = 25


def _require_staff(user):
    if not has_capability(user, Capability.VIEW_WORKSPACE):
        raise PermissionDenied


@login_required
@require_GET
def event_funnel(request, pk):
    _require_staff(request.user)
    event = selectors.event_for(request.user, pk)
    result = selectors.event_funnel(event)
    return render(
        request,
        "outreach/staff/funnel_event.html",
        {
            "event": event,
            "steps": figures.steps_table(result, key="funnel", title=_("The event's funnel")),
            "splits": figures.split_tables(result, key="funnel"),
        },
    )


@login_required
@require_GET
def compare(request):
    _require_staff(request.user)
    organiser = selectors.organiser_for(request.user, request.GET.get("organiser"))
    kind = request.GET.get("kind", "")
    kind = kind if kind in Event.Kind.values else ""
    events = selectors.compared_events(request.user, organiser=organiser, kind=kind)
    counts = selectors.funnels_by_event(events)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    kinds = dict(events.values_list("pk", "kind"))
    title = (
        _("Funnel of the events of %(organiser)s") % {"organiser": organiser.name}
        if organiser
        else _("Funnel of the events shown")
    )
    return render(
        request,
        "outreach/staff/funnel_compare.html",
        {
            "page": page,
            "total": figures.steps_table(
                selectors.funnel_of(events), key="funnel-total", title=title
            ),
            "kinds": figures.kinds_table(kinds, counts),
            "events": figures.events_table(page.object_list, counts),
            "event_links": page.object_list,
            "organisers": selectors.organisers_for(request.user),
            "organiser": organiser,
            "kind_choices": Event.Kind.choices,
            "kind": kind,
        },
    )
