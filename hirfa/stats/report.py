"""The monthly report for the ministry: the month's tables of the whole country, as a PDF in
Arabic and in French (charts and tables) and as CSV files, kept in the file storage.

Written once per month: `hirfa monthly_report` (run daily from cron, it writes last month's
report on the first run after the month ends) and the `monthly_report` job do the same.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from hirfa.accounts.selectors import Scope
from hirfa.audit import services as audit
from hirfa.core.spreadsheets import table_csv
from hirfa.stats.pages import month_tables

LANGUAGES = ("ar", "fr")
FOLDER = "reports/monthly"


@dataclass(frozen=True)
class Report:
    month: date
    files: tuple[str, ...]  # names in the storage
    written: bool  # False when it was there already


def last_month(today: date | None = None) -> date:
    first = (today or timezone.localdate()).replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


def folder_of(month: date) -> str:
    return f"{FOLDER}/{month:%Y-%m}"


def pdf_name(month: date, language: str) -> str:
    return f"{folder_of(month)}/hirfa-{month:%Y-%m}-{language}.pdf"


def files_of(month: date) -> list[str]:
    """The report's files already in the storage (PDFs first), empty if none."""
    folder = folder_of(month)
    if not default_storage.exists(folder):
        return []
    found = []
    directories, names = default_storage.listdir(folder)
    found += [f"{folder}/{name}" for name in sorted(names)]
    for directory in sorted(directories):
        found += [
            f"{folder}/{directory}/{name}"
            for name in default_storage.listdir(f"{folder}/{directory}")[1]
        ]
    return sorted(found, key=lambda name: (not name.endswith(".pdf"), name))


def write_monthly_report(*, month: date, actor=None, force: bool = False) -> Report:
    """Write the national report of `month` (its first day); nothing if it is there already,
    unless `force`. A month not yet over is refused: its figures are not final."""
    month = month.replace(day=1)
    if month > last_month():
        raise ValueError(_("The report of a month is written once the month is over."))
    existing = files_of(month)
    if (
        existing
        and not force
        and all(default_storage.exists(pdf_name(month, language)) for language in LANGUAGES)
    ):
        return Report(month=month, files=tuple(existing), written=False)
    from hirfa.core.tables_pdf import tables_pdf  # fpdf, only when a report is drawn (ADR 0090)

    scope = Scope(national=True)
    written = []
    for language in LANGUAGES:
        with translation.override(language):
            tables = month_tables(scope, month)
            title = _("National Register of Traditional Crafts — report of %(month)s") % {
                "month": formats.date_format(month, "YEAR_MONTH_FORMAT")
            }
            for table in tables:
                name = f"{folder_of(month)}/{language}/{table.key}.csv"
                written.append(_save(name, table_csv(table)))
            pdf = tables_pdf(title=title, tables=tables, language=language)
        written.append(_save(pdf_name(month, language), pdf))
    with transaction.atomic():
        audit.record(
            actor=actor,
            actor_label=None if actor else "system:monthly-report",
            action="statistics.monthly_report",
            object_type="statistics.report",
            object_id=f"{month:%Y-%m}",
            data={"files": len(written)},
        )
    return Report(month=month, files=tuple(files_of(month)), written=True)


def _save(name: str, content: bytes) -> str:
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(content))
