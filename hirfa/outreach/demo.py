"""Outreach in the demo: the founding scene and a few events to come.

The Tiznit regional crafts fair (26 August – 2 September 2022) of the Chamber of Crafts of
Souss-Massa, and its awareness meeting of Monday 29 August 2022 at 10:00 in the conference
hall of the fair, Prince Moulay Abdellah square, with the provincial directorate of crafts
of Tiznit and the CNSS: held, with attendees, the help given, the questions asked (some in
the public FAQ) and six files started on the spot, carried through the funnel's steps
(`demo_files`). Then events to come in five regions.

Played through the services, with `now` set to the time of the scene for the past events.
Idempotent: an event already there (same French title, same region) is left as it is.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from hirfa.accounts.models import User
from hirfa.accounts.roles import Role
from hirfa.accounts.services import save_staff_member
from hirfa.outreach import demo_files, services
from hirfa.outreach.models import Event
from hirfa.territory.models import Commune, Organisation, Region

ZONE = ZoneInfo("Africa/Casablanca")
TIZNIT_CITY = "09.581.01.07"
VENUE_AR = "قاعة الندوات بالمعرض، ساحة الأمير مولاي عبد الله، تيزنيت"
VENUE_FR = "Salle de conférences de l'exposition, place Prince Moulay Abdellah, Tiznit"

FAIR = {
    "kind": Event.Kind.FAIR,
    "name_ar": "المعرض الجهوي للصناعة التقليدية بتيزنيت",
    "name_fr": "Exposition régionale de l'artisanat de Tiznit",
    "name_zgh": "ⴰⵙⵎⵓⵔⵙ ⴰⵏⵎⵏⴰⴹ ⵏ ⵜⵓⵥⵓⵍⵉⵏ ⵜⵉⵎⵣⵡⵓⵔⴰ ⴳ ⵜⵣⵏⵉⵜ",
    "venue": "Place Prince Moulay Abdellah, Tiznit",
    "languages": ["ar", "zgh", "fr"],
    "agenda": "Stands des artisans de la région\nStand d'inscription au registre national\n"
    "Stand de la CNSS (AMO)",
}
MEETING = {
    "kind": Event.Kind.AWARENESS,
    "name_ar": "لقاء تحسيسي لفائدة الصناع التقليديين حول التغطية الاجتماعية والصحية "
    "والسجل الوطني للصناعة التقليدية",
    "name_fr": "Rencontre de sensibilisation des artisans sur la couverture sociale et "
    "sanitaire et le Registre National de l'Artisanat",
    "name_zgh": "ⴰⵎⵢⴰⵡⴰⴹ ⵏ ⵓⵙⵙⵉⵡⴹ ⵉ ⵉⵏⴰⵥⵓⵔⵏ ⵅⴼ ⵓⵙⵜⴰⵡⵉ ⴰⵏⴰⵎⵓⵏ ⴷ ⵓⵎⴰⵜⴰⵔ ⴰⵏⴰⵎⵓⵏ",
    "venue": VENUE_FR,
    "capacity": 120,
    "languages": ["ar", "zgh", "fr"],
    "categories": ["artisan_diploma", "artisan_experience", "master"],
    "agenda": "Mot du Président de la Chambre d'artisanat de Souss-Massa\n"
    "Le Registre National de l'Artisanat : inscription, carte professionnelle, numéro "
    "(Direction provinciale de l'artisanat de Tiznit)\n"
    "Les étapes de l'immatriculation des artisans à la CNSS et l'AMO (Direction provinciale "
    "de la CNSS à Tiznit)\n"
    "Questions des artisans",
    "speakers": "Le Président de la Chambre d'artisanat de la région Souss-Massa\n"
    "Le représentant de la Direction provinciale de l'artisanat de Tiznit\n"
    "Le Directeur provincial de la CNSS à Tiznit",
}
ATTENDEES = [
    ("فاضمة أيت لحسن", "0661000101"),
    ("إبراهيم أوبلا", "0661000102"),
    ("عائشة أمزيل", "0661000103"),
    ("الحسين بوزيد", "0661000104"),
    ("Ijja Oubaha", "0661000105"),
    ("Mohamed Ait Baamrane", "0661000106"),
    ("خديجة أزناك", "0661000107"),
    ("Lahcen Idbelkas", "0661000108"),
]
QUESTIONS = [
    (
        "AMO",
        "هل تشمل التغطية الصحية زوجتي وأبنائي؟",
        "نعم: الزوج والأبناء إلى 21 سنة، وإلى 26 سنة للطلبة غير المتزوجين، باشتراك واحد.",
        True,
    ),
    (
        "AMO",
        "Combien coûte la cotisation chaque mois ?",
        "135 dirhams par mois pour les artisans inscrits au registre et non soumis à l'impôt, "
        "pour toute la famille.",
        True,
    ),
    (
        "Registre",
        "Faut-il un diplôme pour s'inscrire ?",
        "Non : trois ans de pratique attestés suffisent ; un maâlem justifie de dix ans.",
        True,
    ),
    ("Carte", "متى أتسلم البطاقة المهنية؟", "", False),
]
REPORT = (
    "Environ 80 artisans présents. Le registre, la carte professionnelle et les étapes de "
    "l'AMO ont été présentés ; six dossiers ont été ouverts sur place."
)
# Events to come: (region, kind, Arabic title, French title, days ahead, hours long).
UPCOMING = [
    (
        "09",
        Event.Kind.DRIVE,
        "قافلة التسجيل في السجل الوطني",
        "Caravane d'inscription au registre",
        7,
        6,
    ),
    (
        "01",
        Event.Kind.HELP_DESK,
        "يوم الشباك الموحد للضمان الاجتماعي",
        "Journée guichet CNSS",
        12,
        7,
    ),
    (
        "07",
        Event.Kind.AWARENESS,
        "لقاء تحسيسي حول التأمين الإجباري عن المرض",
        "Rencontre AMO des artisans",
        18,
        2,
    ),
    (
        "08",
        Event.Kind.DRIVE,
        "قافلة التسجيل والتغطية الصحية بالواحات",
        "Caravane registre et AMO des oasis",
        30,
        6,
    ),
    (
        "06",
        Event.Kind.FAIR,
        "رواق الغرفة بمعرض الصناعة التقليدية",
        "Stand de la chambre au salon de l'artisanat",
        25,
        8,
    ),
]


def _at(day: int, hour: int, month: int = 8) -> datetime:
    return datetime(2022, month, day, hour, tzinfo=ZONE)


def _agent_of(region: Region) -> User:
    user, _ = save_staff_member(
        username=f"demo.agent.{region.code}",
        role=Role.AGENT,
        password=None,
        first_name="Agent",
        last_name=region.name_fr,
        organisation=Organisation.objects.get(code=f"chamber-{region.code}"),
        scope_region=region,
    )
    return user


def _exists(name_fr: str, region_code: str) -> bool:
    return Event.objects.filter(name_fr=name_fr, region__code=region_code).exists()


def _founding_fair(agent, commune, partners) -> None:
    before = _at(1, 9)
    data = FAIR | {"commune": commune, "partners": partners}
    fair = services.create_event(
        actor=agent, data=data, starts_at=_at(26, 10), ends_at=_at(26, 20), now=before
    )
    for day in range(27, 32 + 2):
        start = _at(day, 10) if day <= 31 else _at(day - 31, 10, month=9)
        services.add_session(
            actor=agent,
            event=fair,
            starts_at=start,
            ends_at=start + timedelta(hours=10),
            now=before,
        )
    services.publish(actor=agent, event=fair, now=before)
    services.mark_held(actor=agent, event=fair, now=_at(26, 11))
    demo_files.visitors_of_the_fair(agent, fair, commune)
    services.close(
        actor=agent, event=fair, report="Huit jours d'exposition ; stand du registre ouvert."
    )


def _founding_meeting(agent, commune, partners) -> None:
    data = MEETING | {"commune": commune, "partners": partners}
    data["other_partners"] = "Association des artisans de Tiznit"
    meeting = services.create_event(
        actor=agent, data=data, starts_at=_at(29, 10), ends_at=_at(29, 12), now=_at(15, 9)
    )
    services.publish(actor=agent, event=meeting, now=_at(15, 9))
    services.mark_held(actor=agent, event=meeting, now=_at(29, 10))
    attendees = [
        services.record_walk_in(actor=agent, event=meeting, name=name, phone=phone, consent=True)[0]
        for name, phone in ATTENDEES
    ]
    for attendee in attendees[:5]:
        services.record_service(
            actor=agent, event=meeting, attendee=attendee, kind="enrolment_steps"
        )
    services.record_service(
        actor=agent, event=meeting, attendee=attendees[0], kind="dependants", note="2 enfants"
    )
    for topic, question, answer, published in QUESTIONS:
        item = services.log_question(
            actor=agent, event=meeting, topic=topic, question=question, answer=answer
        )
        if published:
            services.publish_question(actor=agent, question=item)
    demo_files.files_of_the_meeting(agent, meeting, attendees, commune)


def _upcoming(region_code, kind, name_ar, name_fr, days, hours) -> None:
    region = Region.objects.get(code=region_code)
    agent = _agent_of(region)
    commune = (
        Commune.objects.filter(province__region=region, kind=Commune.Kind.URBAN)
        .order_by("-population", "code")
        .first()
    )
    start = (timezone.localtime() + timedelta(days=days)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    event = services.create_event(
        actor=agent,
        data={
            "kind": kind,
            "name_ar": name_ar,
            "name_fr": name_fr,
            "commune": commune,
            "venue": f"Siège de la chambre d'artisanat, {commune.name_fr}",
            "capacity": 60,
            "languages": ["ar", "fr"] if region_code != "09" else ["ar", "zgh", "fr"],
            "agenda": "Le registre national\nL'AMO avec la CNSS\nInscription sur place",
            "partners": list(Organisation.objects.filter(code="cnss")),
        },
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
    )
    services.publish(actor=agent, event=event)


def load_demo_outreach() -> dict:
    """Create what is missing; returns {"created": n}."""
    created = 0
    souss = Region.objects.get(code="09")
    agent = User.objects.filter(username="agent.soussmassa").first() or _agent_of(souss)
    commune = Commune.objects.get(code=TIZNIT_CITY)
    partners = list(Organisation.objects.filter(code__in=["directorate-09-581", "cnss"]))
    with transaction.atomic():
        if not _exists(FAIR["name_fr"], "09"):
            _founding_fair(agent, commune, partners)
            created += 1
        if not _exists(MEETING["name_fr"], "09"):
            _founding_meeting(agent, commune, partners)
            created += 1
        for row in UPCOMING:
            if not _exists(row[3], row[0]):
                _upcoming(*row)
                created += 1
    return {"created": created}
