"""A batch that carries the same line twice counts one fact once (security probe finding:
a batch with every line twice reported twice the lines applied)."""

import pytest

from hirfa.cnss import exchange_format as fmt
from hirfa.cnss import services
from hirfa.coverage.models import Dependant
from tests.cnss.test_exchange_more import immatriculated
from tests.coverage.helpers import confirmed_child

pytestmark = pytest.mark.django_db


@pytest.fixture
def decision_lines(approve, answer):
    from datetime import date

    registration = immatriculated(approve, answer)
    child = confirmed_child(registration, birth_date=date(date.today().year - 8, 3, 1).isoformat())
    services.export_batches()  # the dependant goes out; the CNSS decides it
    line = fmt.dumps(
        {
            "type": "dependant_decision",
            "number": registration.number,
            "dependant_id": child.pk,
            "accepted": True,
            "reason": "",
        }
    )
    return child, line


def test_every_line_twice_is_applied_once_and_the_repeats_reported(decision_lines, raw_cnss_batch):
    child, line = decision_lines
    report = services.import_file(raw_cnss_batch("acknowledgement", [line, line], sequence=2))
    assert (report.applied, report.rejected) == (1, 1)
    assert report.batch.rejections.get().code == "repeated_line"
    child.refresh_from_db()
    assert child.state == Dependant.State.ACCEPTED


def test_a_repeated_line_is_explained_in_words(decision_lines, raw_cnss_batch, english):
    _child, line = decision_lines
    report = services.import_file(raw_cnss_batch("acknowledgement", [line, line], sequence=2))
    assert report.batch.rejections.get().reason == (
        "This line repeats an earlier line of the same batch."
    )
