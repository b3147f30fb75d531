"""Health coverage for the demo register: enrolments in every state, dependants, payments.

Played through the services as if the CNSS had answered (source "demo"), on part of the
approved artisans; the rest stay "not enrolled" for the CNSS SANDBOX to answer in
`make run`. Idempotent: once the demo enrolments exist, a second run adds nothing.
"""

import hashlib
import random
from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from hirfa.accounts.models import User
from hirfa.coverage import services
from hirfa.coverage.models import ClosingReason, Enrolment
from hirfa.coverage.money import add_months, format_period
from hirfa.register.models import NATURAL_PERSON_CATEGORIES, Registration

SOURCE = "demo"
BATCH = "DEMO"
SHARE = 0.6  # of the approved artisans, enrolled by the demo


def _cnss_number(cnie: str) -> str:
    return str(200_000_000 + int(hashlib.sha256(cnie.encode()).hexdigest(), 16) % 700_000_000)


def _pay(registration, months, *, rng, late=False):
    """The months paid, in one call of the bulk writer the CNSS import uses (one audit entry
    and one assessment for the artisan, not one per month)."""
    items = []
    for line, month in enumerate(months):
        paid_on = add_months(month, 1 if late else 0).replace(day=rng.randint(5, 25))
        period = format_period(month)
        items.append(
            (
                line,
                registration.number,
                period,
                "135.00",
                min(paid_on, timezone.localdate()),
                f"DEMO-{registration.number}-{period}",
            )
        )
    refused = services.record_payments(items=items, source=SOURCE)
    if refused:
        raise next(iter(refused.values()))


CHILDREN = [("يوسف", "Youssef", "M"), ("مريم", "Meryem", "F"), ("آدم", "Adam", "M")]


def _family(registration, agent, *, rng, today) -> int:
    person = registration.person
    born = date(today.year - rng.randint(1, 17), rng.randint(1, 12), rng.randint(1, 28))
    first_ar, first_latin, sex = rng.choice(CHILDREN)
    declared = 0
    for relation, data in [
        (
            "spouse",
            {
                "first_name_ar": "حليمة" if person.sex == "M" else "إبراهيم",
                "first_name_latin": "Halima" if person.sex == "M" else "Brahim",
                "sex": "F" if person.sex == "M" else "M",
                "birth_date": person.birth_date.isoformat(),
            },
        ),
        (
            "child",
            {
                "first_name_ar": first_ar,
                "first_name_latin": first_latin,
                "sex": sex,
                "birth_date": born.isoformat(),
            },
        ),
    ]:
        dependant = services.declare_dependant(
            actor=agent,
            registration=registration,
            data={
                "relation": relation,
                "last_name_ar": person.last_name_ar,
                "last_name_latin": person.last_name_latin,
                **data,
            },
        )
        declared += 1
        if rng.random() < 0.5:
            for kind in services.required_documents(dependant):
                pdf = ContentFile(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "d.pdf")
                services.attach_dependant_document(
                    actor=agent, dependant=dependant, kind=kind, uploaded=pdf
                )
            services.confirm_dependant(agent=agent, dependant=dependant)
    return declared


def load_demo_coverage() -> dict:
    if Enrolment.objects.filter(sent_batch=BATCH).exists():
        return {"enrolled": 0, "dependants": 0}
    rng = random.Random(135)
    today = timezone.localdate()
    registrations = list(
        Registration.objects.filter(
            enrolment__isnull=True,
            status=Registration.Status.ACTIVE,
            person__isnull=False,
            category__in=NATURAL_PERSON_CATEGORIES,
        )
        .select_related("person", "province__region")
        .order_by("number")
    )
    chosen = [r for r in registrations if rng.random() < SHARE]
    if not chosen:
        return {"enrolled": 0, "dependants": 0}
    dependants = 0
    with transaction.atomic():
        services.mark_sent(
            registration_numbers=[r.number for r in chosen], batch_id=BATCH, source=SOURCE
        )
    for index, registration in enumerate(chosen):
        story = index % 6
        with transaction.atomic():
            if story == 0:
                continue  # sent, waiting for the CNSS
            if story == 1:
                services.record_rejection(
                    number=registration.number,
                    code="CNIE_UNKNOWN",
                    reason="CNIE not found in the national identity register",
                    source=SOURCE,
                )
                continue
            since = add_months(today, -rng.randint(4, 14))
            services.record_immatriculation(
                number=registration.number,
                cnss_number=_cnss_number(registration.person.cnie),
                on=since.replace(day=rng.randint(1, 28)),
                source=SOURCE,
            )
            last_month = add_months(today, -1)
            months = []
            month = since
            while month <= last_month:
                months.append(month)
                month = add_months(month, 1)
            if story == 2:
                _pay(registration, months[:2], rng=rng)  # still in the waiting period
            elif story == 3:
                _pay(registration, months[:-3], rng=rng)  # stopped paying: suspended
            else:
                _pay(registration, months, rng=rng, late=story == 5)
            agent = User.objects.filter(
                username=f"demo.agent.{registration.province.region.code}"
            ).first()
            if agent is None:
                continue
            if story in (4, 5):
                dependants += _family(registration, agent, rng=rng, today=today)
            if story == 5 and index % 12 == 5:
                services.close_enrolment(
                    agent=agent, registration=registration, reason=ClosingReason.OTHER_SCHEME
                )
    services.apply_rules(today)
    return {"enrolled": Enrolment.objects.count(), "dependants": dependants}
