"""The artisan's own space (/me/): where my file stands, the application wizard, my papers.

Views only collect and show; `hirfa.register.services` decides. Until the dossier
exists (steps 1 and 2 create it together), the answers of step 1 wait in the session.
"""

from datetime import timedelta
from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from hirfa.accounts.roles import Role
from hirfa.core.errors import DomainError, NotFound
from hirfa.core.forms import show_domain_error
from hirfa.crafts.selectors import nomenclature_tree
from hirfa.notifications.selectors import notifications_for
from hirfa.register import selectors, services
from hirfa.register.forms import (
    PERSON_FIELDS,
    CraftForm,
    DocumentForm,
    PersonForm,
    craft_initial,
    person_initial,
)
from hirfa.register.models import Dossier, Education, Registration
from hirfa.register.numbers import format_number
from hirfa.register.rules import EDITABLE_STATES, OPEN_STATES, RejectionReason
from hirfa.territory import selectors as territory

# Step 1's answers, kept until step 2 creates the dossier.
SESSION_PERSON = "apply_person"

STEP_NAMES = {
    "you": gettext_lazy("You"),
    "craft": gettext_lazy("Your craft"),
    "documents": gettext_lazy("Documents"),
    "check": gettext_lazy("Check and send"),
}

S = Dossier.State


class _PlainLabels:
    """Labels without the trailing colon, which reads badly above a field in Arabic."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class ClaimForm(_PlainLabels, forms.Form):
    cnie = forms.CharField(
        label=gettext_lazy("Your national identity card number (CNIE)"),
        max_length=20,
        help_text=gettext_lazy("As written on your card, for example BE123456."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "dir": "ltr"}),
    )


class DeclarationForm(_PlainLabels, forms.Form):
    declaration = forms.BooleanField(
        label=gettext_lazy("I declare that this information is true and complete."),
        error_messages={"required": gettext_lazy("Tick this box to send your application.")},
    )


# --- Access -----------------------------------------------------------------------------


def artisan_required(view):
    """Logged in, with an artisan account: staff have their own desk."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.role != Role.ARTISAN:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapper)


def _person(user):
    try:
        return user.person
    except ObjectDoesNotExist:
        return None


def _registration(user) -> Registration | None:
    return selectors.registrations_for(user).order_by("-created_at", "-id").first()


def _editable(user) -> Dossier | None:
    dossier = selectors.current_dossier_of(user)
    return dossier if dossier is not None and dossier.state in EDITABLE_STATES else None


def _may_start(user, dossier=None, registration=None) -> bool:
    """No open file and no live registration: a (new) first application may begin."""
    dossier = dossier if dossier is not None else selectors.current_dossier_of(user)
    registration = registration if registration is not None else _registration(user)
    if dossier is not None and dossier.state in OPEN_STATES:
        return False
    return registration is None or registration.status == Registration.Status.STRUCK_OFF


def _steps_of(dossier) -> list[str]:
    if dossier is None or dossier.kind == Dossier.Kind.REGISTRATION:
        return ["you", "craft", "documents", "check"]
    if dossier.kind == Dossier.Kind.MODIFICATION:
        return ["craft", "documents", "check"]
    return ["documents", "check"]


def _resume_url(request, dossier=None) -> str | None:
    """Where the artisan left their application, or None when there is nothing to do."""
    user = request.user
    dossier = dossier if dossier is not None else selectors.current_dossier_of(user)
    if dossier is not None and dossier.state in EDITABLE_STATES:
        if dossier.state == S.DRAFT and selectors.missing_documents(dossier):
            return reverse("artisan:apply_documents")
        return reverse("artisan:apply_check")
    if _may_start(user, dossier):
        step = "craft" if request.session.get(SESSION_PERSON) else "you"
        return reverse(f"artisan:apply_{step}")
    return None


def _renewal_due(registration) -> bool:
    if registration is None:
        return False
    if registration.status == Registration.Status.EXPIRED:
        return True
    horizon = timezone.localdate() + timedelta(days=settings.RENEWAL_REMINDER_DAYS)
    return registration.status == Registration.Status.ACTIVE and registration.valid_until <= horizon


def _open_renewal(registration) -> Dossier | None:
    return (
        registration.dossiers.filter(kind=Dossier.Kind.RENEWAL, state__in=OPEN_STATES)
        .order_by("-created_at")
        .first()
    )


def _named_documents(dossier) -> list[tuple]:
    """(name of the kind of document, document) for each file attached to the dossier."""
    names = {r.code: r.name for r in selectors.required_documents(dossier.category)}
    return [(names.get(d.kind, d.kind), d) for d in dossier.documents.all()]


def _nothing_to_edit(request):
    messages.info(request, _("Your file cannot be changed now. Here is where it stands."))
    return redirect("artisan:space")


