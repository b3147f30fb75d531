"""A chamber's list imported from the browser, in Chromium (in Arabic, on a phone): the
agent uploads an XLSX list with bad rows, watches the progress bar while the background
job runs, and downloads the per-row report (ADR 0055)."""

import csv
import io
from pathlib import Path

import pytest

from hirfa.imports.models import ImportRun
from hirfa.territory.models import Commune
from tests.browser.waiting import wait_until
from tests.factories import DEFAULT_PASSWORD, agent_of
from tests.imports.helpers import activity_codes, row, write_xlsx

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
