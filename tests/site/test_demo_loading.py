"""The demo register loaded through the bulk writer, and a second run that writes nothing
(decision 73). Speed is the benchmark's business; these count statements."""

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hirfa.audit.models import AuditEntry
from hirfa.register.models import Dossier, Registration

pytestmark = pytest.mark.django_db

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


def test_the_registered_demo_artisans_are_written_in_bulk_with_one_audit_entry():
    call_command("load_demo", artisans=40)
    bulk = Registration.objects.filter(person__cnie__startswith="DM", dossiers__isnull=True)
    assert bulk.count() > 10
    assert AuditEntry.objects.filter(action="demo.register_loaded").count() == 1


def test_the_demo_numbers_are_all_different():
    call_command("load_demo", artisans=40)
    numbers = list(Registration.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))


def test_the_demo_still_has_files_in_the_workflow():
    call_command("load_demo", artisans=40)
    states = set(Dossier.objects.values_list("state", flat=True))
    assert {"submitted", "in_review", "changes_requested", "rejected"} <= states


def test_a_second_run_of_the_demo_writes_nothing():
    call_command("load_demo", artisans=40)
    with CaptureQueriesContext(connection) as queries:
        call_command("load_demo", artisans=40)
    writes = [query["sql"][:120] for query in queries if WRITE.match(query["sql"])]
    assert writes == [], "\n".join(writes)


def test_a_second_run_of_the_demo_reads_in_statements_that_do_not_grow_with_the_artisans():
    call_command("load_demo", artisans=40)
    counts = []
    for artisans in (10, 40):
        with CaptureQueriesContext(connection) as queries:
            call_command("load_demo", artisans=artisans)
        counts.append(len(queries))
    assert counts[0] == counts[1] < 200
