import pytest

from tests.factories import account_for, approved_registration


@pytest.fixture
def artisan(client):
    """An artisan registered in Tiznit, signed in to their own space; returns the
    registration."""
    registration = approved_registration()
    client.force_login(account_for(registration.person, phone="+212612345678"))
    return registration
