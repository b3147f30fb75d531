"""Coming to an event: sign-up (by phone with the account sign-up's SMS code, or by an
agent), the waiting list, check-in at the door (card QR, number, CNIE, phone), walk-ins and
the reminder the day before."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hirfa.accounts.models import PhoneVerification
from hirfa.accounts.services import confirm_phone_code, send_phone_code
from hirfa.audit.services import record
from hirfa.cards import qr
from hirfa.cards.verification import verify_text
from hirfa.core import validators
from hirfa.core.errors import Conflict, DomainError, Forbidden, NotFound
from hirfa.notifications.services import notify
from hirfa.outreach import policy, selectors
from hirfa.outreach.models import Attendee, Event

Status = Attendee.Status
SUBJECT = gettext_lazy("National Register of Traditional Crafts")
SEAT_SMS = gettext_lazy("You are signed up to %(event)s, %(date)s at %(time)s, %(venue)s.")
WAITING_SMS = gettext_lazy(
    "%(event)s is full: you are on the waiting list. We will send an SMS if a seat frees up."
)
REMINDER_SMS = gettext_lazy("Reminder: %(event)s tomorrow at %(time)s, %(venue)s.")


def _sms(attendee: Attendee, text, action: str) -> None:
    event = attendee.event
    start = timezone.localtime(event.starts_at)

    def body():
        return text % {
            "event": event.name,
            "date": start.date().isoformat(),
            "time": start.strftime("%H:%M"),
            "venue": event.venue,
        }

    if attendee.phone:
        notify(
            phone=attendee.phone,
            event=action,
            subject=SUBJECT,
            body=body,
            language=attendee.language,
        )


def _audit(actor, action: str, attendee: Attendee, **data) -> None:
    record(
        actor=actor,
        action=action,
        obj=attendee,
        province_code=attendee.event.province.code,
        data=data or None,
    )


def _phone(value, *, required: bool = True) -> str:
    if not value and not required:
        return ""
    try:
        return validators.normalise_phone(value)
    except ValidationError as error:
        raise DomainError(error.messages[0], fields={"phone": error.messages}) from None


def _name(value) -> str:
    name = " ".join(str(value or "").split())[:150]
    if not name:
        message = _("This field is required.")
        raise DomainError(message, fields={"name": [message]})
    return name


def _require_consent(consent: bool) -> None:
    if not consent:
        raise DomainError(
            _("The person must agree to the personal data notice (Law 09-08)."),
            fields={"consent": [_("Read the notice to the person and tick the box.")]},
        )


def _require_open(event: Event) -> None:
    if not policy.is_open_for_sign_up(event):
        raise DomainError(_("Sign-up to this event is closed."), code="closed", status=409)


def _lock(event: Event) -> Event:
    """Lock the event's row: seats are counted and given one sign-up at a time."""
    return Event.objects.select_for_update().select_related("province").get(pk=event.pk)


def _take_seat(attendee: Attendee) -> None:
    event = _lock(attendee.event)
    full = policy.is_full(event, selectors.seats_taken(event))
    attendee.status = Status.WAITING if full else Status.SIGNED_UP


def _existing(event: Event, phone: str) -> Attendee | None:
    return event.attendees.select_for_update().filter(phone=phone).first()


@transaction.atomic
def start_sign_up(*, event: Event, name, phone, language: str = "ar") -> Attendee:
    """Someone signs up on the event's page: a code is sent by SMS to confirm the phone."""
    _require_open(event)
    name, phone = _name(name), _phone(phone)
    attendee = _existing(event, phone)
    if attendee is not None and attendee.status in (Status.SIGNED_UP, Status.WAITING):
        raise Conflict(_("This phone is already signed up to this event."), code="signed_up")
    attendee = attendee or Attendee(event=event, phone=phone, source=Attendee.Source.PHONE)
    attendee.name, attendee.language = name, language
    attendee.status, attendee.signed_up_at = Status.PENDING, timezone.now()
    attendee.save()
    send_phone_code(phone=phone, purpose=PhoneVerification.Purpose.EVENT)
    return attendee


