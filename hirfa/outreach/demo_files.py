"""The files the founding meeting brought, for the demo, carried through the funnel's steps.

Six of the meeting's attendees file on the spot; each file goes as far as the scene says:
one artisan all the way to her AMO rights, one immatriculated by the CNSS, one whose card is
handed over, one approved, one submitted, one still a draft. At the fair's registration
stand, a visitor files a few days later at the chamber's desk: the attribution rule credits
the fair (decision 46). Everything through the services of the register, the cards, the
coverage and outreach, at the time `load_demo` runs (the services keep their own clocks).
"""

import hashlib
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from hirfa.accounts.models import User
from hirfa.accounts.roles import Role
from hirfa.accounts.services import save_staff_member
from hirfa.cards import issuing
from hirfa.cards import services as cards
from hirfa.cards.models import Card
from hirfa.coverage import services as coverage
from hirfa.crafts.models import Activity
from hirfa.outreach import services
from hirfa.register import selectors as register_selectors
from hirfa.register import services as register
from hirfa.territory.models import Province

STEPS = ("started", "submitted", "approved", "card", "enrolled", "rights")
SOURCE = "demo"
# (attendee's place in the meeting's list, CNIE, first/last name ar, first/last latin, sex,
# birth date, how far the file goes). The names are the meeting's attendees'.
FILES = [
    (0, "DT290811", "فاضمة", "أيت لحسن", "Fadma", "Ait Lahcen", "F", "1978-03-14", "rights"),
    (1, "DT290812", "إبراهيم", "أوبلا", "Brahim", "Oubella", "M", "1969-11-02", "enrolled"),
    (2, "DT290813", "عائشة", "أمزيل", "Aicha", "Amzil", "F", "1990-06-21", "card"),
    (3, "DT290814", "الحسين", "بوزيد", "Lhoussaine", "Bouzid", "M", "1958-01-30", "approved"),
    (4, "DT290801", "إيجا", "أوباها", "Ijja", "Oubaha", "F", "1975-05-12", "submitted"),
    (5, "DT290802", "محمد", "أيت باعمران", "Mohamed", "Ait Baamrane", "M", "1984-09-09", "started"),
]
FAIR_VISITORS = [
    ("Rachid Amellal", "0661000201"),
    ("زهرة بوهو", "0661000202"),
    ("Hassan Id Ali", "0661000203"),
]
FAIR_FILE = ("DT290821", "زهرة", "بوهو", "Zahra", "Bouhou", "F", "1987-02-17")


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (230, 220, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def _officer() -> User:
    officer = User.objects.filter(username="officer.tiznit").first()
    if officer is None:
        officer, _ = save_staff_member(
            username="demo.officer.09.581",
            role=Role.OFFICER,
            password=None,
            first_name="Officer",
            last_name="Tiznit",
            scope_province=Province.objects.get(code="09.581"),
        )
    return officer


def _person(cnie, first_ar, last_ar, first_latin, last_latin, sex, born, phone, commune):
    return {
        "cnie": cnie,
        "first_name_ar": first_ar,
        "last_name_ar": last_ar,
        "first_name_latin": first_latin,
        "last_name_latin": last_latin,
        "sex": sex,
        "birth_date": born,
        "birth_place": "Tiznit",
        "address": "Derb Idzikri, Tiznit",
        "commune": commune.code,
        "phone": phone,
        "education": "primary",
    }


def _craft(activity, commune) -> dict:
    return {
        "category": "artisan_experience",
        "principal_activity": activity.code,
        "workplace_kind": "workshop",
        "workplace_commune": commune.code,
        "workplace_address": "Souk des bijoutiers, Tiznit",
    }


def _activities() -> list[Activity]:
    """One activity in each of several branches, so the funnel's split by branch shows."""
    chosen, branches = [], set()
    for activity in Activity.objects.filter(is_active=True).order_by("code"):
        if activity.branch_id not in branches:
            branches.add(activity.branch_id)
            chosen.append(activity)
        if len(chosen) == 4:
            break
    return chosen


def _carry(agent, officer, dossier, to: str, image: bytes) -> None:
    wanted = STEPS[: STEPS.index(to) + 1]
    if "submitted" not in wanted:
        return
    for requirement in register_selectors.required_documents(dossier.category):
        register.attach_document(
            actor=agent,
            dossier=dossier,
            kind=requirement.code,
            uploaded=SimpleUploadedFile(f"{requirement.code}.png", image, "image/png"),
        )
    dossier = register.submit(actor=agent, dossier=dossier)
    if "approved" not in wanted:
        return
    dossier = register.approve(officer=officer, dossier=dossier)
    registration = dossier.registration
    if "card" not in wanted:
        return
    card = issuing.issue(
        registration, None, Card.IssueReason.APPROVED, cause=f"dossier:{dossier.pk}"
    )
    card = cards.mark_printed(actor=agent, card=card)
    cards.hand_over(
        actor=agent, card=card, received_by=registration.registrant_name_latin, acknowledged=True
    )
    if "enrolled" not in wanted:
        return
    today = timezone.localdate()
    coverage.mark_sent(
        registration_numbers=[registration.number], batch_id="DEMO-TIZNIT", source=SOURCE
    )
    digest = int(hashlib.sha256(registration.number.encode()).hexdigest(), 16)
    coverage.record_immatriculation(
        number=registration.number,
        cnss_number=str(900_000_000 + digest % 99_999_999),
        on=today,
        source=SOURCE,
    )
    if "rights" in wanted:
        coverage.record_rights(number=registration.number, status="open", on=today, source=SOURCE)


def files_of_the_meeting(agent, meeting, attendees, commune) -> None:
    officer, image, activities = _officer(), _png(), _activities()
    for index, (place, cnie, *names, sex, born, to) in enumerate(FILES):
        attendee = attendees[place]
        dossier = services.file_from_attendee(
            agent=agent,
            event=meeting,
            attendee=attendee,
            person_data=_person(cnie, *names, sex, born, attendee.phone, commune),
            craft_data=_craft(activities[index % len(activities)], commune),
            consent=True,
        )
        _carry(agent, officer, dossier, to, image)


def visitors_of_the_fair(agent, fair, commune) -> None:
    """Three visitors at the fair's registration stand; one files later at the desk."""
    for name, phone in FAIR_VISITORS:
        services.record_walk_in(actor=agent, event=fair, name=name, phone=phone, consent=True)
    phone = FAIR_VISITORS[1][1]
    dossier = register.file_assisted(
        agent=agent,
        person_data=_person(*FAIR_FILE, phone, commune),
        craft_data=_craft(_activities()[-1], commune),
        consent=True,
    )
    _carry(agent, _officer(), dossier, "submitted", _png())
