"""The dossier workflow: transitions (submit, withdraw, review, request changes, reject), each
under a row lock, audited, and told to the applicant."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hirfa.audit.services import record_many
from hirfa.core.errors import Conflict, DomainError, Forbidden
from hirfa.core.prepared_writes import update
from hirfa.notifications.formatting import Formatted
from hirfa.notifications.services import notify
from hirfa.register import policy, selectors, signals
from hirfa.register.models import (
    Dossier,
    Message,
)
from hirfa.register.rules import TRANSITIONS, RejectionReason
from hirfa.register.services.validation import free_text

# --- Transitions ------------------------------------------------------------------------


def _locked(dossier: Dossier) -> Dossier:
    """The dossier re-read under a row lock, so two decisions cannot both pass."""
    return (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("person__user", "province", "filed_by")
        .get(pk=dossier.pk)
    )


def _locked_for_review(officer, dossier: Dossier) -> Dossier:
    """The dossier, in the officer's scope, under a row lock; refused to non-reviewers and
    to whoever filed or assisted it (four eyes)."""
    if not policy.may_review(officer):
        raise Forbidden()
    dossier = selectors.dossier_to_decide(officer, dossier.pk)
    if policy.filed_or_assisted(officer, dossier):
        raise Forbidden(_("You filed or assisted this file: another officer must decide it."))
    return dossier


def _locked_for_editor(actor, dossier: Dossier) -> Dossier:
    """The dossier under a row lock, refused to whoever may not change it."""
    dossier = _locked(dossier)
    if not policy.may_edit(actor, dossier):
        raise Forbidden()
    return dossier


def _check_state(dossier: Dossier, action: str) -> None:
    if not policy.may_move(dossier, action):
        raise Conflict(
            _("This file cannot do that now: it is “%(state)s”.")
            % {"state": dossier.get_state_display()}
        )


def _move(
    dossier: Dossier, action: str, actor, *, reason: str = "", data=None, also=(), entries=()
) -> Dossier:
    """Apply a transition, saving `also` (other changed fields) in the same UPDATE; the
    audit `entries` of the same change (as `record_many` takes them) are written before
    the transition's own, in the same statement."""
    _check_state(dossier, action)
    target = TRANSITIONS[action][1]
    previous = dossier.state
    dossier.state = target
    now = timezone.now()
    fields = ["state", "updated_at", *also]
    if action in ("submit", "resubmit"):
        dossier.submitted_at = dossier.submitted_at or now
        fields.append("submitted_at")
    if action in ("approve", "reject"):
        dossier.decided_at, dossier.decided_by = now, actor
        fields += ["decided_at", "decided_by"]
    update(dossier, fields)  # dossier.save(update_fields=fields), compiled once (decision 86)
    record_many(
        actor=actor,
        entries=[
            *entries,
            {
                "action": f"dossier.{action}",
                "object_type": Dossier._meta.label_lower,
                "object_id": dossier.pk,
                "province_code": dossier.province.code,
                "reason": reason,
                "data": {"from": previous, "to": target, **(data or {})},
            },
        ],
    )
    _notify_applicant(dossier, action, reason)
    signals.dossier_moved.send(
        sender=Dossier, dossier=dossier, action=action, actor=actor, previous=previous
    )
    return dossier


STATE_MESSAGES = {
    "submit": gettext_lazy("We received your file. An officer will check it."),
    "start_review": gettext_lazy("An officer is checking your file."),
    "request_changes": gettext_lazy("Your file needs changes. Open your space to see what to do."),
    "resubmit": gettext_lazy("We received your corrected file."),
    "approve": gettext_lazy("Your registration is approved. Your number is %(number)s."),
    "reject": gettext_lazy("Your file was not accepted. Open your space to see why."),
    "withdraw": gettext_lazy("Your file was withdrawn."),
}


def _notify_applicant(dossier: Dossier, action: str, reason: str) -> None:
    person = dossier.person
    if person is None:
        return
    number = dossier.registration.number if dossier.registration_id else ""
    body = STATE_MESSAGES[action]
    notify(
        user=person.user,
        phone=None if person.user_id else person.phone,
        email=None if person.user_id else (person.email or None),
        event=f"dossier.{action}",
        subject=gettext_lazy("National Register of Traditional Crafts"),
        body=Formatted(body, {"number": number}),
    )


def _require_complete(dossier: Dossier) -> None:
    missing = selectors.missing_documents(dossier)
    if missing:
        raise DomainError(
            _("Attach the missing documents first: %(names)s.")
            % {"names": ", ".join(str(r.name) for r in missing)},
            fields={"documents": [str(r.name) for r in missing]},
        )


@transaction.atomic
def submit(*, actor, dossier: Dossier) -> Dossier:
    dossier = _locked_for_editor(actor, dossier)
    _require_complete(dossier)
    # The duplicates app refuses a CNIE already registered and flags likely duplicates.
    signals.dossier_submitting.send(sender=Dossier, dossier=dossier, actor=actor)
    action = "resubmit" if dossier.state == Dossier.State.CHANGES_REQUESTED else "submit"
    return _move(dossier, action, actor)


@transaction.atomic
def withdraw(*, actor, dossier: Dossier, reason: str = "") -> Dossier:
    dossier = _locked_for_editor(actor, dossier)
    return _move(dossier, "withdraw", actor, reason=reason)


@transaction.atomic
def start_review(*, officer, dossier: Dossier) -> Dossier:
    dossier = _locked_for_review(officer, dossier)
    return _move(dossier, "start_review", officer)


@transaction.atomic
def request_changes(*, officer, dossier: Dossier, message: str) -> Dossier:
    dossier = _locked_for_review(officer, dossier)
    text = free_text(message, "message")
    if not text:
        raise DomainError(
            _("Tell the artisan what to change."),
            fields={"message": [_("This field is required.")]},
        )
    Message.objects.create(dossier=dossier, author=officer, body=text)
    return _move(dossier, "request_changes", officer, reason=text)


@transaction.atomic
def reject(*, officer, dossier: Dossier, reason: str, note: str = "") -> Dossier:
    dossier = _locked_for_review(officer, dossier)
    if reason not in RejectionReason.values:
        raise DomainError(
            _("Choose the reason of the rejection."),
            fields={"reason": [_("Choose one of the proposed values.")]},
        )
    note = free_text(note, "note")
    if reason == RejectionReason.OTHER and not note:
        raise DomainError(
            _("Explain the reason in the note."),
            fields={"note": [_("This field is required.")]},
        )
    _check_state(dossier, "reject")
    dossier.rejection_reason, dossier.decision_note = reason, note
    if note:
        Message.objects.create(dossier=dossier, author=officer, body=note)
    return _move(
        dossier,
        "reject",
        officer,
        reason=note or reason,
        data={"reason": reason},
        also=["rejection_reason", "decision_note"],
    )
