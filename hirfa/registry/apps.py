from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "hirfa.registry"
    verbose_name = _("Registry API (SPDCI)")

    def ready(self):
        from hirfa.registry import receivers

        receivers.connect()
