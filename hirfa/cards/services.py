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

import time
from datetime import datetime, timedelta
from datetime import time as clock
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from hirfa.accounts.roles import Capability, has_capability
from hirfa.audit.services import record
from hirfa.cards import keys, qr
from hirfa.cards.models import Card, CardPrint
from hirfa.core.errors import Conflict, DomainError, Forbidden
from hirfa.register.models import Dossier, Registration

CARD_TIME_ZONE = ZoneInfo("Africa/Casablanca")

# The reason a new version is issued → why the version before it was revoked.
REVOKED_BECAUSE = {
    Card.IssueReason.LOST: Card.RevocationReason.LOST,
    Card.IssueReason.DAMAGED: Card.RevocationReason.DAMAGED,
    Card.IssueReason.DATA_CHANGED: Card.RevocationReason.DATA_CHANGED,
}
APPROVAL_REASONS = {
    Dossier.Kind.REGISTRATION: Card.IssueReason.APPROVED,
    Dossier.Kind.MODIFICATION: Card.IssueReason.DATA_CHANGED,
    Dossier.Kind.RENEWAL: Card.IssueReason.RENEWED,
}
REISSUE_REASONS = (Card.IssueReason.LOST, Card.IssueReason.DAMAGED, Card.IssueReason.DATA_CHANGED)
LIVE = (Card.Status.CURRENT, Card.Status.SUSPENDED)


def may_manage_cards(user) -> bool:
    return has_capability(user, Capability.FILE_ASSISTED) or has_capability(user, Capability.REVIEW)


def card_expiry(registration: Registration) -> datetime:
    """The end of the registration's validity: 23:59:59 on its last day, Moroccan time."""
    return datetime.combine(registration.valid_until, clock(23, 59, 59), tzinfo=CARD_TIME_ZONE)


def claims_for(registration: Registration, version: int) -> qr.CardClaims:
    person = registration.person
    zgh = ""
    if person is not None:
        zgh = " ".join(n for n in (person.first_name_zgh, person.last_name_zgh) if n)
    return qr.CardClaims(
        number=registration.number,
        version=version,
        name_ar=registration.registrant_name_ar,
        name_latin=registration.registrant_name_latin,
        name_zgh=zgh,
        category=registration.category,
        activity=registration.principal_activity.code,
        province=registration.province.code,
    )


def _changed(card: Card) -> None:
    from hirfa.cards import revocations, selectors

    transaction.on_commit(revocations.forget)
    transaction.on_commit(selectors.forget_statuses)


def _revoke(card: Card, actor, reason: str, note: str = "", *, suspend: bool = False) -> Card:
    previous = card.status
    card.status = Card.Status.SUSPENDED if suspend else Card.Status.REVOKED
    card.revoked_at = timezone.now()
    card.revocation_reason = reason
    card.revocation_note = note[:2000]
    card.save(update_fields=["status", "revoked_at", "revocation_reason", "revocation_note"])
    record(
        actor=actor,
        action="card.suspended" if suspend else "card.revoked",
        obj=card,
        province_code=card.province.code,
        reason=note,
        data={
            "number": card.registration.number,
            "version": card.version,
            "from": previous,
            "to": card.status,
            "reason": reason,
        },
    )
    _changed(card)
    return card


def _issue(
    registration: Registration, actor, reason: str, *, cause: str = "", note: str = ""
) -> Card:
    """Sign and save the next version; the live one, if any, is revoked first."""
    live = registration.cards.filter(status__in=LIVE).select_for_update().first()
    if live is not None:
        _revoke(live, actor, REVOKED_BECAUSE.get(reason, Card.RevocationReason.REPLACED), note)
    version = (registration.cards.aggregate(last=Max("version"))["last"] or 0) + 1
    now = timezone.now().replace(microsecond=0)
    key = keys.signing_key()
    expires_at = card_expiry(registration)
    text = qr.encode_card(
        claims_for(registration, version),
        issued_at=int(now.timestamp()),
        expires_at=int(expires_at.timestamp()),
        private_key=key.private_key,
        kid=key.kid,
    )
    card = Card.objects.create(
        registration=registration,
        version=version,
        issue_reason=reason,
        cause=cause,
        issued_at=now,
        expires_at=expires_at,
        kid=keys.b64url(key.kid),
        qr_text=text,
        province=registration.province,
    )
    _changed(card)
    record(
        actor=actor,
        action="card.issued",
        obj=card,
        province_code=registration.province.code,
        reason=note,
        data={"number": registration.number, "version": version, "reason": reason},
    )
    return card


