from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    name = "hirfa.stats"
    label = "statistics"
    verbose_name = _("Statistics")

    def ready(self):
        from hirfa.stats import receivers

        receivers.connect()
