"""The demo coverage and the daily command."""

import pytest
from django.core.management import call_command
from django.utils import translation

from hirfa.coverage.demo import load_demo_coverage
from hirfa.coverage.models import Enrolment, State
from tests.factories import approved_registration

pytestmark = pytest.mark.django_db


def test_the_demo_enrols_artisans_in_several_states_and_runs_once():
    from hirfa.accounts.demo import ensure_demo_accounts
    from hirfa.register.demo import load_demo_register

    ensure_demo_accounts("hirfa-demo-password")
    load_demo_register(count=40)
    first = load_demo_coverage()
    states = set(Enrolment.objects.values_list("state", flat=True))
    assert first["enrolled"] > 5
    assert {State.SENT, State.NOT_ENROLLED, State.RIGHTS_OPEN, State.SUSPENDED} <= states
    assert first["dependants"] > 0
    assert load_demo_coverage()["enrolled"] == 0
    assert Enrolment.objects.count() == first["enrolled"]


def test_the_daily_command_reports_what_it_did(capsys):
    approved_registration()
    with translation.override("en"):
        call_command("coverage_rules", "--date", "2026-06-01")
    assert "0 suspended" in capsys.readouterr().out
