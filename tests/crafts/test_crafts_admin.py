import pytest
from django.urls import reverse

from hirfa.crafts.models import Activity, Branch, NomenclatureRelease

pytestmark = pytest.mark.django_db


def _act(admin_client, model, action, codes):
    url = reverse(f"admin:crafts_{model}_changelist")
    ids = list(
        {"activity": Activity, "branch": Branch}[model]
        .objects.filter(code__in=codes)
        .values_list("pk", flat=True)
    )
    return admin_client.post(url, {"action": action, "_selected_action": ids}, follow=True)


def test_an_administrator_retires_a_branch_and_its_activities(admin_client, shipped):
    response = _act(admin_client, "branch", "retire", ["03"])

    assert response.status_code == 200
    assert Branch.objects.get(code="03").is_active is False
    assert not Activity.objects.filter(branch__code="03", is_active=True).exists()


def test_an_administrator_reactivates_a_retired_activity(admin_client, shipped):
    _act(admin_client, "activity", "retire", ["0101"])

    _act(admin_client, "activity", "reactivate", ["0101"])

    assert Activity.objects.get(code="0101").is_active is True


def test_nomenclature_entries_cannot_be_deleted_from_the_admin(admin_client, shipped):
    activity = Activity.objects.get(code="0101")

    response = admin_client.post(
        reverse("admin:crafts_activity_delete", args=[activity.pk]), {"post": "yes"}
    )
    bulk = _act(admin_client, "activity", "delete_selected", ["0101"])

    assert response.status_code == 403
    assert bulk.status_code == 200
    assert Activity.objects.filter(code="0101").exists()


def test_the_admin_lists_and_searches_activities(admin_client, shipped):
    response = admin_client.get(
        reverse("admin:crafts_activity_changelist"), {"q": "Poterie", "is_active__exact": "1"}
    )

    assert response.status_code == 200
    assert "0101" in response.content.decode()


def test_releases_are_read_only_in_the_admin(admin_client, shipped):
    release = NomenclatureRelease.objects.get()

    change = admin_client.post(
        reverse("admin:crafts_nomenclaturerelease_change", args=[release.pk]), {"version": "x"}
    )
    view = admin_client.get(reverse("admin:crafts_nomenclaturerelease_change", args=[release.pk]))

    assert change.status_code == 403
    assert view.status_code == 200
    assert NomenclatureRelease.objects.get().version == "2026-11-provisional-1"
