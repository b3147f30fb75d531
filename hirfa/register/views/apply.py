"""The artisan's application wizard (/me/apply/): who I am, my craft, my documents, check and
send; and the same steps for a change of my registration.

Views only collect and show; `hirfa.register.services` decides. Until the dossier exists
(steps 1 and 2 create it together), the answers of step 1 wait in the session.
"""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hirfa.core import validators
from hirfa.core.errors import DomainError
from hirfa.core.forms import show_domain_error
from hirfa.register import policy, selectors, services
from hirfa.register.forms import (
    PERSON_FIELDS,
    CraftForm,
    DeclarationForm,
    DocumentForm,
    PersonForm,
    activity_choices,
    commune_picker,
    craft_initial,
    person_initial,
)
from hirfa.register.models import Dossier, Education, Registration
from hirfa.register.views.artisan import (
    SESSION_PERSON,
    artisan_required,
    editable_dossier,
    may_start_now,
    named_documents,
    nothing_to_edit,
    person_of,
    resume_url,
    steps_of,
)
from hirfa.territory import selectors as territory

S = Dossier.State

STEP_NAMES = {
    "you": gettext_lazy("You"),
    "craft": gettext_lazy("Your craft"),
    "documents": gettext_lazy("Documents"),
    "check": gettext_lazy("Check and send"),
}


@artisan_required
def apply(request):
    url = resume_url(request)
    return redirect(url) if url else nothing_to_edit(request)


def _wizard(request, step, dossier, *, steps=None, **context):
    steps = steps or steps_of(dossier)
    context.update(
        step=step,
        steps=[(name, STEP_NAMES[name]) for name in steps],
        step_number=steps.index(step) + 1,
        step_count=len(steps),
        dossier=dossier,
    )
    return context


def _commune_picker(prefix: str, commune_code: str, province_code: str = "") -> dict:
    """The province-then-commune picker of a wizard field, over the whole country."""
    picker = commune_picker(
        provinces=territory.provinces().order_by("region__code", "code"),
        commune_code=commune_code,
        province_code=province_code,
    )
    return picker | {"name": prefix, "province_name": f"{prefix}_province"}


def _as_text(data: dict) -> dict:
    """Form answers as JSON-friendly text (dates in ISO form), for the session."""
    return {
        key: value.isoformat() if hasattr(value, "isoformat") else ("" if value is None else value)
        for key, value in data.items()
    }


# Fields typed in Latin letters or digits: written left to right even on Arabic pages.
_LEFT_TO_RIGHT = ("cnie", "first_name_latin", "last_name_latin", "phone", "email")


def _person_form(*args, **kwargs) -> PersonForm:
    form = PersonForm(*args, label_suffix="", **kwargs)
    for name in _LEFT_TO_RIGHT:
        form.fields[name].widget.attrs["dir"] = "ltr"
    form.fields["first_name_ar"].widget.attrs["dir"] = "rtl"
    form.fields["last_name_ar"].widget.attrs["dir"] = "rtl"
    form.fields["email"].widget.attrs.update(type="email", autocomplete="email")
    # No education chosen in advance: the person picks one.
    form.fields["education"].choices = [("", "—"), *Education.choices]
    return form


def _with_service_errors(form, check) -> None:
    """Beside the form's own errors, the service's for the other fields: every problem of
    the page shown at once, not one round after another."""
    try:
        check()
    except DomainError as error:
        for field, field_messages in error.fields.items():
            if field in form.fields and field not in form.errors:
                for message in field_messages:
                    form.add_error(field, message)


def _craft_form(*args, **kwargs) -> CraftForm:
    return CraftForm(*args, label_suffix="", **kwargs)


def _render_person(request, form, dossier, status=200):
    commune = form["commune"].value() or ""
    province = request.POST.get("commune_province", "") if request.method == "POST" else ""
    return render(
        request,
        "register/artisan/apply_you.html",
        _wizard(
            request, "you", dossier, form=form, picker=_commune_picker("commune", commune, province)
        ),
        status=status,
    )


def _person_defaults(request) -> dict:
    user = request.user
    initial = {"phone": user.phone or ""}
    for field, value in (("first_name", user.first_name), ("last_name", user.last_name)):
        if not value:
            continue
        script = "ar" if any(validators.is_arabic_character(c) for c in value) else "latin"
        initial[f"{field}_{script}"] = value
    return initial


