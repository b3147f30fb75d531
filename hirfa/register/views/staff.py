"""The staff screens of the register.

- the chamber agent's desk: assisted filing with the artisan, documents, sending for review;
- the provincial officer's review queue and decision screen;
- the registration page (suspend, reinstate, strike off) and the list of registrations.

Views are thin: every read of the register goes through `hirfa.register.selectors`, which
apply the user's territorial scope (an object outside it is a 404), and every write
through `hirfa.register.services`. No view filters by province itself.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hirfa.accounts.roles import Capability, has_capability
from hirfa.accounts.selectors import history_for, provinces_for
from hirfa.audit.services import record_access
from hirfa.core import validators
from hirfa.core.errors import Conflict, DomainError, Forbidden, NotFound
from hirfa.core.files import inline_file_response
from hirfa.core.forms import show_domain_error
from hirfa.crafts.selectors import nomenclature_tree
from hirfa.register import selectors, services
from hirfa.register.forms import (
    ConsentForm,
    CraftForm,
    DocumentForm,
    EntityConsentForm,
    EntityForm,
    PersonForm,
    ReasonForm,
    RejectForm,
    RequestChangesForm,
    craft_initial,
    person_initial,
)
from hirfa.register.models import Dossier, Registration
from hirfa.register.numbers import format_number, parse_number
from hirfa.register.rules import DECIDABLE_STATES, EDITABLE_STATES, TRANSITIONS, RejectionReason
from hirfa.territory import selectors as territory

PAGE_SIZE = 50
# "Older than N days" beyond a century is a typing mistake (and would overflow dates).
MAX_AGE_FILTER_DAYS = 36_500
# States a reviewer can filter the queue on (drafts are not in the queue).
QUEUE_STATES = [state for state in Dossier.State if state != Dossier.State.DRAFT]
STARTABLE_STATES = TRANSITIONS["start_review"][0]
PARTIAL_TEMPLATE = "register/staff/_queue_results.html"


# --- Small helpers ----------------------------------------------------------------------


def _require(user, *capabilities) -> None:
    if not any(has_capability(user, capability) for capability in capabilities):
        raise PermissionDenied


def _found(lookup, *args):
    try:
        return lookup(*args)
    except NotFound:
        raise Http404 from None


def _is_htmx(request) -> bool:
    # A history restore (Back after a cache miss) wants the whole page.
    return request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )


def _log_access(user, dossier: Dossier) -> None:
    """Law 09-08: every opening of a person's file by staff is in the audit trail."""
    record_access(
        actor=user,
        obj=dossier.person or dossier.entity,
        province_code=dossier.province.code,
        reason=f"dossier #{dossier.pk}",
    )


def _age_in_days(dossier: Dossier, today) -> int:
    since = dossier.submitted_at or dossier.created_at
    return max((today - timezone.localdate(since)).days, 0)


def _formatted(number: str, separator: str = " ") -> str:
    try:
        return format_number(number, separator)
    except ValueError:
        return number


def _sorted_by_name(items):
    return sorted(items, key=lambda item: (item.name or "").casefold())


def _in_scope_communes(user) -> list:
    """Communes of the provinces the user works on, by province then name."""
    communes = territory.communes().filter(province__in=provinces_for(user))
    return sorted(communes, key=lambda c: (c.province.code, (c.name or "").casefold()))


def _grouped_commune_choices(communes) -> list:
    groups: dict = {}
    for commune in communes:
        groups.setdefault(commune.province, []).append((commune.code, commune.name))
    return [(province.name, items) for province, items in groups.items()]


def _activity_choices(*, include_retired: bool = False) -> list:
    """Activities grouped by branch, in the nomenclature's order."""
    return [
        (
            branch.name,
            [
                (activity.code, f"{activity.name} ({activity.code})")
                for activity in branch.activities.all()
            ],
        )
        for category in nomenclature_tree(include_retired=include_retired)
        for branch in category.branches.all()
    ]


def _choice_values(choices) -> set[str]:
    values = set()
    for value, label in choices:
        if isinstance(label, list | tuple):
            values.update(code for code, _name in label)
        elif value:
            values.add(value)
    return values


# --- Assisted filing: forms ---------------------------------------------------------------

