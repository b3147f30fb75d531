from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CnssConfig(AppConfig):
    name = "hirfa.cnss"
    label = "cnss"
    verbose_name = _("Exchange with the CNSS")
