"""Reads for Law 09-08 rights: everything the register holds about one person (the right of
access), the artisan's own documents, and who has been kept past the retention period.

`personal_data(user)` is plain JSON (strings, numbers, lists, dicts; dates in ISO form): the
JSON download and the API return it as is, and the PDF prints it.
"""

from datetime import date, datetime

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from hirfa.audit import wording
from hirfa.audit.models import AuditEntry
from hirfa.cards.models import Card
from hirfa.core.errors import NotFound
from hirfa.coverage.models import Dependant, DependantDocument, Enrolment
from hirfa.notifications.selectors import notifications_for
from hirfa.privacy import policy
from hirfa.register import bulk as register_bulk
from hirfa.register.models import Document, Dossier, LegalEntity, Person, Registration
from hirfa.register.rules import OPEN_STATES

FORMAT_VERSION = 1
CONTROLLER = "Registre National de l'Artisanat / السجل الوطني للصناعة التقليدية"
PURPOSE = (
    "Law 50-17: registering artisans, issuing their professional card, and opening their "
    "health coverage (AMO) with the CNSS."
)

# The person's own fields, as the register stores them (the commune is given by name apart),
# and when the file was made and last changed.
PERSON_FIELDS = (
    *(field for field in register_bulk.PERSON_FIELDS if field != "commune"),
    "created_at",
    "updated_at",
)


