from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldConfig(AppConfig):
    name = "hirfa.field"
    label = "field"
    verbose_name = _("Field app")

    def ready(self):
        from hirfa.field import inbox, receivers

        inbox.register_kinds()
        receivers.connect()
