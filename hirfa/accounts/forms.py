import re

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.template import loader
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hirfa.accounts import services
from hirfa.accounts.addresses import client_address
from hirfa.core.forms import PlainLabels
from hirfa.core.tasks import send_email
from hirfa.core.validators import normalise_phone

# Digits (Western, Arabic-Indic, Persian), "+", spaces, dots, hyphens, parentheses:
# what a phone number typed into the username box may hold.
_PHONE_LIKE = re.compile(r"[\s+0-9\u0660-\u0669\u06f0-\u06f9().\-]{9,30}")


def phone_or_username(value: str) -> str:
    """A username typed as a Moroccan phone ("06 12 34 56 78") becomes its E.164 form."""
    if not _PHONE_LIKE.fullmatch(value or ""):
        return value
    try:
        return normalise_phone(value)
    except ValidationError:
        return value


class ThrottledLogin:
    """Login that refuses further attempts after repeated failures (ADR 0006, 0032).

    The attempt is counted before the password is checked: parallel guesses cannot all
    be checked. Used by the staff login and the admin site's login alike."""

    throttled_message = _(
        "Too many failed attempts. For your safety, wait 15 minutes and try again."
    )

    def clean_username(self):
        return phone_or_username(self.cleaned_data.get("username") or "")

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if not username:
            return super().clean()
        attempt = services.begin_login_attempt(username, client_address(self.request))
        if attempt is None:
            raise forms.ValidationError(self.throttled_message, code="throttled")
        try:
            cleaned = super().clean()  # a failure keeps the attempt counted
        except forms.ValidationError:
            services.note_login_failure(attempt)
            raise
        services.clear_login_failures(username)
        return cleaned


class ThrottledLoginForm(ThrottledLogin, AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": ThrottledLogin.throttled_message,
    }


class ThrottledAdminLoginForm(ThrottledLogin, AdminAuthenticationForm):
    """The admin site's login (the national administrator is a superuser): same throttle."""


class QueuedPasswordResetForm(PasswordResetForm):
    """Password reset whose e-mail is delivered by a background job."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        send_email.enqueue(to=[to_email], subject=subject, body=body)


def _new_password(label) -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        help_text=_(
            "At least 10 characters, not only digits, and not just your name or phone number."
        ),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


def _password_again() -> forms.CharField:
    return forms.CharField(
        label=_("Type the password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class _PasswordsMatch:
    """A new password typed twice: the second must be the first."""

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are not the same."))
        return cleaned


class SignupForm(_PasswordsMatch, PlainLabels, forms.Form):
    """Opening an artisan account with a mobile phone. The service checks everything."""

    phone = forms.CharField(
        label=_("Your mobile phone number"),
        max_length=30,
        help_text=format_lazy(
            '{} <bdi dir="ltr">06 12 34 56 78</bdi>', _("We will send you a code by SMS. Example:")
        ),
        widget=forms.TextInput(
            attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel", "dir": "ltr"}
        ),
    )
    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Family name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    password = _new_password(_("Choose a password"))
    password2 = _password_again()


class PhoneCodeForm(PlainLabels, forms.Form):
    code = forms.CharField(
        label=_("The code we sent you by SMS"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9 ]*",
                "dir": "ltr",
                "autofocus": True,
            }
        ),
    )


class RecoveryPhoneForm(PlainLabels, forms.Form):
    """A forgotten password: the phone of the account (decision 0052)."""

    phone = forms.CharField(
        label=_("The mobile phone number of your account"),
        max_length=30,
        help_text=format_lazy(
            '{} <bdi dir="ltr">06 12 34 56 78</bdi>', _("We will send you a code by SMS. Example:")
        ),
        widget=forms.TextInput(
            attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel", "dir": "ltr"}
        ),
    )


class RecoveryCodeForm(_PasswordsMatch, PhoneCodeForm):
    """The code received by SMS and the new password, on one page."""

    password = _new_password(_("Choose a new password"))
    password2 = _password_again()
