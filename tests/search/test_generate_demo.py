import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from hirfa.core.names import name_keys
from hirfa.register.models import NumberCounter, Person, Registration
from hirfa.register.numbers import is_valid
from hirfa.search.names import FAMILY_NAMES
from hirfa.search.selectors import search
from tests.factories import approved_dossier, national

pytestmark = pytest.mark.django_db


def generate(count: int, seed: int = 7) -> str:
    out = io.StringIO()
    call_command("generate_demo", artisans=count, seed=seed, stdout=out)
    return out.getvalue()


def test_generated_artisans_are_registered_valid_and_searchable():
    assert "300 artisans generated" in generate(300)
    people = list(Person.objects.all())
    registrations = list(Registration.objects.select_related("person"))
    assert len(people) == len(registrations) == 300
    assert len({person.cnie for person in people}) == 300
    assert all(is_valid(registration.number) for registration in registrations)
    for person in people[:50]:
        names = (person.first_name_ar, person.last_name_ar)
        latin = (person.first_name_latin, person.last_name_latin)
        assert person.search_keys == name_keys(*names, *latin)
    someone = registrations[123]
    query = f"{someone.person.first_name_latin} {someone.person.last_name_ar}"
    assert someone.pk in [hit.pk for hit in search(national(), query).hits]


def test_generated_names_are_real_pairs_of_arabic_and_latin_spellings():
    generate(200)
    spellings = {name.ar: set(name.latin) for name in FAMILY_NAMES}
    for person in Person.objects.all():
        assert person.last_name_latin in spellings[person.last_name_ar]


def test_the_same_seed_draws_the_same_people_and_a_second_run_adds_new_ones():
    generate(40, seed=3)
    generate(40, seed=3)
    rows = list(
        Person.objects.order_by("id").values_list(
            "first_name_ar", "last_name_latin", "sex", "commune_id", "cnie"
        )
    )
    assert [row[:4] for row in rows[:40]] == [row[:4] for row in rows[40:]]
    assert len({row[4] for row in rows}) == 80


def test_communes_are_drawn_by_population():
    generate(400)
    communes = Counter(Person.objects.values_list("commune__province__code", flat=True))
    # Casablanca (prefecture 06.141) is far more populous than Tiznit (09.581).
    assert communes["06.141"] > communes.get("09.581", 0)


def test_later_approvals_are_numbered_after_the_generated_register():
    generate(25)
    last_generated = max(Registration.objects.values_list("number", flat=True))
    assert NumberCounter.objects.get(name="national").last == int(last_generated[:-1])
    approved = approved_dossier()
    assert approved.registration.number > last_generated


def test_a_count_below_one_is_refused():
    with pytest.raises(CommandError):
        generate(0)
