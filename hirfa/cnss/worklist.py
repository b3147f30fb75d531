"""The rejections worklist's screens: the artisans the CNSS rejected, for the liaison
(national) and for the agents and officers of their province (ADR 0053).

Thin: reads through `hirfa.cnss.selectors`, writes through `hirfa.cnss.services`, and
`hirfa.cnss.policy` says who may do what.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hirfa.accounts.selectors import provinces_for
from hirfa.cnss import policy, selectors, services
from hirfa.cnss.messages import rejection_reason
from hirfa.core.errors import DomainError
from hirfa.coverage.policy import may_open_coverage

PAGE_SIZE = 50


class NoteForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Who was contacted, and why the rejection stays open"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=services.rejections.NOTE_MAX_LENGTH,
    )


def _follower(request) -> None:
    if not policy.may_follow_rejections(request.user):
        raise PermissionDenied


def _with_reason(rejection):
    rejection.reason_shown = rejection_reason(rejection.code, rejection.reason)
    return rejection


@login_required
def rejections(request):
    _follower(request)
    user = request.user
    filters, problems = selectors.clean_rejection_filters(user, request.GET)
    page = Paginator(selectors.rejections_for(user, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = [_with_reason(r) for r in selectors.rejections_shown(page.object_list)]
    return render(
        request,
        "cnss/rejections.html",
        {
            "page": page,
            "filters": filters,
            "problems": problems,
            "codes": selectors.rejection_codes_for(user),
            "provinces": provinces_for(user),
            "ages": selectors.AGES,
            "may_exchange": policy.may_exchange(user),
        },
    )


@login_required
def rejection(request, pk):
    _follower(request)
    user = request.user
    item = _with_reason(selectors.rejection_for(user, pk))
    form = NoteForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.note_contact(
                    actor=user, rejection_id=item.pk, note=form.cleaned_data["note"]
                )
            except DomainError as error:
                messages.error(request, str(error.message))
                status = 400
            else:
                messages.success(request, _("Noted: the rejection stays on the list."))
                return redirect("cnss:rejection", pk=item.pk)
        else:
            status = 400
    return render(
        request,
        "cnss/rejection.html",
        {
            "rejection": item,
            "notes": selectors.notes_of(item),
            "form": form,
            "may_note": policy.may_work_on_rejection(user, item),
            "may_correct": policy.may_correct(user, item),
            "may_open_coverage": may_open_coverage(user) and item.registration_id is not None,
        },
        status=status,
    )
