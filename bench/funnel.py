"""Benchmark: an event's funnel on a large register (issue 13: < 300 ms on 3 M artisans).

Usage: python bench/funnel.py [N]   (N artisans, 100,000 by default; `make bench` reads
BENCH_FUNNEL; DATABASE_URL selects the database, HIRFA_VAR_DIR the folder, both fresh.)
BENCH_FUNNEL_REGISTER=M first lays a national register of M artisans around them
(`rows.lay_register`: the synthetic register with applications, cards and enrolments; a
database already holding it is completed, not rebuilt): M = 2,900,000 gives the issue's
3 million.

The register is inserted with plain bulk SQL (not measured): N persons, each with a first
application (80 % approved, 10 % submitted, 10 % drafts), their registrations, half of the
cards handed over, AMO enrolments (40 % immatriculated, a quarter with rights open); one
event for every 1,000 artisans (400 people each: a third known by the register's person,
a third by phone only, a third walk-ins unknown to the register; one in ten filed on the
spot). Each person's application starts ten days after the event they attended, so the
attribution rule has work to do.

Measured, in this process, best and median of several runs on different events:
1. `funnel(events=[e])` with its four splits — the event's funnel page;
2. the same without splits;
3. `by_event(...)` for all the events of one chamber — the comparison page;
and the floor: bare COUNTs of the same rows (the event's attendees and the applications of
the persons they match). Printed: milliseconds and the ratio to the floor.
"""

import io
import os
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hirfa.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries, transaction  # noqa: E402

from hirfa.accounts.models import User  # noqa: E402
from hirfa.cards.models import Card  # noqa: E402
from hirfa.coverage.models import Enrolment  # noqa: E402
from hirfa.crafts.models import Activity  # noqa: E402
from hirfa.outreach import funnel  # noqa: E402
from hirfa.outreach.models import Attendee, Event, Referral  # noqa: E402
from hirfa.register.models import Dossier, Person, Registration  # noqa: E402
from hirfa.register.numbers import damm_check_digit  # noqa: E402
from hirfa.territory.models import Commune, Organisation  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from rows import insert as _insert  # noqa: E402
from rows import lay_register  # noqa: E402

PER_EVENT = 400
ARTISANS_PER_EVENT = 1000
BASE = datetime(2023, 1, 1, 9, tzinfo=UTC)


