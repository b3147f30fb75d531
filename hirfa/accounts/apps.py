from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "hirfa.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        # Connects the sign-in time receiver before any request signs someone in.
        from hirfa.accounts import sessions  # noqa: F401