OUTSIDE_TERRITORY = gettext_lazy("Choose a commune of your territory.")
FILED = gettext_lazy("The file of %(name)s is saved. Now attach the documents.")


def _commune_field(label) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, error_messages={"invalid_choice": OUTSIDE_TERRITORY})


class AssistedPersonForm(PersonForm):
    """The person's data, with the home commune picked from the agent's territory."""

    def __init__(self, *args, commune_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"] = _commune_field(gettext_lazy("Commune of residence"))
        self.fields["commune"].choices = [("", gettext_lazy("Choose a commune")), *commune_choices]
        for name in ("cnie", "phone", "email", "first_name_latin", "last_name_latin"):
            self.fields[name].widget.attrs.update({"dir": "ltr", "autocomplete": "off"})
        for name in ("first_name_ar", "last_name_ar"):
            self.fields[name].widget.attrs.update({"dir": "rtl", "lang": "ar"})
        self.fields["email"].widget.attrs["inputmode"] = "email"


class AssistedCraftForm(CraftForm):
    """Category (natural persons only), activities picked by branch, workplace in scope."""

    def __init__(self, *args, commune_choices, activity_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["principal_activity"] = forms.ChoiceField(
            label=gettext_lazy("Principal activity"),
            choices=[("", gettext_lazy("Choose the activity")), *activity_choices],
        )
        self.fields["secondary_activities"] = forms.MultipleChoiceField(
            label=gettext_lazy("Secondary activities (up to three)"),
            choices=activity_choices,
            required=False,
        )
        self.fields["workplace_commune"] = _commune_field(gettext_lazy("Commune of the workplace"))
        self.fields["workplace_commune"].choices = [
            ("", gettext_lazy("Choose a commune")),
            *commune_choices,
        ]

    def craft_data(self) -> dict:
        return dict(self.cleaned_data)


def _picker(communes, provinces, field_value, posted_province) -> dict:
    """What the province/commune pair shows: the province of the chosen commune (or the
    province chosen, or the only one), and that province's communes; else every commune of
    the territory grouped by province, so the picker also works without JavaScript."""
    by_code = {commune.code: commune for commune in communes}
    province = None
    if field_value in by_code:
        province = by_code[field_value].province
    elif posted_province:
        province = next((p for p in provinces if p.code == posted_province), None)
    elif len(provinces) == 1:
        province = provinces[0]
    if province is None:
        return {"province": "", "communes": [], "groups": _grouped_commune_choices(communes)}
    return {
        "province": province.code,
        "communes": [c for c in communes if c.province_id == province.pk],
        "groups": [],
    }


def _filing_context(request, registrant_form, craft_form, consent_form, communes, provinces):
    selected = set(craft_form["secondary_activities"].value() or [])
    posted = request.POST.getlist("province") if request.method == "POST" else []
    posted += ["", ""]
    return {
        "registrant_form": registrant_form,
        "craft_form": craft_form,
        "consent_form": consent_form,
        "provinces": provinces,
        "home_picker": _picker(communes, provinces, registrant_form["commune"].value(), posted[0]),
        "work_picker": _picker(
            communes, provinces, craft_form["workplace_commune"].value(), posted[1]
        ),
        "activity_groups": [
            (branch, activities, any(code in selected for code, _name in activities))
            for branch, activities in craft_form.fields["secondary_activities"].choices
        ],
        "secondary_selected": selected,
    }


def _show_error_on(request, forms_, error: DomainError) -> str:
    """Each field message beside its field, in whichever form has it; returns the summary."""
    for form in forms_:
        if any(name in form.fields for name in error.fields):
            show_domain_error(request, form, error)
    return str(error.message)  # shown on top: it alone explains a refusal without fields


# --- Assisted filing: views ----------------------------------------------------------------


@login_required
@require_GET
def desk(request):
    """The agent's files not yet decided, newest first."""
    _require(request.user, Capability.FILE_ASSISTED)
    page = Paginator(selectors.pending_for_agent(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "register/staff/desk.html", {"page": page})


def _desk_filing(
    request,
    *,
    communes,
    registrant_form,
    craft_form,
    consent_form,
    file,
    template,
    saved=FILED,
    extra=None,
):
    """The desk's filing page: validate the forms, file (or correct) through `file()`,
    then go on to the documents; on a refusal, show it beside the fields."""
    provinces = _sorted_by_name(provinces_for(request.user))
    forms = [form for form in (registrant_form, craft_form, consent_form) if form is not None]
    summary, status = "", 200
    if request.method == "POST":
        status = 400
        if all(form.is_valid() for form in forms):
            try:
                dossier = file()
            except DomainError as error:
                summary = _show_error_on(request, forms, error)
            else:
                messages.success(request, saved % {"name": dossier.registrant_name_latin})
                return redirect("register_staff:desk_dossier", pk=dossier.pk)
        else:
            summary = _("Some information is missing or not valid.")
    context = _filing_context(
        request, registrant_form, craft_form, consent_form, communes, provinces
    )
    context["summary"] = summary
    context.update(extra or {})
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def desk_new(request):
    """One page to file with the artisan: person, craft, and consent after the notice."""
    _require(request.user, Capability.FILE_ASSISTED)
    communes = _in_scope_communes(request.user)
    commune_choices = _grouped_commune_choices(communes)
    data = request.POST if request.method == "POST" else None
    person_form = AssistedPersonForm(data, commune_choices=commune_choices)
    craft_form = AssistedCraftForm(
        data, commune_choices=commune_choices, activity_choices=_activity_choices()
    )
    consent_form = ConsentForm(data)
    return _desk_filing(
        request,
        communes=communes,
        registrant_form=person_form,
        craft_form=craft_form,
        consent_form=consent_form,
        file=lambda: services.file_assisted(
            agent=request.user,
            person_data=person_form.cleaned_data,
            craft_data=craft_form.craft_data(),
            consent=consent_form.cleaned_data["consent"],
        ),
        template="register/staff/desk_new.html",
    )


@login_required
@require_http_methods(["GET", "POST"])
def desk_edit(request, pk):
    """Correct the artisan's data and craft in a file the agent filed, while it is a draft
    or its reviewer asked for changes (documents are changed on the file's page)."""
    _require(request.user, Capability.FILE_ASSISTED)
    dossier = _found(selectors.dossier_for, request.user, pk)
    if dossier.person_id is None or dossier.kind != Dossier.Kind.REGISTRATION:
        raise Http404
    if dossier.state not in EDITABLE_STATES or dossier.filed_by_id != request.user.pk:
        messages.error(request, _("This file can no longer be changed."))
        return redirect("register_staff:desk_dossier", pk=dossier.pk)
    communes = _in_scope_communes(request.user)
    commune_choices = _grouped_commune_choices(communes)
    data = request.POST if request.method == "POST" else None
    person_form = AssistedPersonForm(
        data, initial=person_initial(dossier.person), commune_choices=commune_choices
    )
    craft_form = AssistedCraftForm(
        data,
        initial=craft_initial(dossier)
        | {"secondary_activities": [a.code for a in dossier.secondary_activities.all()]},
        commune_choices=commune_choices,
        activity_choices=_activity_choices(),
    )
    return _desk_filing(
        request,
        communes=communes,
        registrant_form=person_form,
        craft_form=craft_form,
        consent_form=None,
        file=lambda: services.update_dossier(
            actor=request.user,
            dossier=dossier,
            person_data=person_form.cleaned_data,
            craft_data=craft_form.craft_data(),
        ),
        template="register/staff/desk_new.html",
        saved=gettext_lazy("The file of %(name)s is corrected."),
        extra={"dossier": dossier},
    )


class AssistedEntityForm(EntityForm):
    """The entity's data, with the head office's commune picked from the agent's territory."""

    def __init__(self, *args, commune_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"] = _commune_field(gettext_lazy("Commune of the head office"))
        self.fields["commune"].choices = [("", gettext_lazy("Choose a commune")), *commune_choices]
        for name in ("ice", "register_number", "phone", "email", "name_fr", "supervisor"):
            self.fields[name].widget.attrs.update({"dir": "ltr", "autocomplete": "off"})
        self.fields["name_ar"].widget.attrs.update({"dir": "rtl", "lang": "ar"})
        self.fields["email"].widget.attrs["inputmode"] = "email"


class AssistedEntityCraftForm(AssistedCraftForm):
    """The craft of an entity: its category is asked with the entity itself."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["category"]


@login_required
@require_http_methods(["GET", "POST"])
def desk_new_entity(request):
    """One page to file a cooperative or an enterprise with its representative."""
    _require(request.user, Capability.FILE_ASSISTED)
    communes = _in_scope_communes(request.user)
    commune_choices = _grouped_commune_choices(communes)
    data = request.POST if request.method == "POST" else None
    entity_form = AssistedEntityForm(data, commune_choices=commune_choices)
    craft_form = AssistedEntityCraftForm(
        data, commune_choices=commune_choices, activity_choices=_activity_choices()
    )
    consent_form = EntityConsentForm(data)
    return _desk_filing(
        request,
        communes=communes,
        registrant_form=entity_form,
        craft_form=craft_form,
        consent_form=consent_form,
        file=lambda: services.file_entity(
            agent=request.user,
            entity_data=entity_form.entity_data(),
            craft_data=craft_form.craft_data() | {"category": entity_form.cleaned_data["category"]},
            consent=consent_form.cleaned_data["consent"],
        ),
        template="register/staff/desk_new_entity.html",
    )


@login_required
@require_GET
def communes_options(request):
    """The <option>s of one province's communes, for the htmx picker (agent's scope only)."""
    _require(request.user, Capability.FILE_ASSISTED)
    code = str(request.GET.get("province") or "")[:12]
    if code:
        province = provinces_for(request.user).filter(code=code).first()
        communes = _sorted_by_name(territory.communes(province)) if province else []
        groups = []
    else:  # "all the provinces of my territory"
        communes, groups = [], _grouped_commune_choices(_in_scope_communes(request.user))
    return render(
        request, "register/staff/_commune_options.html", {"communes": communes, "groups": groups}
    )


def _desk_dossier_page(request, dossier: Dossier, *, failed=None, status=200):
    """The file as the agent sees it: data, documents asked and attached, what is missing."""
    requirements = selectors.required_documents(dossier.category)
    documents = list(dossier.documents.all())
    by_kind: dict[str, list] = {}
    for document in documents:
        by_kind.setdefault(document.kind, []).append(document)
    if failed is not None and failed["kind"].value() not in {r.code for r in requirements}:
        for error in failed.non_field_errors() or [_("This kind of document is not asked.")]:
            messages.error(request, error)
        failed = None
    rows = []
    for requirement in requirements:
        form = failed if failed is not None and failed["kind"].value() == requirement.code else None
        rows.append(
            {
                "requirement": requirement,
                "documents": by_kind.get(requirement.code, []),
                "form": form or DocumentForm(initial={"kind": requirement.code}),
            }
        )
    editable = dossier.state in EDITABLE_STATES
    context = {
        "dossier": dossier,
        "rows": rows,
        "missing": selectors.missing_documents(dossier),
        "editable": editable,
        "is_filer": dossier.filed_by_id == request.user.pk,
        "reviewer_messages": dossier.messages.all(),
    }
    return render(request, "register/staff/desk_dossier.html", context, status=status)


@login_required
@require_GET
def desk_dossier(request, pk):
    _require(request.user, Capability.FILE_ASSISTED)
    dossier = _found(selectors.dossier_for, request.user, pk)
    _log_access(request.user, dossier)
    return _desk_dossier_page(request, dossier)


@login_required
@require_POST
def desk_upload(request, pk):
    _require(request.user, Capability.FILE_ASSISTED)
    dossier = _found(selectors.dossier_for, request.user, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            document = services.attach_document(
                actor=request.user,
                dossier=dossier,
                kind=form.cleaned_data["kind"],
                uploaded=form.cleaned_data["file"],
            )
        except (Conflict, Forbidden) as error:
            messages.error(request, error.message)
            return redirect("register_staff:desk_dossier", pk=dossier.pk)
        except NotFound:
            raise Http404 from None
        except DomainError as error:
            show_domain_error(request, form, error)
        else:
            messages.success(
                request, _("“%(name)s” is attached.") % {"name": document.original_name}
            )
            return redirect("register_staff:desk_dossier", pk=dossier.pk)
    return _desk_dossier_page(request, dossier, failed=form, status=400)


@login_required
@require_POST
def desk_submit(request, pk):
    _require(request.user, Capability.FILE_ASSISTED)
    dossier = _found(selectors.dossier_for, request.user, pk)
    try:
        services.submit(actor=request.user, dossier=dossier)
    except NotFound:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The file is sent for review to the provincial officer."))
    return redirect("register_staff:desk_dossier", pk=dossier.pk)


# --- Documents -----------------------------------------------------------------------------


@login_required
@require_GET
@xframe_options_sameorigin  # embedded in the decision screen (the site default is DENY)
def document_file(request, pk, doc_id):
    """A document of a dossier in the user's scope, shown inline, never sniffed."""
    _require(request.user, Capability.REVIEW, Capability.FILE_ASSISTED)
    dossier = _found(selectors.dossier_for, request.user, pk)
    document = dossier.documents.filter(pk=doc_id).first()
    if document is None:
        raise Http404
    return inline_file_response(document)


# --- Review queue ----------------------------------------------------------------------------


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
    _require(user, Capability.REVIEW)
    activity_choices = _activity_choices(include_retired=True)
    communes = _in_scope_communes(user)
    filters, shown, warnings = _queue_filters(
        request.GET,
        activity_codes=_choice_values(activity_choices),
        commune_codes={commune.code for commune in communes},
    )
    page = Paginator(selectors.review_queue(user, **filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    today = timezone.localdate()
    for dossier in page:
        dossier.age_days = _age_in_days(dossier, today)
    counts = selectors.counts_by_state(user)
    context = {
        "page": page,
        "shown": shown,
        "warnings": warnings,
        "states": [(state.value, state.label) for state in QUEUE_STATES],
        "counts": [
            (state.value, state.label, counts.get(state.value, 0)) for state in Dossier.State
        ],
        "activity_groups": activity_choices,
        "commune_groups": _grouped_commune_choices(communes),
    }
    template = PARTIAL_TEMPLATE if _is_htmx(request) else "register/staff/queue.html"
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
    four_eyes = dossier.filed_by_id == user.pk or bool(
        dossier.person and dossier.person.user_id == user.pk
    )
    registration = dossier.registration if dossier.state == Dossier.State.APPROVED else None
    context = {
        "dossier": dossier,
        "person": dossier.person,
        "entity": dossier.entity,
        "secondary": list(dossier.secondary_activities.all()),
        "documents": documents,
        "missing": selectors.missing_documents(dossier),
        "reviewer_messages": dossier.messages.all(),
        "history": history_for(user, object_type=Dossier._meta.label_lower, object_id=dossier.pk),
        "four_eyes": four_eyes,
        "can_start": not four_eyes and dossier.state in STARTABLE_STATES,
        "can_decide": not four_eyes and dossier.state in DECIDABLE_STATES,
        "changes_form": forms_.get("changes_form") or RequestChangesForm(),
        "reject_form": forms_.get("reject_form") or RejectForm(),
        "rejection_reason": (
            RejectionReason(dossier.rejection_reason).label
            if dossier.rejection_reason in RejectionReason.values
            else dossier.rejection_reason
        ),
        "registration": registration,
        "registration_number": _formatted(registration.number) if registration else "",
    }
    response = render(request, "register/staff/decision.html", context, status=status)
    add_never_cache_headers(response)
    return response


@login_required
@require_GET
def decision(request, pk):
    _require(request.user, Capability.REVIEW)
    dossier = _found(selectors.dossier_for, request.user, pk)
    _log_access(request.user, dossier)
    return _decision_page(request, dossier)


def _reviewed(request, pk):
    """The dossier an action is about, and whether the page the officer saw is stale."""
    _require(request.user, Capability.REVIEW)
    dossier = _found(selectors.dossier_for, request.user, pk)
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
        return dossier, True
    return dossier, False


def _decide(request, dossier, action, *, form=None, form_name=None, success=""):
    """Run a decision; a refusal is shown beside the fields, a conflict reloads the page."""
    try:
        result = action()
    except NotFound:
        raise Http404 from None
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


@login_required
@require_POST
def start_review(request, pk):
    dossier, stale = _reviewed(request, pk)
    if stale:
        return redirect("register_staff:decision", pk=dossier.pk)
    return _decide(
        request,
        dossier,
        lambda: services.start_review(officer=request.user, dossier=dossier),
        success=_("You started the review of this file."),
    )


@login_required
@require_POST
def request_changes(request, pk):
    dossier, stale = _reviewed(request, pk)
    if stale:
        return redirect("register_staff:decision", pk=dossier.pk)
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


@login_required
@require_POST
def approve(request, pk):
    dossier, stale = _reviewed(request, pk)
    if stale:
        return redirect("register_staff:decision", pk=dossier.pk)
    return _decide(
        request,
        dossier,
        lambda: services.approve(officer=request.user, dossier=dossier),
        success=lambda approved: (
            _("Approved. Registration number: %(number)s.")
            # No-break spaces keep the groups together, left to right, in an Arabic sentence.
            % {"number": _formatted(approved.registration.number, "\u00a0")}
        ),
    )


@login_required
@require_POST
def reject(request, pk):
    dossier, stale = _reviewed(request, pk)
    if stale:
        return redirect("register_staff:decision", pk=dossier.pk)
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


# --- Registrations ------------------------------------------------------------------------------


def _search_registrations(queryset, text: str):
    """By national number (spaces and Arabic digits accepted) or by CNIE; None if neither."""
    try:
        return queryset.filter(number=parse_number(text))
    except ValidationError:
        pass
    try:
        return queryset.filter(person__cnie=validators.normalise_cnie(text))
    except ValidationError:
        return None


@login_required
@require_GET
def registrations(request):
    user = request.user
    _require(user, Capability.VIEW_WORKSPACE)
    queryset = selectors.registrations_for(user).order_by("-registered_on", "-id")
    warnings = []
    status = str(request.GET.get("status") or "").strip()
    if status and status not in Registration.Status.values:
        warnings.append(_("Unknown status: that filter was ignored."))
        status = ""
    if status:
        queryset = queryset.filter(status=status)
    query = str(request.GET.get("q") or "").strip()[:40]
    if query:
        found = _search_registrations(queryset, query)
        if found is None:
            warnings.append(
                _("Type a registration number (10 digits) or a national identity card number.")
            )
            queryset = queryset.none()
        else:
            queryset = found
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    for registration in page:
        registration.formatted_number = _formatted(registration.number)
    return render(
        request,
        "register/staff/registrations.html",
        {
            "page": page,
            "query": query,
            "status": status,
            "statuses": Registration.Status.choices,
            "warnings": warnings,
        },
    )


class StrikeOffForm(ReasonForm):
    until = None
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that striking off is final: it cannot be undone."),
        error_messages={"required": gettext_lazy("Tick the box to confirm.")},
    )


def _registration_page(request, registration: Registration, *, status=200, **forms_):
    user = request.user
    context = {
        "registration": registration,
        "formatted_number": _formatted(registration.number),
        "secondary": list(registration.secondary_activities.all()),
        "dossiers": selectors.dossiers_for(user)
        .filter(registration=registration)
        .order_by("-created_at"),
        "history": history_for(
            user, object_type=Registration._meta.label_lower, object_id=registration.pk
        ),
        "may_act": has_capability(user, Capability.REVIEW),
        "may_file": has_capability(user, Capability.FILE_ASSISTED)
        and registration.status != Registration.Status.STRUCK_OFF,
        "suspend_form": forms_.get("suspend_form") or ReasonForm(prefix="suspend"),
        "reinstate_form": forms_.get("reinstate_form") or ReasonForm(prefix="reinstate"),
        "Status": Registration.Status,
    }
    response = render(request, "register/staff/registration.html", context, status=status)
    add_never_cache_headers(response)
    return response


@login_required
@require_GET
def registration(request, number):
    _require(request.user, Capability.VIEW_WORKSPACE)
    registration = _found(selectors.registration_for, request.user, number)
    if registration.person is not None:
        record_access(
            actor=request.user,
            obj=registration.person,
            province_code=registration.province.code,
            reason=f"registration {registration.number}",
        )
    return _registration_page(request, registration)


@login_required
@require_http_methods(["GET", "POST"])
def registration_modify(request, number):
    """File, with the artisan, a change of category, activities or workplace."""
    user = request.user
    _require(user, Capability.FILE_ASSISTED)
    registration = _found(selectors.registration_for, user, number)
    communes = _in_scope_communes(user)
    provinces = _sorted_by_name(provinces_for(user))
    commune_choices = _grouped_commune_choices(communes)
    initial = craft_initial(registration)
    initial["secondary_activities"] = [a.code for a in registration.secondary_activities.all()]
    craft_form = AssistedCraftForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        commune_choices=commune_choices,
        activity_choices=_activity_choices(),
    )
    summary, status = "", 200
    if request.method == "POST":
        if craft_form.is_valid():
            try:
                dossier = services.request_modification(
                    actor=user, registration=registration, craft_data=craft_form.craft_data()
                )
            except DomainError as error:
                summary = _show_error_on(request, [craft_form], error)
            else:
                messages.success(
                    request,
                    _("The request to change the registration is saved. Now attach the documents."),
                )
                return redirect("register_staff:desk_dossier", pk=dossier.pk)
        else:
            summary = _("Some information is missing or not valid.")
        status = 400
    posted = request.POST.get("province", "") if request.method == "POST" else ""
    context = {
        "registration": registration,
        "formatted_number": _formatted(registration.number),
        "craft_form": craft_form,
        "provinces": provinces,
        "work_picker": _picker(
            communes, provinces, craft_form["workplace_commune"].value(), posted
        ),
        "summary": summary,
    }
    return render(request, "register/staff/registration_modify.html", context, status=status)


def _change_status(request, number, *, prefix, form_class, call, page, success):
    _require(request.user, Capability.REVIEW)
    registration = _found(selectors.registration_for, request.user, number)
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            call(registration, form.cleaned_data)
        except NotFound:
            raise Http404 from None
        except (Conflict, Forbidden) as error:
            messages.error(request, error.message)
        except DomainError as error:
            show_domain_error(request, form, error)
            return page(request, registration, form)
        else:
            messages.success(request, success)
        return redirect("register_staff:registration", number=registration.number)
    return page(request, registration, form)


@login_required
@require_POST
def suspend(request, number):
    return _change_status(
        request,
        number,
        prefix="suspend",
        form_class=ReasonForm,
        call=lambda registration, data: services.suspend(
            officer=request.user,
            registration=registration,
            reason=data["reason"],
            until=data["until"],
        ),
        page=lambda request, registration, form: _registration_page(
            request, registration, status=400, suspend_form=form
        ),
        success=_("The registration is suspended."),
    )


@login_required
@require_POST
def reinstate(request, number):
    return _change_status(
        request,
        number,
        prefix="reinstate",
        form_class=ReasonForm,
        call=lambda registration, data: services.reinstate(
            officer=request.user, registration=registration, reason=data["reason"]
        ),
        page=lambda request, registration, form: _registration_page(
            request, registration, status=400, reinstate_form=form
        ),
        success=_("The registration is active again."),
    )


def _strike_off_page(request, registration, form, status=200):
    return render(
        request,
        "register/staff/strike_off.html",
        {
            "registration": registration,
            "formatted_number": _formatted(registration.number),
            "form": form,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def strike_off(request, number):
    """Striking off is final: a page of its own, with the reason and a confirmation."""
    if request.method == "GET":
        _require(request.user, Capability.REVIEW)
        registration = _found(selectors.registration_for, request.user, number)
        if registration.status == Registration.Status.STRUCK_OFF:
            messages.error(request, _("This registration was already struck off."))
            return redirect("register_staff:registration", number=registration.number)
        return _strike_off_page(request, registration, StrikeOffForm(prefix="strike"))
    return _change_status(
        request,
        number,
        prefix="strike",
        form_class=StrikeOffForm,
        call=lambda registration, data: services.strike_off(
            officer=request.user, registration=registration, reason=data["reason"]
        ),
        page=lambda request, registration, form: _strike_off_page(
            request, registration, form, status=400
        ),
        success=_("The registration is struck off the register."),
    )
