"""The provincial officer's review: the queue of the province and the decision screen."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hirfa.accounts.roles import Capability, require_capability
from hirfa.accounts.selectors import history_for
from hirfa.core.errors import Conflict, DomainError, Forbidden
from hirfa.core.forms import show_domain_error
from hirfa.register import policy, selectors, services
from hirfa.register.forms import (
    ApproveForm,
    RejectForm,
    RequestChangesForm,
    activity_choices,
    choice_values,
    grouped_commune_choices,
)
from hirfa.register.models import Dossier, Person
from hirfa.register.rules import RejectionReason
from hirfa.register.views.common import (
    PAGE_SIZE,
    age_in_days,
    formatted,
    in_scope_communes,
    is_htmx,
)

# "Older than N days" beyond a century is a typing mistake (and would overflow dates).
MAX_AGE_FILTER_DAYS = 36_500
# States a reviewer can filter the queue on (drafts are not in the queue).
QUEUE_STATES = [state for state in Dossier.State if state != Dossier.State.DRAFT]
PARTIAL_TEMPLATE = "register/staff/_queue_results.html"


def _queue_filters(params, *, activity_codes, commune_codes):
    """The filters asked for, each checked; a wrong value is dropped with a warning."""
    warnings, filters, shown = [], {}, {"state": "", "activity": "", "commune": "", "days": ""}
    state = str(params.get("state") or "").strip()
    if state:
        if state in QUEUE_STATES:
            filters["state"] = shown["state"] = state
        else:
            warnings.append(_("Unknown state: that filter was ignored."))
    activity = str(params.get("activity") or "").strip()
    if activity:
        if activity in activity_codes:
            filters["activity"] = shown["activity"] = activity
        else:
            warnings.append(_("Unknown activity code: that filter was ignored."))
    commune = str(params.get("commune") or "").strip()
    if commune:
        if commune in commune_codes:
            filters["commune"] = shown["commune"] = commune
        else:
            warnings.append(
                _("Unknown commune, or outside your territory: that filter was ignored.")
            )
    days = str(params.get("days") or "").strip()
    if days:
        try:
            value = int(days)
        except ValueError:
            value = -1
        if 0 < value <= MAX_AGE_FILTER_DAYS:
            filters["older_than_days"] = value
            shown["days"] = str(value)
        else:
            warnings.append(
                _("“Older than” takes a whole number of days (1 to %(max)s): it was ignored.")
                % {"max": MAX_AGE_FILTER_DAYS}
            )
    return filters, shown, warnings


@login_required
@require_GET
def review_queue(request):
    """Files waiting for a decision, oldest first, filtered with or without JavaScript."""
    user = request.user
    require_capability(user, Capability.REVIEW)
    activities = activity_choices(include_retired=True, with_codes=True)
    communes = in_scope_communes(user)
    filters, shown, warnings = _queue_filters(
        request.GET,
        activity_codes=choice_values(activities),
        commune_codes={commune.code for commune in communes},
    )
    page = Paginator(selectors.review_queue(user, **filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    today = timezone.localdate()
    for dossier in page:
        dossier.age_days = age_in_days(dossier, today)
    selectors.registrants_shown(page)
    counts = selectors.counts_by_state(user)
    context = {
        "page": page,
        "shown": shown,
        "warnings": warnings,
        "states": [(state.value, state.label) for state in QUEUE_STATES],
        "counts": [
            (state.value, state.label, counts.get(state.value, 0)) for state in Dossier.State
        ],
        "activity_groups": activities,
        "commune_groups": grouped_commune_choices(communes),
    }
    template = PARTIAL_TEMPLATE if is_htmx(request) else "register/staff/queue.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- Decision screen ---------------------------------------------------------------------------


def _decision_page(request, dossier: Dossier, *, status=200, **forms_):
    user = request.user
    names = {r.code: r.name for r in selectors.required_documents(dossier.category)}
    documents = list(dossier.documents.all())
    for document in documents:
        document.label = names.get(document.kind, document.kind)
    registration = dossier.registration if dossier.state == Dossier.State.APPROVED else None
    context = {
        "dossier": dossier,
        "person": dossier.person,
        "entity": dossier.entity,
        "secondary": list(dossier.secondary_activities.all()),
        "person_changes": [
            (Person._meta.get_field(field).verbose_name, change["from"], change["to"])
            for field, change in (dossier.person_changes or {}).items()
        ],
        "documents": documents,
        "missing": selectors.missing_documents(dossier),
        "reviewer_messages": dossier.messages.all(),
        "history": history_for(user, object_type=Dossier._meta.label_lower, object_id=dossier.pk),
        "four_eyes": policy.filed_or_assisted(user, dossier),
        "can_start": policy.may_start_review(user, dossier),
        "can_decide": policy.may_decide(user, dossier),
        "approve_form": forms_.get("approve_form") or ApproveForm(),
        "changes_form": forms_.get("changes_form") or RequestChangesForm(),
        "reject_form": forms_.get("reject_form") or RejectForm(),
        "rejection_reason": (
            RejectionReason(dossier.rejection_reason).label
            if dossier.rejection_reason in RejectionReason.values
            else dossier.rejection_reason
        ),
        "registration": registration,
        "registration_number": formatted(registration.number) if registration else "",
    }
    response = render(request, "register/staff/decision.html", context, status=status)
    add_never_cache_headers(response)
    return response


@login_required
@require_GET
def decision(request, pk):
    require_capability(request.user, Capability.REVIEW)
    dossier = selectors.dossier_for(request.user, pk)
    return _decision_page(request, dossier)


def _decision_action(view):
    """A decision posted from the decision screen: for a reviewer, about a dossier of their
    scope, and only if the page the officer saw is not stale (else the current state is
    shown again, with a message). The view receives the dossier."""

    @wraps(view)
    def action(request, pk):
        require_capability(request.user, Capability.REVIEW)
        dossier = selectors.dossier_for(request.user, pk)
        seen = request.POST.get("state")
        if seen and seen != dossier.state:
            messages.error(
                request,
                _(
                    "This file changed while you were reading it: it is now “%(state)s”. "
                    "Here is its current state."
                )
                % {"state": dossier.get_state_display()},
            )
            return redirect("register_staff:decision", pk=dossier.pk)
        return view(request, dossier)

    return login_required(require_POST(action))


def _decide(request, dossier, action, *, form=None, form_name=None, success=""):
    """Run a decision; a refusal is shown beside the fields, a conflict reloads the page."""
    try:
        result = action()
    except (Conflict, Forbidden) as error:
        messages.error(request, error.message)
    except DomainError as error:
        if form is None:
            messages.error(request, error.message)
        else:
            show_domain_error(request, form, error)
            return _decision_page(request, dossier, status=400, **{form_name: form})
    else:
        messages.success(request, success(result) if callable(success) else success)
    return redirect("register_staff:decision", pk=dossier.pk)


@_decision_action
def start_review(request, dossier):
    return _decide(
        request,
        dossier,
        lambda: services.start_review(officer=request.user, dossier=dossier),
        success=_("You started the review of this file."),
    )


@_decision_action
def request_changes(request, dossier):
    form = RequestChangesForm(request.POST)
    if not form.is_valid():
        return _decision_page(request, dossier, status=400, changes_form=form)
    return _decide(
        request,
        dossier,
        lambda: services.request_changes(
            officer=request.user, dossier=dossier, message=form.cleaned_data["message"]
        ),
        form=form,
        form_name="changes_form",
        success=_("The artisan is asked to change the file; your message was sent."),
    )


@_decision_action
def approve(request, dossier):
    form = ApproveForm(request.POST)
    if not form.is_valid():
        return _decision_page(request, dossier, status=400, approve_form=form)
    return _decide(
        request,
        dossier,
        lambda: services.approve(officer=request.user, dossier=dossier),
        success=lambda approved: (
            _("Approved. Registration number: %(number)s.")
            # No-break spaces keep the groups together, left to right, in an Arabic sentence.
            % {"number": formatted(approved.registration.number, "\u00a0")}
        ),
    )


@_decision_action
def reject(request, dossier):
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _decision_page(request, dossier, status=400, reject_form=form)
    return _decide(
        request,
        dossier,
        lambda: services.reject(
            officer=request.user,
            dossier=dossier,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
        ),
        form=form,
        form_name="reject_form",
        success=_("The file is rejected; the artisan is told why."),
    )
