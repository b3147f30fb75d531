import pytest
from django.urls import reverse

from hirfa.territory.models import Commune, Organisation

pytestmark = pytest.mark.django_db


def test_administrators_can_browse_and_search_communes(admin_client):
    response = admin_client.get(reverse("admin:territory_commune_changelist"), {"q": "Tiznit"})

    assert response.status_code == 200
    assert "09.581.01.07" in response.content.decode()


@pytest.mark.parametrize("model", ["region", "province", "commune"])
def test_territory_units_cannot_be_added_in_the_admin(admin_client, model):
    response = admin_client.get(reverse(f"admin:territory_{model}_add"))

    assert response.status_code == 403


def test_a_commune_cannot_be_changed_in_the_admin(admin_client):
    commune = Commune.objects.get(code="09.581.01.07")
    url = reverse("admin:territory_commune_change", args=[commune.pk])

    admin_client.post(url, {"name_fr": "Changed", "name_ar": "Changed"})

    commune.refresh_from_db()
    assert commune.name_fr == "Tiznit"


def test_a_commune_cannot_be_deleted_in_the_admin(admin_client):
    commune = Commune.objects.get(code="09.581.01.07")

    response = admin_client.post(
        reverse("admin:territory_commune_delete", args=[commune.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert Commune.objects.filter(pk=commune.pk).exists()


def test_an_organisations_names_can_be_corrected_in_the_admin(admin_client):
    chamber = Organisation.objects.get(code="chamber-09")
    url = reverse("admin:territory_organisation_change", args=[chamber.pk])

    response = admin_client.post(
        url,
        {
            "name_ar": "غرفة الصناعة التقليدية لجهة سوس ماسة",
            "name_fr": "Chambre d'Artisanat de la Région Souss-Massa",
            "name_zgh": "",
            "code": "changed",
            "kind": "ministry",
        },
    )

    assert response.status_code == 302
    chamber.refresh_from_db()
    assert chamber.name_fr == "Chambre d'Artisanat de la Région Souss-Massa"
    assert (chamber.code, chamber.kind) == ("chamber-09", "chamber")


def test_an_organisations_tamazight_name_must_be_in_tifinagh(admin_client):
    chamber = Organisation.objects.get(code="chamber-09")
    url = reverse("admin:territory_organisation_change", args=[chamber.pk])

    response = admin_client.post(
        url, {"name_ar": chamber.name_ar, "name_fr": chamber.name_fr, "name_zgh": "Sous"}
    )

    assert response.status_code == 200
    chamber.refresh_from_db()
    assert chamber.name_zgh == ""


def test_organisations_cannot_be_added_in_the_admin(admin_client):
    assert admin_client.get(reverse("admin:territory_organisation_add")).status_code == 403
