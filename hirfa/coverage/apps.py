from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoverageConfig(AppConfig):
    name = "hirfa.coverage"
    label = "coverage"
    verbose_name = _("Health coverage (AMO)")

    def ready(self):
        from hirfa.coverage import receivers

        receivers.connect()
