"""Staff pages of events: the list of the territory's events, a new event, an event's page
(state, sessions, sign-ups, attendees, help given, questions) and its actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hirfa.accounts.roles import Capability, has_capability
from hirfa.accounts.selectors import organisations_for, provinces_for
from hirfa.core.errors import DomainError
from hirfa.core.forms import show_domain_error
from hirfa.outreach import policy, selectors, services
from hirfa.outreach.forms import (
    EventForm,
    NewEventForm,
    PersonForm,
    QuestionForm,
    ReportForm,
    ServiceForm,
    SessionForm,
)
from hirfa.outreach.models import Event
from hirfa.territory.models import Commune

# The order of the buttons on an event's page.
MOVES = (Event.State.PUBLISHED, Event.State.HELD, Event.State.CLOSED, Event.State.CANCELLED)


def _require_staff(user):
    if not has_capability(user, Capability.VIEW_WORKSPACE):
        raise PermissionDenied


def _event_form(request, form_class, **kwargs):
    provinces = provinces_for(request.user)
    return form_class(
        request.POST if request.method == "POST" else None,
        communes=Commune.objects.filter(province__in=provinces).order_by("code"),
        provinces=provinces,
        organisations=organisations_for(request.user),
        **kwargs,
    )


@login_required
@require_GET
def staff_events(request):
    _require_staff(request.user)
    events = selectors.events_for(request.user).order_by("-starts_at", "-id")
    state = request.GET.get("state")
    if state in Event.State.values:
        events = events.filter(state=state)
    return render(
        request,
        "outreach/staff/events.html",
        {
            "events": list(events[:200]),
            "states": Event.State.choices,
            "state": state,
            "may_create": policy.may_create_events(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def new_event(request):
    if not policy.may_create_events(request.user):
        raise PermissionDenied
    form = _event_form(request, NewEventForm)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                event = services.create_event(
                    actor=request.user,
                    data=form.event_data(),
                    starts_at=form.cleaned_data["starts_at"],
                    ends_at=form.cleaned_data["ends_at"],
                )
            except DomainError as error:
                show_domain_error(request, form, error)
                status = error.status
            else:
                messages.success(request, _("The event is saved as a draft."))
                return redirect("outreach:staff_event", pk=event.pk)
    return render(request, "outreach/staff/edit.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def edit_event(request, pk):
    event = selectors.event_for(request.user, pk)
    if not policy.may_manage(request.user, event) or not policy.may_edit(event):
        raise PermissionDenied
    initial = {
        **{name: getattr(event, name) for name in ("kind", "name_ar", "name_fr", "name_zgh")},
        **{
            name: getattr(event, name)
            for name in ("venue", "latitude", "longitude", "other_partners", "capacity")
        },
        **{name: getattr(event, name) for name in ("categories", "languages", "agenda")},
        "speakers": event.speakers,
        "commune": event.commune.code,
        "partners": list(event.partners.all()),
        "branches": list(event.branches.all()),
        "provinces": list(event.provinces.all()),
    }
    form = _event_form(request, EventForm, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.update_event(actor=request.user, event=event, data=form.event_data())
            except DomainError as error:
                show_domain_error(request, form, error)
                status = error.status
            else:
                messages.success(request, _("The event is saved."))
                return redirect("outreach:staff_event", pk=event.pk)
    return render(
        request, "outreach/staff/edit.html", {"form": form, "event": event}, status=status
    )


def _event_page(request, event, *, status=200, **forms):
    may_manage = policy.may_manage(request.user, event)
    context = {
        "event": event,
        "may_manage": may_manage,
        "may_edit": may_manage and policy.may_edit(event),
        "moves": [to for to in MOVES if to in policy.TRANSITIONS[event.state]]
        if may_manage
        else [],
        "counts": selectors.counts_of(event),
        "attendees": selectors.attendees_of(event),
        "services": selectors.services_of(event),
        "questions": selectors.questions_of(event),
        "session_form": forms.get("session_form") or SessionForm(),
        "person_form": forms.get("person_form") or PersonForm(),
        "question_form": forms.get("question_form") or QuestionForm(),
        "report_form": forms.get("report_form") or ReportForm(),
        "service_form": ServiceForm(),
    }
    return render(request, "outreach/staff/event.html", context, status=status)


@login_required
@require_GET
def staff_event(request, pk):
    _require_staff(request.user)
    return _event_page(request, selectors.event_for(request.user, pk))


@login_required
@require_POST
def move(request, pk, to):
    """Publish, mark held, close (with the report) or cancel the event."""
    event = selectors.event_for(request.user, pk)
    report_form = ReportForm(request.POST) if to == Event.State.CLOSED else None
    try:
        if to == Event.State.PUBLISHED:
            services.publish(actor=request.user, event=event)
        elif to == Event.State.HELD:
            services.mark_held(actor=request.user, event=event)
        elif to == Event.State.CANCELLED:
            services.cancel(actor=request.user, event=event)
        elif to == Event.State.CLOSED:
            services.close(actor=request.user, event=event, report=request.POST.get("report", ""))
        else:
            raise PermissionDenied
    except DomainError as error:
        if report_form is not None:
            report_form.is_valid()
            show_domain_error(request, report_form, error)
        else:
            messages.error(request, error.message)
        event.refresh_from_db()
        return _event_page(request, event, status=error.status, report_form=report_form)
    messages.success(request, _("The event is now: %(state)s.") % {"state": Event.State(to).label})
    return redirect("outreach:staff_event", pk=event.pk)


def _posted(request, pk, form_class, act, *, done, form_name):
    """Validate `form_class` from the POST, call `act(event, data)`, go back to the page."""
    event = selectors.event_for(request.user, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            act(event, form.cleaned_data)
        except DomainError as error:
            show_domain_error(request, form, error)
            return _event_page(request, event, status=error.status, **{form_name: form})
        messages.success(request, done)
        return redirect("outreach:staff_event", pk=event.pk)
    return _event_page(request, event, status=400, **{form_name: form})


@login_required
@require_POST
def add_session(request, pk):
    return _posted(
        request,
        pk,
        SessionForm,
        lambda event, data: services.add_session(actor=request.user, event=event, **data),
        done=_("The session is added."),
        form_name="session_form",
    )


@login_required
@require_POST
def remove_session(request, pk, session_id):
    event = selectors.event_for(request.user, pk)
    try:
        services.remove_session(actor=request.user, event=event, session_id=session_id)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("outreach:staff_event", pk=event.pk)


@login_required
@require_POST
def sign_up_for(request, pk):
    def act(event, data):
        services.sign_up_for(
            agent=request.user,
            event=event,
            name=data["name"],
            phone=data["phone"],
            consent=data["consent"],
        )

    return _posted(
        request, pk, PersonForm, act, done=_("The person is signed up."), form_name="person_form"
    )


@login_required
@require_POST
def cancel_attendee(request, pk, attendee_id):
    event = selectors.event_for(request.user, pk)
    attendee = selectors.attendee_of(event, attendee_id)
    promoted = services.cancel_sign_up(actor=request.user, event=event, attendee=attendee)
    messages.success(request, _("The sign-up is cancelled."))
    if promoted is not None:
        messages.info(
            request,
            _("%(name)s gets the seat from the waiting list.") % {"name": promoted.name},
        )
    return redirect("outreach:staff_event", pk=event.pk)


@login_required
@require_POST
def record_service(request, pk, attendee_id):
    event = selectors.event_for(request.user, pk)
    attendee = selectors.attendee_of(event, attendee_id)
    form = ServiceForm(request.POST)
    if form.is_valid():
        services.record_service(
            actor=request.user, event=event, attendee=attendee, **form.cleaned_data
        )
        messages.success(request, _("The help given is recorded."))
        return redirect("outreach:staff_event", pk=event.pk)
    return _event_page(request, event, status=400)


@login_required
@require_POST
def log_question(request, pk):
    return _posted(
        request,
        pk,
        QuestionForm,
        lambda event, data: services.log_question(actor=request.user, event=event, **data),
        done=_("The question is recorded."),
        form_name="question_form",
    )


@login_required
@require_POST
def publish_question(request, pk, question_id):
    event = selectors.event_for(request.user, pk)
    question = selectors.questions_of(event).filter(pk=question_id).first()
    if question is None:
        raise PermissionDenied
    published = request.POST.get("published") != "0"
    try:
        services.publish_question(
            actor=request.user,
            question=question,
            published=published,
            answer=request.POST.get("answer"),
        )
    except DomainError as error:
        messages.error(request, error.message)
        return _event_page(request, event, status=error.status)
    messages.success(
        request,
        _("The question is in the public FAQ.") if published else _("The question is hidden."),
    )
    return redirect("outreach:staff_event", pk=event.pk)
