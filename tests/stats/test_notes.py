"""What a change notes: an approval writes one note, its registration's, which stands for
its dossier; a dossier whose registration's note is gone notes itself
(docs/decisions/0068, 0079)."""

import pytest
from django.db import transaction

from hirfa.register import services
from hirfa.register.models import Dossier
from hirfa.stats import ledger
from hirfa.stats.models import KEY_FIELDS, Count, Pending
from tests.factories import agent_of, officer_of, submitted_dossier

pytestmark = pytest.mark.django_db


def counts() -> dict:
    return {
        tuple(row[:-1]): row[-1] for row in Count.objects.exclude(n=0).values_list(*KEY_FIELDS, "n")
    }


def approved() -> Dossier:
    dossier = services.approve(
        officer=officer_of("09.581"), dossier=submitted_dossier(agent_of("09"))
    )
    ledger.fold()
    return dossier


def test_an_approval_writes_one_note_its_registrations():
    dossier = submitted_dossier(agent_of("09"))
    ledger.fold()
    dossier = services.approve(officer=officer_of("09.581"), dossier=dossier)
    notes = list(Pending.objects.values_list("source", "object_ids"))
    assert notes == [("registration", str(dossier.registration_id))]


def test_the_fold_of_an_approvals_note_counts_its_decision():
    dossier = submitted_dossier(agent_of("09"))
    ledger.fold()
    services.approve(officer=officer_of("09.581"), dossier=dossier)
    ledger.fold()
    assert Count.objects.get(measure="decisions").state == "approved"
    kept = counts()
    ledger.rebuild()
    assert counts() == kept


def test_a_dossier_saved_after_its_registrations_note_was_rolled_back_notes_itself():
    dossier = approved()
    registration = dossier.registration
    with pytest.raises(RuntimeError), transaction.atomic():
        registration.save()
        raise RuntimeError
    dossier.save()
    assert list(Pending.objects.values_list("source", flat=True)) == ["dossier"]


def test_a_dossier_saved_after_a_fold_of_its_registrations_note_notes_itself():
    dossier = approved()
    with transaction.atomic():
        dossier.registration.save()
        ledger.fold()
        dossier.save()
    assert list(Pending.objects.values_list("source", flat=True)) == ["dossier"]


def test_a_dossier_saved_with_its_registration_is_counted_as_a_rebuild_counts_it():
    dossier = approved()
    with transaction.atomic():
        dossier.registration.save()
        dossier.state = Dossier.State.REJECTED
        dossier.save(update_fields=["state"])
    assert list(Pending.objects.values_list("source", flat=True)) == ["registration"]
    ledger.fold()
    kept = counts()
    ledger.rebuild()
    assert counts() == kept
    assert Count.objects.get(measure="decisions").state == "rejected"
