"""File sizes ("188 bytes", "1.2 MB", Django's `filesizeformat`) translated in the
project's catalogues: Django's own have no Tamazight, and a `zgh` page would show them in
Arabic. Never called: `makemessages` reads the messages here."""

from django.utils.translation import gettext, ngettext


def _messages_of_filesizeformat():  # pragma: no cover
    ngettext("%(size)d byte", "%(size)d bytes", 0)
    gettext("%s KB")
    gettext("%s MB")
    gettext("%s GB")