@artisan_required
def apply_you(request):
    """Step 1: who I am."""
    user = request.user
    dossier = editable_dossier(user)
    if dossier is not None and dossier.kind != Dossier.Kind.REGISTRATION:
        return redirect("artisan:apply")
    if dossier is None and not may_start_now(user):
        return nothing_to_edit(request)
    if dossier is not None:
        initial = person_initial(dossier.person)
    elif request.session.get(SESSION_PERSON):
        initial = request.session[SESSION_PERSON]
    elif person_of(user) is not None:
        initial = person_initial(person_of(user))
    else:
        initial = _person_defaults(request)
    if request.method != "POST" or request.POST.get("_refresh"):
        data = request.POST.dict() if request.method == "POST" else initial
        return _render_person(request, _person_form(initial=data), dossier)
    form = _person_form(request.POST)
    if form.is_valid():
        data = _as_text(form.cleaned_data)
        try:
            if dossier is not None:
                services.update_dossier(actor=user, dossier=dossier, person_data=data)
            else:
                services.clean_person(data)
                request.session[SESSION_PERSON] = data
        except DomainError as error:
            show_domain_error(request, form, error)
        else:
            return redirect("artisan:apply_craft")
    else:
        _with_service_errors(form, lambda: services.clean_person(request.POST.dict()))
    return _render_person(request, form, dossier)


def _render_craft(request, form, dossier, status=200, **extra):
    secondary = form["secondary_activities"].value() or ""
    codes = [code.strip() for code in str(secondary).split(",") if code.strip()]
    commune = form["workplace_commune"].value() or ""
    province = (
        request.POST.get("workplace_commune_province", "") if request.method == "POST" else ""
    )
    return render(
        request,
        "register/artisan/apply_craft.html",
        _wizard(
            request,
            "craft",
            dossier,
            form=form,
            activity_groups=activity_choices(),
            secondary=[*codes, "", "", ""][: services.MAX_SECONDARY_ACTIVITIES],
            picker=_commune_picker("workplace_commune", commune, province),
            **extra,
        ),
        status=status,
    )


def _craft_post_data(request) -> dict:
    data = request.POST.dict()
    data["secondary_activities"] = ", ".join(
        code for code in request.POST.getlist("secondary_activities") if code
    )
    return data


def _craft_service_data(request) -> dict:
    data = request.POST.dict()
    data["secondary_activities"] = [c for c in request.POST.getlist("secondary_activities") if c]
    return data


@artisan_required
def apply_craft(request):
    """Step 2: my craft and where I work. Saving it creates the dossier."""
    user = request.user
    dossier = editable_dossier(user)
    if dossier is not None and dossier.kind == Dossier.Kind.RENEWAL:
        return redirect("artisan:apply")
    person_data = request.session.get(SESSION_PERSON)
    if dossier is None:
        if not may_start_now(user):
            return nothing_to_edit(request)
        if not person_data:
            return redirect("artisan:apply_you")
        initial = {"workplace_commune": person_data.get("commune", "")}
    else:
        initial = craft_initial(dossier)
    if request.method != "POST" or request.POST.get("_refresh"):
        data = _craft_post_data(request) if request.method == "POST" else initial
        return _render_craft(request, _craft_form(initial=data), dossier)
    form = _craft_form(_craft_post_data(request))
    if form.is_valid():
        try:
            if dossier is not None:
                services.update_dossier(actor=user, dossier=dossier, craft_data=form.craft_data())
            else:
                services.start_dossier(
                    applicant=user, person_data=person_data, craft_data=form.craft_data()
                )
        except DomainError as error:
            person_errors = {f: m for f, m in error.fields.items() if f in PERSON_FIELDS}
            if dossier is None and person_errors:
                # e.g. the CNIE is already in the register: fix it on step 1.
                person_form = _person_form(person_data)
                person_form.is_valid()
                show_domain_error(request, person_form, error)
                return _render_person(request, person_form, None)
            show_domain_error(request, form, error)
        else:
            request.session.pop(SESSION_PERSON, None)
            messages.success(request, _("Your application is saved. You can come back any time."))
            return redirect("artisan:apply_documents")
    else:
        _with_service_errors(form, lambda: services.clean_craft(_craft_service_data(request)))
    return _render_craft(request, form, dossier)


