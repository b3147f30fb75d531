"""Writes on cards: issue, reissue, revoke, print, hand over. Each in a transaction, audited.

Cards follow their registration (docs/decisions/0011):
- approving a first registration issues version 1 (in a background job);
- approving a modification or a renewal is a change of the card's data: a new version is
  issued and the old one revoked as replaced;
- suspending the registration suspends its card; striking it off revokes it; reinstating
  revokes the suspended card and issues a new version;
- an agent or an officer reissues a lost or damaged card, or one whose data changed.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hirfa.audit.services import record
from hirfa.cards import inbox, issuing, jobs, selectors
from hirfa.cards.issuing import LIVE, issue, locked_registration, revoke
from hirfa.cards.models import Card, CardPrint
from hirfa.cards.policy import may_manage_cards
from hirfa.core.errors import Conflict, DomainError, Forbidden
from hirfa.core.jobs import Window
from hirfa.register import selectors as register_selectors
from hirfa.register.models import Dossier, Registration

# Made in `issuing`, below the jobs that call them, and part of the services' interface.
CARD_TIME_ZONE = issuing.CARD_TIME_ZONE
issue_first_cards = issuing.issue_first_cards

APPROVAL_REASONS = {
    Dossier.Kind.REGISTRATION: Card.IssueReason.APPROVED,
    Dossier.Kind.MODIFICATION: Card.IssueReason.DATA_CHANGED,
    Dossier.Kind.RENEWAL: Card.IssueReason.RENEWED,
}
REISSUE_REASONS = (Card.IssueReason.LOST, Card.IssueReason.DAMAGED, Card.IssueReason.DATA_CHANGED)


@transaction.atomic
def reissue(*, actor, registration: Registration, reason: str, note: str = "") -> Card:
    """A new version on loss, damage or a change of data, asked by an agent or an officer."""
    if not may_manage_cards(actor):
        raise Forbidden()
    if reason not in REISSUE_REASONS:
        raise DomainError(
            _("Choose the reason of the new card."),
            fields={"reason": [_("Choose one of the proposed values.")]},
        )
    registration = locked_registration(
        register_selectors.registration_for(actor, registration.number).pk
    )
    if registration.status != Registration.Status.ACTIVE:
        raise Conflict(_("A card is issued only for an active registration."))
    note = " ".join(str(note or "").split())[:2000]
    card = issue(registration, actor, reason, note=note)
    inbox.tell_to_print([card.province_id])
    return card


# --- Following the registration --------------------------------------------------------


def registration_approved(registration: Registration, dossier: Dossier) -> None:
    """Have the card an approval calls for issued. Cheap: approving is the hottest write.

    A first registration only asks, after commit, for a batch job that issues every
    missing first card, and at most once per `CARD_ISSUE_BATCH_SECONDS` per process (the
    job runs at the end of that window, so it finds the window's approvals committed):
    one job row per approval cost approvals a third of their speed on SQLite. A
    modification or a renewal, rarer, queues its own reissue inside the transaction.
    """
    if dossier.kind == Dossier.Kind.REGISTRATION:
        if FIRST_CARDS.is_open():
            transaction.on_commit(queue_first_cards)
        return
    jobs.issue_card.enqueue(
        registration.pk, str(APPROVAL_REASONS[dossier.kind]), f"dossier:{dossier.pk}"
    )


FIRST_CARDS = Window("CARD_ISSUE_BATCH_SECONDS")


def queue_first_cards() -> None:
    """Ask for the batch job that issues every missing first card (at most once a window
    per process). Called after commit: by approvals, and by imports."""
    FIRST_CARDS.request(jobs.issue_first_cards)


def registration_status_changed(registration: Registration, actor, action: str, reason: str):
    """Called by the register inside the transaction that changes the status."""
    if action not in ("suspended", "reinstated", "struck_off"):
        return
    live = (
        registration.cards.filter(status__in=LIVE)
        .select_for_update()
        .select_related("province", "registration")
        .first()
    )
    if action == "suspended" and live is not None:
        revoke(live, actor, Card.RevocationReason.SUSPENDED, reason, suspend=True)
    elif action == "struck_off" and live is not None:
        revoke(live, actor, Card.RevocationReason.STRUCK_OFF, reason)
    elif action == "reinstated":
        cause = f"reinstated:{live.pk}" if live is not None else ""
        if live is not None:
            revoke(live, actor, Card.RevocationReason.REPLACED, reason)
        jobs.issue_card.enqueue(registration.pk, str(Card.IssueReason.REINSTATED), cause)


# --- Printing and hand-over ----------------------------------------------------------


def _locked_card(actor, card: Card) -> Card:
    if not may_manage_cards(actor):
        raise Forbidden()
    card = selectors.card_for(actor, card.pk)
    return (
        Card.objects.select_for_update(of=("self",))
        .select_related("registration", "province")
        .get(pk=card.pk)
    )


@transaction.atomic
def mark_printed(*, actor, card: Card, reason: str = "") -> Card:
    """Record a printing. A second printing is a reprint, and needs its reason."""
    card = _locked_card(actor, card)
    if card.status != Card.Status.CURRENT:
        raise Conflict(_("Only a current card can be printed."))
    reason = " ".join(str(reason or "").split())[:300]
    reprint = card.print_count > 0
    if reprint and not reason:
        raise DomainError(
            _("Give the reason of the reprint."),
            fields={"reason": [_("This field is required.")]},
        )
    CardPrint.objects.create(card=card, by=actor, reprint=reprint, reason=reason)
    card.print_count += 1
    card.printed_at = timezone.now()
    fields = ["print_count", "printed_at"]
    if card.print_state == Card.PrintState.TO_PRINT:
        card.print_state = Card.PrintState.PRINTED
        fields.append("print_state")
    card.save(update_fields=fields)
    inbox.printed(card.province)
    record(
        actor=actor,
        action="card.reprinted" if reprint else "card.printed",
        obj=card,
        province_code=card.province.code,
        reason=reason,
        data={"number": card.registration.number, "version": card.version},
    )
    return card


@transaction.atomic
def hand_over(*, actor, card: Card, received_by: str, acknowledged: bool) -> Card:
    """The printed card given to the artisan (or the entity's representative), who signs."""
    card = _locked_card(actor, card)
    received_by = " ".join(str(received_by or "").split())[:200]
    errors = {}
    if not received_by:
        errors["received_by"] = [_("This field is required.")]
    if not acknowledged:
        errors["acknowledged"] = [_("The holder must acknowledge receipt of the card.")]
    if errors:
        raise DomainError(_("Some information is missing or not valid."), fields=errors)
    if card.status != Card.Status.CURRENT:
        raise Conflict(_("Only a current card can be handed over."))
    if card.print_state != Card.PrintState.PRINTED:
        raise Conflict(_("Print the card before handing it over."))
    card.print_state = Card.PrintState.HANDED_OVER
    card.handed_over_at = timezone.now()
    card.handed_over_by = actor
    card.received_by = received_by
    card.save(update_fields=["print_state", "handed_over_at", "handed_over_by", "received_by"])
    record(
        actor=actor,
        action="card.handed_over",
        obj=card,
        province_code=card.province.code,
        data={
            "number": card.registration.number,
            "version": card.version,
            "received_by": received_by,
        },
    )
    return card