def _locked_registration(pk: int) -> Registration:
    return (
        Registration.objects.select_for_update(of=("self",))
        .select_related("person", "entity", "principal_activity", "province")
        .get(pk=pk)
    )


@transaction.atomic
def issue_for(registration_id: int, reason: str, cause: str = "") -> Card | None:
    """What the background job does: issue the card the event calls for, once.

    Idempotent: a card already issued for this `cause`, or a first card when the
    registration already has one, is returned as it is. A registration that is no
    longer active gets no card (its suspension or striking-off came first).
    """
    registration = _locked_registration(registration_id)
    if cause:
        done = registration.cards.filter(cause=cause).first()
        if done is not None:
            return done
    if registration.status != Registration.Status.ACTIVE:
        return None
    if reason == Card.IssueReason.APPROVED:
        live = registration.cards.filter(status__in=LIVE).first()
        if live is not None:
            return live
    return _issue(registration, None, reason, cause=cause)


@transaction.atomic
def reissue(*, actor, registration: Registration, reason: str, note: str = "") -> Card:
    """A new version on loss, damage or a change of data, asked by an agent or an officer."""
    from hirfa.register import selectors

    if not may_manage_cards(actor):
        raise Forbidden()
    if reason not in REISSUE_REASONS:
        raise DomainError(
            _("Choose the reason of the new card."),
            fields={"reason": [_("Choose one of the proposed values.")]},
        )
    registration = _locked_registration(selectors.registration_for(actor, registration.number).pk)
    if registration.status != Registration.Status.ACTIVE:
        raise Conflict(_("A card is issued only for an active registration."))
    note = " ".join(str(note or "").split())[:2000]
    return _issue(registration, actor, reason, note=note)


# --- Following the registration --------------------------------------------------------


def registration_approved(registration: Registration, dossier: Dossier) -> None:
    """Have the card an approval calls for issued. Cheap: approving is the hottest write.

    A first registration only asks, after commit, for a batch job that issues every
    missing first card, and at most once per `CARD_ISSUE_BATCH_SECONDS` per process (the
    job runs at the end of that window, so it finds the window's approvals committed):
    one job row per approval cost approvals a third of their speed on SQLite. A
    modification or a renewal, rarer, queues its own reissue inside the transaction.
    """
    from hirfa.cards.jobs import issue_card

    if dossier.kind == Dossier.Kind.REGISTRATION:
        if time.monotonic() >= _batch["next"]:
            transaction.on_commit(queue_first_cards)
        return
    issue_card.enqueue(
        registration.pk, str(APPROVAL_REASONS[dossier.kind]), f"dossier:{dossier.pk}"
    )


_batch = {"next": 0.0}


def queue_first_cards() -> None:
    """Ask for the batch job that issues every missing first card (at most once a window
    per process). Called after commit: by approvals, and by imports."""
    from hirfa.cards.jobs import issue_first_cards

    now = time.monotonic()
    if now < _batch["next"]:
        return
    window = settings.CARD_ISSUE_BATCH_SECONDS
    _batch["next"] = now + window
    job = issue_first_cards
    if window:
        job = job.using(run_after=timezone.now() + timedelta(seconds=window))
    job.enqueue()


def issue_first_cards(limit: int = 500) -> int:
    """Issue version 1 to active registrations that never had a card, `limit` at a time
    (each in its own transaction, so a batch never holds locks for long)."""
    issued = 0
    while True:
        pending = list(
            Registration.objects.filter(status=Registration.Status.ACTIVE, cards__isnull=True)
            .order_by("id")
            .values_list("id", flat=True)[:limit]
        )
        for pk in pending:
            issued += issue_for(pk, Card.IssueReason.APPROVED) is not None
        if len(pending) < limit:
            return issued


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
        _revoke(live, actor, Card.RevocationReason.SUSPENDED, reason, suspend=True)
    elif action == "struck_off" and live is not None:
        _revoke(live, actor, Card.RevocationReason.STRUCK_OFF, reason)
    elif action == "reinstated":
        cause = f"reinstated:{live.pk}" if live is not None else ""
        if live is not None:
            _revoke(live, actor, Card.RevocationReason.REPLACED, reason)
        from hirfa.cards.jobs import issue_card

        issue_card.enqueue(registration.pk, str(Card.IssueReason.REINSTATED), cause)


# --- Printing and hand-over ----------------------------------------------------------


def _locked_card(actor, card: Card) -> Card:
    from hirfa.cards import selectors

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
