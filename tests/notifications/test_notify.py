import pytest
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy
from django_tasks_db.models import DBTaskResult

from hirfa.notifications import backends
from hirfa.notifications.models import Notification, Status
from hirfa.notifications.services import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class LanguageRecorder:
    """Text that remembers the active language at the moment it is rendered."""

    def __init__(self):
        self.languages = []

    def __str__(self):
        self.languages.append(translation.get_language())
        return "rendered"


def test_a_user_with_a_phone_and_an_email_gets_an_sms_and_an_email():
    user = UserFactory(phone="+212612345678", email="fatima@example.ma")
    sent = notify(user=user, event="dossier.submitted", subject="Dossier", body="Received")
    assert {(n.channel, n.address) for n in sent} == {
        ("sms", "+212612345678"),
        ("email", "fatima@example.ma"),
    }
    assert all(n.recipient == user and n.status == Status.QUEUED for n in sent)


def test_a_user_without_a_phone_gets_only_an_email():
    user = UserFactory(phone=None, email="fatima@example.ma")
    sent = notify(user=user, event="dossier.submitted", subject="Dossier", body="Received")
    assert [n.channel for n in sent] == ["email"]


def test_a_phone_given_explicitly_is_used_instead_of_the_users_own():
    user = UserFactory(phone="+212612345678", email="")
    sent = notify(
        user=user, phone="+212698765432", event="phone.code", subject="", body="Code 123456"
    )
    assert [(n.channel, n.address) for n in sent] == [("sms", "+212698765432")]


def test_an_address_without_an_account_can_be_notified():
    sent = notify(phone="+212612345678", event="phone.code", subject="", body="Code 123456")
    assert [(n.channel, n.recipient) for n in sent] == [("sms", None)]


def test_notifications_are_delivered_once_the_change_commits(notify_and_commit, run_jobs):
    user = UserFactory(phone="+212612345678")
    notify_and_commit(user=user, event="dossier.approved", subject="Dossier", body="Approved")
    run_jobs()
    assert sorted(n.channel for n in backends.outbox) == ["email", "sms"]
    assert set(Notification.objects.values_list("status", flat=True)) == {Status.SENT}


def test_nothing_is_delivered_when_the_change_rolls_back(
    django_capture_on_commit_callbacks, run_jobs
):
    user = UserFactory(phone="+212612345678")
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify(user=user, event="dossier.approved", subject="Dossier", body="Approved")
        raise RuntimeError("the transition failed")
    run_jobs()
    assert callbacks == []
    assert not DBTaskResult.objects.exists()
    assert not Notification.objects.exists()
    assert backends.outbox == []


def test_text_is_rendered_in_the_requested_language():
    subject, body = LanguageRecorder(), LanguageRecorder()
    user = UserFactory(phone=None)
    with translation.override("ar"):
        (sent,) = notify(user=user, event="e", subject=subject, body=body, language="fr")
    assert subject.languages == body.languages == ["fr"]
    assert sent.language == "fr"


def test_a_translated_string_is_stored_in_the_recipients_language():
    user = UserFactory(phone=None)
    (sent,) = notify(user=user, event="e", subject="s", body=gettext_lazy("Yes"), language="fr")
    assert sent.body == "Oui"


def test_a_function_is_called_in_the_recipients_language():
    user = UserFactory(phone=None)
    (sent,) = notify(
        user=user, event="e", subject="s", body=translation.get_language, language="en"
    )
    assert sent.body == "en"


def test_without_a_language_the_text_is_rendered_in_arabic():
    body = LanguageRecorder()
    (sent,) = notify(user=UserFactory(phone=None), event="e", subject="s", body=body)
    assert body.languages == ["ar"]
    assert sent.language == "ar"


def test_an_unsupported_language_falls_back_to_arabic():
    (sent,) = notify(user=UserFactory(phone=None), event="e", subject="s", body="b", language="de")
    assert sent.language == "ar"


def test_a_subject_is_kept_on_one_line():
    (sent,) = notify(user=UserFactory(phone=None), event="e", subject="Your\ndossier ", body="b")
    assert sent.subject == "Your dossier"
