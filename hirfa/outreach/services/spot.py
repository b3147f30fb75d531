"""On the spot: an assisted registration filed from an attendee (and the referral that says
which event brought the file), help given for AMO, questions asked and the public FAQ."""

from django.db import transaction
from django.utils.translation import gettext as _

from hirfa.audit.services import record
from hirfa.core.errors import DomainError, Forbidden
from hirfa.outreach import policy
from hirfa.outreach.models import Attendee, Event, EventService, Question, Referral
from hirfa.register import services as register


def _require_manager(actor, event: Event) -> None:
    if not policy.may_manage(actor, event):
        raise Forbidden()


@transaction.atomic
def file_from_attendee(
    *, agent, event: Event, attendee: Attendee | None, person_data, craft_data, consent
):
    """File an assisted registration through the register's own service, and record in the
    same transaction that the file came from this event."""
    _require_manager(agent, event)
    dossier = register.file_assisted(
        agent=agent, person_data=person_data, craft_data=craft_data, consent=consent
    )
    referral = Referral.objects.create(
        event=event, dossier=dossier, attendee=attendee, created_by=agent
    )
    if attendee is not None and attendee.person_id is None:
        attendee.person = dossier.person
        attendee.save(update_fields=["person"])
    record(
        actor=agent,
        action="referral.created",
        obj=referral,
        province_code=event.province.code,
        data={"event": event.pk, "dossier": dossier.pk},
    )
    return dossier


@transaction.atomic
def record_service(*, actor, event: Event, attendee: Attendee, kind: str, note: str = ""):
    _require_manager(actor, event)
    if kind not in EventService.Kind.values:
        message = _("Choose the kind of help given.")
        raise DomainError(message, fields={"kind": [message]})
    service = EventService.objects.create(
        event=event, attendee=attendee, kind=kind, note=str(note or "")[:500], given_by=actor
    )
    record(
        actor=actor, action="event_service.given", obj=service, province_code=event.province.code
    )
    return service


def _text(value, field: str, limit: int) -> str:
    text = str(value or "").strip()[:limit]
    if not text:
        message = _("This field is required.")
        raise DomainError(message, fields={field: [message]})
    return text


@transaction.atomic
def log_question(*, actor, event: Event, topic, question, answer="") -> Question:
    _require_manager(actor, event)
    item = Question.objects.create(
        event=event,
        topic=_text(topic, "topic", 150),
        question=_text(question, "question", 2000),
        answer=str(answer or "").strip()[:4000],
        recorded_by=actor,
    )
    record(actor=actor, action="question.logged", obj=item, province_code=event.province.code)
    return item


@transaction.atomic
def publish_question(*, actor, question: Question, published: bool = True, answer=None):
    """Show (or hide) a question and its answer in the event's public FAQ."""
    event = question.event
    _require_manager(actor, event)
    if answer is not None:
        question.answer = str(answer).strip()[:4000]
    if published and not question.answer:
        message = _("Write the answer before publishing the question.")
        raise DomainError(message, fields={"answer": [message]})
    question.published = published
    question.save(update_fields=["published", "answer"])
    record(
        actor=actor,
        action="question.published" if published else "question.hidden",
        obj=question,
        province_code=event.province.code,
    )
    return question
