import os
import shutil

import pytest


# Playwright's sync API keeps an event loop in the test thread; the ORM calls the
# tests make there are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def register(live_server, reference_data):
    """A live server whose database holds the reference data (flushed after each test)."""
    return live_server


@pytest.fixture
def phone(browser):
    """A phone-sized page (360 px wide), as most artisans see hirfa."""
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="en-US")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def desk(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    yield page
    context.close()
