"""Building blocks of the coverage tests: a dependant's data and the CNSS's answers (an
approved artisan is `tests.factories.approved_registration`)."""

from datetime import date

from hirfa.coverage import services
from tests.factories import agent_of, pdf_upload

SOURCE = "cnss:batch:TEST"


def child(**overrides) -> dict:
    """A child as declared by the artisan or an agent (born in 2015)."""
    return {
        "relation": "child",
        "first_name_ar": "يوسف",
        "last_name_ar": "أيت لحسن",
        "first_name_latin": "Youssef",
        "last_name_latin": "Ait Lahcen",
        "sex": "M",
        "birth_date": "2015-05-02",
    } | overrides


def confirmed_child(registration, agent=None, **overrides):
    """A `child` declared by an agent (of Souss-Massa unless told), every document it needs
    attached, and confirmed: ready to go to the CNSS."""
    agent = agent or agent_of("09")
    dependant = services.declare_dependant(
        actor=agent, registration=registration, data=child(**overrides)
    )
    for kind in services.required_documents(dependant):
        services.attach_dependant_document(
            actor=agent, dependant=dependant, kind=kind, uploaded=pdf_upload()
        )
    return services.confirm_dependant(agent=agent, dependant=dependant)


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
