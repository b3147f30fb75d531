"""Signing and saving card versions: what the background jobs do, and what the services
build on (docs/decisions/0011, 0029). Each function runs inside its caller's transaction
unless it opens its own."""

from __future__ import annotations

from datetime import datetime
from datetime import time as clock
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from hirfa.audit.services import record
from hirfa.cards import claim169, inbox, keys, qr, revocations, selectors
from hirfa.cards.models import Card
from hirfa.register.models import Registration, Sex

CARD_TIME_ZONE = ZoneInfo("Africa/Casablanca")

# The reason a new version is issued → why the version before it was revoked.
REVOKED_BECAUSE = {
    Card.IssueReason.LOST: Card.RevocationReason.LOST,
    Card.IssueReason.DAMAGED: Card.RevocationReason.DAMAGED,
    Card.IssueReason.DATA_CHANGED: Card.RevocationReason.DATA_CHANGED,
}
LIVE = (Card.Status.CURRENT, Card.Status.SUSPENDED)


def card_expiry(registration: Registration) -> datetime:
    """The end of the registration's validity: 23:59:59 on its last day, Moroccan time."""
    return datetime.combine(registration.valid_until, clock(23, 59, 59), tzinfo=CARD_TIME_ZONE)


def _name_zgh(registration: Registration) -> str:
    person = registration.person
    if person is None:
        return ""
    return " ".join(n for n in (person.first_name_zgh, person.last_name_zgh) if n)


GENDERS = {Sex.MALE: claim169.GENDER_MALE, Sex.FEMALE: claim169.GENDER_FEMALE}


def claims_for(registration: Registration, version: int) -> qr.CardClaims:
    """What a card says of its holder. A person's card adds the Claim 169 identity
    attributes (first and family name, date of birth, gender); an entity's has none."""
    person = registration.person
    return qr.CardClaims(
        number=registration.number,
        version=version,
        name_ar=registration.registrant_name_ar,
        name_latin=registration.registrant_name_latin,
        name_zgh=_name_zgh(registration),
        category=registration.category,
        activity=registration.principal_activity.code,
        province=registration.province.code,
        first_name_ar=person.first_name_ar if person else "",
        last_name_ar=person.last_name_ar if person else "",
        birth_date=person.birth_date.isoformat() if person else "",
        gender=GENDERS.get(person.sex) if person else None,
    )


def attestation_text(registration: Registration, code: str) -> str:
    """The signed QR text of an attestation issued now (docs/decisions/0051): valid until
    the registration's last day, like a card, or without end when the registration has
    none. Raises NoSigningKey when no key is valid."""
    key = keys.signing_key()
    valid_until = registration.valid_until
    claims = qr.AttestationClaims(
        number=registration.number,
        name_ar=registration.registrant_name_ar,
        name_latin=registration.registrant_name_latin,
        name_zgh=_name_zgh(registration),
        category=registration.category,
        activity=registration.principal_activity.code,
        province=registration.province.code,
        registered_on=registration.registered_on.isoformat(),
        valid_until=valid_until.isoformat() if valid_until else "",
        code=code,
    )
    return qr.encode_attestation(
        claims,
        issued_at=int(timezone.now().timestamp()),
        expires_at=int(card_expiry(registration).timestamp()) if valid_until else None,
        private_key=key.private_key,
        kid=key.kid,
    )


def _changed(card: Card) -> None:
    transaction.on_commit(revocations.forget)
    transaction.on_commit(selectors.forget_statuses)


def revoke(card: Card, actor, reason: str, note: str = "", *, suspend: bool = False) -> Card:
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
    selectors.WITHDRAWN.bump_on_commit()
    return card


def issue(
    registration: Registration, actor, reason: str, *, cause: str = "", note: str = ""
) -> Card:
    """Sign and save the next version; the live one, if any, is revoked first."""
    live = registration.cards.filter(status__in=LIVE).select_for_update().first()
    if live is not None:
        revoke(live, actor, REVOKED_BECAUSE.get(reason, Card.RevocationReason.REPLACED), note)
    version = (registration.cards.aggregate(last=Max("version"))["last"] or 0) + 1
    now = timezone.now().replace(microsecond=0)
    key = keys.signing_key()
    expires_at = card_expiry(registration)
    card = Card.objects.create(
        registration=registration,
        version=version,
        issue_reason=reason,
        cause=cause,
        issued_at=now,
        expires_at=expires_at,
        kid=keys.b64url(key.kid),
        qr_text="",
        province=registration.province,
    )
    # A Claim 169 card (docs/decisions/0062); its id is its index in the status list.
    card.qr_text = claim169.encode_card(
        claims_for(registration, version),
        issued_at=int(now.timestamp()),
        expires_at=int(expires_at.timestamp()),
        status_index=card.pk,
        private_key=key.private_key,
        kid=key.kid,
    )
    card.save(update_fields=["qr_text"])
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


def locked_registration(pk: int) -> Registration:
    return (
        Registration.objects.select_for_update(of=("self",))
        .select_related("person", "entity", "principal_activity", "province")
        .get(pk=pk)
    )


@transaction.atomic
def issue_for(
    registration_id: int, reason: str, cause: str = "", *, tell: bool = True
) -> Card | None:
    """What the background job does: issue the card the event calls for, once.

    Idempotent: a card already issued for this `cause`, or a first card when the
    registration already has one, is returned as it is. A registration that is no
    longer active gets no card (its suspension or striking-off came first).
    """
    registration = locked_registration(registration_id)
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
    card = issue(registration, None, reason, cause=cause)
    if tell:
        inbox.tell_to_print([card.province_id])
    return card


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
        provinces = set()
        for pk in pending:
            card = issue_for(pk, Card.IssueReason.APPROVED, tell=False)
            if card is not None:
                issued += 1
                provinces.add(card.province_id)
        with transaction.atomic():
            inbox.tell_to_print(provinces)
        if len(pending) < limit:
            return issued
