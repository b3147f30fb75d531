"""The cards' actions in the audit trail, told in words (see `hirfa.audit.wording`)."""

from django.utils.translation import gettext_lazy as _

from hirfa.audit.wording import describe

ACTION_SENTENCES = {
    "card.issued": _("A professional card was issued."),
    "card.printed": _("The professional card was printed."),
    "card.reprinted": _("The professional card was printed again."),
    "card.handed_over": _("The professional card was handed over to the artisan."),
    "card.suspended": _("The professional card was suspended."),
    "card.revoked": _("The professional card was revoked."),
}


def connect() -> None:
    describe(ACTION_SENTENCES)
