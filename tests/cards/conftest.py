import pytest

from tests.factories import use_test_signing_key


@pytest.fixture(autouse=True)
def signing_key(settings):
    return use_test_signing_key(settings)


@pytest.fixture(autouse=True)
def cards_issued_at_once(settings):
    # Batches of first cards wait CARD_ISSUE_BATCH_SECONDS; tests run their jobs at once.
    settings.CARD_ISSUE_BATCH_SECONDS = 0
