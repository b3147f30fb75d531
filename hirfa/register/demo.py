"""A synthetic register for demonstrations: artisans in every state of the workflow.

The registered artisans (more than half) are written in bulk by the import's writer
(`services.bulk.register_many`, decision 73), as a legacy list is loaded; the files still
open, refused or withdrawn, and the few registrations suspended or struck off, go through
the services, as a real chamber would file them, so the demo also exercises the workflow,
the audit trail and notifications. Deterministic (seeded) and idempotent: demo people are
recognised by their CNIE, read once, and never created twice.
"""

import io
import random
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image

from hirfa.accounts.demo import DEMO_STAFF
from hirfa.accounts.roles import Role
from hirfa.accounts.services import save_staff_member
from hirfa.audit.services import record
from hirfa.crafts.models import Activity
from hirfa.register import selectors, services
from hirfa.register.models import Category, Dossier, LegalEntity, Person, Registration
from hirfa.register.rules import RejectionReason
from hirfa.register.services.bulk import register_many
from hirfa.territory.models import Commune, Organisation, Region

FIRST_NAMES = {
    "F": [
        ("فاطمة", "Fatima"),
        ("خديجة", "Khadija"),
        ("عائشة", "Aicha"),
        ("مريم", "Meryem"),
        ("زينب", "Zineb"),
        ("فاضمة", "Fadma"),
        ("إيطو", "Itto"),
        ("حليمة", "Halima"),
        ("نعيمة", "Naima"),
        ("رقية", "Rkia"),
        ("سعيدة", "Saida"),
        ("لطيفة", "Latifa"),
    ],
    "M": [
        ("محمد", "Mohamed"),
        ("أحمد", "Ahmed"),
        ("الحسين", "Lahcen"),
        ("عبد الحق", "Abdelhak"),
        ("إبراهيم", "Brahim"),
        ("يوسف", "Youssef"),
        ("عمر", "Omar"),
        ("مبارك", "Mbarek"),
        ("الحسن", "Hassan"),
        ("عبد الله", "Abdellah"),
        ("رشيد", "Rachid"),
        ("إدريس", "Driss"),
    ],
}
FAMILY_NAMES = [
    ("أيت لحسن", "Ait Lahcen"),
    ("العلوي", "Alaoui"),
    ("بناني", "Bennani"),
    ("الإدريسي", "Idrissi"),
    ("أمزيان", "Amzian"),
    ("أوبلا", "Oubella"),
    ("التازي", "Tazi"),
    ("أيت باها", "Ait Baha"),
    ("الفاسي", "El Fassi"),
    ("بوزيد", "Bouzid"),
    ("أخياط", "Akhiat"),
    ("الصنهاجي", "Sanhaji"),
    ("أوعلي", "Ouali"),
    ("الشرقاوي", "Cherkaoui"),
    ("بلحاج", "Belhaj"),
]
COOPERATIVE_NAMES = [
    ("تعاونية الأمل", "Coopérative Al Amal"),
    ("تعاونية النور", "Coopérative Annour"),
    ("تعاونية الوفاء", "Coopérative Al Wafae"),
    ("تعاونية تيفاوين", "Coopérative Tifawin"),
    ("تعاونية الإتقان", "Coopérative Al Itqane"),
    ("تعاونية أمل الصناعة", "Coopérative Amal Sinaa"),
    ("تعاونية تودرت", "Coopérative Toudert"),
    ("تعاونية الفتح", "Coopérative Al Fath"),
]
ENTERPRISE_NAMES = [
    ("مقاولة الصناعة الأصيلة", "Artisanat Authentique SARL"),
    ("مقاولة دار الصانع", "Dar Sanaa SARL"),
    ("مقاولة فنون الأطلس", "Arts de l'Atlas SARL"),
]
DEMO_ENTITIES = 15
DEMO_ICE_BASE = 900_000_000_000_000  # demo ICEs: 15 digits starting with 9000…
# (state the demo dossier ends in, how many in a hundred)
STATE_MIX = [
    ("approved", 55),
    ("submitted", 10),
    ("in_review", 8),
    ("changes_requested", 7),
    ("resubmitted", 5),
    ("draft", 5),
    ("rejected", 5),
    ("withdrawn", 3),
    ("suspended", 1),
    ("struck_off", 1),
]


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (230, 220, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def _demo_staff() -> tuple[dict, dict]:
    """One agent and one officer per region, who file and decide the demo files.

    They cannot log in: they only stand for the people who filed and decided.
    """
    agents, officers = {}, {}
    for region in Region.objects.all():
        chamber = Organisation.objects.get(code=f"chamber-{region.code}")
        agents[region.pk], _ = save_staff_member(
            username=f"demo.agent.{region.code}",
            role=Role.AGENT,
            password=None,
            first_name="Agent",
            last_name=region.name_fr,
            organisation=chamber,
            scope_region=region,
        )
        officers[region.pk], _ = save_staff_member(
            username=f"demo.officer.{region.code}",
            role=Role.OFFICER,
            password=None,
            first_name="Officer",
            last_name=region.name_fr,
            scope_region=region,
        )
    return agents, officers


DEMO_OFFICER_PROVINCES = sorted({province for *_, province in DEMO_STAFF if province})


def load_demo_register(*, count: int = 300) -> dict:
    rng = random.Random(2022_08_29)  # the Tiznit awareness meeting
    agents, officers = _demo_staff()
    communes = list(Commune.objects.select_related("province__region"))
    weights = [max(c.population, 1) for c in communes]
    # One file in four in the provinces of the demo officers (Tiznit, Agadir) in turn, so
    # that their queues, searches and figures have something to show.
    at_home = [[c for c in communes if c.province.code == code] for code in DEMO_OFFICER_PROVINCES]
    activities = list(Activity.objects.filter(is_active=True))
    # Interleaved, so that even a small demo has files in every state.
    states = random.Random(7).sample(
        [state for state, share in STATE_MIX for _ in range(share)], k=100
    )
    image = _png()
    created = 0
    existing = set(Person.objects.filter(cnie__startswith="DM").values_list("cnie", flat=True))
    registered = []  # (person, craft, state) of the artisans written in bulk
    for index in range(count):
        cnie = f"DM{index:06d}"
        # Draw everything first, so a second run draws the same values for the others.
        sex = rng.choice("FM")
        first = rng.choice(FIRST_NAMES[sex])
        family = rng.choice(FAMILY_NAMES)
        if index % 4 == 0:
            commune = rng.choice(at_home[index // 4 % len(at_home)])
        else:
            commune = rng.choices(communes, weights)[0]
        activity = rng.choice(activities)
        category = rng.choice(
            [
                Category.ARTISAN_EXPERIENCE,
                Category.ARTISAN_EXPERIENCE,
                Category.MASTER,
                Category.ARTISAN_DIPLOMA,
            ]
        )
        birth = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 55))
        state = states[index % len(states)]
        if cnie in existing:
            continue
        region_id = commune.province.region_id
        person = {
            "cnie": cnie,
            "first_name_ar": first[0],
            "last_name_ar": family[0],
            "first_name_latin": first[1],
            "last_name_latin": family[1],
            "sex": sex,
            "birth_date": birth.isoformat(),
            "birth_place": commune.name_fr,
            "address": f"{rng.randint(1, 200)} Derb {family[1]}",
            "commune": commune.code,
            "phone": f"06{index:08d}",
            "education": rng.choice(["none", "primary", "secondary", "vocational"]),
        }
        craft = {
            "category": category,
            "principal_activity": activity.code,
            "workplace_kind": rng.choice(["workshop", "home", "itinerant"]),
            "workplace_commune": commune.code,
            "workplace_address": f"Atelier {rng.randint(1, 99)}, {commune.name_fr}",
        }
        created += 1
        if state in REGISTERED:
            registered.append((person, craft, state, officers[region_id]))
            continue
        with transaction.atomic():
            _file_demo(
                agent=agents[region_id],
                officer=officers[region_id],
                state=state,
                image=image,
                person=person,
                craft=craft,
            )
    _register_demo(registered, communes, activities)
    entities = _load_demo_entities(agents, officers, image)
    return {
        "created": created,
        "total": Person.objects.filter(cnie__startswith="DM").count(),
        "entities_created": entities,
        "entities_total": LegalEntity.objects.filter(ice__startswith="9000").count(),
    }


# The states of artisans written in bulk (registered), then moved on through the services.
REGISTERED = {"approved", "suspended", "struck_off"}


def _register_demo(registered: list, communes: list, activities: list) -> None:
    """The registered demo artisans, by the import's writer in one transaction, audited
    once; then those suspended or struck off, through the services."""
    if not registered:
        return
    by_code = {commune.code: commune for commune in communes}
    active = {activity.code: activity for activity in activities}
    artisans = [
        (
            services.clean_person(person, communes=by_code),
            services.clean_craft(craft, communes=by_code, activities=active),
        )
        for person, craft, _state, _officer in registered
    ]
    with transaction.atomic():
        written = register_many(artisans)
        record(
            actor=None,
            actor_label="system:demo",
            action="demo.register_loaded",
            data={"registered": len(written), "numbers": [written[0][2], written[-1][2]]},
        )
    for (_person, _craft, state, officer), (_pid, registration_id, _number) in zip(
        registered, written, strict=True
    ):
        if state == "approved":
            continue
        registration = Registration.objects.get(pk=registration_id)
        with transaction.atomic():
            if state == "suspended":
                services.suspend(
                    officer=officer,
                    registration=registration,
                    reason="Contrôle en cours",
                    until=None,
                )
            else:
                services.strike_off(officer=officer, registration=registration, reason="Cessation")


def _load_demo_entities(agents, officers, image) -> int:
    """Cooperatives (and a few enterprises) of approved demo artisans of one region.

    Recognised by their ICE, so a second run adds none of those already there.
    """
    by_region: dict = {}
    registrations = (
        Registration.objects.filter(
            person__cnie__startswith="DM", status=Registration.Status.ACTIVE
        )
        .select_related("province__region", "workplace_commune", "principal_activity")
        .order_by("number")
    )
    for registration in registrations:
        by_region.setdefault(registration.province.region_id, []).append(registration)
    regions = sorted(
        (region_id for region_id, items in by_region.items() if len(items) >= 2),
        key=lambda region_id: -len(by_region[region_id]),
    )
    if not regions:
        return 0
    rng = random.Random(2017_50_17)  # Law 50-17
    created = 0
    for index in range(DEMO_ENTITIES):
        ice = f"{DEMO_ICE_BASE + index}"
        region_id = regions[index % len(regions)]
        pool = by_region[region_id]
        enterprise = index % 5 == 4
        members = rng.sample(pool, k=min(len(pool), rng.choice([2, 3])))
        names = ENTERPRISE_NAMES if enterprise else COOPERATIVE_NAMES
        name = names[index % len(names)]
        state = "submitted" if index % 6 == 5 else "approved"
        if LegalEntity.objects.filter(ice=ice).exists():
            continue
        seat = members[0]
        commune = seat.workplace_commune
        with transaction.atomic():
            dossier = services.file_entity(
                agent=agents[region_id],
                entity_data={
                    "name_ar": f"{name[0]} {index + 1}",
                    "name_fr": f"{name[1]} {commune.name_fr}",
                    "ice": ice,
                    "register_number": f"RC-DEMO-{index + 1:03d}",
                    "address": f"{rng.randint(1, 99)} Avenue Hassan II",
                    "commune": commune.code,
                    "phone": f"05{28000000 + index:08d}",
                    "members": [m.number for m in members],
                    "supervisor": seat.number if enterprise else "",
                },
                craft_data={
                    "category": Category.ENTERPRISE if enterprise else Category.COOPERATIVE,
                    "principal_activity": seat.principal_activity.code,
                    "workplace_kind": "workshop",
                    "workplace_commune": commune.code,
                    "workplace_address": f"Local {rng.randint(1, 40)}, {commune.name_fr}",
                },
                consent=True,
            )
            for requirement in selectors.required_documents(dossier.category):
                services.attach_document(
                    actor=agents[region_id],
                    dossier=dossier,
                    kind=requirement.code,
                    uploaded=SimpleUploadedFile(f"{requirement.code}.png", image, "image/png"),
                )
            services.submit(actor=agents[region_id], dossier=dossier)
            if state == "approved":
                services.approve(
                    officer=officers[region_id], dossier=Dossier.objects.get(pk=dossier.pk)
                )
        created += 1
    return created


def _file_demo(*, agent, officer, state, image, person, craft) -> None:
    dossier = services.file_assisted(
        agent=agent, person_data=person, craft_data=craft, consent=True
    )
    if state == "draft":
        return
    for requirement in selectors.required_documents(dossier.category):
        services.attach_document(
            actor=agent,
            dossier=dossier,
            kind=requirement.code,
            uploaded=SimpleUploadedFile(f"{requirement.code}.png", image, "image/png"),
        )
    services.submit(actor=agent, dossier=dossier)
    if state == "withdrawn":
        services.withdraw(actor=agent, dossier=dossier, reason="Demo")
        return
    if state == "submitted":
        return
    services.start_review(officer=officer, dossier=dossier)
    if state == "in_review":
        return
    if state in ("changes_requested", "resubmitted"):
        services.request_changes(
            officer=officer,
            dossier=dossier,
            message="Le document d'expérience est illisible, merci de le renvoyer.",
        )
        if state == "resubmitted":
            services.submit(actor=agent, dossier=dossier)
        return
    if state == "rejected":
        services.reject(officer=officer, dossier=dossier, reason=RejectionReason.NOT_A_CRAFT)
        return
    dossier = services.approve(officer=officer, dossier=Dossier.objects.get(pk=dossier.pk))
    registration = Registration.objects.get(pk=dossier.registration_id)
    if state == "suspended":
        services.suspend(
            officer=officer, registration=registration, reason="Contrôle en cours", until=None
        )
    elif state == "struck_off":
        services.strike_off(officer=officer, registration=registration, reason="Cessation")
