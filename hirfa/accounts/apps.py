from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "hirfa.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from hirfa.accounts.second_factor import note_login

        def remember_second_factor(sender, request, user, **kwargs):
            if request is not None and hasattr(request, "session"):
                note_login(request, user)

        user_logged_in.connect(
            remember_second_factor, dispatch_uid="accounts.remember_second_factor", weak=False
        )
