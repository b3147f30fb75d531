from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "hirfa.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        # A malformed SMS_BACKEND (or a missing gateway URL) stops the process at
        # start-up rather than at the first message.
        from hirfa.notifications import conf

        conf.check()
