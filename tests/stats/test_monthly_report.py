"""The monthly report for the ministry: PDFs in Arabic and French and CSVs, written once."""

from datetime import date

import pypdfium2 as pdfium
import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.utils import formats, timezone, translation

from hirfa.audit.models import AuditEntry
from hirfa.stats import jobs
from hirfa.stats.report import last_month, pdf_name, write_monthly_report
from tests.factories import approved_registration

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def text_of(name):
    with default_storage.open(name) as handle:
        document = pdfium.PdfDocument(handle.read())
    return "\n".join(page.get_textpage().get_text_range() for page in document)


def test_last_month_is_the_month_before_the_current_one():
    assert last_month(date(2026, 1, 15)) == date(2025, 12, 1)
    assert last_month(date(2026, 12, 1)) == date(2026, 11, 1)


def test_the_report_holds_a_pdf_in_arabic_and_in_french_and_the_csv_of_each_table():
    approved_registration()
    month = last_month()
    report = write_monthly_report(month=month)
    assert report.written
    pdfs = [name for name in report.files if name.endswith(".pdf")]
    assert pdfs == [pdf_name(month, "ar"), pdf_name(month, "fr")]
    assert any(name.endswith(".csv") and "/ar/" in name for name in report.files)
    assert any(name.endswith(".csv") and "/fr/" in name for name in report.files)
    with translation.override("fr"):
        label = formats.date_format(month, "YEAR_MONTH_FORMAT")
    assert f"Registre national de l'artisanat — rapport de {label}" in text_of(
        pdf_name(month, "fr")
    )


def test_a_second_run_writes_nothing_and_the_first_is_in_the_audit_trail():
    month = last_month()
    write_monthly_report(month=month)
    again = write_monthly_report(month=month)
    assert not again.written
    entries = AuditEntry.objects.filter(action="statistics.monthly_report")
    assert entries.count() == 1
    assert entries.get().object_id == f"{month:%Y-%m}"


def test_the_report_of_the_current_month_is_refused_until_it_is_over():
    with pytest.raises(CommandError, match="بعد انتهائه"):
        call_command("monthly_report", "--month", f"{timezone.localdate():%Y-%m}")
    assert not AuditEntry.objects.filter(action="statistics.monthly_report").exists()


def test_a_malformed_month_is_refused_with_a_message():
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("monthly_report", "--month", "2026-13")


def test_the_command_writes_last_months_report_and_lists_its_files(capsys):
    call_command("monthly_report")
    out = capsys.readouterr().out
    assert pdf_name(last_month(), "ar") in out
    assert default_storage.exists(pdf_name(last_month(), "fr"))


def test_the_scheduled_job_writes_the_same_report_once(run_jobs):
    jobs.monthly_report.enqueue()
    run_jobs()
    assert default_storage.exists(pdf_name(last_month(), "ar"))
    jobs.monthly_report.enqueue()
    run_jobs()
    assert AuditEntry.objects.filter(action="statistics.monthly_report").count() == 1
