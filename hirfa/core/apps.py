from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "hirfa.core"
    label = "core"
    verbose_name = _("Platform")

    def ready(self):
        from hirfa.core import (
            checks,  # noqa: F401 (registers the deployment checks)
            lookups,  # noqa: F401 (registers `__in_many`)
        )
        from hirfa.core.aggregates import prepare_connection

        connection_created.connect(prepare_connection, dispatch_uid="hirfa-prepare-connection")

        # Before any API router is imported (their operations are declared at import).
        from hirfa.core.api_responses import share_response_models

        share_response_models()
