"""A chamber's list imported from the browser, in Chromium (in Arabic, on a phone): the
agent uploads an XLSX list with bad rows, watches the progress bar while the background
job runs, and downloads the per-row report (ADR 0055)."""

import csv
import io
import re
from pathlib import Path

import pytest

from hirfa.imports import services
from hirfa.imports.models import ExportJob, ImportRun
from hirfa.territory.models import Commune
from tests.browser.test_content_security_policy import RECORD_VIOLATIONS
from tests.browser.waiting import wait_until
from tests.factories import DEFAULT_PASSWORD, agent_of, officer_of
from tests.imports.helpers import activity_codes, row, write_csv, write_xlsx

pytestmark = pytest.mark.browser


def log_in(page, url, username):
    page.goto(url + "/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_url(url + "/my-work/")


def test_an_agent_uploads_a_list_and_follows_it_to_the_report(register, phone, tmp_path, run_jobs):
    agent_of("09", username="souss.chamber")
    codes = activity_codes()
    far = Commune.objects.exclude(province__region__code="09").order_by("code").first().code
    rows = [row(i, codes) for i in range(8)]
    rows[1]["CIN"] = "12"  # not a CNIE
    rows[4]["Commune"] = far  # a workplace outside the chamber's region
    path = write_xlsx(tmp_path / "liste-tiznit.xlsx", rows)

    phone.add_init_script(RECORD_VIOLATIONS)
    log_in(phone, register.url, "souss.chamber")
    phone.locator("nav.menu a[href='/imports/']").first.click()
    phone.wait_for_url(register.url + "/imports/")
    phone.locator("input[name=file]").set_input_files(str(path))
    phone.locator("form.import-form button[type=submit]").click()
    run = ImportRun.objects.get()
    phone.wait_for_url(f"{register.url}/imports/{run.pk}/")

    # Queued: the bar is shown and polled, nothing is imported yet.
    progress = phone.locator("#progress")
    assert progress.get_attribute("data-status") == "running"
    assert progress.get_attribute("hx-trigger") == "every 2s"
    assert phone.locator("#progress progress").is_visible()
    assert phone.locator("#report").count() == 0

    run_jobs()

    # The next poll swaps in the finished panel, which stops polling.
    wait_until(phone, "document.querySelector('#progress').dataset.status === 'done'")
    progress = phone.locator("#progress")
    assert progress.get_attribute("data-done") == "8"
    assert progress.get_attribute("data-rejected") == "2"
    assert progress.get_attribute("hx-trigger") is None
    assert phone.locator("#progress progress").get_attribute("value") == "8"
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    with phone.expect_download() as started:
        phone.locator("#report").click()
    report = started.value
    text = Path(report.path()).read_text(encoding="utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert [line[:2] for line in lines[1:]] == [["2", "CIN"], ["5", "Commune"]]
    assert phone.evaluate("window.__violations") == []


def test_an_officer_prepares_a_large_export_in_the_background(register, desk, tmp_path, run_jobs):
    officer_of("09.581", username="k.oubella")
    codes = activity_codes()
    services.import_file(write_csv(tmp_path / "list.csv", [row(i, codes) for i in range(3)]))
    desk.add_init_script(RECORD_VIOLATIONS)
    log_in(desk, register.url, "k.oubella")
    desk.goto(register.url + "/exports/")
    desk.locator("select[name=status]").select_option("active")
    desk.locator("button[hx-post][value=csv]").click()
    desk.wait_for_url(re.compile(r".*/exports/prepared/\d+/$"))
    export = ExportJob.objects.get()
    assert export.filters["status"] == "active"

    run_jobs()

    wait_until(desk, "document.querySelector('#export-status').dataset.status === 'done'")
    with desk.expect_download() as started:
        desk.locator("#export-file").click()
    text = Path(started.value.path()).read_text(encoding="utf-8-sig")
    assert len(list(csv.reader(io.StringIO(text)))) == 1 + 3
    assert desk.evaluate("window.__violations") == []
