"""Pages of the second factor (docs/decisions/0038): verify, enrol, recovery codes; and
the page that asks the password (and code) again before a sensitive action (0077)."""

from base64 import b32encode
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from hirfa.accounts import policy, reauthentication, second_factor
from hirfa.accounts.addresses import client_address
from hirfa.core.errors import DomainError
from hirfa.core.forms import PlainLabels, show_domain_error
from hirfa.core.qrcodes import dark_runs, qr_matrix

# Recovery codes just made, shown once by the next page and then forgotten.
SESSION_NEW_CODES = "second_factor_new_codes"


def _code_field(label, *, required=True, autofocus=True) -> forms.CharField:
    """A box for the app's code or a recovery code."""
    attrs = {
        "inputmode": "numeric",
        "autocomplete": "one-time-code",
        "dir": "ltr",
        "spellcheck": "false",
        "autocapitalize": "off",
    }
    if autofocus:
        attrs["autofocus"] = True
    return forms.CharField(
        label=label, max_length=20, required=required, widget=forms.TextInput(attrs=attrs)
    )


class CodeForm(PlainLabels, forms.Form):
    code = _code_field(gettext_lazy("Code"))


class ReauthenticationForm(PlainLabels, forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    code = _code_field(
        gettext_lazy("Code of your authenticator app, or a recovery code"),
        required=False,
        autofocus=False,
    )

    def __init__(self, *args, with_code: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_code:
            del self.fields["code"]


def _verified(user) -> bool:
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def _next(request) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return resolve_url("site:home")


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def _must_verify_first(request) -> bool:
    """The account has a second factor that this session has not shown yet."""
    return not _verified(request.user) and second_factor.has_second_factor(request.user)


def _log_in_device(request, device) -> None:
    # A session that gains a factor gets a new key, as at a login.
    request.session.cycle_key()
    otp_login(request, device)
    request.session.pop(second_factor.SESSION_DUE, None)


@never_cache
@sensitive_post_parameters("code")
@login_required
def verify(request):
    """After the password: the code of the app, or a recovery code."""
    user, next_url = request.user, _next(request)
    if _verified(user):
        return redirect(next_url)
    if not second_factor.has_second_factor(user):
        if policy.second_factor_required(user):
            return redirect(_with_next("accounts:second_factor_enrol", next_url))
        return redirect(next_url)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            device = second_factor.verify(
                user=user, code=form.cleaned_data["code"], address=client_address(request)
            )
        except DomainError as error:
            show_domain_error(request, form, error)
        else:
            _log_in_device(request, device)
            if isinstance(device, StaticDevice):
                messages.warning(request, second_factor.recovery_code_notice(user))
            return redirect(next_url)
    return render(request, "accounts/otp/verify.html", {"form": form, "next": next_url})


@never_cache
@sensitive_post_parameters("password", "code")
@login_required
def reauthenticate(request):
    """Before a sensitive action: the password again, and the code when there is one."""
    user, next_url = request.user, _next(request)
    if _must_verify_first(request):
        return redirect(_with_next("accounts:second_factor_verify", next_url))
    with_code = second_factor.has_second_factor(user)
    form = ReauthenticationForm(
        request.POST if request.method == "POST" else None, with_code=with_code
    )
    if request.method == "POST" and form.is_valid():
        try:
            reauthentication.confirm(
                user=user,
                password=form.cleaned_data["password"],
                code=form.cleaned_data.get("code") or "",
                address=client_address(request),
            )
        except DomainError as error:
            show_domain_error(request, form, error)
        else:
            reauthentication.note(request.session)
            return redirect(next_url)
    return render(request, "accounts/reauthenticate.html", {"form": form, "next": next_url})


@never_cache
@sensitive_post_parameters("code")
@login_required
def enrol(request):
    """Set up an authenticator app: the QR code and the key, then its first code."""
    user, next_url = request.user, _next(request)
    if not policy.may_use_second_factor(user):
        raise PermissionDenied
    if _must_verify_first(request):
        # Whoever has only the password must not replace the app.
        return redirect(_with_next("accounts:second_factor_verify", next_url))
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = second_factor.confirm_enrolment(
                user=user, code=form.cleaned_data["code"], address=client_address(request)
            )
        except DomainError as error:
            show_domain_error(request, form, error)
        else:
            _log_in_device(request, device)
            request.session[SESSION_NEW_CODES] = codes
            return redirect(_with_next("accounts:second_factor_recovery_codes", next_url))
    device = second_factor.start_enrolment(user=user)
    key = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "next": next_url,
        "qr": qr_svg(device.config_url, label=_("QR code to scan with your authenticator app")),
        "key": " ".join(key[i : i + 4] for i in range(0, len(key), 4)),
        "required": policy.second_factor_required(user),
    }
    return render(request, "accounts/otp/enrol.html", context)


@never_cache
@login_required
def recovery_codes(request):
    """The recovery codes just made, shown this once."""
    codes = request.session.pop(SESSION_NEW_CODES, None)
    if not codes:
        return redirect("accounts:second_factor")
    return render(
        request, "accounts/otp/recovery_codes.html", {"codes": codes, "next": _next(request)}
    )


@never_cache
@login_required
def overview(request):
    """The account's second factor: set it up, replace it, new recovery codes, turn it off."""
    user = request.user
    if not policy.may_use_second_factor(user):
        raise PermissionDenied
    if _must_verify_first(request):
        return redirect(_with_next("accounts:second_factor_verify", request.get_full_path()))
    context = {
        "enrolled": second_factor.has_second_factor(user),
        "codes_left": second_factor.recovery_codes_left(user),
        "required": policy.second_factor_required(user),
        "may_turn_off": policy.may_turn_off_second_factor(user),
    }
    return render(request, "accounts/otp/overview.html", context)


@require_POST
@login_required
def new_recovery_codes(request):
    if _must_verify_first(request):
        return redirect("accounts:second_factor_verify")
    try:
        codes = second_factor.renew_recovery_codes(user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("accounts:second_factor")
    request.session[SESSION_NEW_CODES] = codes
    return redirect(_with_next("accounts:second_factor_recovery_codes", reverse("site:home")))


@require_POST
@login_required
@reauthentication.reauthentication_required(then="accounts:second_factor")
def turn_off(request):
    if _must_verify_first(request):
        return redirect("accounts:second_factor_verify")
    second_factor.turn_off(user=request.user)
    request.session.pop(second_factor.SESSION_DUE, None)
    messages.success(request, _("The second factor is turned off."))
    return redirect("accounts:second_factor")


def qr_svg(text: str, *, label: str) -> str:
    """The QR code of `text` as inline SVG: one path of dark runs, in module units."""
    size, modules = qr_matrix(text, ec_level="M")
    runs = [
        f"M{start} {row}h{length}v1h-{length}z" for row, start, length in dark_runs(size, modules)
    ]
    quiet = 4
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="{} {} {} {}" width="240" height="240"'
        ' role="img" aria-label="{}" shape-rendering="crispEdges">'
        '<rect x="{}" y="{}" width="{}" height="{}" fill="#fff"/><path d="{}" fill="#000"/></svg>',
        -quiet,
        -quiet,
        size + 2 * quiet,
        size + 2 * quiet,
        label,
        -quiet,
        -quiet,
        size + 2 * quiet,
        size + 2 * quiet,
        "".join(runs),
    )
