from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "hirfa.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        from django.contrib import admin
        from django.contrib.auth.signals import user_logged_in

        # Connects the sign-in time receiver (session timeouts) before anyone signs in.
        from hirfa.accounts import sessions  # noqa: F401
        from hirfa.accounts.forms import ThrottledAdminLoginForm
        from hirfa.accounts.reauthentication import reauthentication_required
        from hirfa.accounts.second_factor import note_login

        # One login, one throttle: the admin site's login counts and refuses as
        # /accounts/login/ does (issue 11, finding 3; docs/decisions/0032).
        admin.site.login_form = ThrottledAdminLoginForm
        # Changing one's password asks for it again unless shown lately (decision 77).
        admin.site.password_change = reauthentication_required(admin.site.password_change)

        def remember_second_factor(sender, request, user, **kwargs):
            if request is not None and hasattr(request, "session"):
                note_login(request, user)

        user_logged_in.connect(
            remember_second_factor, dispatch_uid="accounts.remember_second_factor", weak=False
        )
