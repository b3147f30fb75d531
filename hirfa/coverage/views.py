"""Screens of the health coverage: the artisan's page (/me/coverage/), the agents' dependants,
the officers' figures and the national schedule. Views collect and show; services decide,
and `policy` says what each user may do (the templates ask it through `may` and `actions`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hirfa.accounts.roles import Capability, has_capability
from hirfa.accounts.selectors import province_for, provinces_for
from hirfa.core.errors import DomainError
from hirfa.core.files import inline_file_response
from hirfa.core.forms import show_domain_error
from hirfa.coverage import policy, selectors, services
from hirfa.coverage.forms import CloseForm, DependantForm, DocumentForm, RateForm, RefuseForm
from hirfa.coverage.models import Dependant, DependantDocument, State
from hirfa.coverage.wording import status_of
from hirfa.register.selectors import current_registration_of

RECENT_MONTHS = 6


def _artisan(view):
    def wrapper(request, *args, **kwargs):
        if not policy.holds_own_file(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    return login_required(wrapper)


def _missing_labels(dependant: Dependant) -> list:
    return [
        DependantDocument.Kind(k).label
        for k in services.missing_documents(dependant)
        if k in DependantDocument.Kind.values
    ]


def _coverage_context(user, registration):
    enrolment = selectors.enrolment_of(registration) if registration else None
    statement = services.statement_of(enrolment) if enrolment else None
    dependants = list(selectors.dependants_of(registration)) if registration else []
    opening = services.expected_opening(enrolment) if enrolment else None
    for dependant in dependants:
        dependant.registration = registration  # the same row: no query per dependant
        dependant.actions = policy.DependantActions.of(user, dependant)
        dependant.missing = _missing_labels(dependant) if policy.awaits_check(dependant) else []
    return {
        "registration": registration,
        "enrolment": enrolment,
        "statement": statement,
        "recent": list(reversed(statement.months[-RECENT_MONTHS:])) if statement else [],
        "status": status_of(registration, enrolment, statement),
        "dependants": dependants,
        "expected_opening": opening if opening and opening >= timezone.localdate() else None,
        "may": policy.CoverageActions.of(user, registration, enrolment),
    }


@_artisan
def mine(request):
    registration = current_registration_of(request.user)
    context = _coverage_context(request.user, registration)
    context["document_form"] = DocumentForm()
    return render(request, "coverage/mine.html", context)


def _declare(request, registration, *, done):
    form = DependantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.declare_dependant(
                actor=request.user, registration=registration, data=form.cleaned_data
            )
        except DomainError as error:
            show_domain_error(request, form, error)
        else:
            messages.success(
                request, _("Declared. Now attach the documents; an agent will check them.")
            )
            return redirect(done)
    return render(
        request,
        "coverage/declare.html",
        {"form": form, "registration": registration, "back": done},
        status=400 if request.method == "POST" else 200,
    )


@_artisan
def mine_declare(request):
    registration = current_registration_of(request.user)
    if registration is None:
        raise Http404
    return _declare(request, registration, done="coverage:mine")


def _attach(request, dependant, done):
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attach_dependant_document(
                actor=request.user,
                dependant=dependant,
                kind=form.cleaned_data["kind"],
                uploaded=form.cleaned_data["file"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Document attached."))
    else:
        messages.error(request, _("Choose the document and its file."))
    return done


@_artisan
@require_POST
def mine_attach(request, pk):
    registration = current_registration_of(request.user)
    dependant = get_object_or_404(Dependant, pk=pk, registration=registration)
    return _attach(request, dependant, redirect("coverage:mine"))


# --- Staff --------------------------------------------------------------------------------


def _staff(view):
    def wrapper(request, *args, **kwargs):
        if not has_capability(request.user, Capability.VIEW_WORKSPACE):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    return login_required(wrapper)


def _agent(view):
    def wrapper(request, *args, **kwargs):
        if not has_capability(request.user, Capability.FILE_ASSISTED):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    return login_required(wrapper)


@_staff
def overview(request):
    """Coverage figures of the user's territory; an agent's dependants to check."""
    user = request.user
    province = None
    code = request.GET.get("province")
    if code:
        province = province_for(user, code)
    figures = selectors.figures_for(user, province)
    context = {
        "figures": figures,
        "states": [(label, figures["by_state"][code]) for code, label in State.choices],
        "province": province,
        "provinces": provinces_for(user),
        "to_confirm": selectors.dependants_shown(selectors.dependants_to_confirm(user)[:50]),
        "may_edit_schedule": policy.may_edit_schedule(user),
        "is_agent": has_capability(user, Capability.FILE_ASSISTED),
    }
    return render(request, "coverage/overview.html", context)


def _coverage_staff(view):
    def wrapper(request, *args, **kwargs):
        if not policy.may_open_coverage(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    return login_required(wrapper)


@_coverage_staff
def find_artisan(request):
    number = "".join(str(request.GET.get("number") or "").split())[:20]
    return redirect("coverage:artisan", number=number) if number else redirect("coverage:overview")


@_coverage_staff
def artisan(request, number):
    """An artisan's coverage as staff see it; agents declare, check and close from here."""
    registration = selectors.artisan_registration_for(request.user, number)
    context = _coverage_context(request.user, registration)
    context.update(
        close_form=CloseForm(initial={"on": timezone.localdate()}),
        is_agent=has_capability(request.user, Capability.FILE_ASSISTED),
    )
    return render(request, "coverage/artisan.html", context)


