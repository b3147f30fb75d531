from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from hirfa.accounts import selectors, services
from hirfa.accounts.forms import (
    PhoneCodeForm,
    QueuedPasswordResetForm,
    SignupForm,
    ThrottledLoginForm,
)
from hirfa.accounts.roles import Capability, has_capability, require_capability
from hirfa.core.errors import DomainError
from hirfa.core.forms import show_domain_error
from hirfa.territory.figures import self_employed_table


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = ThrottledLoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        # A `next` the user came with wins; otherwise each lands on their own start page.
        return start_page(self.request.user)


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    form_class = QueuedPasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


@login_required
def workspace(request):
    require_capability(request.user, Capability.VIEW_WORKSPACE)
    provinces = selectors.provinces_for(request.user)
    # The census map: by province (the default) or by region; anything else reads as province.
    level = "region" if request.GET.get("level") == "region" else "province"
    units = provinces if level == "province" else selectors.regions_for(request.user)
    return render(
        request,
        "accounts/workspace.html",
        {
            "provinces": provinces,
            "level": level,
            "census": self_employed_table(units, level=level),
        },
    )


@login_required
def province(request, code):
    require_capability(request.user, Capability.VIEW_WORKSPACE)
    province = selectors.province_for(request.user, code)
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
    require_capability(request.user, Capability.VIEW_WORKSPACE)
    organisation = selectors.organisation_for(request.user, code)
    return render(request, "accounts/organisation.html", {"organisation": organisation})


@login_required
def staff(request):
    require_capability(request.user, Capability.VIEW_STAFF)
    return render(request, "accounts/staff.html", {"staff": selectors.staff_for(request.user)})


@login_required
def staff_member(request, username):
    require_capability(request.user, Capability.VIEW_STAFF)
    member = selectors.staff_member_for(request.user, username)
    return render(request, "accounts/staff_member.html", {"member": member})


# --- Sign-up by phone -------------------------------------------------------------------

# The phone waiting for its code, kept in the session between the two pages.
SIGNUP_PHONE = "signup_phone"


def start_page(user) -> str:
    if has_capability(user, Capability.HOLD_OWN_FILE):
        return reverse("artisan:space")
    if has_capability(user, Capability.VIEW_WORKSPACE):
        # Staff land on "my work": what waits for them in their territory.
        return reverse("site:my_work")
    return reverse("site:home")


@sensitive_post_parameters("password", "password2")
def signup(request):
    """Step 1: phone, names and password; a code goes out by SMS."""
    if request.user.is_authenticated:
        return redirect(start_page(request.user))
    form = SignupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.start_phone_signup(
                data["phone"], data["password"], data["first_name"], data["last_name"]
            )
        except DomainError as error:
            show_domain_error(request, form, error)
        else:
            request.session[SIGNUP_PHONE] = user.phone
            return redirect("accounts:signup_confirm")
    return render(request, "accounts/signup.html", {"form": form})


def signup_confirm(request):
    """Step 2: the code from the SMS; the account opens and the person is logged in."""
    if request.user.is_authenticated:
        return redirect(start_page(request.user))
    phone = request.session.get(SIGNUP_PHONE)
    if not phone:
        messages.info(request, _("Start by giving your phone number."))
        return redirect("accounts:signup")
    form = PhoneCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.confirm_phone(phone, form.cleaned_data["code"])
        except DomainError as error:
            show_domain_error(request, form, error)
        else:
            login(request, user)
            request.session.pop(SIGNUP_PHONE, None)
            messages.success(request, _("Your account is ready. Welcome!"))
            return redirect("artisan:space")
    return render(request, "accounts/signup_confirm.html", {"form": form, "phone": phone})


@require_POST
def signup_resend(request):
    phone = request.session.get(SIGNUP_PHONE)
    if not phone:
        return redirect("accounts:signup")
    try:
        services.resend_phone_code(phone)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("We sent you a new code."))
    return redirect("accounts:signup_confirm")
