"""One validation of the filters of a list of registrations (register/filters.py)."""

import pytest
from django.utils import translation

from hirfa.register.filters import clean_filters, ignored
from tests.factories import officer_of

pytestmark = pytest.mark.django_db


def test_a_known_status_is_kept():
    filters, problems = clean_filters(officer_of("09.581"), {"status": "active"})
    assert (filters.status, problems) == ("active", {})


def test_an_unknown_status_is_dropped_and_reported():
    filters, problems = clean_filters(officer_of("09.581"), {"status": "nope"})
    assert filters.status == ""
    assert list(problems) == ["status"]


def test_a_province_outside_the_reader_s_territory_is_dropped():
    filters, problems = clean_filters(officer_of("09.581"), {"province": "09.001"})
    assert filters.province == ""
    assert list(problems) == ["province"]


def test_a_value_that_cannot_be_a_code_is_dropped_without_asking_the_database(
    django_assert_num_queries,
):
    user = officer_of("09.581")
    with django_assert_num_queries(0):
        _filters, problems = clean_filters(user, {"activity": "09\u0130581"})
    assert list(problems) == ["activity"]


def test_open_file_states_are_statuses_only_where_asked():
    user = officer_of("09.581")
    assert list(clean_filters(user, {"status": "submitted"})[1]) == ["status"]
    assert clean_filters(user, {"status": "submitted"}, with_open_files=True)[1] == {}


def test_only_the_filters_a_list_offers_are_read():
    _filters, problems = clean_filters(
        officer_of("09.581"), {"status": "nope", "category": "x"}, only=("category",)
    )
    assert list(problems) == ["category"]


def test_a_page_says_each_dropped_filter_was_ignored():
    with translation.override("en"):
        assert ignored({"status": "Unknown status."}) == [
            "Unknown status. That filter was ignored."
        ]


def test_the_search_page_says_which_filter_it_ignored(client):
    client.force_login(officer_of("09.581"))
    response = client.get("/search/", {"q": "x", "status": "nope"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert len(response.context["warnings"]) == 1
