"""The register's rules of who may do what, and what is due, in one place (register.policy)."""

from datetime import date, timedelta

import pytest

from hirfa.accounts.models import User
from hirfa.accounts.roles import Role
from hirfa.register import policy
from hirfa.register.models import Dossier, Registration

S = Dossier.State
R = Registration.Status
TODAY = date(2026, 12, 5)


def user(pk, role):
    return User(pk=pk, username=f"u{pk}", role=role, is_active=True)


OFFICER = user(1, Role.OFFICER)
AGENT = user(2, Role.AGENT)
ARTISAN = user(3, Role.ARTISAN)


def dossier(state=S.SUBMITTED, filed_by=None, kind=Dossier.Kind.REGISTRATION):
    return Dossier(state=state, filed_by_id=filed_by.pk if filed_by else None, kind=kind)


def registration(status=R.ACTIVE, valid_until=TODAY + timedelta(days=365)):
    return Registration(status=status, valid_until=valid_until)


@pytest.mark.parametrize("state", [S.SUBMITTED, S.IN_REVIEW, S.RESUBMITTED])
def test_an_officer_may_decide_a_file_sent_for_review(state):
    assert policy.may_decide(OFFICER, dossier(state))


@pytest.mark.parametrize("state", [S.DRAFT, S.CHANGES_REQUESTED, S.APPROVED, S.REJECTED])
def test_no_one_decides_a_file_that_is_not_waiting_for_a_decision(state):
    assert not policy.may_decide(OFFICER, dossier(state))


def test_whoever_filed_a_file_never_decides_it():
    assert not policy.may_decide(OFFICER, dossier(filed_by=OFFICER))
    assert not policy.may_start_review(OFFICER, dossier(filed_by=OFFICER))


def test_an_agent_may_not_decide():
    assert not policy.may_decide(AGENT, dossier())


def test_the_agent_who_filed_may_change_a_draft_but_not_a_file_under_review():
    assert policy.may_change_now(AGENT, dossier(S.DRAFT, filed_by=AGENT))
    assert not policy.may_change_now(AGENT, dossier(S.IN_REVIEW, filed_by=AGENT))


def test_another_agent_may_not_change_a_file():
    assert not policy.may_edit(user(9, Role.AGENT), dossier(S.DRAFT, filed_by=AGENT))


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        (R.ACTIVE, {"suspend", "strike_off"}),
        (R.SUSPENDED, {"reinstate", "strike_off"}),
        (R.EXPIRED, {"strike_off"}),
        (R.STRUCK_OFF, set()),
    ],
)
def test_an_officer_is_offered_what_the_registration_s_status_allows(status, allowed):
    actions = policy.registration_actions(OFFICER, registration(status))
    assert {action for action, may in actions.items() if may} == allowed


def test_an_agent_is_offered_no_status_change():
    assert not any(policy.registration_actions(AGENT, registration()).values())


def test_a_renewal_is_due_within_the_reminder_period_or_once_expired(settings):
    settings.RENEWAL_REMINDER_DAYS = 60
    assert policy.renewal_due(registration(valid_until=TODAY + timedelta(days=30)), TODAY)
    assert policy.renewal_due(registration(R.EXPIRED, valid_until=TODAY), TODAY)
    assert not policy.renewal_due(registration(valid_until=TODAY + timedelta(days=90)), TODAY)
    assert not policy.renewal_due(None, TODAY)


def test_a_first_application_may_start_only_without_an_open_file_or_a_live_registration():
    assert policy.may_start(None, None)
    assert policy.may_start(dossier(S.REJECTED), registration(R.STRUCK_OFF))
    assert not policy.may_start(dossier(S.DRAFT), None)
    assert not policy.may_start(None, registration(R.SUSPENDED))


def test_a_change_may_be_asked_only_of_an_active_registration_with_nothing_open():
    assert policy.may_request_modification(registration(), dossier(S.APPROVED))
    assert not policy.may_request_modification(registration(), dossier(S.DRAFT))
    assert not policy.may_request_modification(registration(R.SUSPENDED))


def test_only_an_artisan_applies_for_oneself():
    assert policy.may_apply(ARTISAN)
    assert not policy.may_apply(AGENT)


def test_a_registered_person_s_identity_waits_for_approval():
    assert policy.identity_waits_for_approval(dossier(kind=Dossier.Kind.MODIFICATION))
    assert policy.identity_waits_for_approval(dossier(kind=Dossier.Kind.RENEWAL))
    assert not policy.identity_waits_for_approval(dossier(kind=Dossier.Kind.REGISTRATION))
