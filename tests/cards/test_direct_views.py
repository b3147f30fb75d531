"""The public card checks answered ahead of the session and authentication layers
(hirfa.core.middleware.DirectViewsMiddleware, docs/decisions/0082): the same answer, the
same headers, as through every layer."""

import pytest
from django.test import Client

from tests.factories import issued_card

pytestmark = pytest.mark.django_db


def through_every_layer(settings) -> Client:
    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if not m.endswith("DirectViewsMiddleware")
    ]
    return Client()


def same_answer(direct, full) -> None:
    assert direct.status_code == full.status_code
    assert direct.content == full.content
    assert dict(direct.headers) == dict(full.headers)


def test_the_verify_endpoint_answers_with_every_layers_headers(settings, run_jobs):
    text = issued_card(run_jobs).qr_text
    ask = {"data": {"qr": text}, "content_type": "application/json"}
    direct = Client().post("/api/v1/cards/verify", **ask)
    full = through_every_layer(settings).post("/api/v1/cards/verify", **ask)
    same_answer(direct, full)
    assert direct["X-Frame-Options"] == "DENY"
    assert direct["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in direct
    assert int(direct["Content-Length"]) == len(direct.content)


def test_the_card_status_answers_with_every_layers_headers(settings, run_jobs, monkeypatch):
    from django.utils import timezone

    number = issued_card(run_jobs).registration.number
    moment = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: moment)  # the answer's `checked_at`
    direct = Client().get(f"/api/v1/cards/{number}/1/status")
    full = through_every_layer(settings).get(f"/api/v1/cards/{number}/1/status")
    same_answer(direct, full)


def test_a_malformed_body_still_gets_the_apis_validation_error(client):
    response = client.post("/api/v1/cards/verify", {"qr": 5}, content_type="application/json")
    assert response.status_code == 422


def test_a_nul_byte_is_still_refused_at_the_edge(client):
    response = client.post(
        "/api/v1/cards/verify", '{"qr": "RNA1:\\u0000"}', content_type="application/json"
    )
    assert response.status_code == 400


def test_a_signed_in_visitors_session_is_neither_read_nor_renewed(client, run_jobs):
    from tests.factories import officer_of

    card = issued_card(run_jobs)
    client.force_login(officer_of(card.province.code))
    response = client.post(
        "/api/v1/cards/verify", {"qr": card.qr_text}, content_type="application/json"
    )
    assert response.status_code == 200
    assert not response.cookies  # the public check is no activity of the session
