from django.contrib import messages

from hirfa.core.errors import DomainError


class PlainLabels:
    """A form mixin: labels without the suffix (":") Django adds, as the screens show them."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def show_domain_error(request, form, error: DomainError) -> None:
    """Put a service's refusal on the form: field messages beside their fields, the rest on top."""
    placed = False
    for field, field_messages in error.fields.items():
        for message in field_messages:
            if form is not None and field in form.fields:
                form.add_error(field, message)
                placed = True
    if form is not None and not placed:
        form.add_error(None, error.message)
    elif form is None:
        messages.error(request, error.message)
