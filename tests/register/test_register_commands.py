from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command

from hirfa.register.models import Registration
from hirfa.register.numbers import format_number

pytestmark = pytest.mark.django_db


def test_the_daily_command_expires_registrations_past_their_validity(registration, capsys):
    Registration.objects.filter(pk=registration.pk).update(
        valid_until=registration.registered_on - timedelta(days=1)
    )
    call_command("expire_registrations")
    registration.refresh_from_db()
    assert registration.status == Registration.Status.EXPIRED
    assert "1" in capsys.readouterr().out


def test_a_typed_number_is_found_whatever_its_spacing(registration, capsys):
    call_command("verify_number", format_number(registration.number).replace(" ", "-"))
    assert "Ait Lahcen".upper() in capsys.readouterr().out.upper()


def test_a_mistyped_number_is_told_apart_from_an_unknown_one(registration):
    number = registration.number
    mistyped = number[:-1] + str((int(number[-1]) + 1) % 10)
    with pytest.raises(CommandError) as typo:
        call_command("verify_number", mistyped)
    unknown_serial = int(number[:9]) + 500
    from hirfa.register.numbers import make_number

    with pytest.raises(CommandError) as unknown:
        call_command("verify_number", make_number(unknown_serial))
    assert str(typo.value) != str(unknown.value)