@_agent
def artisan_declare(request, number):
    registration = selectors.artisan_registration_for(request.user, number)
    return _declare(request, registration, done=redirect("coverage:artisan", number=number).url)


@_agent
@require_POST
def artisan_close(request, number):
    registration = selectors.artisan_registration_for(request.user, number)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.close_enrolment(
                agent=request.user, registration=registration, **form.cleaned_data
            )
            messages.success(request, _("The coverage is closed."))
        except DomainError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("Choose the reason and the date."))
    return redirect("coverage:artisan", number=number)


@_agent
@require_POST
def artisan_send_again(request, number):
    registration = selectors.artisan_registration_for(request.user, number)
    try:
        services.send_again(agent=request.user, registration=registration)
        messages.success(request, _("The file goes to the CNSS with the next batch."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("coverage:artisan", number=number)


@_agent
def dependant(request, pk):
    dependant = selectors.dependant_for(request.user, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "confirm":
                services.confirm_dependant(agent=request.user, dependant=dependant)
                messages.success(request, _("Confirmed: it goes to the CNSS with the next batch."))
            elif action == "refuse":
                form = RefuseForm(request.POST)
                services.refuse_dependant(
                    agent=request.user,
                    dependant=dependant,
                    reason=form.data.get("reason", ""),
                )
                messages.success(request, _("Refused."))
            elif action == "attach":
                return _attach(request, dependant, redirect("coverage:dependant", pk=pk))
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("coverage:dependant", pk=pk)
    return render(
        request,
        "coverage/dependant.html",
        {
            "dependant": dependant,
            "missing": _missing_labels(dependant),
            "actions": policy.DependantActions.of(request.user, dependant),
            "document_form": DocumentForm(),
            "refuse_form": RefuseForm(),
        },
    )


@login_required
def document_file(request, pk, doc_id):
    """A dependant's document: for its artisan, or staff of its territory; never sniffed."""
    document = get_object_or_404(
        DependantDocument.objects.select_related("dependant"), pk=doc_id, dependant_id=pk
    )
    user = request.user
    if not policy.may_see_documents(user):
        raise PermissionDenied
    selectors.dependant_for(user, pk)
    return inline_file_response(document)


@_staff
def schedule(request):
    """The contribution schedule; national administrators add a row from a month on."""
    may_edit = policy.may_edit_schedule(request.user)
    form = RateForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.add_rates(actor=request.user, rows=[form.cleaned_data])
            except DomainError as error:
                for messages_ in error.fields.values():
                    for message in messages_:
                        form.add_error(None, message)
                status = 400
            else:
                messages.success(request, _("The schedule is changed from that month on."))
                return redirect("coverage:schedule")
        else:
            status = 400
    return render(
        request,
        "coverage/schedule.html",
        {"rates": selectors.schedule(), "form": form, "may_edit": may_edit},
        status=status,
    )
