import pytest
from django.contrib.auth.models import AnonymousUser

from hirfa.notifications.selectors import notifications_for
from hirfa.notifications.services import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_artisan_sees_their_own_notifications_newest_first():
    artisan, neighbour = UserFactory(phone=None), UserFactory(phone=None)
    notify(user=artisan, event="dossier.submitted", subject="s", body="first")
    notify(user=neighbour, event="dossier.submitted", subject="s", body="not theirs")
    notify(user=artisan, event="dossier.approved", subject="s", body="second")
    assert [n.body for n in notifications_for(artisan)] == ["second", "first"]


def test_an_anonymous_visitor_sees_no_notifications():
    notify(user=UserFactory(phone=None), event="e", subject="s", body="b")
    assert not notifications_for(AnonymousUser()).exists()


def test_administrators_list_notifications_but_cannot_add_or_change_them(admin_client):
    (sent,) = notify(user=UserFactory(phone=None), event="dossier.approved", subject="s", body="b")
    listing = admin_client.get("/admin/notifications/notification/?channel__exact=email")
    assert listing.status_code == 200
    assert b"dossier.approved" in listing.content
    assert admin_client.get("/admin/notifications/notification/add/").status_code == 403
    change = admin_client.post(f"/admin/notifications/notification/{sent.pk}/change/", {})
    assert change.status_code == 403
