from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse_lazy

from hirfa.accounts import selectors
from hirfa.accounts.forms import QueuedPasswordResetForm, ThrottledLoginForm
from hirfa.accounts.roles import Capability, has_capability
from hirfa.core.errors import NotFound


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = ThrottledLoginForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    form_class = QueuedPasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


def _require(request, capability):
    if not has_capability(request.user, capability):
        raise PermissionDenied


def _found(lookup, *args):
    try:
        return lookup(*args)
    except NotFound:
        raise Http404 from None


@login_required
def workspace(request):
    _require(request, Capability.VIEW_WORKSPACE)
    provinces = selectors.provinces_for(request.user)
    return render(request, "accounts/workspace.html", {"provinces": provinces})


@login_required
def province(request, code):
    _require(request, Capability.VIEW_WORKSPACE)
    province = _found(selectors.province_for, request.user, code)
    return render(
        request,
        "accounts/province.html",
        {
            "province": province,
            "communes": province.communes.order_by("code"),
            "organisations": selectors.organisations_for(request.user).filter(province=province),
        },
    )


@login_required
def organisation(request, code):
    _require(request, Capability.VIEW_WORKSPACE)
    organisation = _found(selectors.organisation_for, request.user, code)
    return render(request, "accounts/organisation.html", {"organisation": organisation})


@login_required
def staff(request):
    _require(request, Capability.VIEW_STAFF)
    return render(request, "accounts/staff.html", {"staff": selectors.staff_for(request.user)})


@login_required
def staff_member(request, username):
    _require(request, Capability.VIEW_STAFF)
    member = _found(selectors.staff_member_for, request.user, username)
    return render(request, "accounts/staff_member.html", {"member": member})
