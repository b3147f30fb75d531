"""The artisan's own space (/me/): where my file stands, claiming a file an agent filed,
withdrawing, renewing, the attestation. The application wizard is in `apply.py`.

Views only collect and show; `hirfa.register.services` decides and `hirfa.register.policy`
says what may be done.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hirfa.core.errors import DomainError, NotFound
from hirfa.core.forms import show_domain_error
from hirfa.notifications.selectors import notifications_for
from hirfa.register import policy, selectors, services
from hirfa.register.forms import (
    ClaimForm,
)
from hirfa.register.models import Dossier
from hirfa.register.numbers import dossier_reference, format_number
from hirfa.register.rules import OPEN_STATES, RejectionReason
from hirfa.territory import selectors as territory

# Step 1's answers, kept until step 2 creates the dossier.
SESSION_PERSON = "apply_person"


S = Dossier.State


# --- Access -----------------------------------------------------------------------------


def artisan_required(view):
    """Logged in, with an artisan account: staff have their own desk."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not policy.may_apply(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapper)


def person_of(user):
    try:
        return user.person
    except ObjectDoesNotExist:
        return None


def editable_dossier(user) -> Dossier | None:
    dossier = selectors.current_dossier_of(user)
    return dossier if dossier is not None and policy.is_editable(dossier) else None


def may_start_now(user, dossier=None, registration=None) -> bool:
    """No open file and no live registration: a (new) first application may begin."""
    return policy.may_start(
        dossier if dossier is not None else selectors.current_dossier_of(user),
        registration if registration is not None else selectors.current_registration_of(user),
    )


def steps_of(dossier) -> list[str]:
    if dossier is None or dossier.kind == Dossier.Kind.REGISTRATION:
        return ["you", "craft", "documents", "check"]
    if dossier.kind == Dossier.Kind.MODIFICATION:
        return ["craft", "documents", "check"]
    return ["documents", "check"]


def resume_url(request, dossier=None) -> str | None:
    """Where the artisan left their application, or None when there is nothing to do."""
    user = request.user
    dossier = dossier if dossier is not None else selectors.current_dossier_of(user)
    if dossier is not None and policy.is_editable(dossier):
        if dossier.state == S.DRAFT and selectors.missing_documents(dossier):
            return reverse("artisan:apply_documents")
        return reverse("artisan:apply_check")
    if may_start_now(user, dossier):
        step = "craft" if request.session.get(SESSION_PERSON) else "you"
        return reverse(f"artisan:apply_{step}")
    return None


def _open_renewal(registration) -> Dossier | None:
    return (
        registration.dossiers.filter(kind=Dossier.Kind.RENEWAL, state__in=OPEN_STATES)
        .order_by("-created_at")
        .first()
    )


def named_documents(dossier) -> list[tuple]:
    """(name of the kind of document, document) for each file attached to the dossier."""
    names = {r.code: r.name for r in selectors.required_documents(dossier.category)}
    return [(names.get(d.kind, d.kind), d) for d in dossier.documents.all()]


def nothing_to_edit(request):
    messages.info(request, _("Your file cannot be changed now. Here is where it stands."))
    return redirect("artisan:space")


# --- The space --------------------------------------------------------------------------


def _history(person) -> list[tuple]:
    """What happened to my files, newest first, told in sentences, from the files themselves."""
    events = []
    dossiers = person.dossiers.prefetch_related("messages").select_related("registration")
    for dossier in dossiers:
        kind = dossier.get_kind_display()
        events.append((dossier.created_at, _("You started a file: %(kind)s.") % {"kind": kind}))
        if dossier.submitted_at:
            events.append((dossier.submitted_at, _("You sent your file to the register.")))
        for message in dossier.messages.all():
            events.append(
                (message.at, _("The register wrote to you: %(text)s") % {"text": message.body})
            )
        if dossier.decided_at:
            events.append((dossier.decided_at, _decision_sentence(dossier)))
        elif dossier.state == S.WITHDRAWN:
            events.append((dossier.updated_at, _("You withdrew your file.")))
    events.sort(key=lambda event: event[0], reverse=True)
    return events


def _decision_sentence(dossier) -> str:
    if dossier.state == S.APPROVED:
        return _("The register approved your file.")
    if dossier.state == S.REJECTED:
        return _("The register refused your file.")
    return _("Your file is now: %(state)s.") % {"state": dossier.get_state_display()}


@artisan_required
def space(request):
    user = request.user
    person = person_of(user)
    dossier = selectors.current_dossier_of(user)
    registration = selectors.current_registration_of(user)
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
        context["renewal_due"] = (
            policy.renewal_due(registration) and _open_renewal(registration) is None
        )
        context["attestation_available"] = policy.attestation_available(registration)
    if dossier is not None:
        context["reference"] = dossier_reference(dossier.pk)
        context["reviewer_messages"] = list(dossier.messages.all())
        context["documents"] = named_documents(dossier)
        context["receipt_available"] = policy.receipt_available(dossier)
        context["missing"] = (
            selectors.missing_documents(dossier) if policy.is_editable(dossier) else []
        )
        if dossier.rejection_reason:
            context["rejection_reason"] = RejectionReason(dossier.rejection_reason).label
    context.update(
        resume_url=resume_url(request, dossier),
        may_start=may_start_now(user, dossier, registration),
        may_modify=policy.may_request_modification(registration, dossier),
        history=_history(person),
    )
    return render(request, "register/artisan/space.html", context)


@artisan_required
def claim(request):
    """ "A chamber agent already registered me": take over that file with my CNIE."""
    if person_of(request.user) is not None:
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


@artisan_required
def withdraw(request):
    """Stop my open application, after a confirmation."""
    dossier = selectors.current_dossier_of(request.user)
    if not policy.is_open(dossier):
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
    registration = selectors.current_registration_of(request.user)
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
    registration = selectors.current_registration_of(request.user)
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
