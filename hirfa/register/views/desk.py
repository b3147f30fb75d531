"""The chamber agent's desk: assisted filing with the artisan (persons and entities),
documents, corrections, sending for review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hirfa.accounts.roles import Capability, require_capability
from hirfa.accounts.selectors import provinces_for
from hirfa.core.errors import Conflict, DomainError, Forbidden
from hirfa.core.files import inline_file_response
from hirfa.core.forms import show_domain_error
from hirfa.core.languages import LOCAL_NAMES
from hirfa.register import policy, selectors, services
from hirfa.register.forms import (
    AssistedCraftForm,
    AssistedEntityCraftForm,
    AssistedEntityForm,
    AssistedPersonForm,
    ConsentForm,
    DocumentForm,
    EntityConsentForm,
    activity_choices,
    commune_picker,
    craft_initial,
    grouped_commune_choices,
    person_initial,
)
from hirfa.register.models import Dossier
from hirfa.register.views.common import (
    PAGE_SIZE,
    in_scope_communes,
    in_scope_provinces,
    sorted_by_name,
)
from hirfa.territory import selectors as territory

FILED = gettext_lazy("The file of %(name)s is saved. Now attach the documents.")


def filing_context(request, *, registrant_form, craft_form, consent_form, communes, provinces):
    """What a filing page shows beside its forms: the two commune pickers, the activities."""
    selected = set(craft_form["secondary_activities"].value() or [])
    # Both pickers post a "province": the home's first, then the workplace's.
    posted = [*(request.POST.getlist("province") if request.method == "POST" else []), "", ""]
    return {
        "registrant_form": registrant_form,
        "craft_form": craft_form,
        "consent_form": consent_form,
        "provinces": provinces,
        "home_picker": commune_picker(
            provinces=provinces,
            commune_code=registrant_form["commune"].value(),
            province_code=posted[0],
            communes=communes,
        ),
        "work_picker": commune_picker(
            provinces=provinces,
            commune_code=craft_form["workplace_commune"].value(),
            province_code=posted[1],
            communes=communes,
        ),
        "activity_groups": [
            (branch, activities, any(code in selected for code, _name in activities))
            for branch, activities in craft_form.fields["secondary_activities"].choices
        ],
        "secondary_selected": selected,
    }


def show_error_on(request, forms_, error: DomainError) -> str:
    """Each field message beside its field, in whichever form has it; returns the summary."""
    for form in forms_:
        if any(name in form.fields for name in error.fields):
            show_domain_error(request, form, error)
    return str(error.message)  # shown on top: it alone explains a refusal without fields


@login_required
@require_GET
def desk(request):
    """The agent's files not yet decided, newest first."""
    require_capability(request.user, Capability.FILE_ASSISTED)
    page = Paginator(selectors.pending_for_agent(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    selectors.registrants_shown(page)
    return render(request, "register/staff/desk.html", {"page": page})


def desk_filing(
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
    forms = [form for form in (registrant_form, craft_form, consent_form) if form is not None]
    summary, status = "", 200
    if request.method == "POST":
        status = 400
        if all(form.is_valid() for form in forms):
            try:
                dossier = file()
            except DomainError as error:
                summary = show_error_on(request, forms, error)
            else:
                messages.success(request, saved % {"name": dossier.registrant_name_latin})
                return redirect("register_staff:desk_dossier", pk=dossier.pk)
        else:
            summary = _("Some information is missing or not valid.")
    context = filing_context(
        request,
        registrant_form=registrant_form,
        craft_form=craft_form,
        consent_form=consent_form,
        communes=communes,
        provinces=in_scope_provinces(request.user),
    )
    context["summary"] = summary
    context.update(extra or {})
    return render(request, template, context, status=status)


def new_person_filing(request, *, file, person=None, craft=None, consent=None):
    """The desk's page to file a person's first application, its forms filled with what is
    already known (`person`, `craft`, `consent` initial values); `file(person_form,
    craft_form, consent_form)` files it once the forms are valid."""
    communes = in_scope_communes(request.user)
    commune_choices = grouped_commune_choices(communes)
    data = request.POST if request.method == "POST" else None
    person_form = AssistedPersonForm(data, initial=person, commune_choices=commune_choices)
    craft_form = AssistedCraftForm(
        data,
        initial=craft,
        commune_choices=commune_choices,
        activity_choices=activity_choices(with_codes=True),
    )
    consent_form = ConsentForm(data, initial=consent)
    return desk_filing(
        request,
        communes=communes,
        registrant_form=person_form,
        craft_form=craft_form,
        consent_form=consent_form,
        file=lambda: file(person_form, craft_form, consent_form),
        template="register/staff/desk_new.html",
    )


@login_required
@require_http_methods(["GET", "POST"])
def desk_new(request):
    """One page to file with the artisan: person, craft, and consent after the notice."""
    require_capability(request.user, Capability.FILE_ASSISTED)
    return new_person_filing(
        request,
        file=lambda person_form, craft_form, consent_form: services.file_assisted(
            agent=request.user,
            person_data=person_form.cleaned_data,
            craft_data=craft_form.craft_data(),
            consent=consent_form.cleaned_data["consent"],
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def desk_edit(request, pk):
    """Correct the artisan's data and craft in a file the agent filed, while it is a draft
    or its reviewer asked for changes (documents are changed on the file's page)."""
    require_capability(request.user, Capability.FILE_ASSISTED)
    dossier = selectors.dossier_for(request.user, pk)
    if dossier.person_id is None or dossier.kind != Dossier.Kind.REGISTRATION:
        raise Http404
    if not policy.may_correct_at_desk(request.user, dossier):
        messages.error(request, _("This file can no longer be changed."))
        return redirect("register_staff:desk_dossier", pk=dossier.pk)
    communes = in_scope_communes(request.user)
    commune_choices = grouped_commune_choices(communes)
    data = request.POST if request.method == "POST" else None
    person_form = AssistedPersonForm(
        data, initial=person_initial(dossier.person), commune_choices=commune_choices
    )
    craft_form = AssistedCraftForm(
        data,
        initial=craft_initial(dossier)
        | {"secondary_activities": [a.code for a in dossier.secondary_activities.all()]},
        commune_choices=commune_choices,
        activity_choices=activity_choices(with_codes=True),
    )
    return desk_filing(
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


@login_required
@require_http_methods(["GET", "POST"])
def desk_new_entity(request):
    """One page to file a cooperative or an enterprise with its representative."""
    require_capability(request.user, Capability.FILE_ASSISTED)
    communes = in_scope_communes(request.user)
    commune_choices = grouped_commune_choices(communes)
    data = request.POST if request.method == "POST" else None
    entity_form = AssistedEntityForm(data, commune_choices=commune_choices)
    craft_form = AssistedEntityCraftForm(
        data,
        commune_choices=commune_choices,
        activity_choices=activity_choices(with_codes=True),
    )
    consent_form = EntityConsentForm(data)
    return desk_filing(
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
    require_capability(request.user, Capability.FILE_ASSISTED)
    code = str(request.GET.get("province") or "")[:12]
    if code:
        province = provinces_for(request.user).filter(code=code).first()
        communes = sorted_by_name(territory.communes(province)) if province else []
        groups = []
    else:  # "all the provinces of my territory"
        communes, groups = [], grouped_commune_choices(in_scope_communes(request.user))
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
    user = request.user
    context = {
        "dossier": dossier,
        "rows": rows,
        "missing": selectors.missing_documents(dossier),
        "editable": policy.is_editable(dossier),
        "may_change": policy.may_change_now(user, dossier),
        "may_remove": policy.may_change_now(user, dossier) and policy.may_remove_document(dossier),
        "may_correct": policy.may_correct_at_desk(user, dossier),
        "with_reviewer": policy.is_with_reviewer(dossier),
        "reviewer_messages": dossier.messages.all(),
        "receipt_languages": LOCAL_NAMES.items() if policy.receipt_available(dossier) else (),
    }
    return render(request, "register/staff/desk_dossier.html", context, status=status)


@login_required
@require_GET
def desk_dossier(request, pk):
    require_capability(request.user, Capability.FILE_ASSISTED)
    dossier = selectors.dossier_for(request.user, pk)
    return _desk_dossier_page(request, dossier)


@login_required
@require_POST
def desk_upload(request, pk):
    require_capability(request.user, Capability.FILE_ASSISTED)
    dossier = selectors.dossier_for(request.user, pk)
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
def desk_remove_document(request, pk, doc_id):
    """Take out a document attached by mistake, before the file is sent (the artisan's own
    service, decision 52)."""
    require_capability(request.user, Capability.FILE_ASSISTED)
    dossier = selectors.dossier_for(request.user, pk)
    try:
        services.remove_document(actor=request.user, dossier=dossier, document_id=doc_id)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The document is removed. You can send the right one."))
    return redirect("register_staff:desk_dossier", pk=dossier.pk)


@login_required
@require_POST
def desk_submit(request, pk):
    require_capability(request.user, Capability.FILE_ASSISTED)
    dossier = selectors.dossier_for(request.user, pk)
    try:
        services.submit(actor=request.user, dossier=dossier)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The file is sent for review to the provincial officer."))
    return redirect("register_staff:desk_dossier", pk=dossier.pk)


@login_required
@require_GET
@xframe_options_sameorigin  # embedded in the decision screen (the site default is DENY)
def document_file(request, pk, doc_id):
    """A document of a dossier in the user's scope, shown inline, never sniffed."""
    require_capability(request.user, Capability.REVIEW, Capability.FILE_ASSISTED)
    dossier = selectors.dossier_for(request.user, pk)
    document = dossier.documents.filter(pk=doc_id).first()
    if document is None:
        raise Http404
    return inline_file_response(document)
