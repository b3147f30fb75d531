"""A page of the test suite only (`@pytest.mark.urls`): the project's URLs plus one page
showing a bar chart and a line chart through core/figure.html, as the statistics pages do.
Its labels are messages the catalogues already translate."""

from datetime import date

from django.http import HttpResponse
from django.template import RequestContext, Template
from django.urls import path
from django.utils.translation import gettext as _

from hirfa.core.tables import Column, Table
from hirfa.territory.models import Province
from hirfa.urls import urlpatterns as project_urlpatterns

PAGE = Template(
    '{% extends "base.html" %}{% block content %}{% for table in tables %}'
    '{% include "core/figure.html" with table=table %}{% endfor %}{% endblock %}'
)


def tables():
    provinces = Province.objects.filter(region__code="09").order_by("code")
    per_province = Table(
        key="per-province",
        title=_("Province"),
        columns=(
            Column("name", _("Province")),
            Column("persons", _("Registered persons"), numeric=True),
            Column("registrations", _("Registrations"), numeric=True),
        ),
        rows=tuple(
            {"name": province.name, "persons": 40 + 17 * index, "registrations": 55 + 9 * index}
            for index, province in enumerate(provinces)
        ),
        chart="bar",
        x="name",
    )
    per_month = Table(
        key="per-month",
        title=_("Registrations"),
        columns=(Column("month", _("Month")), Column("count", _("Registrations"), numeric=True)),
        rows=tuple(
            {"month": date(2026, month, 1), "count": 100 + 35 * month - (month % 3) * 20}
            for month in range(1, 13)
        ),
        chart="line",
        x="month",
    )
    return [per_province, per_month]


def figures(request):
    return HttpResponse(PAGE.render(RequestContext(request, {"tables": tables()})))


urlpatterns = [path("test-figures/", figures), *project_urlpatterns]
