"""The segment's count, driven from the registrations (decision 70), is the count a plain
reading of the criteria gives, person by person, on a small varied register."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from hirfa.campaigns import selectors
from hirfa.campaigns.models import OptOut
from hirfa.cards.models import Card
from hirfa.coverage.models import Enrolment
from hirfa.coverage.models import State as AmoState
from hirfa.crafts.models import Activity
from hirfa.register.models import Category, Dossier, Person, Registration
from hirfa.register.numbers import damm_check_digit
from hirfa.territory.models import Commune
from tests.factories import AGADIR_CITY, TIZNIT_CITY, agent_of, approved_registration

pytestmark = pytest.mark.django_db

CRITERIA = [
    {},
    {"province": "09.581", "amo": "not_enrolled"},
    {"province": "09.001"},
    {"region": "09", "amo": "immatriculated"},
    {"amo": "rights_open"},
    {"card_not_collected": "1"},
    {"province": "09.581", "card_not_collected": "1"},
    {"stalled_days": 30},
    {"province": "09.001", "stalled_days": 10},
    {"status": "suspended"},
    {"status": "struck_off"},
    {"category": "master"},
    {"commune": TIZNIT_CITY, "category": "artisan_experience"},
]


def _number(serial: int) -> str:
    return f"{serial}{damm_check_digit(str(serial))}"


@pytest.fixture
def register():
    """About forty persons, each a random mix of place, craft, state, AMO, card, consent,
    opt-out and stalled application; two of them outside the region."""
    rng = random.Random(70)
    model = approved_registration(cnie="JK700000", phone="0670000000")
    dossier = Dossier.objects.get(registration=model)
    communes = [
        Commune.objects.get(code=TIZNIT_CITY),
        Commune.objects.get(code=AGADIR_CITY),
        Commune.objects.exclude(province__region__code="09").order_by("code").first(),
    ]
    activities = list(Activity.objects.filter(is_active=True).order_by("code")[:3])
    now = timezone.now()
    for index in range(40):
        person = Person.objects.get(pk=model.person_id)
        person.pk = None
        person.cnie = f"JK8{index:05d}"
        person.phone = "" if index % 13 == 5 else f"+2126710{index:05d}"
        person.user = None
        person.save()
        commune = communes[0 if index % 20 == 0 and index else rng.randrange(2)]
        if index in (7, 31):
            commune = communes[2]
        activity = rng.choice(activities)
        status = rng.choice(["active", "active", "active", "suspended", "struck_off", "expired"])
        registration = None
        if index % 9 != 4:  # some only have an application
            registration = Registration.objects.create(
                number=_number(700000000 + index),
                category=rng.choice(Category.values),
                person=person,
                principal_activity=activity,
                workplace_kind="workshop",
                workplace_commune=commune,
                workplace_address="Atelier",
                province=commune.province,
                status=status,
                registered_on=now.date(),
                valid_until=now.date() + timedelta(days=1000),
            )
        filed = Dossier.objects.get(pk=dossier.pk)
        filed.pk = None
        filed.person = person
        filed.registration = registration
        filed.workplace_commune = commune
        filed.province = commune.province
        filed.principal_activity = activity
        filed.consent_at = None if index % 7 == 3 else now
        filed.state = "approved" if registration else "draft"
        filed.save()
        if not registration or index % 11 == 6:
            age = rng.choice([2, 15, 45])
            Dossier.objects.filter(pk=filed.pk).update(
                state="draft", registration=None, created_at=now - timedelta(days=age)
            )
        if registration and rng.random() < 0.6:
            state = rng.choice(AmoState.values)
            Enrolment.objects.create(
                registration=registration,
                state=state,
                state_since=now.date(),
                cnss_number=f"{800000 + index}" if state == "immatriculated" else "",
            )
        if registration and rng.random() < 0.6:
            Card.objects.create(
                registration=registration,
                version=1,
                status=rng.choice(["current", "current", "revoked"]),
                issue_reason="approved",
                issued_at=now,
                expires_at=now + timedelta(days=1500),
                kid="test",
                qr_text="-",
                print_state=rng.choice(["to_print", "printed", "printed", "handed_over"]),
                province=commune.province,
            )
        if index % 10 == 8:
            OptOut.objects.create(address=person.phone or f"person:{person.pk}", source="stop")
        if index % 17 == 9:
            OptOut.objects.create(address=f"x{index}@example.ma", person=person, source="link")


def naive_count(raw: dict, *, region_code: str = "09", now=None) -> int:
    """The criteria read one person at a time, in Python."""
    now = now or timezone.now()
    opted = set(OptOut.objects.values_list("address", flat=True))
    opted_persons = set(OptOut.objects.exclude(person=None).values_list("person_id", flat=True))

    def place_and_craft(row) -> bool:
        return (
            row.province.region.code == region_code
            and raw.get("province", row.province.code) == row.province.code
            and raw.get("region", row.province.region.code) == row.province.region.code
            and raw.get("commune", row.workplace_commune.code) == row.workplace_commune.code
            and raw.get("category", row.category) == row.category
        )

    def registration_matches(registration) -> bool:
        if not place_and_craft(registration):
            return False
        if raw.get("status"):
            if registration.status != raw["status"]:
                return False
        elif registration.status == "struck_off":
            return False
        enrolment = Enrolment.objects.filter(registration=registration).first()
        state = enrolment.state if enrolment else None
        if raw.get("amo") == "not_enrolled" and state not in (None, "not_enrolled"):
            return False
        if raw.get("amo") and raw["amo"] != "not_enrolled" and state != raw["amo"]:
            return False
        if raw.get("card_not_collected"):
            cards = registration.cards.all()
            if not any(c.status == "current" and c.print_state == "printed" for c in cards):
                return False
        return True

    def stalled(dossier) -> bool:
        return (
            place_and_craft(dossier)
            and dossier.kind == "registration"
            and dossier.state == "draft"
            and dossier.created_at <= now - timedelta(days=raw["stalled_days"])
        )

    found = 0
    for person in Person.objects.all():
        dossiers = list(Dossier.objects.filter(person=person))
        if not person.phone or person.pk in opted_persons or person.phone in opted:
            continue
        if not any(d.consent_at for d in dossiers):
            continue
        if "stalled_days" in raw:
            found += any(stalled(d) for d in dossiers)
        else:
            found += any(
                registration_matches(r) for r in Registration.objects.filter(person=person)
            )
    return found


@pytest.mark.parametrize("raw", CRITERIA, ids=lambda raw: ",".join(raw) or "everyone")
def test_the_count_is_the_persons_a_plain_reading_of_the_criteria_selects(register, raw):
    agent = agent_of("09", username="souss-agent")
    counted = selectors.segment_count(agent, selectors.criteria_for(agent, raw), "sms")
    assert counted == naive_count(raw)


def test_the_varied_register_gives_each_criterion_someone_to_find(register):
    """The register is varied enough for the comparison to mean something."""
    assert sum(naive_count(raw) > 0 for raw in CRITERIA) >= len(CRITERIA) - 2
