"""Settings of the site `bench/cards.py` serves under wrk: hirfa's own, with a URL
configuration that adds a minimal Django view (`cards_site_urls`), so that both are
measured through the same server, settings and middleware in the same run."""

from hirfa.settings import *  # noqa: F403

ROOT_URLCONF = "cards_site_urls"
DEBUG = False
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
