"""Exports of a filtered list of registrations (CSV, XLSX), within the user's territory.

Rows are read with a database cursor (`iterator`) and written out as they come, so an
export of a whole region keeps memory flat; the XLSX goes through openpyxl's
write-only mode into a temporary file. Every export is in the audit trail with its
filters and its number of rows (ADR 0024).
"""

import csv
import re
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hirfa.accounts.roles import Capability, Role, has_capability
from hirfa.accounts.selectors import provinces_for, regions_for
from hirfa.audit.services import record
from hirfa.core.errors import DomainError, Forbidden
from hirfa.crafts.models import Activity
from hirfa.register import selectors
from hirfa.register.models import Category, Registration

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
    "workplace_commune__code",
    "province__code",
    "status",
    "registered_on",
    "valid_until",
)


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
        _("Activity"),
        _("Commune of the workplace"),
        _("Province"),
        _("Status"),
        _("Registered on"),
        _("Valid until"),
    ]


@dataclass(frozen=True)
class Filters:
    territory: str = ""
    activity: str = ""
    category: str = ""
    status: str = ""


# Codes of the reference lists; anything else (a NUL byte, which PostgreSQL refuses in a
# query) is unknown without asking the database.
_LOOKS_LIKE_A_CODE = re.compile(r"[\w.-]+", re.ASCII)


def clean_filters(user, params) -> Filters:
    """The filters asked, checked against the user's territory and the reference lists."""
    if not has_capability(user, Capability.VIEW_WORKSPACE) or user.role == Role.ARTISAN:
        raise Forbidden()
    filters = Filters(
        **{field: str(params.get(field) or "").strip()[:40] for field in Filters.__annotations__}
    )
    errors: dict[str, list[str]] = {}
    if filters.territory and not (
        _LOOKS_LIKE_A_CODE.fullmatch(filters.territory)
        and (
            provinces_for(user).filter(code=filters.territory).exists()
            or regions_for(user).filter(code=filters.territory).exists()
        )
    ):
        errors["territory"] = [_("Unknown territory, or outside yours.")]
    if filters.activity and not (
        _LOOKS_LIKE_A_CODE.fullmatch(filters.activity)
        and Activity.objects.filter(code=filters.activity).exists()
    ):
        errors["activity"] = [_("Unknown craft activity.")]
    if filters.category and filters.category not in Category.values:
        errors["category"] = [_("Choose one of the proposed values.")]
    if filters.status and filters.status not in Registration.Status.values:
        errors["status"] = [_("Choose one of the proposed values.")]
    if errors:
        raise DomainError(_("Some filters are not valid."), fields=errors)
    return filters


def registrations_to_export(user, filters: Filters):
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


# A spreadsheet runs a cell that starts with one of these (=HYPERLINK(…) sends data away,
# =cmd|… runs a program): written as text, in every export (docs/decisions/0032).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# …except a plain signed number (an E.164 phone): nothing to run, and kept as it is.
_PLAIN_NUMBER = re.compile(r"[+-][0-9]+", re.ASCII)


def safe_cell(value):
    """`value` as a CSV cell no spreadsheet will run: a formula-like text gets a leading
    apostrophe, which spreadsheets read as "this is text"."""
    formula = isinstance(value, str) and value.startswith(_FORMULA_STARTS)
    return "'" + value if formula and not _PLAIN_NUMBER.fullmatch(value) else value


def xlsx_cells(sheet, values) -> list:
    """`values` as cells of a write-only `sheet`: text is stored as text, never as a
    formula (openpyxl makes a formula of any text that starts with "=")."""
    from openpyxl.cell import WriteOnlyCell

    cells = []
    for value in values:
        if isinstance(value, str) and value.startswith("="):
            cell = WriteOnlyCell(sheet, value)
            cell.data_type = "s"
            cells.append(cell)
        else:
            cells.append(value)
    return cells


def _rows(queryset) -> Iterator[list]:
    for values in queryset.values_list(*FIELDS).iterator(chunk_size=2000):
        yield ["" if value is None else value for value in values]


class _Echo:
    def write(self, value):
        return value


def start_export(user, filters: Filters, fmt: str):
    """Log the export and return (queryset, count); the caller streams `write_*`."""
    if fmt not in FORMATS:
        raise DomainError(_("Export as CSV or XLSX."), fields={"format": [_("CSV or XLSX.")]})
    queryset = registrations_to_export(user, filters)
    count = queryset.count()
    with transaction.atomic():
        record(
            actor=user,
            action="registrations.exported",
            data={"format": fmt, "filters": asdict(filters), "rows": count},
        )
    return queryset, count


def csv_chunks(queryset) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so that spreadsheet programs read UTF-8
    yield writer.writerow(_headers())
    for row in _rows(queryset):
        yield writer.writerow([safe_cell(value) for value in row])


def xlsx_file(queryset):
    """A temporary file holding the workbook, positioned at its start."""
    from openpyxl import Workbook

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
