"""A lock of the login is in the audit trail, once (ASVS 7.2, docs/security.md, ADR 0032).

Not each failed login: an `account.login_failed` entry per failure would let anyone with a
list of usernames flood the chain. The failure that reaches a limit records one
`account.locked` entry; the refused attempts that follow record none."""

import pytest

from hirfa.audit.models import AuditEntry
from hirfa.audit.selectors import verify_chain
from tests.factories import officer_of

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.7"


@pytest.fixture
def officer(settings):
    settings.LOGIN_MAX_FAILURES = 3
    return officer_of("09.581", username="k.oubella")


def log_in(client, username, password="wrong", address=ADDRESS):
    data = {"username": username, "password": password}
    return client.post("/accounts/login/", data, REMOTE_ADDR=address)


def locks():
    return list(AuditEntry.objects.filter(action="account.locked"))


def test_failures_below_the_limit_are_not_audited(client, officer):
    for _ in range(2):
        log_in(client, "k.oubella")
    assert locks() == []


def test_the_failure_that_locks_the_account_is_audited_with_the_account_and_address(
    client, officer
):
    for _ in range(3):
        log_in(client, "k.oubella")
    [entry] = locks()
    assert entry.object_id == str(officer.pk)
    assert entry.data["address"] == ADDRESS
    assert entry.data["limits"] == ["account_from_address"]


def test_attempts_refused_while_locked_add_no_entry(client, officer):
    for _ in range(10):
        log_in(client, "k.oubella")
    assert len(locks()) == 1


def test_a_lock_on_an_unknown_username_is_audited_without_an_account(client, officer):
    for _ in range(3):
        log_in(client, "nobody.here")
    [entry] = locks()
    assert entry.object_id == ""
    assert entry.data["username"] == "nobody.here"


def test_the_locks_keep_the_chain_valid(client, officer):
    for _ in range(3):
        log_in(client, "k.oubella")
    assert verify_chain().ok