def confirm_sign_up(*, event: Event, phone, code) -> Attendee:
    """The code is right: the person gets a seat, or a place on the waiting list."""
    phone = _phone(phone)
    # Checked in its own transaction, so that a wrong code is counted even though we fail.
    confirm_phone_code(phone=phone, purpose=PhoneVerification.Purpose.EVENT, code=code)
    with transaction.atomic():
        attendee = _existing(event, phone)
        if attendee is None or attendee.status != Status.PENDING:
            raise NotFound(_("No sign-up is waiting for this phone. Sign up again."))
        _require_open(event)
        _take_seat(attendee)
        attendee.consent_at = timezone.now()
        attendee.save(update_fields=["status", "consent_at"])
        _audit(None, "attendee.signed_up", attendee, status=attendee.status, by="phone")
        _sms(attendee, SEAT_SMS if policy.holds_a_seat(attendee) else WAITING_SMS, "outreach.seat")
    return attendee


@transaction.atomic
def sign_up_for(*, agent, event: Event, name, phone, consent: bool) -> Attendee:
    """An agent signs someone up (who heard the Law 09-08 notice and agreed)."""
    if not policy.may_manage(agent, event):
        raise Forbidden()
    _require_open(event)
    name, phone = _name(name), _phone(phone)
    _require_consent(consent)
    attendee = _existing(event, phone)
    if attendee is not None and attendee.status in (Status.SIGNED_UP, Status.WAITING):
        raise Conflict(_("This phone is already signed up to this event."), code="signed_up")
    attendee = attendee or Attendee(event=event, phone=phone)
    attendee.name, attendee.source, attendee.signed_up_by = name, Attendee.Source.AGENT, agent
    attendee.language = translation.get_language() or "ar"
    attendee.signed_up_at = attendee.consent_at = timezone.now()
    _take_seat(attendee)
    attendee.save()
    _audit(agent, "attendee.signed_up", attendee, status=attendee.status, by="agent")
    _sms(attendee, SEAT_SMS if policy.holds_a_seat(attendee) else WAITING_SMS, "outreach.seat")
    return attendee


@transaction.atomic
def cancel_sign_up(*, actor, event: Event, attendee: Attendee) -> Attendee | None:
    """Cancel a sign-up; a freed seat goes to the first on the waiting list, who is told.
    Returns the attendee promoted, if any."""
    if not policy.may_manage(actor, event):
        raise Forbidden()
    event = _lock(event)
    attendee = event.attendees.select_for_update().get(pk=attendee.pk)
    if attendee.status == Status.CANCELLED:
        return None
    freed = policy.holds_a_seat(attendee)
    attendee.status = Status.CANCELLED
    attendee.save(update_fields=["status"])
    _audit(actor, "attendee.cancelled", attendee)
    if not freed or policy.is_full(event, selectors.seats_taken(event)):
        return None
    promoted = selectors.next_on_waiting_list(event)
    if promoted is not None:
        promoted.status = Status.SIGNED_UP
        promoted.save(update_fields=["status"])
        _audit(actor, "attendee.promoted", promoted)
        _sms(promoted, SEAT_SMS, "outreach.seat")
    return promoted


# --- At the door --------------------------------------------------------------------------


def _require_door(actor, event: Event) -> None:
    if not policy.may_manage(actor, event):
        raise Forbidden()
    if not policy.is_open_at_the_door(event):
        raise DomainError(_("Check-in is closed for this event."), code="closed", status=409)


@transaction.atomic
def check_in(*, actor, event: Event, attendee: Attendee) -> tuple[Attendee, bool]:
    """Mark the attendee as come; a second check-in changes nothing. Returns the attendee
    and whether this call checked them in."""
    _require_door(actor, event)
    attendee = event.attendees.select_for_update().get(pk=attendee.pk)
    if attendee.checked_in_at is not None:
        return attendee, False
    attendee.checked_in_at, attendee.checked_in_by = timezone.now(), actor
    if attendee.status in (Status.PENDING, Status.CANCELLED, Status.WAITING):
        # Come anyway: at the door there is room, or they would not be let in.
        attendee.status = Status.SIGNED_UP
    attendee.save(update_fields=["checked_in_at", "checked_in_by", "status"])
    _audit(actor, "attendee.checked_in", attendee)
    return attendee, True


