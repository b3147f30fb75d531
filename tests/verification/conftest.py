import pytest

from tests.factories import use_test_signing_key


@pytest.fixture(autouse=True)
def signing_key(settings):
    """A card signing key in the test's own folder; first cards issued at once."""
    settings.CARD_ISSUE_BATCH_SECONDS = 0
    return use_test_signing_key(settings)
