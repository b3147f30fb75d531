from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerritoryConfig(AppConfig):
    name = "hirfa.territory"
    label = "territory"
    verbose_name = _("Territory")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from hirfa.territory import models, selectors

        # Edits by hand (the admin): the public pages' reads are read again (ADR 0058).
        for model in (models.Region, models.Province, models.Commune):
            for signal in (post_save, post_delete):
                signal.connect(
                    selectors.forget_public_reads, sender=model, dispatch_uid=f"{model}-public"
                )
