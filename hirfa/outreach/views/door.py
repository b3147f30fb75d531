"""At the door, on a phone: check-in by the card's QR (verified as the card verifier does),
number, CNIE or phone; walk-ins with their consent; live counts. And, on the spot, filing
an assisted registration from an attendee, through the register's own filing page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hirfa.core.errors import DomainError
from hirfa.core.forms import show_domain_error
from hirfa.outreach import policy, selectors, services
from hirfa.outreach.forms import CheckInForm, PersonForm
from hirfa.register.views.desk import new_person_filing


def _managed(request, pk):
    event = selectors.event_for(request.user, pk)
    if not policy.may_manage(request.user, event):
        raise PermissionDenied
    return event


def _door(request, event, *, check_form=None, walk_in_form=None, result=None, status=200):
    return render(
        request,
        "outreach/staff/door.html",
        {
            "event": event,
            "open": policy.is_open_at_the_door(event),
            "counts": selectors.counts_of(event),
            "check_form": check_form or CheckInForm(),
            "walk_in_form": walk_in_form or PersonForm(),
            "result": result,
        },
        status=status,
    )


@login_required
@require_GET
def door(request, pk):
    return _door(request, _managed(request, pk))


@login_required
@require_GET
def counts(request, pk):
    """The live figures, polled by the door page."""
    event = _managed(request, pk)
    return render(
        request,
        "outreach/staff/_counts.html",
        {"event": event, "counts": selectors.counts_of(event)},
    )


@login_required
@require_POST
def check_in(request, pk):
    event = _managed(request, pk)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        return _door(request, event, check_form=form, status=400)
    try:
        attendee, new, note = services.check_in_by(
            actor=request.user, event=event, **form.cleaned_data
        )
    except DomainError as error:
        show_domain_error(request, form, error)
        return _door(request, event, check_form=form, status=error.status)
    result = {"attendee": attendee, "new": new, "note": note}
    return _door(request, event, result=result)


@login_required
@require_POST
def walk_in(request, pk):
    event = _managed(request, pk)
    form = PersonForm(request.POST)
    if not form.is_valid():
        return _door(request, event, walk_in_form=form, status=400)
    try:
        attendee, new = services.record_walk_in(
            actor=request.user, event=event, **form.cleaned_data
        )
    except DomainError as error:
        show_domain_error(request, form, error)
        return _door(request, event, walk_in_form=form, status=error.status)
    return _door(request, event, result={"attendee": attendee, "new": new, "note": ""})


def _split_name(name: str) -> tuple[str, str]:
    first, _space, last = name.partition(" ")
    return first, last


@login_required
@require_http_methods(["GET", "POST"])
def file_from_attendee(request, pk, attendee_id):
    """The desk's filing page, pre-filled with what the attendee told us; the file is filed
    through the register's service and its referral to this event recorded with it."""
    event = _managed(request, pk)
    attendee = selectors.attendee_of(event, attendee_id)
    first, last = _split_name(attendee.name)
    latin = attendee.name.isascii()
    initial = {"phone": attendee.phone, "cnie": attendee.cnie, "commune": event.commune.code}
    initial |= (
        {"first_name_latin": first, "last_name_latin": last}
        if latin
        else {"first_name_ar": first, "last_name_ar": last}
    )
    if request.method == "GET":
        messages.info(
            request,
            _("Filing for %(name)s, who came to %(event)s.")
            % {"name": attendee.name, "event": event.name},
        )
    return new_person_filing(
        request,
        person=initial,
        craft={"workplace_commune": event.commune.code},
        consent={"consent": attendee.consent_at is not None},
        file=lambda person_form, craft_form, consent_form: services.file_from_attendee(
            agent=request.user,
            event=event,
            attendee=attendee,
            person_data=person_form.cleaned_data,
            craft_data=craft_form.craft_data(),
            consent=consent_form.cleaned_data["consent"],
        ),
    )
