"""People carried through the funnel's steps, for the funnel's tests (services where they are
cheap; the card is written as the printing desk leaves it, without signing)."""

from datetime import timedelta

from django.utils import timezone

from hirfa.cards.models import Card
from hirfa.coverage import services as coverage
from hirfa.outreach import services
from hirfa.register import services as register
from tests.factories import attach_required_documents, craft_data, officer_of, person_data


def file_on_the_spot(agent, event, attendee, **person):
    dossier = services.file_from_attendee(
        agent=agent,
        event=event,
        attendee=attendee,
        person_data=person_data(phone=attendee.phone, **person),
        craft_data=craft_data(),
        consent=True,
    )
    return attach_required_documents(agent, dossier)


def file_elsewhere(agent, **person):
    dossier = register.file_assisted(
        agent=agent, person_data=person_data(**person), craft_data=craft_data(), consent=True
    )
    return attach_required_documents(agent, dossier)


def carry(agent, dossier, *, to: str):
    """Take a draft on to `to`: submitted, approved, card, enrolled or rights."""
    steps = ["submitted", "approved", "card", "enrolled", "rights"]
    wanted = steps[: steps.index(to) + 1]
    dossier = register.submit(actor=agent, dossier=dossier)
    if "approved" in wanted:
        dossier = register.approve(officer=officer_of("09.581"), dossier=dossier)
    registration = dossier.registration
    now = timezone.now()
    if "card" in wanted:
        Card.objects.create(
            registration=registration,
            version=1,
            issue_reason=Card.IssueReason.APPROVED,
            issued_at=now,
            expires_at=now + timedelta(days=365),
            kid="test",
            qr_text="-",
            print_state=Card.PrintState.HANDED_OVER,
            printed_at=now,
            handed_over_at=now,
            province=registration.province,
        )
    if "enrolled" in wanted:
        coverage.mark_sent(registration_numbers=[registration.number], batch_id="T", source="t")
        coverage.record_immatriculation(
            number=registration.number,
            cnss_number=f"9{registration.number[-8:]}",
            on=timezone.localdate(),
            source="t",
        )
    if "rights" in wanted:
        coverage.record_rights(
            number=registration.number, status="open", on=timezone.localdate(), source="t"
        )
    return dossier
