"""The password policy (docs/security.md, V2.1): whatever path sets a password — sign-up by
phone, a staff account made by a service, the admin site, a password reset — refuses ten
spaces, a short password padded with spaces, the person's own name or phone number, and
the known common or breached passwords; a long phrase passes."""

import pytest
from django.contrib.auth.forms import AdminUserCreationForm, SetPasswordForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.forms import modelform_factory

from hirfa.accounts import services
from hirfa.accounts.models import User
from hirfa.accounts.roles import Role
from hirfa.core.errors import DomainError
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PHONE = "+212612345678"


def fatima() -> User:
    return User(username=PHONE, phone=PHONE, first_name="Fatima", last_name="Zahra")


def refused_codes(password: str, user=None) -> set[str]:
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        return {e.code for e in error.error_list}
    return set()


def test_ten_spaces_are_refused():
    assert "password_mostly_spaces" in refused_codes(" " * 10, fatima())


def test_a_short_password_padded_with_spaces_is_refused():
    assert "password_mostly_spaces" in refused_codes("   abc123   ", fatima())


def test_the_persons_own_name_is_refused():
    assert "password_personal_information" in refused_codes("FatimaZahra1", fatima())
    assert "password_personal_information" in refused_codes("fatima zahra 2026", fatima())


def test_the_persons_phone_number_is_refused_as_moroccans_write_it_too():
    assert "password_personal_information" in refused_codes("0612345678!", fatima())
    assert "password_personal_information" in refused_codes("+212612345678", fatima())


def test_a_common_password_is_refused():
    assert "password_too_common" in refused_codes("password123", fatima())


def test_a_password_shorter_than_ten_is_refused():
    assert "password_too_short" in refused_codes("tz-9a!kq", fatima())


def test_a_long_phrase_is_accepted_even_holding_the_name():
    assert refused_codes("fatima tisse des tapis a tiznit", fatima()) == set()
    assert refused_codes("tapis-de-tiznit-2026", fatima()) == set()


def test_sign_up_by_phone_refuses_the_persons_own_name():
    with pytest.raises(DomainError) as refused:
        services.start_phone_signup("0612345678", "FatimaZahra1", "Fatima", "Zahra")
    assert "password" in refused.value.fields
    assert not User.objects.filter(phone=PHONE).exists()


def test_sign_up_by_phone_refuses_ten_spaces():
    with pytest.raises(DomainError) as refused:
        services.start_phone_signup("0612345678", " " * 10, "Fatima", "Zahra")
    assert "password" in refused.value.fields


def test_a_staff_account_made_by_the_service_runs_the_validators():
    with pytest.raises(DomainError) as refused:
        services.save_staff_member(username="k.oubella", role=Role.OFFICER, password=" " * 12)
    assert "password" in refused.value.fields
    assert not User.objects.filter(username="k.oubella").exists()


def test_the_admin_site_refuses_ten_spaces_for_a_new_account():
    # The admin builds its form on the project's user model, as here.
    form_class = modelform_factory(User, form=AdminUserCreationForm, fields=["username"])
    form = form_class(
        data={
            "username": "k.oubella",
            "usable_password": "true",
            "password1": " " * 10,
            "password2": " " * 10,
        }
    )
    assert not form.is_valid()
    assert "password2" in form.errors or "password1" in form.errors


def test_a_password_reset_refuses_the_persons_own_name():
    user = UserFactory(first_name="Fatima", last_name="Zahra")
    form = SetPasswordForm(
        user, data={"new_password1": "FatimaZahra1", "new_password2": "FatimaZahra1"}
    )
    assert not form.is_valid()


def test_a_larger_offline_list_of_breached_passwords_can_be_configured(tmp_path):
    import os
    import subprocess
    import sys

    listed = tmp_path / "breached.txt"
    listed.write_text("tapis-de-tiznit-2026\n")
    code = (
        "import django; django.setup()\n"
        "from django.contrib.auth.password_validation import validate_password\n"
        "try:\n    validate_password('tapis-de-tiznit-2026')\n"
        "except Exception as error:\n    print(error.error_list[0].code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "hirfa.settings",
            "HIRFA_VAR_DIR": str(tmp_path),
            "PASSWORD_LIST_FILE": str(listed),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip() == "password_too_common", result.stderr
