"""On a Tamazight page, dates, country names and document names are in Tifinagh: nothing
falls back to the Arabic of the default language."""

import datetime

import pytest
from django.template.defaultfilters import date
from django.utils import translation

from hirfa.core.countries import country_name
from hirfa.register.models import DocumentRequirement

TIFINAGH = range(0x2D30, 0x2D80)


def letters(text: str) -> set[str]:
    return {char for char in text if char.isalpha()}


def test_a_date_on_a_tamazight_page_has_its_month_in_tifinagh():
    with translation.override("zgh"):
        shown = date(datetime.date(2026, 5, 3), "DATE_FORMAT")
    assert shown == "3 ⵎⴰⵢⵢⵓ 2026"


def test_every_month_is_named_in_tifinagh():
    with translation.override("zgh"):
        for month in range(1, 13):
            name = date(datetime.date(2026, month, 1), "F")
            assert letters(name) and all(ord(c) in TIFINAGH for c in letters(name)), name


def test_arabic_and_french_months_stay_those_of_django():
    day = datetime.date(2026, 5, 3)
    with translation.override("fr"):
        assert date(day, "DATE_FORMAT") == "3 mai 2026"
    with translation.override("ar"):
        assert "مايو" in date(day, "DATE_FORMAT")


def test_a_nationality_is_a_country_name_in_the_readers_language():
    assert country_name("MA", "zgh") == "ⵍⵎⵖⵔⵉⴱ"
    assert country_name("MA", "ar") == "المغرب"
    assert country_name("ma", "fr") == "Maroc"
    assert country_name("QQ", "fr") == "QQ"


@pytest.mark.django_db
def test_every_seeded_document_has_a_name_in_tifinagh():
    with translation.override("zgh"):
        for requirement in DocumentRequirement.objects.all():
            name = requirement.name
            assert all(ord(c) in TIFINAGH for c in letters(name)), (requirement.code, name)
