from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WalletConfig(AppConfig):
    name = "hirfa.wallet"
    verbose_name = _("Cards in phone wallets")
