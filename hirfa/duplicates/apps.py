from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DuplicatesConfig(AppConfig):
    name = "hirfa.duplicates"
    verbose_name = _("Duplicates")

    def ready(self):
        from hirfa.duplicates import receivers

        receivers.connect()
