import pytest
from django.template.loader import render_to_string
from django.utils import translation

from hirfa.accounts.roles import Role
from hirfa.accounts.selectors import history_for
from hirfa.audit import services
from tests.factories import UserFactory, national, officer_of

pytestmark = pytest.mark.django_db

TIZNIT = "09.581"
AGADIR = "09.001"


def event(object_id, province_code, action="dossier.submitted", **kwargs):
    return services.record(
        actor=None,
        action=action,
        object_type="register.dossier",
        object_id=object_id,
        province_code=province_code,
        **kwargs,
    )


def history(user, object_id):
    return list(history_for(user, object_type="register.dossier", object_id=object_id))


@pytest.fixture
def dossiers():
    """Dossier T-1 in Tiznit (two entries) and A-1 in Agadir Ida-Outanane (one)."""
    return {
        "T-1": [event("T-1", TIZNIT), event("T-1", TIZNIT, action="dossier.approved")],
        "A-1": [event("A-1", AGADIR)],
    }


def test_the_history_of_an_object_is_its_entries_oldest_first(dossiers):
    assert history(national(Role.AUDITOR), "T-1") == dossiers["T-1"]


def test_an_officer_of_tiznit_reads_the_history_of_a_tiznit_dossier(dossiers):
    assert history(officer_of(TIZNIT), "T-1") == dossiers["T-1"]


def test_an_officer_of_tiznit_reads_nothing_of_an_agadir_dossier(dossiers):
    assert history(officer_of(TIZNIT), "A-1") == []


def test_an_auditor_reads_the_history_of_every_province(dossiers):
    auditor = national(Role.AUDITOR)
    assert history(auditor, "T-1") == dossiers["T-1"]
    assert history(auditor, "A-1") == dossiers["A-1"]


def test_an_artisan_reads_no_history(dossiers):
    assert history(UserFactory(role=Role.ARTISAN), "T-1") == []


def test_the_history_table_shows_when_who_what_and_why():
    event(
        "T-1",
        TIZNIT,
        action="dossier.review_started",
        actor_label="k.oubella",
        reason="Pièces complètes",
        data={"from": "submitted", "to": "in_review"},
    )
    with translation.override("en"):
        html = render_to_string(
            "audit/history.html",
            {"entries": history_for(national(), object_type="register.dossier", object_id="T-1")},
        )
    for text in [
        "When",
        "Who",
        "What",
        "Why",
        "k.oubella",
        "dossier.review_started",
        "from submitted to in_review",
        "Pièces complètes",
    ]:
        assert text in html


def test_an_empty_history_says_so():
    with translation.override("en"):
        assert "No history." in render_to_string("audit/history.html", {"entries": []})
