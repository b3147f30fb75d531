"""Officers' messages and reasons, and the names of cooperatives and enterprises, are checked
at the edge like the artisans' own data (security probe findings 5 and 10)."""

import pytest

from hirfa.core.errors import DomainError
from hirfa.register import services
from tests.factories import (
    agent_of,
    approved_registration,
    craft_data,
    officer_of,
    submitted_dossier,
)

pytestmark = pytest.mark.django_db

RLO = "\u202e"


def test_a_request_for_changes_with_a_direction_override_is_refused():
    dossier = submitted_dossier(agent_of("09"))
    with pytest.raises(DomainError) as refused:
        services.request_changes(
            officer=officer_of("09.581"), dossier=dossier, message=f"Fix {RLO}the name"
        )
    assert list(refused.value.fields) == ["message"]
    dossier.refresh_from_db()
    assert dossier.state == "submitted"


def test_a_suspension_reason_with_a_direction_override_is_refused():
    registration = approved_registration()
    with pytest.raises(DomainError) as refused:
        services.suspend(
            officer=officer_of("09.581", username="other"),
            registration=registration,
            reason=f"fraud{RLO}",
            until=None,
        )
    assert list(refused.value.fields) == ["reason"]


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x")', "+212", "@sum", "-1"])
def test_an_entity_name_that_starts_like_a_formula_is_refused(name):
    with pytest.raises(DomainError) as refused:
        services.file_entity(
            agent=agent_of("09"),
            entity_data={
                "name_ar": "تعاونية الأمل",
                "name_fr": name,
                "ice": "001234567000089",
                "address": "Tiznit",
                "commune": craft_data()["workplace_commune"],
                "members": [],
            },
            craft_data=craft_data(category="cooperative"),
            consent=True,
        )
    assert "name_fr" in refused.value.fields
