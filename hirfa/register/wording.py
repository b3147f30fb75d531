"""The register's facts told in sentences of the reader's language: where a file stands and
what happened to it, for the artisan's space, the status page without an account and the
staff's history (through `hirfa.audit.wording`)."""

from django.utils.translation import gettext_lazy as _

from hirfa.audit.wording import describe
from hirfa.register.models import Dossier

S = Dossier.State

# Where a file stands, told to whoever holds it (the artisan, or someone they trust).
STATE_SENTENCES = {
    S.DRAFT: _("The file is not sent yet. What is written in it is saved."),
    S.SUBMITTED: _(
        "The file was received. An officer of the provincial directorate of crafts will check it."
    ),
    S.IN_REVIEW: _("An officer of the provincial directorate of crafts is checking the file."),
    S.CHANGES_REQUESTED: _(
        "The officer asks for changes. Open your space on the site, or go to your chamber "
        "of crafts."
    ),
    S.RESUBMITTED: _("The file was sent again after the changes. An officer will check it."),
    S.APPROVED: _("The file is approved: the artisan is in the register."),
    S.REJECTED: _("The file was not accepted."),
    S.WITHDRAWN: _("The file was withdrawn: it will not be checked."),
}

# What the audit trail records about files and registrations, in words.
ACTION_SENTENCES = {
    "dossier.created": _("The file was opened."),
    "dossier.updated": _("The file was changed."),
    "dossier.submit": _("The file was sent to the provincial directorate."),
    "dossier.resubmit": _("The file was sent again after the changes."),
    "dossier.start_review": _("An officer started checking the file."),
    "dossier.request_changes": _("The officer asked for changes."),
    "dossier.approve": _("The officer approved the file."),
    "dossier.reject": _("The officer rejected the file."),
    "dossier.withdraw": _("The file was withdrawn."),
    "document.attached": _("A document was attached to the file."),
    "document.removed": _("A document was removed from the file."),
    "registration.created": _("The artisan was registered and received a number."),
    "registration.modified": _("The registration was changed."),
    "registration.renewed": _("The registration was renewed."),
    "registration.suspended": _("The registration was suspended."),
    "registration.reinstated": _("The registration was reinstated."),
    "registration.struck_off": _("The registration was struck off the register."),
    "registration.expired": _("The registration expired."),
    "attestation.issued": _("An attestation was issued."),
    "person.changed": _("The identity of the person was changed."),
    "person.claimed": _("The artisan took over the file in their own space."),
}


def connect() -> None:
    """Tell the audit trail the sentences of the register's actions (at start-up)."""
    describe(ACTION_SENTENCES)


def state_sentence(dossier: Dossier) -> str:
    return str(STATE_SENTENCES.get(dossier.state, dossier.get_state_display()))
