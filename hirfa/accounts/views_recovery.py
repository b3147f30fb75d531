"""A forgotten password, recovered by SMS (decision 0052): the phone, then the code and the
new password. Staff keep the e-mail link (`PasswordResetView`)."""

from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from hirfa.accounts import recovery
from hirfa.accounts.forms import RecoveryCodeForm, RecoveryPhoneForm
from hirfa.accounts.views import start_page
from hirfa.core.errors import DomainError
from hirfa.core.forms import show_domain_error

# The phone waiting for its code, kept in the session between the two pages.
RECOVERY_PHONE = "recovery_phone"
BACKEND = "django.contrib.auth.backends.ModelBackend"


def _sent_notice(request) -> None:
    # The same words whether or not an account uses the number.
    messages.info(
        request,
        _("If an account uses this number, we sent it a code by SMS. It is valid for 10 minutes."),
    )


@never_cache
def password_recovery(request):
    """Step 1: the phone number of the account."""
    if request.user.is_authenticated:
        return redirect("site:home")
    form = RecoveryPhoneForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            phone = recovery.start_password_recovery(phone=form.cleaned_data["phone"])
        except DomainError as error:
            show_domain_error(request, form, error)
        else:
            request.session[RECOVERY_PHONE] = phone
            _sent_notice(request)
            return redirect("accounts:password_recovery_code")
    return render(request, "accounts/recovery_phone.html", {"form": form})


@never_cache
@sensitive_post_parameters("code", "password", "password2")
def password_recovery_code(request):
    """Step 2: the code from the SMS and the new password; then the artisan is logged in."""
    if request.user.is_authenticated:
        return redirect("site:home")
    phone = request.session.get(RECOVERY_PHONE)
    if not phone:
        messages.info(request, _("Start by giving your phone number."))
        return redirect("accounts:password_recovery")
    form = RecoveryCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = recovery.finish_password_recovery(
                phone=phone, code=data["code"], password=data["password"]
            )
        except DomainError as error:
            show_domain_error(request, form, error)
        else:
            request.session.pop(RECOVERY_PHONE, None)
            login(request, user, backend=BACKEND)
            messages.success(request, _("Your new password is saved. You are logged in."))
            return redirect(start_page(user))
    return render(request, "accounts/recovery_code.html", {"form": form, "phone": phone})


@require_POST
def password_recovery_resend(request):
    phone = request.session.get(RECOVERY_PHONE)
    if not phone:
        return redirect("accounts:password_recovery")
    try:
        recovery.start_password_recovery(phone=phone)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        _sent_notice(request)
    return redirect("accounts:password_recovery_code")
