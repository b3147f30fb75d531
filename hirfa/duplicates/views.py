"""Reviewers confirm (merge) or dismiss a possible duplicate."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hirfa.core.errors import DomainError, Forbidden, NotFound
from hirfa.duplicates import services


def _back(request):
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return redirect(target)


def _decide(request, service, done: str, pk: int):
    try:
        service(reviewer=request.user, candidate_id=pk, note=request.POST.get("note", ""))
    except (Forbidden, NotFound):
        raise  # answered 403 / 404 by DomainErrorMiddleware
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, done)
    return _back(request)


@login_required
@require_POST
def confirm(request, pk):
    return _decide(request, services.confirm, _("The files were merged."), pk)


@login_required
@require_POST
def dismiss(request, pk):
    return _decide(request, services.dismiss, _("Marked as not the same person."), pk)
