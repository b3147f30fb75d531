import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_open_data():
    """The open data are cached a few minutes: each test starts without them."""
    cache.clear()
    yield
    cache.clear()
