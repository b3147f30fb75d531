"""The "done when" of issue 17, in Chromium: an agent at a fair with no network captures three
registrations with document photos, reloads the app offline, comes back online and syncs;
the sync is cut in the middle and the server stops between an item's apply and its answer;
each file is at the desk exactly once, and the outbox exported offline re-imports cleanly."""

import json
import os

import pytest
from PIL import Image

from hirfa.crafts.models import Activity
from hirfa.field import hooks
from hirfa.field.models import FieldItem
from hirfa.register.models import Document, Dossier
from tests.browser.waiting import wait_until
from tests.factories import DEFAULT_PASSWORD, TIZNIT_CITY, agent_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTISANS = [
    {
        "cnie": "JK100001",
        "first": "Fadma",
        "last": "Ait Lahcen",
        "ar": ("فاضمة", "أيت لحسن"),
        "born": "1978-03-14",
        "phone": "0612000001",
    },
    {
        "cnie": "JK100002",
        "first": "Brahim",
        "last": "Oubella",
        "ar": ("إبراهيم", "أوبلا"),
        "born": "1969-11-02",
        "phone": "0612000002",
    },
    {
        "cnie": "JK100003",
        "first": "Itto",
        "last": "Amghar",
        "ar": ("إطو", "أمغار"),
        "born": "1985-06-21",
        "phone": "0612000003",
    },
]


def camera_photo(tmp_path, name, color):
    """A phone camera's photo: large, made smaller by the app before it is kept."""
    path = tmp_path / f"{name}.jpg"
    image = Image.new("RGB", (2400, 1800), color)
    for x in range(0, 2400, 40):  # some detail, so that JPEG has something to compress
        image.paste((x % 255, 90, 160), (x, 0, x + 8, 1800))
    image.save(path, format="JPEG", quality=95)
    return path


