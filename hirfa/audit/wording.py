"""The audit trail told in words, in the reader's language: the one module that turns an
entry's `action` ("dossier.approve", "person.viewed") into words.

Two ways of telling, for two readers:
- `PHRASES`, here: what the doer did, without the doer ("approved a file"); `sentence(who,
  action)` puts the doer in front ("k.oubella approved a file."), for the auditor's search of
  the whole trail (`site/trail.py`), where who did it is the point.
- `describe` / `sentence_for`: each app registers, at start-up, the sentences of its own
  actions told without the doer ("The officer approved the file."), for the history an
  artisan or an officer reads of one file (branch h-journey: `register/wording.py`,
  `cards/wording.py`, the `in_words` template filter). `sentence` falls back on them.

Knows no roles and no apps: actions are strings. An action nobody worded is told by its code,
so a new action never breaks a page; add its phrase here when adding the action.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

PHRASES = {
    # The dossier's workflow (register/services/workflow.py and decisions.py).
    "dossier.created": _("started a file"),
    "dossier.updated": _("changed a file"),
    "dossier.submit": _("sent a file for review"),
    "dossier.resubmit": _("sent a file back after changes"),
    "dossier.start_review": _("started checking a file"),
    "dossier.review_started": _("started checking a file"),
    "dossier.request_changes": _("asked for changes to a file"),
    "dossier.approve": _("approved a file"),
    "dossier.reject": _("rejected a file"),
    "dossier.withdraw": _("withdrew a file"),
    "document.attached": _("attached a document to a file"),
    "document.removed": _("removed a document from a file"),
    # Registrations.
    "registration.created": _("registered an artisan"),
    "registration.modified": _("changed a registration"),
    "registration.renewed": _("renewed a registration"),
    "registration.suspend": _("suspended a registration"),
    "registration.reinstate": _("reinstated a registration"),
    "registration.strike_off": _("struck a registration off the register"),
    "registration.expire": _("marked a registration expired"),
    "registrations.exported": _("exported a list of registrations"),
    "attestation.issued": _("issued an attestation"),
    # Persons.
    "person.changed": _("changed an artisan's identity"),
    "person.claimed": _("claimed an artisan's file for an account"),
    "person.merged": _("merged two files of the same artisan"),
    "person.merged_into": _("merged a file into another"),
    "person.purged": _("made an artisan's data anonymous"),
    "duplicate.dismissed": _("dismissed a likely duplicate"),
    # Reads of personal data (decision 40).
    "person.viewed": _("opened an artisan's file"),
    "legalentity.viewed": _("opened a cooperative's or enterprise's file"),
    "dependant.viewed": _("opened a dependant's file"),
    "registration.viewed": _("opened a registration"),
    # Cards.
    "card.issued": _("issued a professional card"),
    "card.printed": _("printed a professional card"),
    "card.reprinted": _("reprinted a professional card"),
    "card.revoked": _("revoked a professional card"),
    "card.suspended": _("suspended a professional card"),
    "card.handed_over": _("handed a professional card over"),
    # Health coverage and the CNSS.
    "enrolment.sent": _("sent an enrolment to the CNSS"),
    "enrolment.requeued": _("put an enrolment back in the next batch"),
    "enrolment.immatriculated": _("recorded an immatriculation by the CNSS"),
    "enrolment.rights_open": _("opened health rights"),
    "enrolment.suspended": _("suspended health rights"),
    "enrolment.closed": _("closed an enrolment"),
    "enrolment.not_enrolled": _("recorded an enrolment refused by the CNSS"),
    "enrolment.changed": _("changed an enrolment"),
    "dependant.declared": _("declared a dependant"),
    "dependant.confirmed": _("confirmed a dependant"),
    "dependant.sent": _("sent a dependant to the CNSS"),
    "dependant.accepted": _("recorded a dependant accepted by the CNSS"),
    "dependant.refused": _("refused a dependant"),
    "dependant.ended": _("ended a dependant's coverage"),
    "dependant.document_attached": _("attached a document to a dependant"),
    "contribution_rate.added": _("added a contribution rate"),
    "cnss.batch_exported": _("sent a batch to the CNSS"),
    "cnss.batch_imported": _("read a batch from the CNSS"),
    "cnss.file_refused": _("refused a file from the CNSS"),
    # Imports.
    "import.started": _("started an import"),
    "import.chunk": _("imported part of a list"),
    "import.finished": _("finished an import"),
    "import.failed": _("saw an import fail"),
    # Privacy (Law 09-08).
    "privacy.exported": _("downloaded their own data"),
    "privacy.correction_requested": _("asked for a correction of their data"),
    "privacy.purge_run": _("ran the retention purge"),
    # Outreach.
    "referral.created": _("referred a visitor to a registration"),
    "event_service.given": _("recorded a service given at an event"),
    "question.logged": _("logged a question asked at an event"),
    "question.published": _("published an answer to a question"),
    # The field app (decision 60).
    "field_item.applied": _("sent an item captured in the field"),
    "field_item.attention": _("sent an item from the field that needs attention"),
    "field_item.refused": _("sent an item from the field that was refused"),
    "field_item.settled": _("settled an item from the field"),
    # The trail itself.
    "audit.verification_requested": _("asked for a check of the audit trail"),
    # Accounts.
    "account.locked": _("locked an account"),
    "account.phone_confirmed": _("confirmed a phone number"),
    "account.second_factor_enrolled": _("set up a second factor"),
    "account.second_factor_turned_off": _("turned off a second factor"),
    "account.second_factor_reset": _("reset an account's second factor"),
    "account.recovery_codes_renewed": _("renewed recovery codes"),
    "account.recovery_code_used": _("signed in with a recovery code"),
}

# What an entry is about, by the object's model label.
NOUNS = {
    "register.person": _("artisan"),
    "register.legalentity": _("cooperative or enterprise"),
    "register.dossier": _("file"),
    "register.registration": _("registration"),
    "register.document": _("document"),
    "cards.card": _("card"),
    "coverage.enrolment": _("enrolment"),
    "coverage.dependant": _("dependant"),
    "cnss.batch": _("CNSS batch"),
    "imports.importrun": _("import"),
    "accounts.user": _("account"),
}

# The reads of personal data: "who opened which file" (decision 40).
VIEWED_SUFFIX = ".viewed"


def is_read(action: str) -> bool:
    return action.endswith(VIEWED_SUFFIX)


def phrase(action: str) -> str:
    """What the action did, without its doer, in the active language."""
    known = PHRASES.get(action)
    if known is not None:
        return str(known)
    if is_read(action):
        return gettext("opened a record")
    return gettext("did “%(action)s”") % {"action": action}


def sentence(who: str, action: str) -> str:
    """`who` did `action`, as one sentence in the active language."""
    if action not in PHRASES and not is_read(action):
        described = sentence_for(action)
        if described is not None:
            return gettext("%(who)s: %(sentence)s") % {"who": who, "sentence": described}
    return gettext("%(who)s %(did)s.") % {"who": who, "did": phrase(action)}


def about(object_type: str, object_id: str) -> str:
    """What an entry is about, in words: "file #12" (the model's label when unknown)."""
    if not object_type:
        return ""
    noun = NOUNS.get(object_type)
    return gettext("%(noun)s #%(id)s") % {"noun": noun if noun else object_type, "id": object_id}


def choices() -> list[tuple[str, str]]:
    """(action, phrase) for a select, in the active language, sorted by phrase."""
    return sorted(((action, str(text)) for action, text in PHRASES.items()), key=lambda c: c[1])


# --- The sentences each app registers for its own actions ----------------------------------

_SENTENCES: dict[str, object] = {}


def describe(sentences: dict[str, object]) -> None:
    """Register the sentence (a lazy translation) of each action of `sentences`."""
    _SENTENCES.update(sentences)


def sentence_for(action: str) -> str | None:
    """The action told in the active language, or None when no app described it."""
    sentence = _SENTENCES.get(action)
    return None if sentence is None else str(sentence)