def _next_id(model) -> int:
    return (model.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1


def _approved(i: int) -> bool:
    return i % 10 < 8


def _created(i: int) -> datetime:
    """Person i attended event i // ARTISANS_PER_EVENT on its day; applied ten days later."""
    return BASE + timedelta(days=(i // ARTISANS_PER_EVENT) + 10, minutes=i % 600)


def prepare(count: int) -> dict:
    call_command("migrate", verbosity=0)
    call_command("load_territory", stdout=io.StringIO())
    call_command("load_crafts", stdout=io.StringIO())
    communes = list(Commune.objects.select_related("province__region").order_by("code"))[::150][:10]
    activities = list(Activity.objects.filter(is_active=True).order_by("code"))[::7][:12]
    agent = User.objects.create(username="bench.agent", role="admin")
    organisers = {
        commune.province.region_id: Organisation.objects.get(
            code=f"chamber-{commune.province.region.code}"
        )
        for commune in communes
    }
    today = date.today()
    events = max(1, count // ARTISANS_PER_EVENT)
    with transaction.atomic():
        first_person = _next_id(Person)
        _insert(
            Person,
            (
                {
                    "cnie": f"BF{i:07d}",
                    "first_name_ar": "فاطمة",
                    "last_name_ar": "أيت لحسن",
                    "first_name_latin": "Fatima",
                    "last_name_latin": "Ait Lahcen",
                    "sex": "FM"[i % 2],
                    "birth_date": date(1950, 1, 1) + timedelta(days=(i * 37) % 20000),
                    "birth_place": "Tiznit",
                    "address": "Derb Idzikri",
                    "commune_id": communes[i % len(communes)].id,
                    "phone": f"+2126{i:08d}",
                    "education": "primary",
                    "created_at": _created(i),
                    "updated_at": _created(i),
                }
                for i in range(count)
            ),
        )
        approved = [i for i in range(count) if _approved(i)]
        first_registration = _next_id(Registration)
        registration_of = {i: first_registration + n for n, i in enumerate(approved)}
        _insert(
            Registration,
            (
                {
                    "number": f"{300000000 + i}{damm_check_digit(str(300000000 + i))}",
                    "category": "artisan_experience",
                    "person_id": first_person + i,
                    "principal_activity_id": activities[i % len(activities)].id,
                    "workplace_kind": "workshop",
                    "workplace_commune_id": communes[i % len(communes)].id,
                    "workplace_address": "Atelier",
                    "province_id": communes[i % len(communes)].province_id,
                    "status": "active",
                    "registered_on": _created(i).date() + timedelta(days=20),
                    "valid_until": today + timedelta(days=settings.REGISTRATION_VALIDITY_DAYS),
                    "created_at": _created(i),
                    "updated_at": _created(i),
                }
                for i in approved
            ),
        )
        first_dossier = _next_id(Dossier)
        _insert(
            Dossier,
            (
                {
                    "kind": "registration",
                    "state": "approved" if _approved(i) else ("submitted", "draft")[i % 2],
                    "category": "artisan_experience",
                    "person_id": first_person + i,
                    "principal_activity_id": activities[i % len(activities)].id,
                    "workplace_kind": "workshop",
                    "workplace_commune_id": communes[i % len(communes)].id,
                    "workplace_address": "Atelier",
                    "province_id": communes[i % len(communes)].province_id,
                    "registration_id": registration_of.get(i),
                    "filed_by_id": agent.id,
                    "assisted": True,
                    "submitted_at": _created(i) + timedelta(days=3) if i % 10 < 9 else None,
                    "decided_at": _created(i) + timedelta(days=20) if _approved(i) else None,
                    "decided_by_id": agent.id if _approved(i) else None,
                    "created_at": _created(i),
                    "updated_at": _created(i),
                }
                for i in range(count)
            ),
        )
        _insert(
            Card,
            (
                {
                    "registration_id": registration_of[i],
                    "version": 1,
                    "status": "current",
                    "issue_reason": "approved",
                    "issued_at": _created(i) + timedelta(days=21),
                    "expires_at": _created(i) + timedelta(days=1900),
                    "kid": "bench",
                    "qr_text": "-",
                    "print_state": "handed_over" if i % 2 == 0 else "to_print",
                    "handed_over_at": _created(i) + timedelta(days=40) if i % 2 == 0 else None,
                    "province_id": communes[i % len(communes)].province_id,
                }
                for i in approved
            ),
        )
        _insert(
            Enrolment,
            (
                {
                    "registration_id": registration_of[i],
                    "state": "rights_open" if i % 4 == 0 else "immatriculated",
                    "state_since": _created(i).date() + timedelta(days=60),
                    "cnss_number": f"{500000000 + i}",
                    "sent_on": _created(i).date() + timedelta(days=25),
                    "immatriculated_on": _created(i).date() + timedelta(days=50),
                    "rights_open_on": _created(i).date() + timedelta(days=140)
                    if i % 4 == 0
                    else None,
                    "created_at": _created(i),
                    "updated_at": _created(i),
                }
                for i in approved
                if i % 5 < 2 or i % 4 == 0
            ),
        )
        first_event = _next_id(Event)
        _insert(
            Event,
            (
                {
                    "name_ar": f"لقاء {k}",
                    "name_fr": f"Rencontre {k}",
                    "name_zgh": "",
                    "slug": f"bench-{k}",
                    "kind": ("awareness", "fair", "drive", "help_desk")[k % 4],
                    "state": "closed",
                    "organiser_id": organisers[communes[k % len(communes)].province.region_id].id,
                    "commune_id": communes[k % len(communes)].id,
                    "province_id": communes[k % len(communes)].province_id,
                    "region_id": communes[k % len(communes)].province.region_id,
                    "venue": "Salle",
                    "created_at": BASE + timedelta(days=k - 30),
                    "starts_at": BASE + timedelta(days=k),
                    "ends_at": BASE + timedelta(days=k, hours=2),
                }
                for k in range(events)
            ),
        )
        first_attendee = _next_id(Attendee)

        def attendees():
            for k in range(events):
                for j in range(PER_EVENT):
                    i = k * ARTISANS_PER_EVENT + j
                    known = j % 3  # 0: by person, 1: by phone only, 2: unknown walk-in
                    yield {
                        "event_id": first_event + k,
                        "name": "Fatima",
                        "phone": f"+2127{k:04d}{j:04d}" if known == 2 else f"+2126{i:08d}",
                        "cnie": "",
                        "language": "ar",
                        "person_id": first_person + i if known == 0 else None,
                        "status": "signed_up",
                        "source": "walk_in" if j % 4 == 0 else "agent",
                        "signed_up_at": BASE + timedelta(days=k - 5),
                        "checked_in_at": BASE + timedelta(days=k) if j % 5 else None,
                    }

        _insert(Attendee, attendees())
        _insert(
            Referral,
            (
                {
                    "event_id": first_event + k,
                    "dossier_id": first_dossier + k * ARTISANS_PER_EVENT + j,
                    "attendee_id": first_attendee + k * PER_EVENT + j,
                    "created_by_id": agent.id,
                    "created_at": BASE + timedelta(days=k),
                }
                for k in range(events)
                for j in range(0, PER_EVENT, 10)
                if k * ARTISANS_PER_EVENT + j < count
            ),
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {"events": list(range(first_event, first_event + events))}


def timed(function, runs) -> list[float]:
    times = []
    for argument in runs:
        reset_queries()
        started = time.perf_counter()
        function(argument)
        times.append((time.perf_counter() - started) * 1000)
    return times


def floor(event_id: int) -> None:
    """Bare counts of the rows an event's funnel reads (the matched persons included)."""
    Attendee.objects.filter(event_id=event_id).count()
    people = funnel.matched_persons([event_id])
    Dossier.objects.filter(person_id__in=people).count()


def report(label: str, times: list[float], floor_ms: float, target: str = "") -> None:
    best, median = min(times), statistics.median(times)
    print(
        f"  {label}: best {best:.0f} ms, median {median:.0f} ms, "
        f"{median / floor_ms:.1f}× the floor{target}"
    )


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    register = int(os.environ.get("BENCH_FUNNEL_REGISTER") or 0)
    started = time.perf_counter()
    if register:
        call_command("migrate", verbosity=0)
        call_command("load_territory", stdout=io.StringIO())
        call_command("load_crafts", stdout=io.StringIO())
        lay_register(register)
    events = prepare(count)["events"]
    print(
        f"funnel [{connection.vendor}]: {Person.objects.count()} artisans in the register; "
        f"{count} of them with {len(events)} events of "
        f"{PER_EVENT} people inserted in {time.perf_counter() - started:.1f} s "
        f"(bulk SQL, not measured)"
    )
    step = max(1, len(events) // 7)
    sample = events[1::step][:7] or events
    funnel.funnel(events=[sample[0]])  # warm the connection and caches
    floor_ms = statistics.median(timed(floor, sample))
    print(f"  floor (bare COUNTs of the same rows): median {floor_ms:.0f} ms")
    result = funnel.funnel(events=[sample[0]])
    print("  one event: " + ", ".join(f"{s.key} {s.count}" for s in result.steps))
    report(
        "event's funnel with its splits (page)",
        timed(lambda pk: funnel.funnel(events=[pk]), sample),
        floor_ms,
        " (target < 300 ms on 3 M)",
    )
    report(
        "event's funnel, steps only",
        timed(lambda pk: funnel.funnel(events=[pk], splits=()), sample),
        floor_ms,
    )
    organiser = Event.objects.get(pk=sample[0]).organiser_id
    chamber = list(Event.objects.filter(organiser_id=organiser).values_list("pk", flat=True))
    report(
        f"a chamber's {len(chamber)} events side by side",
        timed(lambda pks: funnel.by_event(pks), [chamber] * 3),
        floor_ms,
    )


if __name__ == "__main__":
    main()
