"""Public checks, without logging in: is this attestation genuine, is the artisan registered?

The page says only what the attestation itself says (name, activity, province) and the
registration's current status, and only to someone who holds the attestation's code.
"""

import hmac
import re

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from hirfa.core.languages import interpolate_lazy
from hirfa.register import numbers, selectors, services

_NOT_CODE = re.compile(r"[^A-Z0-9]")
_CODE_MAX_LENGTH = 64


def _compact_code(text) -> str:
    """The code's letters and digits, upper-case ASCII: dashes and spaces do not matter."""
    return _NOT_CODE.sub("", str(text or "")[:_CODE_MAX_LENGTH].upper())


def _grouped(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


class VerifyForm(forms.Form):
    number = forms.CharField(
        label=_("Registration number"),
        max_length=40,
        help_text=_("The 10 digits printed on the attestation, for example 123 456 789 0."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr"}),
    )
    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        help_text=interpolate_lazy(
            _("Printed under the QR code, for example %(example)s."),
            {"example": "ABCD-EFGH-IJKL"},
        ),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocapitalize": "characters"}),
    )


def _public(response):
    # The answer holds a person's name and changes with the registration's status.
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def verify_form(request):
    """Type the number and code of a paper attestation."""
    form = VerifyForm(request.GET if request.GET else None, label_suffix="")
    if form.is_bound and form.is_valid():
        try:
            number = numbers.parse_number(form.cleaned_data["number"])
        except ValidationError as error:
            form.add_error("number", error.messages[0])
        else:
            code = _compact_code(form.cleaned_data["code"])
            if code:
                return redirect(reverse("public:verify_attestation", args=[number, _grouped(code)]))
            form.add_error("code", _("Type the code printed on the attestation."))
    return _public(render(request, "register/public/verify.html", {"form": form}))


@require_GET
def verify_attestation(request, number, code):
    """Genuine, not genuine, mistyped number or unknown number; and the current status."""
    context = {"typed_number": number[:40]}
    try:
        canonical = numbers.parse_number(number)
    except ValidationError as error:
        context.update(outcome="mistyped", problem=error.messages[0])
        return _public(render(request, "register/public/attestation.html", context))
    registration = selectors.registration_by_number(canonical)
    if registration is None:
        context.update(outcome="unknown", number=numbers.format_number(canonical))
        return _public(render(request, "register/public/attestation.html", context))
    expected = _compact_code(services.verification_code(registration))
    genuine = hmac.compare_digest(expected.encode(), _compact_code(code).encode())
    context["number"] = numbers.format_number(canonical)
    if not genuine:
        context["outcome"] = "not_genuine"
    else:
        context.update(
            outcome="genuine",
            status=registration.status,
            status_label=registration.get_status_display(),
            name_latin=registration.registrant_name_latin,
            name_ar=registration.registrant_name_ar,
            activity=registration.principal_activity.name,
            province=registration.province.name,
        )
    return _public(render(request, "register/public/attestation.html", context))
