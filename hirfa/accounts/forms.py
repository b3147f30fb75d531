from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.template import loader
from django.utils.translation import gettext_lazy as _

from hirfa.accounts import services
from hirfa.core.tasks import send_email


def client_address(request) -> str | None:
    return request.META.get("REMOTE_ADDR") if request else None


class ThrottledLoginForm(AuthenticationForm):
    """Login that refuses further attempts after repeated failures."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _("Too many failed attempts. For your safety, wait 15 minutes and try again."),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        address = client_address(self.request)
        if username and services.login_is_throttled(username, address):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username:
                services.record_login_failure(username, address)
            raise
        services.clear_login_failures(username)
        return cleaned


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
