"""Issue 13, "Done when": the founding scene in Chromium, in Arabic. The chamber publishes
the awareness meeting; an artisan signs up by phone (the SMS code through the test's
notification backend); at the door, on a 360-px phone, she is checked in by her phone and
an agent registers her on the spot from the attendee; the officer approves; her card is
handed over; the CNSS sandbox enrols her and her rights open; the event's funnel shows her
at each step."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from hirfa.cards import services as cards
from hirfa.cards.models import Card
from hirfa.cnss import services as cnss
from hirfa.cnss.sandbox import Sandbox, _collect
from hirfa.coverage.models import Enrolment
from hirfa.notifications.models import Notification
from hirfa.outreach import services as outreach
from hirfa.outreach.models import Attendee, Referral
from hirfa.register.models import Dossier
from tests.browser.test_register_journey import log_in, upload_all
from tests.factories import TIZNIT_CITY, agent_of, officer_of, use_test_signing_key
from tests.helpers import cnss_in_folder
from tests.outreach.conftest import event_data

pytestmark = pytest.mark.browser

PHONE = "+212661290822"
CNIE = "JT290822"


@pytest.fixture
def document(tmp_path):
    from PIL import Image

    path = tmp_path / "document.png"
    Image.new("RGB", (120, 80), (210, 190, 160)).save(path)
    return path


@pytest.fixture
def cnss_sandbox(settings, tmp_path):
    """The CNSS exchange through files in the test's folder, and the sandbox answering."""
    from hirfa.cnss.keys import signing_key

    cnss_in_folder(settings, tmp_path)
    signing_key()
    return Sandbox(
        settings.CNSS_SANDBOX_DIR,
        rna_public_key=settings.CNSS_SIGNING_KEY_FILE.with_suffix(".pub"),
        outgoing=settings.CNSS_INBOX_DIR,
    )


def code_sent_to(phone: str) -> str:
    sms = Notification.objects.filter(event="account.phone_code", address=phone).latest("id")
    return re.search(r"\b(\d{6})\b", sms.body).group(1)


def shot(page, tmp_path, name):
    page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, name


