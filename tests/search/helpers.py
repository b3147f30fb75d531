"""Registrants made quickly for search tests: straight through the models, as the
register's services save them (Person.save computes the keys)."""

import itertools

from django.db import transaction

from hirfa.crafts.models import Activity
from hirfa.register import services
from hirfa.register.models import Person, Registration
from hirfa.register.services import allocate_number
from hirfa.territory.models import Commune
from tests.factories import TIZNIT_CITY, agent_of, craft_data

_serial = itertools.count(1)


def registered(
    first_ar: str,
    last_ar: str,
    first_latin: str,
    last_latin: str,
    *,
    commune: str = TIZNIT_CITY,
    status: str = Registration.Status.ACTIVE,
    category: str = "artisan_experience",
    activity: Activity | None = None,
    phone: str | None = None,
) -> Registration:
    n = next(_serial)
    place = Commune.objects.select_related("province").get(code=commune)
    with transaction.atomic():
        person = Person.objects.create(
            cnie=f"SR{n:06d}",
            first_name_ar=first_ar,
            last_name_ar=last_ar,
            first_name_latin=first_latin,
            last_name_latin=last_latin,
            sex="M",
            birth_date="1980-01-01",
            birth_place="Tiznit",
            address="Derb",
            commune=place,
            phone=phone or f"+2126{n:08d}",
            education="primary",
        )
        return Registration.objects.create(
            number=allocate_number(),
            category=category,
            person=person,
            principal_activity=activity or Activity.objects.filter(is_active=True).first(),
            workplace_kind="workshop",
            workplace_commune=place,
            workplace_address="Atelier",
            province=place.province,
            status=status,
            registered_on="2025-01-01",
            valid_until="2030-01-01",
        )


def tifaout_cooperative(member: Registration):
    """The silver cooperative of Tiznit, filed by an agent with `member` among its members:
    its dossier."""
    return services.file_entity(
        agent=agent_of("09"),
        entity_data={
            "name_ar": "تعاونية تيفاوت للفضة",
            "name_fr": "Coopérative Tifaout Argent",
            "ice": "001234567000089",
            "address": "Souk",
            "commune": "09.581.01.07",
            "members": [member.number],
        },
        craft_data=craft_data(category="cooperative"),
        consent=True,
    )
