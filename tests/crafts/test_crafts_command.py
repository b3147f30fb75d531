import pytest
from django.core.management import CommandError, call_command

from hirfa.crafts.models import Activity, NomenclatureRelease
from hirfa.crafts.selectors import current_release

pytestmark = pytest.mark.django_db


def test_the_command_loads_the_shipped_list_by_default_and_reports_the_counts(capsys):
    call_command("load_crafts")

    assert Activity.objects.filter(is_active=True).count() == 172
    output = capsys.readouterr().out
    assert "2026-11-provisional-1" in output
    assert "172" in output


def test_the_command_loads_an_official_csv_with_its_version(
    capsys, shipped_data, csv_rows, write_csv
):
    path = write_csv(csv_rows(shipped_data))

    call_command("load_crafts", str(path), "--version", "official-2027", "--official")

    release = current_release()
    assert (release.version, release.provisional) == ("official-2027", False)


def test_a_dry_run_of_the_command_writes_nothing(capsys):
    call_command("load_crafts", "--dry-run")

    assert not Activity.objects.exists()
    assert not NomenclatureRelease.objects.exists()
    assert "172" in capsys.readouterr().out


def test_the_command_exits_non_zero_and_says_what_is_wrong(capsys, shipped_data, write_json):
    shipped_data["categories"][0]["branches"][0]["activities"][4]["name_ar"] = "Tuiles"
    path = write_json(shipped_data)

    # A CommandError is what makes `hirfa` print the message and exit with status 1.
    with pytest.raises(CommandError, match="0105"):
        call_command("load_crafts", str(path))

    assert not Activity.objects.exists()


def test_the_command_refuses_a_csv_without_a_version(capsys, shipped_data, csv_rows, write_csv):
    path = write_csv(csv_rows(shipped_data))

    with pytest.raises(CommandError):
        call_command("load_crafts", str(path))

    assert not Activity.objects.exists()
