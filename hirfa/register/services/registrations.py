"""The lifecycle of a registration (suspend, reinstate, strike off, expire) and its
attestation."""

import base64
import hashlib
import hmac
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hirfa.audit.services import record
from hirfa.core.errors import Conflict, DomainError, Forbidden
from hirfa.notifications.formatting import Formatted
from hirfa.notifications.services import notify
from hirfa.register import links, policy, selectors, signals
from hirfa.register.models import (
    Category,
    Registration,
)
from hirfa.register.services.validation import free_text


def _locked_registration(officer, registration: Registration) -> Registration:
    if not policy.may_manage_registrations(officer):
        raise Forbidden()
    registration = selectors.registration_for(officer, registration.number)
    return (
        Registration.objects.select_for_update().select_related("province").get(pk=registration.pk)
    )


def _set_status(registration, officer, status, action, reason, **extra) -> Registration:
    previous = registration.status
    registration.status = status
    registration.status_reason = reason
    registration.suspended_until = extra.get("until")
    registration.save(update_fields=["status", "status_reason", "suspended_until", "updated_at"])
    record(
        actor=officer,
        action=f"registration.{action}",
        obj=registration,
        province_code=registration.province.code,
        reason=reason,
        data={"from": previous, "to": status, **{k: str(v) for k, v in extra.items()}},
    )
    # The cards app revokes or reinstates the card; coverage closes the AMO enrolment of an
    # artisan struck off, in this transaction.
    signals.registration_status_changed.send(
        sender=Registration, registration=registration, actor=officer, action=action, reason=reason
    )
    return registration


def _reason(reason: str) -> str:
    text = free_text(reason, "reason")
    if not text:
        raise DomainError(_("Give the reason."), fields={"reason": [_("This field is required.")]})
    return text


@transaction.atomic
def suspend(
    *, officer, registration: Registration, reason: str, until: date | None
) -> Registration:
    registration = _locked_registration(officer, registration)
    reason = _reason(reason)
    if not policy.may_move_registration(registration, "suspend"):
        raise Conflict(_("Only an active registration can be suspended."))
    if until is not None and until <= timezone.localdate():
        raise DomainError(
            _("The end of the suspension must be in the future."),
            fields={"until": [_("Enter a date after today.")]},
        )
    return _set_status(
        registration, officer, Registration.Status.SUSPENDED, "suspended", reason, until=until
    )


@transaction.atomic
def reinstate(*, officer, registration: Registration, reason: str) -> Registration:
    registration = _locked_registration(officer, registration)
    reason = _reason(reason)
    if not policy.may_move_registration(registration, "reinstate"):
        raise Conflict(_("Only a suspended registration can be reinstated."))
    return _set_status(registration, officer, Registration.Status.ACTIVE, "reinstated", reason)


@transaction.atomic
def strike_off(*, officer, registration: Registration, reason: str) -> Registration:
    registration = _locked_registration(officer, registration)
    reason = _reason(reason)
    if not policy.may_move_registration(registration, "strike_off"):
        raise Conflict(_("This registration was already struck off."))
    return _set_status(registration, officer, Registration.Status.STRUCK_OFF, "struck_off", reason)


@transaction.atomic
def expire_registrations(today: date | None = None) -> dict:
    """Mark expired registrations and remind those close to expiry (run daily)."""
    today = today or timezone.localdate()
    expired = 0
    for registration in (
        Registration.objects.select_for_update()
        .filter(status=Registration.Status.ACTIVE, valid_until__lt=today)
        .select_related("province")
    ):
        _set_status(
            registration,
            None,
            Registration.Status.EXPIRED,
            "expired",
            _("The validity period ended."),
        )
        expired += 1
    reminded = 0
    due = (
        Registration.objects.filter(
            status=Registration.Status.ACTIVE,
            valid_until__lte=policy.renewal_horizon(today),
            person__isnull=False,
        )
        .exclude(reminder_sent_for=F("valid_until"))
        .select_related("person__user")
    )
    for registration in due:
        person = registration.person
        notify(
            user=person.user,
            phone=None if person.user_id else person.phone,
            event="registration.renewal_reminder",
            subject=gettext_lazy("National Register of Traditional Crafts"),
            body=Formatted(
                gettext_lazy("Your registration ends on %(date)s. Ask for its renewal."),
                {"date": registration.valid_until.strftime("%d/%m/%Y")},
            ),
        )
        registration.reminder_sent_for = registration.valid_until
        registration.save(update_fields=["reminder_sent_for"])
        reminded += 1
    return {"expired": expired, "reminded": reminded}


