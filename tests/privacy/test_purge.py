"""Law 09-08, limited retention: a person whose registrations are all struck off for longer
than PERSONAL_DATA_RETENTION_DAYS, with no open file, is anonymised (not deleted: the
register's numbers and statistics stay); audited without personal data; `--dry-run` changes
nothing; a second run purges nothing new."""

import io
import json
import re
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from hirfa.accounts.models import User
from hirfa.audit.models import AuditEntry
from hirfa.cards.models import Card
from hirfa.coverage.models import Dependant, DependantDocument
from hirfa.privacy import policy
from hirfa.privacy.services import purge_personal_data
from hirfa.register import services as register
from hirfa.register.models import Document, Dossier, Person, Registration

pytestmark = pytest.mark.django_db

CNIE_PATTERN = re.compile(r"^[A-Z]{1,2}[0-9]{5,7}$")
PERSONAL = ("JK123456", "Fadma", "Ait Lahcen", "فاضمة", "Tiznit", "Derb", "0612345678", "612345678")


def strike_off(registration, officer, *, days_ago):
    with TestCase.captureOnCommitCallbacks(execute=True):
        register.strike_off(officer=officer, registration=registration, reason="Stopped the craft")
    Registration.objects.filter(pk=registration.pk).update(
        updated_at=timezone.now() - timedelta(days=days_ago)
    )