def test_the_founding_scene_from_the_meeting_to_the_funnel(
    register, browser, document, tmp_path, settings, cnss_sandbox
):
    settings.MEDIA_ROOT = tmp_path / "media"
    use_test_signing_key(settings)
    url = register.url
    chamber_agent = agent_of("09", username="agent.souss")
    officer_of("09.581", username="officer.tiznit")
    start = (timezone.localtime() + timedelta(days=3)).replace(hour=10, minute=0, second=0)
    meeting = outreach.create_event(
        actor=chamber_agent,
        data=event_data(),
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )

    # 1. The chamber publishes the meeting.
    office = browser.new_context(viewport={"width": 1280, "height": 900})
    chamber = office.new_page()
    log_in(chamber, url, "agent.souss")
    chamber.goto(url + f"/outreach/{meeting.pk}/")
    assert chamber.locator("html").get_attribute("lang") == "ar"
    chamber.locator("form[action$='/move/published/'] button[type=submit]").click()
    chamber.wait_for_load_state()
    meeting.refresh_from_db()
    assert meeting.state == "published"

    # 2. An artisan signs up by phone on the event's public page, in Arabic, on her phone.
    her_phone = browser.new_context(viewport={"width": 360, "height": 780})
    artisan = her_phone.new_page()
    artisan.goto(url + f"/events/{meeting.slug}/")
    assert artisan.locator("html").get_attribute("dir") == "rtl"
    artisan.locator("#id_name").fill("فاضمة أيت لحسن")
    artisan.locator("#id_phone").fill("06 61 29 08 22")
    artisan.locator(f"form[action='/events/{meeting.slug}/sign-up/'] button").click()
    artisan.wait_for_url(f"**/events/{meeting.slug}/sign-up/confirm/**")
    artisan.locator("input[name=code]").fill(code_sent_to(PHONE))
    artisan.locator("main form button[type=submit]").click()
    artisan.wait_for_load_state()
    shot(artisan, tmp_path, "1-signed-up")
    attendee = Attendee.objects.get(event=meeting)
    assert (attendee.status, attendee.source) == ("signed_up", "phone")

    # 3. At the door, on the agent's phone: checked in by her phone number.
    door_phone = browser.new_context(viewport={"width": 360, "height": 780})
    door = door_phone.new_page()
    log_in(door, url, "agent.souss")
    door.goto(url + f"/outreach/{meeting.pk}/door/")
    door.locator("#door-check-in input[name=phone]").fill("0661290822")
    door.locator("#door-check-in button[type=submit]").click()
    door.wait_for_load_state()
    shot(door, tmp_path, "2-checked-in")
    attendee.refresh_from_db()
    assert attendee.checked_in_at is not None

    # 4. The agent registers her on the spot, from the attendee.
    door.locator(f"a[href='/outreach/{meeting.pk}/attendees/{attendee.pk}/file/']").first.click()
    door.wait_for_url(f"**/attendees/{attendee.pk}/file/")
    assert door.locator("#id_first_name_ar").input_value() == "فاضمة"
    assert door.locator("#id_commune").input_value() == TIZNIT_CITY
    door.locator("#id_cnie").fill(CNIE)
    door.locator("#id_first_name_latin").fill("Fadma")
    door.locator("#id_last_name_latin").fill("Ait Lahcen")
    door.locator("input[name=sex][value=F]").check()
    door.locator("#id_birth_date").fill("1978-03-14")
    door.locator("#id_birth_place").fill("Tiznit")
    door.locator("#id_address").fill("Derb Idzikri 12")
    door.locator("select#id_education").select_option("primary")
    door.locator("input[name=category][value=artisan_experience]").check()
    door.locator("#id_principal_activity").select_option(index=2)
    door.locator("input[name=workplace_kind][value=workshop]").check()
    door.locator("#id_workplace_address").fill("Souk des bijoutiers, 4")
    if not door.locator("#id_consent").is_checked():
        door.locator("#id_consent").check()
    shot(door, tmp_path, "3-on-the-spot")
    door.locator("form button[type=submit].primary").click()
    door.wait_for_url("**/desk/dossiers/*/")
    upload_all(door, tmp_path, document)
    door.locator("form[action$='/submit/'] button[type=submit]").click()
    door.wait_for_load_state()
    dossier = Dossier.objects.get(person__cnie=CNIE)
    assert dossier.state == "submitted"
    assert Referral.objects.get(dossier=dossier).event == meeting

    # 5. The officer approves.
    officer = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(officer, url, "officer.tiznit")
    officer.goto(url + f"/review/{dossier.pk}/")
    officer.locator("form[action$='/approve/'] input[name=confirm]").check()
    officer.locator("form[action$='/approve/'] button[type=submit]").click()
    officer.wait_for_load_state()
    dossier.refresh_from_db()
    assert dossier.state == "approved"

    # 6. Her card is printed and handed over at the chamber.
    cards.issue_first_cards()
    card = Card.objects.get(registration=dossier.registration)
    card = cards.mark_printed(actor=chamber_agent, card=card)
    cards.hand_over(actor=chamber_agent, card=card, received_by="Fadma", acknowledged=True)

    # 7. The CNSS sandbox enrols her; three months of contributions open her rights.
    assert cnss.synchronise()["exported"]
    _collect(settings.CNSS_OUTBOX_DIR, cnss_sandbox)
    cnss_sandbox.answer_pending()
    assert cnss.synchronise()["imported"]
    for _month in range(3):
        for batch in cnss_sandbox.month():
            cnss.import_file(settings.CNSS_INBOX_DIR / f"{batch}.jsonl")
    enrolment = Enrolment.objects.get(registration=dossier.registration)
    assert enrolment.state == "rights_open"

    # 8. The event's funnel shows her at each step, on a phone, in Arabic.
    door.goto(url + f"/outreach/{meeting.pk}/funnel/")
    assert door.locator("html").get_attribute("lang") == "ar"
    rows = door.locator("#figure-funnel tbody tr")
    assert rows.count() == 8
    assert [rows.nth(i).locator("td").nth(1).inner_text() for i in range(8)] == ["1"] * 8
    shot(door, tmp_path, "4-funnel")
    door.goto(url + "/outreach/funnel/")
    shot(door, tmp_path, "5-events-compared")
    chamber.goto(url + "/outreach/funnel/")
    events = chamber.locator("#figure-events tbody tr")
    assert events.count() == 1
    assert meeting.name in events.first.inner_text()
