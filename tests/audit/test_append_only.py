import pytest
from django.db import DatabaseError, transaction

from hirfa.audit import services
from hirfa.audit.models import AppendOnlyError, AuditEntry
from tests.audit.helpers import raw_delete, raw_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry():
    return services.record(actor=None, action="dossier.submitted", object_type="x", object_id="1")


def test_saving_an_existing_entry_again_is_refused(entry):
    entry.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        entry.save()


def test_deleting_an_entry_is_refused(entry):
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_bulk_updates_and_deletes_through_the_orm_are_refused(entry):
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()


def test_an_entry_cannot_be_created_without_going_through_record():
    with pytest.raises(ValueError):
        AuditEntry.objects.create(actor_label="x", action="a.b", previous_hash="0" * 64)


def test_the_database_refuses_a_raw_update(entry):
    with pytest.raises(DatabaseError), transaction.atomic():
        raw_update(entry.pk, "reason", "rewritten")
    assert AuditEntry.objects.get(pk=entry.pk).reason == ""


def test_the_database_refuses_a_raw_delete(entry):
    with pytest.raises(DatabaseError), transaction.atomic():
        raw_delete(entry.pk)
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
