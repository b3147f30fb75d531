import pytest
from django.core.management import call_command

from hirfa.accounts.models import User
from hirfa.accounts.roles import Role
from hirfa.register.models import Registration
from hirfa.register.selectors import dossiers_for

pytestmark = pytest.mark.django_db


def test_the_demo_has_one_account_per_role_and_prints_the_logins(capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    assert {u.role for u in User.objects.all()} == set(Role.values)
    for username in ["admin", "officer.tiznit", "agent.soussmassa", "cnss.liaison"]:
        assert username in out


def test_the_demo_prints_how_long_each_step_took(capsys):
    from django.utils import translation

    with translation.override("en"):
        call_command("load_demo", artisans=0)
    out = capsys.readouterr().out
    assert "Demo loaded in " in out
    for step in ["accounts", "register", "cards", "coverage", "outreach", "campaigns"]:
        assert f"{step} " in out.split("Demo loaded in ")[1]


def test_loading_the_demo_twice_duplicates_nothing():
    call_command("load_demo")
    count = User.objects.count()
    call_command("load_demo")
    assert User.objects.count() == count


def test_the_demo_officer_of_tiznit_is_scoped_to_tiznit():
    call_command("load_demo")
    officer = User.objects.get(username="officer.tiznit")
    assert officer.scope_province.code == "09.581"
    assert officer.organisation.code == "directorate-09-581"


def test_the_demo_administrator_can_open_the_admin(client):
    call_command("load_demo")
    client.login(username="admin", password="hirfa-demo")
    assert client.get("/admin/").status_code == 200


def test_the_demo_officers_have_files_and_artisans_of_their_own_province():
    call_command("load_demo", artisans=40)
    for username in ("officer.tiznit", "officer.agadir"):
        officer = User.objects.get(username=username)
        files = dossiers_for(officer).filter(province=officer.scope_province).count()
        # The registered demo artisans are written in bulk, without a file (decision 73).
        registered = Registration.objects.filter(
            province=officer.scope_province, dossiers__isnull=True
        ).count()
        assert files >= 1 and files + registered >= 5


def test_the_demo_administrator_and_auditor_log_in_with_the_published_demo_key(
    client, settings, capsys
):
    from django_otp.oath import TOTP

    from hirfa.accounts.demo import DEMO_TOTP_KEY, DEMO_TOTP_SECRET

    settings.SECOND_FACTOR_REQUIRED_ROLES = ["admin", "auditor"]
    call_command("load_demo", artisans=0)
    out = capsys.readouterr().out
    assert DEMO_TOTP_SECRET in out
    assert "admin, auditor" in out
    client.post("/accounts/login/", {"username": "admin", "password": "hirfa-demo"})
    assert client.get("/admin/").status_code == 302
    code = f"{TOTP(DEMO_TOTP_KEY).token():06d}"
    assert client.post("/accounts/2fa/verify/", {"code": code}).status_code == 302
    assert client.get("/admin/").status_code == 200