def _from_register(actor, event: Event, registration) -> Attendee:
    """The event's row for a registered artisan, recorded as a walk-in if they had none."""
    person = registration.person
    attendee = event.attendees.select_for_update().filter(registration=registration).first()
    if attendee is None and person is not None:
        attendee = (
            event.attendees.select_for_update().filter(phone=person.phone).first()
            or event.attendees.select_for_update().filter(cnie=person.cnie).first()
        )
    if attendee is None:
        attendee = Attendee(
            event=event,
            name=registration.registrant_name_latin or registration.registrant_name_ar,
            phone=person.phone if person else "",
            cnie=person.cnie if person else "",
            source=Attendee.Source.WALK_IN,
            status=Status.SIGNED_UP,
            signed_up_at=timezone.now(),
            signed_up_by=actor,
        )
    attendee.registration, attendee.person = registration, person
    attendee.save()
    return attendee


@transaction.atomic
def check_in_by(
    *, actor, event: Event, qr_text: str = "", number: str = "", cnie: str = "", phone: str = ""
) -> tuple[Attendee, bool, str]:
    """Check someone in by their card's QR, registration number, CNIE or phone.

    Returns the attendee, whether this call checked them in, and a note on the card (its
    verdict when it is genuine but not valid). A card that is not genuine is refused."""
    _require_door(actor, event)
    note = ""
    registration = None
    if qr_text:
        result = verify_text(qr_text)
        if result.verdict == qr.Verdict.NOT_GENUINE:
            message = _("This card is not genuine: %(reason)s") % {"reason": result.reason}
            raise DomainError(message, code="not_genuine", fields={"qr_text": [message]})
        if result.verdict != qr.Verdict.VALID:
            note = result.reason
        registration = selectors.registration_by_number(result.signed.card.number)
    elif number:
        registration = selectors.registration_by_number(number)
    elif cnie:
        try:
            cnie = validators.normalise_cnie(cnie)
        except ValidationError as error:
            raise DomainError(error.messages[0], fields={"cnie": error.messages}) from None
        attendee = event.attendees.filter(cnie=cnie).first()
        if attendee is not None:
            return (*check_in(actor=actor, event=event, attendee=attendee), note)
        registration = selectors.registration_by_cnie(cnie)
    elif phone:
        attendee = event.attendees.filter(phone=_phone(phone)).first()
        if attendee is None:
            raise NotFound(_("Nobody signed up with this phone. Record a walk-in."))
        return (*check_in(actor=actor, event=event, attendee=attendee), note)
    else:
        raise DomainError(_("Scan a card, or type a number, a CNIE or a phone."))
    if registration is None:
        raise NotFound(_("No registration has this number. Record a walk-in."))
    attendee = _from_register(actor, event, registration)
    return (*check_in(actor=actor, event=event, attendee=attendee), note)


@transaction.atomic
def record_walk_in(
    *, actor, event: Event, name, phone, cnie: str = "", consent: bool
) -> tuple[Attendee, bool]:
    """Someone comes without signing up: name, phone and their consent (Law 09-08)."""
    _require_door(actor, event)
    name, phone = _name(name), _phone(phone)
    _require_consent(consent)
    if cnie:
        try:
            cnie = validators.normalise_cnie(cnie)
        except ValidationError as error:
            raise DomainError(error.messages[0], fields={"cnie": error.messages}) from None
    attendee = _existing(event, phone)
    if attendee is None:
        attendee = Attendee.objects.create(
            event=event,
            name=name,
            phone=phone,
            cnie=cnie,
            language=translation.get_language() or "ar",
            source=Attendee.Source.WALK_IN,
            status=Status.SIGNED_UP,
            consent_at=timezone.now(),
            signed_up_at=timezone.now(),
            signed_up_by=actor,
        )
        _audit(actor, "attendee.walked_in", attendee)
    return check_in(actor=actor, event=event, attendee=attendee)


def send_reminders(now: datetime | None = None) -> int:
    """The SMS the day before, once per attendee; returns how many were sent."""
    now = now or timezone.now()
    sent = 0
    for attendee in selectors.due_reminders(now):
        with transaction.atomic():
            locked = (
                Attendee.objects.select_for_update().select_related("event").get(pk=attendee.pk)
            )
            if not policy.is_due_a_reminder(locked, locked.event, now):
                continue
            locked.reminded_at = now
            locked.save(update_fields=["reminded_at"])
            _sms(locked, REMINDER_SMS, "outreach.reminder")
            sent += 1
    return sent
