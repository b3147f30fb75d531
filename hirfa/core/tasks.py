from django.core.mail import EmailMultiAlternatives

from hirfa.core.jobs import job


@job
def send_email(to: list[str], subject: str, body: str, html_body: str | None = None) -> int:
    """Deliver an e-mail outside the request, so a slow mail server never blocks a page."""
    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    if html_body:
        message.attach_alternative(html_body, "text/html")
    return message.send()
