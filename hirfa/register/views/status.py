"""Where a file stands, asked without an account (/status/): the file's reference (printed
on the receipt of filing, whose QR code opens this page with it), then the code sent by SMS
to the phone written in the file. The service reveals nothing to anyone else."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from hirfa.accounts.addresses import client_address
from hirfa.accounts.forms import PhoneCodeForm
from hirfa.core.errors import DomainError
from hirfa.core.forms import PlainLabels, show_domain_error
from hirfa.register.numbers import dossier_reference, format_number
from hirfa.register.services.status import check_status_code, send_status_code
from hirfa.register.wording import state_sentence

# The reference waiting for its code, kept in the session between the two pages.
SESSION_REFERENCE = "status_reference"


class ReferenceForm(PlainLabels, forms.Form):
    reference = forms.CharField(
        label=gettext_lazy("Reference of the file"),
        max_length=40,
        help_text=gettext_lazy("It is printed on the receipt of filing, for example 000123-7."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr", "autocomplete": "off"}),
    )


@never_cache
def status(request):
    """Step 1: the reference; a code goes to the phone of the file."""
    initial = {"reference": str(request.GET.get("ref") or "")[:40]}
    form = ReferenceForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            pk = send_status_code(
                reference=form.cleaned_data["reference"], address=client_address(request)
            )
        except DomainError as error:
            show_domain_error(request, form, error)
        else:
            request.session[SESSION_REFERENCE] = dossier_reference(pk)
            messages.info(
                request,
                _(
                    "If the reference is right, we sent a code by SMS to the phone number "
                    "written in the file. It is valid for 10 minutes."
                ),
            )
            return redirect("status:code")
    return render(request, "register/public/status.html", {"form": form})


@never_cache
@sensitive_post_parameters("code")
def status_code(request):
    """Step 2: the code from the SMS; then where the file stands, in words."""
    reference = request.session.get(SESSION_REFERENCE)
    if not reference:
        return redirect("status:start")
    form = PhoneCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            dossier = check_status_code(
                reference=reference,
                code=form.cleaned_data["code"],
                address=client_address(request),
            )
        except DomainError as error:
            show_domain_error(request, form, error)
        else:
            request.session.pop(SESSION_REFERENCE, None)
            registration = dossier.registration if dossier.state == "approved" else None
            context = {
                "dossier": dossier,
                "reference": reference,
                "sentence": state_sentence(dossier),
                "number": format_number(registration.number) if registration else "",
            }
            return render(request, "register/public/status_result.html", context)
    return render(
        request, "register/public/status_code.html", {"form": form, "reference": reference}
    )
