"""Hot writes compiled once (hirfa.core.prepared_writes, decision 86): what the ORM's save
and bulk_create do, the same rows and the same signals."""

import pytest
from django.db import DatabaseError, connection
from django.db.models.signals import post_save, pre_save
from django.test.utils import CaptureQueriesContext

from hirfa.audit.models import AuditEntry
from hirfa.core.models import IdempotentRequest
from hirfa.core.prepared_writes import insert, insert_many, update
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def saves():
    """The pre_save and post_save signals sent for IdempotentRequest, in order."""
    sent = []

    def pre(sender, instance, update_fields, **kwargs):
        sent.append(("pre", instance.pk, update_fields))

    def post(sender, instance, created, update_fields, **kwargs):
        sent.append(("post", instance.pk, created, update_fields))

    pre_save.connect(pre, sender=IdempotentRequest, dispatch_uid="test.pre")
    post_save.connect(post, sender=IdempotentRequest, dispatch_uid="test.post")
    yield sent
    pre_save.disconnect(sender=IdempotentRequest, dispatch_uid="test.pre")
    post_save.disconnect(sender=IdempotentRequest, dispatch_uid="test.post")


def _request(user, key="k1", **values):
    return IdempotentRequest(
        user=user, key=key, fingerprint="f", status=201, body={"a": [1, "é"]}, **values
    )


def test_an_insert_writes_the_row_the_orm_writes_and_reads_back_its_id(saves):
    user = UserFactory()

    row = insert(_request(user))

    stored = IdempotentRequest.objects.get(pk=row.pk)
    assert (stored.user_id, stored.key, stored.status, stored.body) == (
        user.pk,
        "k1",
        201,
        {"a": [1, "é"]},
    )
    assert stored.created_at == row.created_at  # auto_now_add filled in, as by save()
    assert (row._state.adding, row._state.db) == (False, "default")
    assert saves == [("pre", None, None), ("post", row.pk, True, None)]


def test_a_second_insert_runs_one_statement():
    user = UserFactory()
    insert(_request(user, "k1"))

    with CaptureQueriesContext(connection) as queries:
        insert(_request(user, "k2"))

    assert len(queries) == 1


def test_an_update_writes_only_its_fields_and_says_which(saves):
    user = UserFactory()
    row = _request(user)
    row.save()
    saves.clear()
    row.status, row.key = 409, "changed in memory only"

    update(row, ["status"])

    stored = IdempotentRequest.objects.get(pk=row.pk)
    assert (stored.status, stored.key) == (409, "k1")
    assert saves == [
        ("pre", row.pk, frozenset({"status"})),
        ("post", row.pk, False, frozenset({"status"})),
    ]


def test_an_update_of_a_row_no_longer_there_fails_as_the_orms_does():
    row = _request(UserFactory())
    row.save()
    IdempotentRequest.objects.filter(pk=row.pk).delete()

    with pytest.raises(DatabaseError, match="did not affect any rows"):
        update(row, ["status"])


def test_an_update_of_a_field_the_model_has_not_is_refused_by_the_orm():
    row = _request(UserFactory())
    row.save()

    with pytest.raises(ValueError, match="do not exist"):
        update(row, ["colour"])


def test_insert_many_writes_the_rows_in_order_with_their_ids_and_no_signal(saves):
    user = UserFactory()

    rows = insert_many([_request(user, "k1"), _request(user, "k2")])

    assert [IdempotentRequest.objects.get(pk=row.pk).key for row in rows] == ["k1", "k2"]
    assert saves == []  # as bulk_create


def test_a_model_with_a_save_of_its_own_goes_through_it():
    with pytest.raises(ValueError, match="created by hirfa\\.audit"):
        insert(AuditEntry(action="x.y"))