def _plain(value):
    if isinstance(value, datetime):
        return (
            timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    return value


def _named(obj) -> dict | None:
    if obj is None:
        return None
    return {"code": obj.code, "name_ar": obj.name_ar, "name_fr": obj.name_fr}


def person_of(user) -> Person | None:
    try:
        return user.person
    except (ObjectDoesNotExist, AttributeError):
        return None


# --- The right of access ----------------------------------------------------------------


def personal_data(user) -> dict:
    """Everything the register holds about `user` and the person they are: identity,
    files with their messages and documents (metadata and a link, not the bytes),
    registrations, cards, health coverage with dependants and payments, notifications sent,
    and the audit entries about them (who opened their file included)."""
    person = person_of(user)
    data = {
        "format": FORMAT_VERSION,
        "generated_at": _plain(timezone.now()),
        "controller": CONTROLLER,
        "purpose": PURPOSE,
        "retention_days_after_striking_off": policy.retention_days(),
        "account": _account(user),
        "person": _person(person) if person is not None else None,
        "registrations": [],
        "dossiers": [],
        "cards": [],
        "coverage": [],
        "notifications": [_notification(n) for n in notifications_for(user)],
    }
    registrations, dossiers = [], []
    if person is not None:
        registrations = list(
            person.registrations.select_related(
                "principal_activity", "province", "workplace_commune"
            )
            .prefetch_related("secondary_activities")
            .order_by("created_at", "id")
        )
        dossiers = list(
            person.dossiers.select_related(
                "principal_activity", "province", "workplace_commune", "registration"
            )
            .prefetch_related("messages", "documents")
            .order_by("created_at", "id")
        )
        data["registrations"] = [_registration(r) for r in registrations]
        data["dossiers"] = [_dossier(d, user) for d in dossiers]
    cards = list(Card.objects.filter(registration__in=registrations).order_by("issued_at", "id"))
    data["cards"] = [_card(c) for c in cards]
    enrolments = list(
        Enrolment.objects.filter(registration__in=registrations)
        .select_related("registration")
        .prefetch_related("payments")
        .order_by("created_at", "id")
    )
    dependants = list(
        Dependant.objects.filter(registration__in=registrations)
        .prefetch_related("documents")
        .order_by("created_at", "id")
    )
    data["coverage"] = [_enrolment(e, dependants) for e in enrolments]
    entries = list(
        _audit_about(user, person, registrations, dossiers, cards, enrolments, dependants)
    )
    data["audit"] = [_entry(e) for e in entries]
    data["accesses"] = [
        {
            "at": _plain(e.at),
            "by": e.actor_label,
            "role": str(e.actor.get_role_display()) if e.actor is not None else "",
            "reason": e.reason,
        }
        for e in entries
        # Staff's openings of the file, not the artisan's own.
        if wording.is_read(e.action) and e.actor_id != user.pk
    ]
    return data


def _account(user) -> dict:
    return {
        "username": user.get_username(),
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "phone": user.phone or "",
        "date_joined": _plain(user.date_joined),
        "last_login": _plain(user.last_login),
    }


def _person(person: Person) -> dict:
    out = {field: _plain(getattr(person, field)) for field in PERSON_FIELDS}
    out["commune"] = _named(person.commune)
    out["photo"] = bool(person.photo)
    return out


def _craft(record) -> dict:
    return {
        "category": record.category,
        "principal_activity": _named(record.principal_activity),
        "secondary_activities": [_named(a) for a in record.secondary_activities.all()],
        "workplace_kind": record.workplace_kind,
        "workplace_address": record.workplace_address,
        "workplace_commune": _named(record.workplace_commune),
        "province": _named(record.province),
    }


def _registration(registration: Registration) -> dict:
    return {
        "number": registration.number,
        "status": registration.status,
        "status_reason": registration.status_reason,
        "registered_on": _plain(registration.registered_on),
        "valid_until": _plain(registration.valid_until),
        "suspended_until": _plain(registration.suspended_until),
        **_craft(registration),
        "created_at": _plain(registration.created_at),
        "updated_at": _plain(registration.updated_at),
    }


def _document(document, url: str) -> dict:
    return {
        "id": document.pk,
        "kind": document.kind,
        "name": document.original_name,
        "content_type": document.content_type,
        "size": document.size,
        "sha256": document.sha256,
        "uploaded_at": _plain(document.uploaded_at),
        "url": url if document.file else None,
    }


def _dossier(dossier: Dossier, user) -> dict:
    return {
        "id": dossier.pk,
        "kind": dossier.kind,
        "state": dossier.state,
        "registration": dossier.registration.number if dossier.registration_id else None,
        **_craft(dossier),
        "assisted": dossier.assisted,
        "consent_at": _plain(dossier.consent_at),
        "submitted_at": _plain(dossier.submitted_at),
        "decided_at": _plain(dossier.decided_at),
        "rejection_reason": dossier.rejection_reason,
        "decision_note": dossier.decision_note,
        "person_changes": dossier.person_changes,
        "created_at": _plain(dossier.created_at),
        "messages": [
            {
                "at": _plain(m.at),
                "from": "you" if m.author_id == user.pk else "register",
                "body": m.body,
            }
            for m in dossier.messages.all()
        ],
        "documents": [
            _document(d, reverse("privacy:document", args=[d.pk])) for d in dossier.documents.all()
        ],
    }


def _card(card: Card) -> dict:
    return {
        "registration": card.registration.number,
        "version": card.version,
        "status": card.status,
        "issue_reason": card.issue_reason,
        "issued_at": _plain(card.issued_at),
        "expires_at": _plain(card.expires_at),
        "revoked_at": _plain(card.revoked_at),
        "revocation_reason": card.revocation_reason,
        "print_state": card.print_state,
        "printed_at": _plain(card.printed_at),
        "handed_over_at": _plain(card.handed_over_at),
        "received_by": card.received_by,
    }


def _dependant(dependant: Dependant) -> dict:
    return {
        "id": dependant.pk,
        "relation": dependant.relation,
        "first_name_ar": dependant.first_name_ar,
        "last_name_ar": dependant.last_name_ar,
        "first_name_latin": dependant.first_name_latin,
        "last_name_latin": dependant.last_name_latin,
        "sex": dependant.sex,
        "birth_date": _plain(dependant.birth_date),
        "cnie": dependant.cnie,
        "student": dependant.student,
        "married": dependant.married,
        "disabled": dependant.disabled,
        "state": dependant.state,
        "eligible_until": _plain(dependant.eligible_until),
        "decision_reason": dependant.decision_reason,
        "documents": [
            _document(d, reverse("privacy:dependant_document", args=[d.pk]))
            for d in dependant.documents.all()
        ],
    }


def _enrolment(enrolment: Enrolment, dependants: list[Dependant]) -> dict:
    return {
        "registration": enrolment.registration.number,
        "state": enrolment.state,
        "state_since": _plain(enrolment.state_since),
        "category": enrolment.category,
        "cnss_number": enrolment.cnss_number,
        "sent_on": _plain(enrolment.sent_on),
        "immatriculated_on": _plain(enrolment.immatriculated_on),
        "dues_from": _plain(enrolment.dues_from),
        "rights_open_on": _plain(enrolment.rights_open_on),
        "suspended_on": _plain(enrolment.suspended_on),
        "closed_on": _plain(enrolment.closed_on),
        "closing_reason": enrolment.closing_reason,
        "rejection_reason": enrolment.rejection_reason,
        "arrears": str(enrolment.arrears),
        "unpaid_months": enrolment.unpaid_months,
        "dependants": [
            _dependant(d) for d in dependants if d.registration_id == enrolment.registration_id
        ],
        "payments": [
            {
                "period": _plain(p.period),
                "amount": str(p.amount),
                "paid_on": _plain(p.paid_on),
                "reference": p.reference,
            }
            for p in sorted(enrolment.payments.all(), key=lambda p: (p.period, p.pk))
        ],
    }


def _notification(notification) -> dict:
    return {
        "channel": notification.channel,
        "address": notification.address,
        "subject": notification.subject,
        "body": notification.body,
        "event": notification.event,
        "status": notification.status,
        "created_at": _plain(notification.created_at),
        "sent_at": _plain(notification.sent_at),
    }


def _audit_about(user, person, registrations, dossiers, cards, enrolments, dependants):
    """The audit entries whose object is the user, the person or one of their records."""
    objects = {
        user._meta.label_lower: [user.pk],
        Person._meta.label_lower: [person.pk] if person is not None else [],
        Registration._meta.label_lower: [r.pk for r in registrations],
        Dossier._meta.label_lower: [d.pk for d in dossiers],
        Card._meta.label_lower: [c.pk for c in cards],
        Enrolment._meta.label_lower: [e.pk for e in enrolments],
        Dependant._meta.label_lower: [d.pk for d in dependants],
    }
    about = Q(pk__in=[])
    for object_type, ids in objects.items():
        if ids:
            about |= Q(object_type=object_type, object_id__in=[str(pk) for pk in ids])
    return AuditEntry.objects.filter(about).select_related("actor").order_by("id")


def _entry(entry: AuditEntry) -> dict:
    return {
        "at": _plain(entry.at),
        "action": entry.action,
        "by": entry.actor_label,
        "object": f"{entry.object_type}:{entry.object_id}" if entry.object_type else "",
        "reason": entry.reason,
        "data": entry.data,
    }


def summary(data: dict) -> dict:
    """How many of each the register holds (the page's overview)."""
    return {
        "registrations": len(data["registrations"]),
        "dossiers": len(data["dossiers"]),
        "documents": sum(len(d["documents"]) for d in data["dossiers"]),
        "cards": len(data["cards"]),
        "dependants": sum(len(c["dependants"]) for c in data["coverage"]),
        "payments": sum(len(c["payments"]) for c in data["coverage"]),
        "notifications": len(data["notifications"]),
        "accesses": len(data["accesses"]),
        "audit": len(data["audit"]),
    }


# --- The artisan's own documents ----------------------------------------------------------


def own_document(user, pk) -> Document:
    document = Document.objects.filter(pk=_int(pk), dossier__person__user=user).first()
    if document is None or not document.file:
        raise NotFound()
    return document


def own_dependant_document(user, pk) -> DependantDocument:
    document = DependantDocument.objects.filter(
        pk=_int(pk), dependant__registration__person__user=user
    ).first()
    if document is None or not document.file:
        raise NotFound()
    return document


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound() from None


# --- Retention --------------------------------------------------------------------------


def persons_past_retention(cutoff: datetime) -> QuerySet[Person]:
    """Persons not yet anonymised whose registrations are all struck off, the last one
    before `cutoff`, with no open file, and not a member or supervisor of a cooperative or
    enterprise still registered.

    A struck-off registration never changes status again, so its `updated_at` is the day of
    the striking-off (a later save could only move it later: data kept longer, never less).
    """
    registrations = Registration.objects.filter(person=OuterRef("pk"))
    kept = registrations.filter(
        ~Q(status=Registration.Status.STRUCK_OFF) | Q(updated_at__gte=cutoff)
    )
    open_dossier = Dossier.objects.filter(person=OuterRef("pk"), state__in=OPEN_STATES)
    live_entity = LegalEntity.objects.filter(
        Q(members=OuterRef("pk")) | Q(supervisor=OuterRef("pk"))
    ).filter(
        Exists(
            Registration.objects.filter(entity=OuterRef("pk")).exclude(
                status=Registration.Status.STRUCK_OFF
            )
        )
        | Exists(Dossier.objects.filter(entity=OuterRef("pk"), state__in=OPEN_STATES))
    )
    return (
        Person.objects.exclude(cnie__startswith=policy.PURGED_CNIE_PREFIX)
        .filter(Exists(registrations), ~Exists(kept), ~Exists(open_dossier), ~Exists(live_entity))
        .order_by("pk")
    )
