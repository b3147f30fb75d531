import hashlib
import json
from datetime import UTC

import pytest
from django.db import transaction

from hirfa.audit import services
from hirfa.audit.models import GENESIS_HASH, AuditEntry
from tests.factories import officer_of

pytestmark = pytest.mark.django_db


def dossier_event(**kwargs):
    fields = {
        "actor": None,
        "action": "dossier.submitted",
        "object_type": "register.dossier",
        "object_id": "D-1",
        "province_code": "09.581",
    }
    return services.record(**{**fields, **kwargs})


def test_the_first_entry_starts_the_chain_from_64_zeros():
    assert dossier_event().previous_hash == GENESIS_HASH


def test_each_entry_carries_the_hash_of_the_one_before():
    first = dossier_event()
    second = dossier_event(action="dossier.review_started")
    assert second.previous_hash == first.hash
    assert first.hash != second.hash


def test_the_hash_is_sha256_of_the_documented_canonical_json():
    officer = officer_of("09.581", username="k.oubella")
    entry = dossier_event(
        actor=officer,
        reason="الملف كامل",
        data={"from": "submitted", "to": "in_review"},
    )
    stored = AuditEntry.objects.get(pk=entry.pk)
    canonical = {
        "action": "dossier.submitted",
        "actor_id": officer.pk,
        "actor_label": "k.oubella",
        "at": stored.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "data": {"from": "submitted", "to": "in_review"},
        "object_id": "D-1",
        "object_type": "register.dossier",
        "previous_hash": GENESIS_HASH,
        "province_code": "09.581",
        "reason": "الملف كامل",
    }
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert stored.hash == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_the_actor_label_is_the_username_or_system_or_the_label_given():
    officer = officer_of("09.581", username="k.oubella")
    assert dossier_event(actor=officer).actor_label == "k.oubella"
    assert dossier_event().actor_label == "system"
    assert dossier_event(actor_label="system:cnss-import").actor_label == "system:cnss-import"


def test_an_entry_about_an_object_names_its_model_and_primary_key():
    officer = officer_of("09.581")
    entry = services.record(actor=None, action="user.deactivated", obj=officer)
    assert (entry.object_type, entry.object_id) == ("accounts.user", str(officer.pk))


def test_reading_a_file_is_logged_in_the_same_chain():
    officer = officer_of("09.581")
    person = officer_of("09.581")
    before = dossier_event()
    entry = services.record_access(actor=officer, obj=person, province_code="09.581")
    assert entry.action == "user.viewed"
    assert entry.actor == officer
    assert entry.previous_hash == before.hash


def test_an_entry_disappears_with_the_transaction_that_wrote_it():
    with pytest.raises(RuntimeError), transaction.atomic():
        dossier_event()
        raise RuntimeError("the state change failed")
    assert not AuditEntry.objects.exists()


def test_dates_and_decimals_in_the_data_are_stored_as_text():
    from datetime import date
    from decimal import Decimal

    entry = dossier_event(data={"on": date(2026, 11, 25), "fee": Decimal("120.50")})
    assert AuditEntry.objects.get(pk=entry.pk).data == {"on": "2026-11-25", "fee": "120.50"}


def test_floats_in_the_data_are_refused():
    with pytest.raises(TypeError):
        dossier_event(data={"score": 0.5})


def test_a_float_deep_in_the_data_is_refused_too():
    with pytest.raises(TypeError):
        dossier_event(data={"items": [["1000000007", {"score": 1e3}]]})


def test_integers_stay_integers():
    entry = dossier_event(data={"count": 5000, "items": [[1, 2]]})
    assert AuditEntry.objects.get(pk=entry.pk).data == {"count": 5000, "items": [[1, 2]]}


def test_an_action_must_be_a_dotted_code():
    with pytest.raises(ValueError):
        dossier_event(action="Submitted!")


def test_the_worked_example_of_the_documentation_hashes_as_documented():
    from datetime import datetime

    entry = AuditEntry(
        at=datetime(2026, 11, 25, 9, 30, 0, 123456, tzinfo=UTC),
        actor_id=17,
        actor_label="k.oubella",
        action="dossier.review_started",
        object_type="register.dossier",
        object_id="42",
        province_code="09.581",
        reason="الملف كامل",
        data={"from": "submitted", "to": "in_review"},
        previous_hash=GENESIS_HASH,
    )
    assert entry.compute_hash() == (
        "63222cb9c1c184b2f5e818786413613db088dffccadda9e65baf57dc50c1874e"
    )
