"""A service's refusal that escapes a page's view is answered like the API answers it: the
right status, the error's translated message, the site's error page (DomainErrorMiddleware)."""

import pytest
from django.test import RequestFactory, override_settings
from django.urls import path

from hirfa import urls as project_urls
from hirfa.core.errors import Conflict, DomainError, Forbidden, NotFound
from hirfa.core.middleware import DomainErrorMiddleware


def _raising(error):
    def view(request):
        raise error

    return view


urlpatterns = [
    path("missing/", _raising(NotFound())),
    path("forbidden/", _raising(Forbidden("Not your province."))),
    path("conflict/", _raising(Conflict("Already struck off."))),
    path("plain/", _raising(ValueError("not a domain error"))),
    *project_urls.urlpatterns,  # the error page's menu links to them
]


@pytest.fixture
def pages(settings):
    settings.ROOT_URLCONF = __name__


@pytest.mark.django_db
def test_a_not_found_from_a_service_is_the_404_page(client, pages):
    response = client.get("/missing/")
    assert response.status_code == 404
    assert "core/error.html" in [t.name for t in response.templates]


@pytest.mark.django_db
def test_a_refusal_is_a_403_with_its_message(client, pages):
    response = client.get("/forbidden/")
    assert response.status_code == 403
    assert "Not your province." in response.content.decode()


@pytest.mark.django_db
def test_a_conflict_keeps_its_status_and_message(client, pages):
    response = client.get("/conflict/")
    assert response.status_code == 409
    assert "Already struck off." in response.content.decode()


def test_other_exceptions_are_left_to_django():
    middleware = DomainErrorMiddleware(lambda request: None)
    request = RequestFactory().get("/plain/")
    assert middleware.process_exception(request, ValueError("boom")) is None


@override_settings(ROOT_URLCONF=__name__)
def test_api_paths_are_left_to_the_api_error_handler():
    middleware = DomainErrorMiddleware(lambda request: None)
    request = RequestFactory().get("/api/v1/anything")
    assert middleware.process_exception(request, DomainError("x")) is None
