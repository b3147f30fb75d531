from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "hirfa.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        # Connects the sign-in time receiver before any request signs someone in.
        from django.contrib import admin

        from hirfa.accounts import sessions  # noqa: F401
        from hirfa.accounts.forms import ThrottledAdminLoginForm

        # One login, one throttle: the admin site's login counts and refuses as
        # /accounts/login/ does (issue 11, finding 3; docs/decisions/0032).
        admin.site.login_form = ThrottledAdminLoginForm
