from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CraftsConfig(AppConfig):
    name = "hirfa.crafts"
    label = "crafts"
    verbose_name = _("Crafts nomenclature")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from hirfa.crafts import models, selectors

        # Edits by hand (the admin): the public pages' reads are read again (ADR 0058).
        for model in (models.NomenclatureRelease, models.Category, models.Branch, models.Activity):
            for signal in (post_save, post_delete):
                signal.connect(
                    selectors.forget_public_reads, sender=model, dispatch_uid=f"{model}-public"
                )
