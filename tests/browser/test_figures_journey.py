"""Charts and maps beside their tables (core/figure.html, hirfa/js/figure.js, ADR 0049):
drawn from this server's files alone, in Arabic on a phone and in French at a desk, with
the OpenStreetMap attribution on every map and a chart that downloads as PNG and SVG."""

import os
from pathlib import Path

import pytest

from tests.browser.waiting import wait_until
from tests.factories import DEFAULT_PASSWORD, agent_of, national

pytestmark = pytest.mark.browser

DRAWN = "(document.querySelector('#census .figure-chart') || {dataset: {}}).dataset.drawn"
ALL_DRAWN = (
    "[...document.querySelectorAll('.figure-chart')].every((e) => e.dataset.drawn === 'yes')"
)
# Each page records the Content Security Policy violations it sees (none expected).
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""
SHOTS = Path(os.environ.get("HIRFA_SCREENSHOTS", "/tmp/hirfa-screenshots"))


def offline(page, origin: str) -> list[str]:
    """Refuse every request that does not go to our own server; return those refused.
    Also record the page's policy violations and errors in the list."""
    refused: list[str] = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on("pageerror", lambda error: refused.append(f"page error: {error}"))

    def route(route):
        if route.request.url.startswith(origin):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    page.context.route("**/*", route)
    return refused


def log_in(page, url, username, language):
    page.context.add_cookies([{"name": "hirfa_language", "value": language, "url": url}])
    page.goto(url + "/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def no_violation(page) -> bool:
    return page.evaluate("window.__violations") == []


def shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def test_the_souss_chamber_sees_its_census_map_in_arabic_on_a_phone(register, phone):
    refused = offline(phone, register.url)
    agent_of("09", username="souss.chamber")
    log_in(phone, register.url, "souss.chamber", "ar")
    phone.goto(register.url + "/accounts/workspace/#census")
    wait_until(phone, f"{DRAWN} === 'yes'")
    figure = phone.locator("#census figure")
    assert phone.locator("html").get_attribute("dir") == "rtl"
    assert figure.locator("canvas").count() >= 1
    assert figure.locator("canvas").first.bounding_box()["width"] <= 360
    assert "© OpenStreetMap contributors" in figure.locator(".attribution").inner_text()
    assert figure.locator(".figure-table tbody tr").count() == 6  # Souss-Massa's provinces
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    figure.locator(".figure-chart").scroll_into_view_if_needed()
    shoot(phone, "census-map-ar-360.png")
    assert refused == []
    assert no_violation(phone)


def test_the_national_administrator_sees_the_regions_map_in_french_and_downloads_it(register, desk):
    refused = offline(desk, register.url)
    national(username="n.admin")
    log_in(desk, register.url, "n.admin", "fr")
    desk.goto(register.url + "/accounts/workspace/?level=region#census")
    wait_until(desk, f"{DRAWN} === 'yes'")
    figure = desk.locator("#census figure")
    assert desk.locator("html").get_attribute("dir") == "ltr"
    assert figure.locator(".figure-table tbody tr").count() == 12
    assert "Souss-Massa" in figure.locator(".figure-table").inner_text()
    assert "© OpenStreetMap contributors" in figure.locator(".attribution").inner_text()
    shoot(desk, "census-map-fr-desk.png")
    for kind in ("png", "svg"):
        with desk.expect_download() as started:
            figure.locator(f"button[data-download='{kind}']").click()
        download = started.value
        assert download.suggested_filename == f"census-self-employed-region.{kind}"
        path = download.path()
        content = Path(path).read_bytes()
        if kind == "png":
            assert content.startswith(b"\x89PNG")
        else:
            assert b"<svg" in content[:200] and b"OpenStreetMap contributors" in content
    assert refused == []
    assert no_violation(desk)


@pytest.mark.urls("tests.browser.figure_pages")
def test_a_bar_and_a_line_chart_read_right_to_left_on_an_arabic_phone(register, phone):
    refused = offline(phone, register.url)
    phone.goto(register.url + "/test-figures/")
    wait_until(phone, ALL_DRAWN)
    assert phone.locator("html").get_attribute("dir") == "rtl"
    assert phone.locator(".figure-chart canvas").count() >= 2
    for canvas in phone.locator(".figure-chart canvas").all():
        assert canvas.bounding_box()["width"] <= 360
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shoot(phone, "charts-ar-360.png")
    assert refused == []
    assert no_violation(phone)


@pytest.mark.urls("tests.browser.figure_pages")
def test_a_bar_and_a_line_chart_sit_beside_their_tables_in_french_at_a_desk(register, desk):
    refused = offline(desk, register.url)
    desk.context.add_cookies([{"name": "hirfa_language", "value": "fr", "url": register.url}])
    desk.goto(register.url + "/test-figures/")
    wait_until(desk, ALL_DRAWN)
    chart = desk.locator("#figure-per-province .figure-chart").bounding_box()
    table = desk.locator("#figure-per-province .table-scroll").bounding_box()
    assert chart["x"] + chart["width"] <= table["x"] + 1  # the chart left of its table
    assert "Télécharger le graphique (PNG)" in desk.locator("#figure-per-province").inner_text()
    shoot(desk, "charts-fr-desk.png")
    assert refused == []
    assert no_violation(desk)


@pytest.mark.urls("tests.browser.figure_pages")
def test_without_the_chart_library_the_tables_stay_and_no_download_is_offered(register, desk):
    desk.context.route("**/echarts.min.js", lambda route: route.abort())
    desk.goto(register.url + "/test-figures/")
    wait_until(desk, ALL_DRAWN.replace("'yes'", "'failed'"))
    assert desk.locator(".figure-table").count() == 2
    assert desk.locator(".figure-downloads").first.is_hidden()
