from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Law 09-08 rights over the register: access, rectification, limited retention.

    Sits above the domain apps (register, coverage, cards, notifications, audit): it reads
    and writes through them; none of them imports it."""

    name = "hirfa.privacy"
    label = "privacy"
    verbose_name = _("Personal data")
