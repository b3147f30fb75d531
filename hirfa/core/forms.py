from django.contrib import messages

from hirfa.core.errors import DomainError


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


class PlainLabels:
    """Labels without the trailing colon, which reads badly above a field in Arabic."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
