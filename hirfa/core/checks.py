"""Deployment checks of our own, run by `hirfa check --deploy` with Django's."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

# Where a database is on the same machine: a plain connection never crosses a network.
_LOCAL_HOSTS = {"", "localhost", "127.0.0.1", "::1"}
# The modes that check the server's certificate: without a check, a machine in the path
# can pose as the database (docs/deploy/README.md).
_VERIFIED_MODES = {"verify-full", "verify-ca"}


@register(Tags.security, deploy=True)
def database_over_tls(app_configs, **kwargs):
    """PostgreSQL reached over a network without TLS that checks the server (ASVS 9.2.2)."""
    found = []
    for alias, database in settings.DATABASES.items():
        if "postgresql" not in database.get("ENGINE", ""):
            continue
        host = str(database.get("HOST") or "")
        if host in _LOCAL_HOSTS or host.startswith("/"):
            continue
        mode = (database.get("OPTIONS") or {}).get("sslmode", "")
        if mode not in _VERIFIED_MODES:
            found.append(
                Warning(
                    f"The database {alias!r} at {host} is reached without TLS that verifies "
                    f"its certificate (sslmode={mode or 'prefer'}).",
                    hint="Add ?sslmode=verify-full (and sslrootcert=…) to DATABASE_URL; "
                    "see docs/deploy/README.md.",
                    id="hirfa.W001",
                )
            )
    return found
