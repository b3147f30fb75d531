"""Registrations for staff: the list (by number or CNIE, by status), a registration's page,
suspending, reinstating, striking off, and filing a change with the artisan."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hirfa.accounts.roles import Capability, require_capability
from hirfa.accounts.selectors import history_for
from hirfa.core import kept_searches, validators
from hirfa.core.errors import Conflict, DomainError, Forbidden
from hirfa.core.forms import show_domain_error
from hirfa.register import policy, selectors, services
from hirfa.register.filters import clean_filters, ignored
from hirfa.register.forms import (
    AssistedCraftForm,
    ReasonForm,
    StrikeOffForm,
    activity_choices,
    commune_picker,
    craft_initial,
    grouped_commune_choices,
)
from hirfa.register.models import Registration
from hirfa.register.numbers import parse_number
from hirfa.register.views.common import (
    PAGE_SIZE,
    formatted,
    in_scope_communes,
    in_scope_provinces,
)
from hirfa.register.views.desk import show_error_on


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
@require_http_methods(["GET", "POST"])
def registrations(request):
    """The list; a number or a CNIE asked is posted and kept in the session, the address
    shows only its id (`core/kept_searches.py`, ADR 0077)."""
    user = request.user
    require_capability(user, Capability.VIEW_WORKSPACE)
    asked, search_id, expired = kept_searches.asked(request, ("q", "status"))
    if request.method == "POST":
        return redirect(f"{reverse('register_staff:registrations')}?s={search_id}")
    queryset = selectors.registrations_for(user).order_by("-registered_on", "-id")
    filters, problems = clean_filters(user, asked, only=("status",))
    warnings = ignored(problems)
    if expired:
        warnings.append(kept_searches.EXPIRED)
    status = filters.status
    if status:
        queryset = queryset.filter(status=status)
    query = str(asked.get("q") or "").strip()[:40]
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
    selectors.registrants_shown(page)
    for registration in page:
        registration.formatted_number = formatted(registration.number)
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


def _registration_page(request, registration: Registration, *, status=200, **forms_):
    user = request.user
    context = {
        "registration": registration,
        "formatted_number": formatted(registration.number),
        "secondary": list(registration.secondary_activities.all()),
        "dossiers": selectors.dossiers_for(user)
        .filter(registration=registration)
        .order_by("-created_at"),
        "history": history_for(
            user, object_type=Registration._meta.label_lower, object_id=registration.pk
        ),
        "may_act": policy.may_manage_registrations(user),
        "may": policy.registration_actions(user, registration),
        "may_file": policy.may_file_for(user, registration),
        "suspend_form": forms_.get("suspend_form") or ReasonForm(prefix="suspend"),
        "reinstate_form": forms_.get("reinstate_form") or ReasonForm(prefix="reinstate"),
    }
    response = render(request, "register/staff/registration.html", context, status=status)
    add_never_cache_headers(response)
    return response


@login_required
@require_GET
def registration(request, number):
    require_capability(request.user, Capability.VIEW_WORKSPACE)
    registration = selectors.registration_for(request.user, number)
    return _registration_page(request, registration)


@login_required
@require_http_methods(["GET", "POST"])
def registration_modify(request, number):
    """File, with the artisan, a change of category, activities or workplace."""
    user = request.user
    require_capability(user, Capability.FILE_ASSISTED)
    registration = selectors.registration_for(user, number)
    communes = in_scope_communes(user)
    provinces = in_scope_provinces(user)
    commune_choices = grouped_commune_choices(communes)
    initial = craft_initial(registration)
    initial["secondary_activities"] = [a.code for a in registration.secondary_activities.all()]
    craft_form = AssistedCraftForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        commune_choices=commune_choices,
        activity_choices=activity_choices(with_codes=True),
    )
    summary, status = "", 200
    if request.method == "POST":
        if craft_form.is_valid():
            try:
                dossier = services.request_modification(
                    actor=user, registration=registration, craft_data=craft_form.craft_data()
                )
            except DomainError as error:
                summary = show_error_on(request, [craft_form], error)
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
        "formatted_number": formatted(registration.number),
        "craft_form": craft_form,
        "provinces": provinces,
        "work_picker": commune_picker(
            provinces=provinces,
            commune_code=craft_form["workplace_commune"].value(),
            province_code=posted,
            communes=communes,
        ),
        "summary": summary,
    }
    return render(request, "register/staff/registration_modify.html", context, status=status)


def _change_status(request, number, *, prefix, form_class, call, page, success):
    require_capability(request.user, Capability.REVIEW)
    registration = selectors.registration_for(request.user, number)
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            call(registration, form.cleaned_data)
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
            "formatted_number": formatted(registration.number),
            "form": form,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def strike_off(request, number):
    """Striking off is final: a page of its own, with the reason and a confirmation."""
    if request.method == "GET":
        require_capability(request.user, Capability.REVIEW)
        registration = selectors.registration_for(request.user, number)
        if not policy.may_move_registration(registration, "strike_off"):
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
