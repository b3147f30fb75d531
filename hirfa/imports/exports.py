"""Exports of a filtered list of registrations (CSV, XLSX), within the user's territory.

Rows are read with a database cursor (`iterator`) and written out as they come, so an
export of a whole region keeps memory flat; the XLSX goes through openpyxl's
write-only mode into a temporary file. Every export is in the audit trail with its
filters and its number of rows (ADR 0024).
"""

import csv
import tempfile
from collections.abc import Iterator

from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

from hirfa.audit.services import record
from hirfa.core.errors import DomainError, Forbidden

# Re-exported: the formula-safe cells moved to core (any app writes files with them).
from hirfa.core.spreadsheets import safe_cell, xlsx_cells
from hirfa.imports.policy import may_export
from hirfa.register import selectors
from hirfa.register.filters import RegistrationFilters
from hirfa.register.filters import clean_filters as registration_filters
from hirfa.register.models import Category, Registration, Sex

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FIELDS = (
    "number",
    "person__cnie",
    "person__last_name_ar",
    "person__first_name_ar",
    "person__last_name_latin",
    "person__first_name_latin",
    "entity__name_ar",
    "entity__name_fr",
    "person__sex",
    "person__birth_date",
    "person__phone",
    "category",
    "principal_activity__code",
    "principal_activity__name_ar",
    "principal_activity__name_fr",
    "principal_activity__name_zgh",
    "workplace_commune__code",
    "workplace_commune__name_ar",
    "workplace_commune__name_fr",
    "workplace_commune__name_zgh",
    "province__code",
    "province__name_ar",
    "province__name_fr",
    "province__name_zgh",
    "status",
    "registered_on",
    "valid_until",
)
# Codes written as their names in the reader's language (the codes stay, in their own
# columns, for whoever joins the file with other data).
_SEX = dict(Sex.choices)
_CATEGORY = dict(Category.choices)
_STATUS = dict(Registration.Status.choices)


def _headers() -> list[str]:
    return [
        _("Registration number"),
        _("CNIE"),
        _("Family name (Arabic)"),
        _("First name (Arabic)"),
        _("Family name (Latin)"),
        _("First name (Latin)"),
        _("Name of the cooperative or enterprise (Arabic)"),
        _("Name of the cooperative or enterprise (French)"),
        _("Sex"),
        _("Date of birth"),
        _("Phone"),
        _("Category"),
        _("Activity code"),
        _("Activity"),
        _("Commune code"),
        _("Commune of the workplace"),
        _("Province code"),
        _("Province"),
        _("Status"),
        _("Registered on"),
        _("Valid until"),
    ]


EXPORT_FILTERS = ("territory", "activity", "category", "status")


def clean_filters(user, params) -> RegistrationFilters:
    """The filters asked, checked against the user's territory and the reference lists; an
    export never widens silently: any unknown filter refuses it (`register/filters.py`)."""
    if not may_export(user):
        raise Forbidden()
    filters, problems = registration_filters(user, params, only=EXPORT_FILTERS)
    if problems:
        raise DomainError(
            _("Some filters are not valid."),
            fields={name: [message] for name, message in problems.items()},
        )
    return filters


def registrations_to_export(user, filters: RegistrationFilters):
    queryset = selectors.registrations_for(user)
    if filters.territory:
        territory = (
            {"province__code": filters.territory}
            if "." in filters.territory
            else {"province__region__code": filters.territory}
        )
        queryset = queryset.filter(**territory)
    if filters.activity:
        queryset = queryset.filter(principal_activity__code=filters.activity)
    if filters.category:
        queryset = queryset.filter(category=filters.category)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    return queryset.order_by("id")


def _local_name(ar, fr, zgh) -> str:
    """A reference name in the active language, as `core.models.Named.name` chooses it."""
    language = get_language() or "ar"
    if language == "zgh" and zgh:
        return zgh
    if language in ("fr", "en"):
        return fr or ar or ""
    return ar or fr or ""


def _rows(queryset) -> Iterator[list]:
    for values in queryset.values_list(*FIELDS).iterator(chunk_size=2000):
        (*identity, sex, birth, phone, category, activity, a_ar, a_fr, a_zgh) = values[:16]
        (commune, c_ar, c_fr, c_zgh, province, p_ar, p_fr, p_zgh) = values[16:24]
        status, registered_on, valid_until = values[24:]
        row = [
            *identity,
            str(_SEX.get(sex, sex or "")),
            birth,
            phone,
            str(_CATEGORY.get(category, category or "")),
            activity,
            _local_name(a_ar, a_fr, a_zgh),
            commune,
            _local_name(c_ar, c_fr, c_zgh),
            province,
            _local_name(p_ar, p_fr, p_zgh),
            str(_STATUS.get(status, status or "")),
            registered_on,
            valid_until,
        ]
        yield ["" if value is None else value for value in row]


class _Echo:
    def write(self, value):
        return value


def start_export(user, filters: RegistrationFilters, fmt: str):
    """Log the export and return (queryset, count); the caller streams `write_*`."""
    if fmt not in FORMATS:
        raise DomainError(_("Export as CSV or XLSX."), fields={"format": [_("CSV or XLSX.")]})
    queryset = registrations_to_export(user, filters)
    count = queryset.count()
    with transaction.atomic():
        record(
            actor=user,
            action="registrations.exported",
            data={
                "format": fmt,
                "filters": {name: getattr(filters, name) for name in EXPORT_FILTERS},
                "rows": count,
            },
        )
    return queryset, count


def csv_chunks(queryset) -> Iterator[str]:
    """The CSV's lines, headers and names in the language active now (the file is written
    after the view returned, when another language may be active)."""
    return _csv_lines(queryset, get_language())


def _csv_lines(queryset, language) -> Iterator[str]:
    with override(language):
        writer = csv.writer(_Echo())
        yield "\ufeff"  # so that spreadsheet programs read UTF-8
        yield writer.writerow(_headers())
        for row in _rows(queryset):
            yield writer.writerow([safe_cell(value) for value in row])


def xlsx_file(queryset):
    """A temporary file holding the workbook, positioned at its start."""
    from openpyxl import Workbook  # at use, not at start-up (ADR 0090)

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Registrations")[:31])
    sheet.append(_headers())
    for row in _rows(queryset):
        sheet.append(xlsx_cells(sheet, row))
    target = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the FileResponse)
    workbook.save(target)
    target.seek(0)
    return target


def file_name(fmt: str) -> str:
    return f"registrations-{timezone.localdate():%Y%m%d}.{fmt}"