# --- Attestation ------------------------------------------------------------------------


def verification_code(registration: Registration) -> str:
    """A short code printed on the attestation, that only this platform can compute."""
    message = f"attestation:{registration.number}:{registration.registered_on.isoformat()}"
    digest = hmac.new(settings.SECRET_KEY.encode(), message.encode(), hashlib.sha256).digest()
    code = base64.b32encode(digest[:10]).decode()[:12]
    return "-".join(code[i : i + 4] for i in range(0, 12, 4))


def _name_zgh(registration: Registration) -> str:
    person = registration.person
    if person is None:
        return ""
    return " ".join(name for name in (person.first_name_zgh, person.last_name_zgh) if name)


def attestation_pdf(*, actor, registration: Registration) -> bytes:
    if not policy.attestation_available(registration):
        raise Conflict(_("An attestation is issued only for an active registration."))
    from hirfa.register.attestation import AttestationData, render_attestation  # fpdf: ADR 0090

    activity = registration.principal_activity
    code = verification_code(registration)
    answers = signals.attestation_signing.send(
        sender=Registration, registration=registration, code=code
    )
    data = AttestationData(
        number=registration.number,
        full_name_ar=registration.registrant_name_ar,
        full_name_latin=registration.registrant_name_latin,
        category_ar=CATEGORY_NAMES[registration.category][0],
        category_fr=CATEGORY_NAMES[registration.category][1],
        activity_ar=activity.name_ar,
        activity_fr=activity.name_fr,
        province_ar=registration.province.name_ar,
        province_fr=registration.province.name_fr,
        registered_on=registration.registered_on,
        valid_until=registration.valid_until,
        issued_on=timezone.localdate(),
        verification_code=code,
        verification_url=links.attestation_check_url(registration.number, code),
        full_name_zgh=_name_zgh(registration),
        category_zgh=CATEGORY_NAMES_ZGH[registration.category],
        activity_zgh=activity.name_zgh,
        province_zgh=registration.province.name_zgh,
        qr_text=next((answer for _receiver, answer in answers if answer), ""),
    )
    with transaction.atomic():
        record(
            actor=actor,
            action="attestation.issued",
            obj=registration,
            province_code=registration.province.code,
        )
    return render_attestation(data)


# Official wording of the categories on bilingual documents (not UI translations).
CATEGORY_NAMES = {
    Category.ARTISAN_DIPLOMA: ("صانع تقليدي (حاصل على دبلوم)", "Artisan (diplômé)"),
    Category.ARTISAN_EXPERIENCE: ("صانع تقليدي (ذو خبرة)", "Artisan (expérience)"),
    Category.MASTER: ("معلم حرفي", "Maître artisan (maâlem)"),
    Category.COOPERATIVE: ("تعاونية الصناعة التقليدية", "Coopérative artisanale"),
    Category.ENTERPRISE: ("مقاولة الصناعة التقليدية", "Entreprise artisanale"),
}
CATEGORY_NAMES_ZGH = {
    Category.ARTISAN_DIPLOMA: "ⴰⵏⴰⵥⵓⵕ (ⴰⴳⵍⴰⵎ)",
    Category.ARTISAN_EXPERIENCE: "ⴰⵏⴰⵥⵓⵕ (3 ⵏ ⵉⵙⴳⴳⵯⴰⵙⵏ ⵏ ⵜⵡⵓⵔⵉ)",
    Category.MASTER: "ⴰⵏⴰⵥⵓⵕ ⴰⵎⵇⵔⴰⵏ (ⵎⵄⴰⵍⵍⵎ)",
    Category.COOPERATIVE: "ⵜⴰⵎⵢⴰⵡⴰⵙⵜ ⵏ ⵜⵥⵓⵕⵉ ⵜⴰⵏⵎⵣⵡⵓⵔⵜ",
    Category.ENTERPRISE: "ⵜⴰⵙⵏⵓⵔⴰⵢⵜ ⵏ ⵜⵥⵓⵕⵉ ⵜⴰⵏⵎⵣⵡⵓⵔⵜ",
}