# --- The space --------------------------------------------------------------------------


def _history(person) -> list[tuple]:
    """What happened to my files, newest first, from the files themselves."""
    events = []
    dossiers = person.dossiers.prefetch_related("messages").select_related("registration")
    for dossier in dossiers:
        kind = dossier.get_kind_display()
        events.append((dossier.created_at, _("%(kind)s: file opened") % {"kind": kind}))
        if dossier.submitted_at:
            events.append((dossier.submitted_at, _("%(kind)s: file sent") % {"kind": kind}))
        for message in dossier.messages.all():
            events.append(
                (message.at, _("Message from the register: %(text)s") % {"text": message.body})
            )
        if dossier.decided_at:
            events.append(
                (
                    dossier.decided_at,
                    _("%(kind)s: %(state)s") % {"kind": kind, "state": dossier.get_state_display()},
                )
            )
        elif dossier.state == S.WITHDRAWN:
            events.append((dossier.updated_at, _("%(kind)s: withdrawn") % {"kind": kind}))
    events.sort(key=lambda event: event[0], reverse=True)
    return events


@artisan_required
def space(request):
    user = request.user
    person = _person(user)
    dossier = selectors.current_dossier_of(user)
    registration = _registration(user)
    context = {
        "person": person,
        "dossier": dossier,
        "registration": registration,
        "notifications": notifications_for(user)[:20],
    }
    if person is None:
        context["resume_url"] = (
            reverse("artisan:apply_craft")
            if request.session.get(SESSION_PERSON)
            else reverse("artisan:apply_you")
        )
        return render(request, "register/artisan/space.html", context)
    if registration is not None:
        context["number"] = format_number(registration.number)
        context["renewal_due"] = _renewal_due(registration) and _open_renewal(registration) is None
    if dossier is not None:
        context["reviewer_messages"] = list(dossier.messages.all())
        context["documents"] = _named_documents(dossier)
        context["missing"] = (
            selectors.missing_documents(dossier) if dossier.state in EDITABLE_STATES else []
        )
        if dossier.rejection_reason:
            context["rejection_reason"] = RejectionReason(dossier.rejection_reason).label
    context.update(
        resume_url=_resume_url(request, dossier),
        may_start=_may_start(user, dossier, registration),
        may_modify=registration is not None and _modifiable(user) is not None,
        history=_history(person),
    )
    return render(request, "register/artisan/space.html", context)


@artisan_required
def claim(request):
    """ "A chamber agent already registered me": take over that file with my CNIE."""
    if _person(request.user) is not None:
        return redirect("artisan:space")
    form = ClaimForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.claim_person(user=request.user, cnie=form.cleaned_data["cnie"])
        except DomainError as error:
            if error.fields:
                show_domain_error(request, form, error)
            else:
                form.add_error("cnie", error.message)
        else:
            messages.success(request, _("We found your file. It is now in your space."))
            return redirect("artisan:space")
    return render(request, "register/artisan/claim.html", {"form": form})


# --- The wizard -------------------------------------------------------------------------


@artisan_required
def apply(request):
    url = _resume_url(request)
    return redirect(url) if url else _nothing_to_edit(request)


def _wizard(request, step, dossier, *, steps=None, **context):
    steps = steps or _steps_of(dossier)
    context.update(
        step=step,
        steps=[(name, STEP_NAMES[name]) for name in steps],
        step_number=steps.index(step) + 1,
        step_count=len(steps),
        dossier=dossier,
    )
    return context


def _commune_picker(prefix: str, commune_code: str, province_code: str = "") -> dict:
    """What the province-then-commune picker shows: the provinces, and the chosen one's communes."""
    if not province_code and commune_code:
        try:
            province_code = territory.commune_by_code(str(commune_code)).province.code
        except NotFound:
            province_code = ""
    communes = []
    if province_code:
        try:
            communes = list(territory.communes(str(province_code)).order_by("code"))
        except NotFound:
            province_code = ""
    return {
        "name": prefix,
        "province_name": f"{prefix}_province",
        "provinces": territory.provinces().order_by("region__code", "code"),
        "province": province_code,
        "communes": communes,
        "commune": commune_code or "",
    }


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
        script = "ar" if any("\u0600" <= c <= "\u06ff" for c in value) else "latin"
        initial[f"{field}_{script}"] = value
    return initial


@artisan_required
def apply_you(request):
    """Step 1: who I am."""
    user = request.user
    dossier = _editable(user)
    if dossier is not None and dossier.kind != Dossier.Kind.REGISTRATION:
        return redirect("artisan:apply")
    if dossier is None and not _may_start(user):
        return _nothing_to_edit(request)
    if dossier is not None:
        initial = person_initial(dossier.person)
    elif request.session.get(SESSION_PERSON):
        initial = request.session[SESSION_PERSON]
    elif _person(user) is not None:
        initial = person_initial(_person(user))
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
    return _render_person(request, form, dossier)


