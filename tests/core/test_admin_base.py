"""The read-only admin base every app's admin shares (`hirfa.core.admin`)."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from hirfa.accounts.models import User
from hirfa.core.admin import ReadOnlyAdmin, every_field
from hirfa.territory.models import Region
from tests.factories import national

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_of_a_superuser():
    request = RequestFactory().get("/admin/")
    request.user = national(is_staff=True, is_superuser=True)
    return request


def test_a_read_only_admin_refuses_even_a_superuser_to_write(request_of_a_superuser):
    model_admin = ReadOnlyAdmin(Region, admin.site)
    assert not model_admin.has_add_permission(request_of_a_superuser)
    assert not model_admin.has_change_permission(request_of_a_superuser)
    assert not model_admin.has_delete_permission(request_of_a_superuser)
    assert model_admin.has_view_permission(request_of_a_superuser)


def test_opening_an_object_s_page_calls_the_access_hook(request_of_a_superuser):
    opened = []

    class LoggingAdmin(ReadOnlyAdmin):
        def log_access(self, request, obj):
            opened.append(obj)

    region = Region.objects.get(code="09")
    response = LoggingAdmin(Region, admin.site).change_view(request_of_a_superuser, str(region.pk))
    assert response.status_code == 200
    assert opened == [region]


def test_every_field_names_many_to_many_fields_too():
    fields = every_field(User)
    assert {"username", "role", "groups", "user_permissions"} <= set(fields)
