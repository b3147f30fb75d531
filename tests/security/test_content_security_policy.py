"""The Content Security Policy (docs/decisions/0037): every page says where scripts, styles
and images may come from, and no template holds anything that policy would block (an
inline script, an event-handler attribute, a style attribute)."""

import re
from pathlib import Path

import pytest

from tests.factories import agent_of, officer_of
from tests.register.helpers import submitted

ROOT = Path(__file__).resolve().parents[2]

PUBLIC_PAGES = [
    "/",
    "/verify/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password-reset/",
    "/admin/login/",
    "/api/v1/docs",
]


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


@pytest.mark.django_db
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_page_carries_the_policy(client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["img-src"] == ["'self'", "data:", "blob:"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_no_page_allows_inline_script_or_style(client, path):
    policy = directives(client.get(path))
    for directive in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in policy[directive]
        assert "'unsafe-eval'" not in policy[directive]
        assert "*" not in policy[directive]
    assert policy["script-src"][0] == "'self'"


@pytest.mark.django_db
def test_the_staff_desk_and_the_decision_screen_carry_the_policy(client):
    agent = agent_of("09", username="agent.souss")
    dossier = submitted(agent)
    officer = officer_of("09.581", username="officer.tiznit")
    client.force_login(agent)
    assert directives(client.get("/desk/"))["script-src"] == ["'self'"]
    client.force_login(officer)
    response = client.get(f"/review/{dossier.pk}/")
    assert response.status_code == 200
    assert directives(response)["frame-src"] == ["'self'"]


@pytest.mark.django_db
def test_a_document_may_be_framed_by_the_decision_screen_only(client):
    dossier = submitted(agent_of("09", username="agent.souss"))
    client.force_login(officer_of("09.581", username="officer.tiznit"))
    document = dossier.documents.get(content_type="application/pdf")
    response = client.get(f"/review/{dossier.pk}/documents/{document.pk}/")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert directives(response)["frame-ancestors"] == ["'self'"]


@pytest.mark.django_db
def test_an_inline_script_runs_only_with_the_nonce_of_its_request(rf):
    from django.template import engines

    from hirfa.core.middleware import ContentSecurityPolicyMiddleware

    template = engines["django"].from_string(
        '<script nonce="{{ request.csp_nonce }}">let a = 1;</script>'
    )
    request = rf.get("/")

    def view(request):
        from django.http import HttpResponse

        return HttpResponse(template.render({}, request))

    response = ContentSecurityPolicyMiddleware(view)(request)
    nonce = re.search(r'nonce="([^"]+)"', response.content.decode())[1]
    assert f"'nonce-{nonce}'" in directives(response)["script-src"]


TEMPLATES = sorted((ROOT / "hirfa").glob("*/templates/**/*.html"))
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_template_holds_what_the_policy_blocks(template):
    text = template.read_text()
    for name, pattern in [
        ("an inline script", INLINE_SCRIPT),
        ("an event-handler attribute", EVENT_HANDLER),
        ("a style attribute", STYLE_ATTRIBUTE),
        ("a <style> element", STYLE_ELEMENT),
    ]:
        for match in pattern.finditer(text):
            if name == "an inline script" and "csp_nonce" in match.group(0):
                continue
            line = text.count("\n", 0, match.start()) + 1
            pytest.fail(f"{name} at line {line}: move it to a static file")


def test_htmx_neither_injects_styles_nor_evaluates_attributes():
    base = (ROOT / "hirfa/core/templates/base.html").read_text()
    assert '"includeIndicatorStyles": false' in base
    assert '"allowEval": false' in base