def _activity_groups():
    """The active activities, grouped by branch, in official order."""
    groups = []
    for category in nomenclature_tree():
        for branch in category.branches.all():
            activities = [(a.code, a.name) for a in branch.activities.all()]
            if activities:
                groups.append((branch.name, activities))
    return groups


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
            activity_groups=_activity_groups(),
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


@artisan_required
def apply_craft(request):
    """Step 2: my craft and where I work. Saving it creates the dossier."""
    user = request.user
    dossier = _editable(user)
    if dossier is not None and dossier.kind == Dossier.Kind.RENEWAL:
        return redirect("artisan:apply")
    person_data = request.session.get(SESSION_PERSON)
    if dossier is None:
        if not _may_start(user):
            return _nothing_to_edit(request)
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
    return _render_craft(request, form, dossier)


@artisan_required
def apply_documents(request):
    """Step 3: one upload per document asked for the category."""
    user = request.user
    dossier = _editable(user)
    if dossier is None:
        return redirect("artisan:apply") if _may_start(user) else _nothing_to_edit(request)
    failed_kind, failed_form = None, None
    if request.method == "POST":
        form = DocumentForm(request.POST, request.FILES, label_suffix="")
        kind = str(request.POST.get("kind", ""))
        if form.is_valid():
            try:
                services.attach_document(
                    actor=user, dossier=dossier, kind=kind, uploaded=form.cleaned_data["file"]
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
            requirements=requirements,
            missing=missing,
            max_megabytes=round(settings.DOCUMENT_MAX_BYTES / 1_048_576, 1),
        ),
    )


@artisan_required
def apply_check(request):
    """Step 4: everything on one page, then send (or send again)."""
    user = request.user
    dossier = _editable(user)
    if dossier is None:
        if request.method == "POST":
            messages.info(request, _("Your file was already sent."))
            return redirect("artisan:space")
        return redirect("artisan:apply") if _may_start(user) else _nothing_to_edit(request)
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
            documents=_named_documents(dossier),
            missing=selectors.missing_documents(dossier),
            secondary_activities=list(dossier.secondary_activities.all()),
            reviewer_messages=list(dossier.messages.all()),
        ),
    )


def _modifiable(user) -> Registration | None:
    """The active registration, when no other file of mine is open."""
    registration = _registration(user)
    if registration is None or registration.status != Registration.Status.ACTIVE:
        return None
    dossier = selectors.current_dossier_of(user)
    if dossier is not None and dossier.state in OPEN_STATES:
        return None
    return registration


@artisan_required
def modify(request):
    """Ask to change the category, the crafts or the workplace of my registration."""
    user = request.user
    registration = _modifiable(user)
    if registration is None:
        return _nothing_to_edit(request)
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


@artisan_required
def withdraw(request):
    """Stop my open application, after a confirmation."""
    dossier = selectors.current_dossier_of(request.user)
    if dossier is None or dossier.state not in OPEN_STATES:
        if request.method == "POST":
            messages.info(request, _("There is no open application to withdraw."))
        return redirect("artisan:space")
    if request.method == "POST":
        try:
            services.withdraw(actor=request.user, dossier=dossier)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            request.session.pop(SESSION_PERSON, None)
            messages.success(request, _("Your application is withdrawn."))
        return redirect("artisan:space")
    return render(request, "register/artisan/withdraw.html", {"dossier": dossier})


@require_POST
@artisan_required
def renew(request):
    registration = _registration(request.user)
    if registration is None:
        return redirect("artisan:space")
    if _open_renewal(registration) is not None:
        return redirect("artisan:apply")
    try:
        services.request_renewal(actor=request.user, registration=registration)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("artisan:space")
    messages.success(request, _("Your renewal is started. Check it, then send it."))
    return redirect("artisan:apply")


@artisan_required
def attestation(request):
    registration = _registration(request.user)
    if registration is None:
        raise Http404
    try:
        pdf = services.attestation_pdf(actor=request.user, registration=registration)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("artisan:space")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="attestation-{registration.number}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@artisan_required
def communes(request):
    """The <option>s of a province's communes, for the htmx commune picker."""
    code = request.GET.get("province") or next(
        (v for k, v in request.GET.items() if k.endswith("_province")), ""
    )
    options = [format_html('<option value="">{}</option>', _("Choose your commune"))]
    if code:
        try:
            for commune in territory.communes(str(code)[:12]).order_by("code"):
                options.append(
                    format_html('<option value="{}">{}</option>', commune.code, commune.name)
                )
        except NotFound:
            pass
    return HttpResponse("".join(options))
