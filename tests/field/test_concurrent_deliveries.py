"""The same item delivered twice at the same moment (a phone retrying while its first request
is still being applied) is applied once; both deliveries get the first answer."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from hirfa.field import services
from hirfa.field.models import FieldItem
from hirfa.register.models import Dossier
from tests.factories import agent_of
from tests.field.conftest import registration_item


@pytest.mark.django_db(transaction=True)
def test_two_deliveries_of_one_item_at_once_file_it_once(reference_data):
    agent = agent_of("09", username="twice.agent")
    item = registration_item(agent)
    captured = timezone.now() - timedelta(hours=1)
    answers, errors = [], []
    start = threading.Barrier(2)

    def deliver():
        try:
            start.wait()
            answers.append(
                services.submit_item(
                    agent=agent,
                    uuid=item["id"],
                    kind="registration",
                    body=item["body"],
                    captured_at=captured,
                    sent_at=timezone.now(),
                )
            )
        except Exception as error:  # reported below, with the thread's own traceback
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert sorted(status for status, _answer in answers) == [201, 201]
    assert {answer["dossier"] for _status, answer in answers} == {Dossier.objects.get().pk}
    assert sorted(answer.get("replayed", False) for _status, answer in answers) == [False, True]
    assert FieldItem.objects.count() == 1