def log_in(page, url, username):
    page.goto(url + "/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_load_state()


def open_app(page, url):
    page.goto(url + "/field/")
    wait_until(page, "document.getElementById('field-app').dataset.ready === '1'")


def pending(page) -> int:
    return int(page.evaluate("document.getElementById('field-app').dataset.pending"))


def kept(page) -> int:
    """How many items the outbox lists, whatever their state."""
    return page.evaluate(
        "HirfaOutbox.Outbox.open(document.getElementById('field-app').dataset.agent)"
        ".then(box => box.items()).then(items => items.length)"
    )


def capture(page, artisan, activity, photos):
    page.click("#tab-registration")
    page.fill("#f-cnie", artisan["cnie"])
    page.fill("#f-first_name_ar", artisan["ar"][0])
    page.fill("#f-last_name_ar", artisan["ar"][1])
    page.fill("#f-first_name_latin", artisan["first"])
    page.fill("#f-last_name_latin", artisan["last"])
    page.select_option("#f-sex", "F")
    page.fill("#f-birth_date", artisan["born"])
    page.fill("#f-birth_place", "Tiznit")
    page.fill("#f-address", "Derb Idzikri 12")
    page.select_option("#f-commune", TIZNIT_CITY)
    page.fill("#f-phone", artisan["phone"])
    page.select_option("#f-education", "primary")
    page.select_option("#f-category", "artisan_experience")
    page.select_option("#f-principal_activity", activity)
    page.select_option("#f-workplace_kind", "workshop")
    page.select_option("#f-workplace_commune", TIZNIT_CITY)
    page.fill("#f-workplace_address", "Souk des bijoutiers")
    for kind, path in photos.items():
        page.set_input_files(f"#p-{kind}", str(path))
        wait_until(page, f"document.querySelector('output[for=p-{kind}]').dataset.ready === '1'")
    sizes = page.locator("#field-photos output").all_text_contents()
    assert all("kB" in size and "1600 × 1200" in size for size in sizes), sizes
    page.check("#f-consent")
    before = pending(page)
    page.click("#field-registration button[type=submit]")
    wait_until(page, f"document.getElementById('field-app').dataset.pending === '{before + 1}'")


def sync(page):
    page.evaluate("document.getElementById('field-app').dataset.sync = ''")
    page.click("#tab-outbox")
    page.click("#field-sync")
    wait_until(
        page,
        "['done', 'offline', 'login'].includes(document.getElementById('field-app').dataset.sync)",
    )
    return page.evaluate("document.getElementById('field-app').dataset.sync")


def states(page):
    return page.evaluate(
        "[...document.querySelectorAll('#field-items li[data-state]')].map(li => li.dataset.state)"
    )


def filed_once_each(agent):
    dossiers = list(Dossier.objects.filter(filed_by=agent).select_related("person"))
    assert sorted(d.person.cnie for d in dossiers) == [a["cnie"] for a in ARTISANS]
    for dossier in dossiers:
        kinds = sorted(Document.objects.filter(dossier=dossier).values_list("kind", flat=True))
        assert kinds == ["cnie", "experience", "photo"], kinds
    return dossiers


def test_three_registrations_captured_offline_reach_the_desk_exactly_once(
    register, browser, tmp_path
):
    agent = agent_of("09", username="fieldagent")
    activity = Activity.objects.filter(is_active=True).order_by("code").first().code
    photos = {
        kind: camera_photo(tmp_path, kind, color)
        for kind, color in (
            ("cnie", (200, 180, 150)),
            ("experience", (90, 120, 200)),
            ("photo", (120, 80, 60)),
        )
    }
    context = browser.new_context(
        viewport={"width": 360, "height": 780}, locale="en-US", accept_downloads=True
    )
    context.add_cookies([{"name": "hirfa_language", "value": "en", "url": register.url}])
    page = context.new_page()
    log_in(page, register.url, "fieldagent")
    open_app(page, register.url)
    wait_until(page, "navigator.serviceWorker.controller !== null")

    # --- At the fair: no network ----------------------------------------------------------
    context.set_offline(True)
    for artisan in ARTISANS:
        capture(page, artisan, activity, photos)
    page.reload()  # the app comes back from its worker, the outbox from the phone
    wait_until(page, "document.getElementById('field-app').dataset.ready === '1'")
    assert pending(page) == 3
    page.click("#tab-outbox")
    assert states(page) == ["waiting"] * 3
    assert "used of" in page.locator("#field-gauge-text").text_content()
    with page.expect_download() as download:
        page.click("#field-export")
    export = tmp_path / "outbox.json"
    download.value.save_as(export)
    exported = json.loads(export.read_text())
    assert len(exported["items"]) == 3 and len(exported["photos"]) == 9

    # --- Back online: the server stops between the first item's apply and its answer -------
    context.set_offline(False)
    hooks.stop_after_next_apply()
    assert sync(page) == "offline"
    assert Dossier.objects.filter(filed_by=agent).count() == 1  # applied, answer lost
    assert pending(page) == 3  # the phone still has it waiting: it will send it again

    # --- The connection is cut in the middle of the next sync (the second item's post) ----
    posts = []

    def cut_the_second(route):
        posts.append(json.loads(route.request.post_data)["id"])
        if len(posts) == 2:
            route.abort("internetdisconnected")
        else:
            route.continue_()

    context.route("**/api/v1/field/items", cut_the_second)
    assert sync(page) == "offline"
    assert pending(page) == 2
    assert Dossier.objects.filter(filed_by=agent).count() == 1  # the first, replayed
    context.unroute("**/api/v1/field/items")

    # --- The rest goes through ---------------------------------------------------------------
    assert sync(page) == "done"
    assert states(page) == ["applied"] * 3
    filed_once_each(agent)
    assert FieldItem.objects.count() == 3

    # --- At the desk, each file once ---------------------------------------------------------
    page.goto(register.url + "/desk/")
    desk = page.locator("main").text_content().casefold()
    for artisan in ARTISANS:
        assert desk.count(f"{artisan['first']} {artisan['last']}".casefold()) == 1

    # --- The export made offline re-imports cleanly, and sending it again files nothing -------
    open_app(page, register.url)
    page.evaluate("HirfaOutbox.Outbox.erase(document.getElementById('field-app').dataset.agent)")
    open_app(page, register.url)
    page.click("#tab-outbox")
    page.set_input_files("#field-import", str(export))
    wait_until(page, "document.getElementById('field-notice').textContent.includes('imported')")
    assert "3 items imported, 0 already here" in page.locator("#field-notice").text_content()
    page.set_input_files("#field-import", str(export))
    wait_until(page, "document.getElementById('field-notice').textContent.includes('0 items')")
    assert "0 items imported, 3 already here" in page.locator("#field-notice").text_content()
    assert sync(page) == "done"
    assert states(page) == ["applied"] * 3
    filed_once_each(agent)
    context.close()


def test_the_outbox_reads_from_the_right_at_360_px_in_arabic(register, browser, tmp_path):
    agent_of("09", username="fieldagent")
    context = browser.new_context(viewport={"width": 360, "height": 780})
    context.add_cookies([{"name": "hirfa_language", "value": "ar", "url": register.url}])
    page = context.new_page()
    log_in(page, register.url, "fieldagent")
    open_app(page, register.url)
    wait_until(page, "navigator.serviceWorker.controller !== null")
    context.set_offline(True)
    page.evaluate(
        """() => HirfaOutbox.Outbox.open(document.getElementById('field-app').dataset.agent)
             .then(box => box.add('check_in', {event: 1, phone: '0612000001', name: 'فاضمة'},
                                  []))"""
    )
    page.reload()
    wait_until(page, "document.getElementById('field-app').dataset.ready === '1'")
    page.click("#tab-outbox")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    if os.environ.get("FIELD_SCREENSHOTS"):
        page.screenshot(path=os.environ["FIELD_SCREENSHOTS"], full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.locator("#field-items li[data-state=waiting]").count() == 1
    context.close()


ADD_CHECK_IN = """([days]) => HirfaOutbox.Outbox
  .open(document.getElementById('field-app').dataset.agent)
  .then(async (box) => {
    const item = await box.add('check_in', {event: 1, phone: '0612000009', name: 'Itto'}, []);
    item.capturedAt = new Date(Date.now() - days * 86400000).toISOString();
    await box.put(item);
    box.close();
  })"""


def test_items_waiting_too_long_are_erased_and_those_close_to_it_warned(register, browser):
    agent_of("09", username="fieldagent")
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="en-US")
    context.add_cookies([{"name": "hirfa_language", "value": "en", "url": register.url}])
    page = context.new_page()
    log_in(page, register.url, "fieldagent")
    open_app(page, register.url)
    wait_until(page, "navigator.serviceWorker.controller !== null")
    context.set_offline(True)
    page.evaluate(ADD_CHECK_IN, [8])  # older than FIELD_OFFLINE_DAYS (7)
    page.evaluate(ADD_CHECK_IN, [6])  # within the last FIELD_OFFLINE_WARN_DAYS (2)
    page.evaluate(ADD_CHECK_IN, [1])
    page.reload()
    wait_until(page, "document.getElementById('field-app').dataset.ready === '1'")
    notice = page.locator("#field-notice").text_content()
    assert "1 items waited longer than allowed and were erased" in notice
    assert "1 items will be erased in less than 2 days" in notice
    assert pending(page) == 2
    context.close()


def test_a_shared_phone_shows_nothing_of_the_agent_who_logged_out(register, browser):
    agent_of("09", username="fieldagent")
    agent_of("09", username="nextagent")
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="en-US")
    context.add_cookies([{"name": "hirfa_language", "value": "en", "url": register.url}])
    page = context.new_page()
    log_in(page, register.url, "fieldagent")
    open_app(page, register.url)
    wait_until(page, "navigator.serviceWorker.controller !== null")
    first = page.evaluate("document.getElementById('field-app').dataset.agent")
    page.evaluate(ADD_CHECK_IN, [0])

    # The session ends (idle timeout) while offline: logging in again, the outbox is there.
    context.clear_cookies()
    context.add_cookies([{"name": "hirfa_language", "value": "en", "url": register.url}])
    page.reload()
    wait_until(page, "document.getElementById('field-app').dataset.ready === '1'")
    assert sync(page) == "login"
    assert pending(page) == 1
    log_in(page, register.url, "fieldagent")
    open_app(page, register.url)
    assert kept(page) == 1  # sent by itself now: whatever its answer, it is still listed

    # Logging out from the menu erases that agent's outbox before another agent opens the app.
    page.locator(".session form button[type=submit]").click()
    page.wait_for_load_state()
    log_in(page, register.url, "nextagent")
    open_app(page, register.url)
    assert page.evaluate("document.getElementById('field-app').dataset.agent") != first
    assert kept(page) == 0
    names = page.evaluate("indexedDB.databases().then(list => list.map(db => db.name))")
    assert f"hirfa-field-{first}" not in names
    context.close()
