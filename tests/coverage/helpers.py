"""Building blocks of the coverage tests: an approved artisan, and the CNSS's answers."""

from datetime import date

from hirfa.coverage import services
from hirfa.register import services as register
from tests.factories import agent_of, officer_of, submitted_dossier

SOURCE = "cnss:batch:TEST"


def approved_registration(cnie="JK123456", phone="0612345678", **overrides):
    """A natural person's registration, approved in Tiznit."""
    officer = officer_of("09.581")
    agent = agent_of("09")
    dossier = submitted_dossier(agent, cnie=cnie, phone=phone, **overrides)
    return register.approve(officer=officer, dossier=dossier).registration


def immatriculated(registration, *, cnss_number="123456789", on=date(2026, 1, 10)):
    services.mark_sent(registration_numbers=[registration.number], batch_id="B1", source=SOURCE)
    return services.record_immatriculation(
        number=registration.number, cnss_number=cnss_number, on=on, source=SOURCE
    )


def pay(registration, period, *, amount="135.00", paid_on=None, reference=None):
    year, month = map(int, period.split("-"))
    return services.record_payment(
        number=registration.number,
        period=period,
        amount=amount,
        paid_on=paid_on or date(year, month, 25),
        reference=reference or f"P{registration.number}{period}",
        source=SOURCE,
    )