@artisan_required
def apply_documents(request):
    """Step 3: one upload per document asked for the category."""
    user = request.user
    dossier = editable_dossier(user)
    if dossier is None:
        return redirect("artisan:apply") if may_start_now(user) else nothing_to_edit(request)
    failed_kind, failed_form = None, None
    if request.method == "POST":
        form = DocumentForm(request.POST, request.FILES, label_suffix="")
        kind = str(request.POST.get("kind", ""))
        if form.is_valid():
            try:
                services.attach_document(
                    actor=user,
                    dossier=dossier,
                    kind=kind,
                    uploaded=form.cleaned_data["file"],
                    replacing=request.POST.get("replace") or None,
                )
            except DomainError as error:
                show_domain_error(request, form, error)
            else:
                messages.success(request, _("We received your document."))
                return redirect("artisan:apply_documents")
        failed_kind, failed_form = kind, form
    documents = list(dossier.documents.all())
    missing = selectors.missing_documents(dossier)
    requirements = []
    for requirement in selectors.required_documents(dossier.category):
        attached = [d for d in documents if d.kind == requirement.code]
        failed = failed_kind == requirement.code
        requirements.append(
            {
                "requirement": requirement,
                "attached": attached,
                "missing": requirement in missing,
                "form": failed_form if failed else DocumentForm(initial={"kind": requirement.code}),
            }
        )
    if failed_kind and not any(r["requirement"].code == failed_kind for r in requirements):
        messages.error(request, _("This kind of document is not asked for this file."))
    return render(
        request,
        "register/artisan/apply_documents.html",
        _wizard(
            request,
            "documents",
            dossier,
            may_remove=policy.may_remove_document(dossier),
            requirements=requirements,
            missing=missing,
            max_megabytes=round(settings.DOCUMENT_MAX_BYTES / 1_048_576, 1),
        ),
    )


@require_POST
@artisan_required
def remove_document(request, doc_id):
    """Take out a document attached by mistake, before the file is sent."""
    dossier = selectors.current_dossier_of(request.user)
    if dossier is None:
        return redirect("artisan:space")
    try:
        services.remove_document(actor=request.user, dossier=dossier, document_id=doc_id)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The document is removed. You can send the right one."))
    return redirect("artisan:apply_documents")


@artisan_required
def apply_check(request):
    """Step 4: everything on one page, then send (or send again)."""
    user = request.user
    dossier = editable_dossier(user)
    if dossier is None:
        if request.method == "POST":
            messages.info(request, _("Your file was already sent."))
            return redirect("artisan:space")
        return redirect("artisan:apply") if may_start_now(user) else nothing_to_edit(request)
    form = DeclarationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit(actor=user, dossier=dossier)
        except DomainError as error:
            show_domain_error(request, form, error)
        else:
            messages.success(
                request,
                _("Your application is sent. We will tell you by SMS when an officer decides."),
            )
            return redirect("artisan:space")
    return render(
        request,
        "register/artisan/apply_check.html",
        _wizard(
            request,
            "check",
            dossier,
            form=form,
            person=dossier.person,
            documents=named_documents(dossier),
            missing=selectors.missing_documents(dossier),
            secondary_activities=list(dossier.secondary_activities.all()),
            reviewer_messages=list(dossier.messages.all()),
        ),
    )


def _modifiable(user) -> Registration | None:
    """The active registration, when no other file of mine is open."""
    registration = selectors.current_registration_of(user)
    if policy.may_request_modification(registration, selectors.current_dossier_of(user)):
        return registration
    return None


@artisan_required
def modify(request):
    """Ask to change the category, the crafts or the workplace of my registration."""
    user = request.user
    registration = _modifiable(user)
    if registration is None:
        return nothing_to_edit(request)
    extra = {
        "steps": ["craft", "documents", "check"],
        "modifying": True,
        "form_action": reverse("artisan:modify"),
    }
    if request.method != "POST" or request.POST.get("_refresh"):
        data = (
            _craft_post_data(request) if request.method == "POST" else craft_initial(registration)
        )
        return _render_craft(request, _craft_form(initial=data), None, **extra)
    form = _craft_form(_craft_post_data(request))
    if form.is_valid():
        try:
            services.request_modification(
                actor=user, registration=registration, craft_data=form.craft_data()
            )
        except DomainError as error:
            show_domain_error(request, form, error)
        else:
            messages.success(
                request,
                _("Your request to change your registration is saved. Now add the documents."),
            )
            return redirect("artisan:apply_documents")
    return _render_craft(request, form, None, **extra)
