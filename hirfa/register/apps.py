from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegisterConfig(AppConfig):
    name = "hirfa.register"
    label = "register"
    verbose_name = _("The register")

    def ready(self):
        from hirfa.register import wording

        wording.connect()
        from hirfa.register import inbox

        inbox.connect()
