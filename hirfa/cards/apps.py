from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CardsConfig(AppConfig):
    name = "hirfa.cards"
    verbose_name = _("Professional cards")

    def ready(self):
        from hirfa.cards import receivers

        receivers.connect()

        from hirfa.cards import wording

        wording.connect()

        from hirfa.cards.reading import limit_pillow

        limit_pillow()