@pytest.fixture
def retention(settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 365
    return 365


@pytest.fixture
def long_gone(covered, officer, retention):
    """Fadma's registration, struck off longer ago than the retention period."""
    strike_off(covered, officer, days_ago=retention + 1)
    return covered


def person_of(registration):
    return Person.objects.get(pk=registration.person_id)


def test_a_person_struck_off_longer_than_the_period_is_anonymised(long_gone):
    purge_personal_data()
    person = person_of(long_gone)
    assert (person.first_name_ar, person.last_name_latin) == ("—", "—")
    assert (person.phone, person.email, person.address, person.birth_place) == ("", "", "", "")
    assert person.birth_date.isoformat() == "1978-01-01"


def test_the_placeholder_cnie_is_unique_and_never_a_real_cnie(long_gone):
    purge_personal_data()
    person = person_of(long_gone)
    assert person.cnie == policy.purged_cnie(person.pk)
    assert len(person.cnie) <= Person._meta.get_field("cnie").max_length
    assert not CNIE_PATTERN.match(person.cnie)


def test_the_search_keys_are_recomputed_without_the_names(long_gone):
    purge_personal_data()
    keys = person_of(long_gone).search_keys.lower()
    assert "fadma" not in keys and "ftm" not in keys


def test_the_registration_number_and_its_statistics_stay(long_gone):
    before = Registration.objects.values().get(pk=long_gone.pk)
    purge_personal_data()
    after = Registration.objects.values().get(pk=long_gone.pk)
    assert after == before


def test_the_documents_files_are_deleted_and_their_rows_kept_without_names(long_gone):
    names = list(
        Document.objects.filter(dossier__person_id=long_gone.person_id).values_list(
            "file", flat=True
        )
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        purge_personal_data()
    documents = Document.objects.filter(dossier__person_id=long_gone.person_id)
    assert documents.count() == len(names) > 0
    assert {d.file.name for d in documents} == {""}
    assert all(d.original_name == d.kind for d in documents)
    assert not any(default_storage.exists(name) for name in names)


def test_the_photo_is_deleted(long_gone):
    photo = person_of(long_gone).photo.name
    assert photo
    with TestCase.captureOnCommitCallbacks(execute=True):
        purge_personal_data()
    assert not person_of(long_gone).photo
    assert not default_storage.exists(photo)


def test_the_dependants_are_anonymised_and_their_documents_deleted(long_gone):
    purge_personal_data()
    (child,) = Dependant.objects.filter(registration=long_gone)
    assert (child.first_name_latin, child.last_name_ar, child.cnie) == ("—", "—", "")
    assert child.birth_date.isoformat() == "2015-01-01"
    assert {d.file.name for d in DependantDocument.objects.filter(dependant=child)} == {""}


def test_the_account_is_made_unusable(long_gone, artisan):
    purge_personal_data()
    user = User.objects.get(pk=artisan.pk)
    assert (user.username, user.phone, user.is_active) == (f"purged-{user.pk}", None, False)
    assert not user.has_usable_password()


def test_the_cards_lose_their_qr_text(long_gone):
    purge_personal_data()
    assert set(Card.objects.filter(registration=long_gone).values_list("qr_text", flat=True)) <= {
        ""
    }


def test_the_proposed_identity_changes_on_files_are_emptied(long_gone):
    Dossier.objects.filter(person_id=long_gone.person_id).update(
        person_changes={"cnie": {"from": "JK123456", "to": "JK123457"}}
    )
    purge_personal_data()
    dossiers = Dossier.objects.filter(person_id=long_gone.person_id)
    assert [d.person_changes for d in dossiers] == [{}] * dossiers.count()


def test_each_purge_is_audited_without_personal_data(long_gone):
    purge_personal_data()
    entry = AuditEntry.objects.get(action="person.purged")
    assert entry.object_id == str(long_gone.person_id)
    assert entry.data["registrations"] == [long_gone.number]
    text = json.dumps(entry.data, ensure_ascii=False) + entry.reason + entry.actor_label
    assert not any(value in text for value in PERSONAL)


def test_each_run_leaves_a_summary_entry(long_gone):
    purge_personal_data()
    entry = AuditEntry.objects.get(action="privacy.purge_run")
    assert (entry.data["persons"], entry.data["retention_days"]) == (1, 365)


def test_a_person_struck_off_within_the_period_is_kept(covered, officer, retention):
    strike_off(covered, officer, days_ago=retention - 1)
    assert purge_personal_data().persons == 0
    assert person_of(covered).cnie == "JK123456"


def test_a_person_still_registered_is_kept(covered, retention):
    Registration.objects.filter(pk=covered.pk).update(
        updated_at=timezone.now() - timedelta(days=retention * 3)
    )
    assert purge_personal_data().persons == 0


def test_a_person_with_an_open_file_is_kept(long_gone, agent):
    """A struck-off artisan who applies again (a new first application, just opened)."""
    Dossier.objects.create(
        person=person_of(long_gone),
        filed_by=agent,
        category="artisan_experience",
        principal_activity=long_gone.principal_activity,
        workplace_kind="workshop",
        workplace_commune=long_gone.workplace_commune,
        workplace_address="x",
        province=long_gone.province,
    )
    assert purge_personal_data().persons == 0


def test_a_member_of_a_cooperative_still_in_the_register_is_kept(long_gone, agent):
    from hirfa.register.models import LegalEntity

    cooperative = LegalEntity.objects.create(
        kind="cooperative",
        name_ar="تعاونية",
        name_fr="Coopérative",
        ice="001234567000089",
        address="Souk",
        commune=long_gone.workplace_commune,
    )
    cooperative.members.add(person_of(long_gone))
    Dossier.objects.create(
        entity=cooperative,
        filed_by=agent,
        category="cooperative",
        principal_activity=long_gone.principal_activity,
        workplace_kind="workshop",
        workplace_commune=long_gone.workplace_commune,
        workplace_address="Souk",
        province=long_gone.province,
        state=Dossier.State.SUBMITTED,
    )
    assert purge_personal_data().persons == 0


def test_the_dry_run_changes_nothing_and_says_which_numbers(long_gone):
    out = io.StringIO()
    entries = AuditEntry.objects.count()
    call_command("purge_personal_data", "--dry-run", stdout=out)
    assert long_gone.number in out.getvalue()
    assert person_of(long_gone).cnie == "JK123456"
    assert AuditEntry.objects.count() == entries


def test_a_second_run_purges_nothing_new(long_gone):
    assert purge_personal_data().persons == 1
    assert purge_personal_data().persons == 0
    assert AuditEntry.objects.filter(action="person.purged").count() == 1


def test_the_command_says_how_many_were_anonymised(long_gone):
    out = io.StringIO()
    call_command("purge_personal_data", stdout=out)
    assert "1" in out.getvalue()
    assert person_of(long_gone).cnie.startswith("X-")


def test_the_placeholder_cnie_fits_the_column_for_ten_billion_persons():
    assert len(policy.purged_cnie(10**10)) <= 9
    assert policy.purged_cnie(1) != policy.purged_cnie(36)
