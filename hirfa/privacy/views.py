"""The artisan's data (/me/data/): what the register holds, the JSON and PDF downloads, their
documents, and a request to correct their identity. Views collect and show; the privacy
services decide and audit."""

import json
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hirfa.core.errors import DomainError
from hirfa.core.files import inline_file_response
from hirfa.core.forms import show_domain_error
from hirfa.privacy import policy, selectors, services
from hirfa.privacy.policy import CorrectionRoute
from hirfa.register import selectors as register_selectors
from hirfa.register.forms import PersonForm, commune_picker, person_initial
from hirfa.register.models import Education
from hirfa.territory import selectors as territory

# Typed in Latin letters or digits: written left to right even on Arabic pages.
_LEFT_TO_RIGHT = ("cnie", "first_name_latin", "last_name_latin", "phone", "email")


def own_data_required(view):
    """Logged in, with an artisan's account (staff see files through their desk)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not policy.may_see_own_data(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapper)


def _correction_form(*args, **kwargs) -> PersonForm:
    form = PersonForm(*args, label_suffix="", **kwargs)
    for name in _LEFT_TO_RIGHT:
        form.fields[name].widget.attrs["dir"] = "ltr"
    for name in ("first_name_ar", "last_name_ar"):
        form.fields[name].widget.attrs["dir"] = "rtl"
    form.fields["email"].widget.attrs.update(type="email", autocomplete="email")
    form.fields["education"].choices = [("", "—"), *Education.choices]
    return form


def _as_text(data: dict) -> dict:
    return {
        key: value.isoformat() if hasattr(value, "isoformat") else ("" if value is None else value)
        for key, value in data.items()
    }


def _route(user) -> CorrectionRoute:
    return policy.correction_route(
        register_selectors.current_registration_of(user),
        register_selectors.current_dossier_of(user),
    )


def _current_identity(user, person, route) -> dict:
    """The identity as held, with the corrections already proposed on the request being
    prepared, if any."""
    initial = person_initial(person)
    if route == CorrectionRoute.OPEN_REQUEST:
        dossier = register_selectors.current_dossier_of(user)
        initial |= {field: change["to"] for field, change in dossier.person_changes.items()}
    return initial


@own_data_required
@require_http_methods(["GET", "POST"])
def mine(request):
    """What the register holds about me; the downloads; asking for a correction."""
    user = request.user
    person = selectors.person_of(user)
    route = _route(user) if person is not None else CorrectionRoute.NONE
    form = None
    if route in (CorrectionRoute.MODIFICATION, CorrectionRoute.OPEN_REQUEST):
        if request.method == "POST" and not request.POST.get("_refresh"):
            form = _correction_form(request.POST)
            if form.is_valid():
                try:
                    dossier = services.request_correction(
                        actor=user, person_data=_as_text(form.cleaned_data)
                    )
                except DomainError as error:
                    show_domain_error(request, form, error)
                else:
                    messages.success(
                        request,
                        _(
                            "Your correction is saved as a request to modify your "
                            "registration. Add the documents it asks for and send it: an "
                            "officer will check it. Your details change once it is approved."
                        ),
                    )
                    missing = register_selectors.missing_documents(dossier)
                    return redirect("artisan:apply_documents" if missing else "artisan:apply_check")
        elif request.method == "POST":
            form = _correction_form(initial=request.POST.dict())
        else:
            form = _correction_form(initial=_current_identity(user, person, route))
    elif request.method == "POST":
        messages.error(request, _("Your details cannot be corrected here now."))
        return redirect("privacy:mine")
    data = selectors.personal_data(user)
    context = {
        "person": person,
        "summary": selectors.summary(data),
        "accesses": data["accesses"][-10:][::-1],
        "route": route.value,
        "form": form,
        "retention_days": policy.retention_days(),
    }
    if form is not None:
        commune = form["commune"].value() or ""
        province = request.POST.get("commune_province", "") if request.method == "POST" else ""
        context["picker"] = commune_picker(
            provinces=territory.provinces().order_by("region__code", "code"),
            commune_code=commune,
            province_code=province,
        ) | {"name": "commune", "province_name": "commune_province"}
    return render(request, "privacy/mine.html", context)


@own_data_required
@require_GET
def data_json(request):
    data = services.export_personal_data(actor=request.user, export_format="json")
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@own_data_required
@require_GET
def data_pdf(request):
    data = services.export_personal_data(actor=request.user, export_format="pdf")
    from hirfa.privacy import pdf  # fpdf, when a copy is drawn (ADR 0090)

    response = HttpResponse(pdf.render(data), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="my-data.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@own_data_required
@require_GET
def document(request, pk):
    return inline_file_response(selectors.own_document(request.user, pk))


@own_data_required
@require_GET
def dependant_document(request, pk):
    return inline_file_response(selectors.own_dependant_document(request.user, pk))
