"""Every text the field app's script shows, in the agent's language, so that it speaks it
offline too (the page carries them; the worker keeps the page)."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext


def texts() -> dict:
    return {
        "states": {
            "waiting": pgettext("outbox item", "Waiting"),
            "sending": pgettext("outbox item", "Sending"),
            "applied": pgettext("outbox item", "Sent"),
            "attention": pgettext("outbox item", "Needs attention"),
            "refused": pgettext("outbox item", "Refused"),
        },
        "reasons": {
            "cnie_taken": _("This CNIE is already in the register."),
            "possible_duplicate": _(
                "Possible duplicate: this person looks like someone already in the register."
            ),
            "retired": _("A commune or an activity is no longer in the lists."),
        },
        "kinds": {
            "registration": _("Registration"),
            "check_in": _("Check-in"),
        },
        "network": {
            "online": _("Online"),
            "offline": _("Offline: what you capture waits on this phone."),
        },
        "session": {
            "login": _("Your session has ended: log in again to send the outbox. Nothing is lost."),
            "other": _("Another agent is logged in on this phone: this outbox is not sent."),
        },
        "sync": {
            "done": _("Everything is sent."),
            "stopped": _("The connection was lost: the rest will be sent when it returns."),
            "nothing": _("Nothing to send."),
            "running": _("Sending…"),
        },
        "storage": {
            "used": _("%(used)s used of %(quota)s this browser grants."),
            "full": _(
                "The phone's space for hirfa is nearly full: send the outbox, or export it to "
                "a file."
            ),
            "unknown": _("This browser does not tell how much space it grants."),
        },
        "expiry": {
            "soon": _(
                "%(count)s items will be erased in less than %(days)s days if they are not sent."
            ),
            "erased": _(
                "%(count)s items waited longer than allowed and were erased from this phone."
            ),
        },
        "photo": {
            "size": _("%(size)s, %(width)s × %(height)s"),
            "unreadable": _("This photo could not be read: take it again."),
            "too_large": _(
                "This photo is still too large after compression: take it again from closer."
            ),
        },
        "capture": {
            "saved": _("Saved on this phone: %(name)s. It will be sent with the outbox."),
            "checked": _("Check-in saved on this phone."),
            "missing": _("Fill in the fields marked as required."),
            "consent": _("Read the notice to the artisan and tick the box."),
        },
        "export": {
            "done": _("The outbox is saved in the file %(name)s."),
            "imported": _("%(added)s items imported, %(known)s already here."),
            "bad": _("This file is not an outbox export of hirfa."),
            "other": _("This file is the outbox of another agent: it was not imported."),
        },
        "logout": {
            "warn": _(
                "%(count)s items are not sent: logging out erases them from this phone. Press "
                "again to log out anyway, or export the outbox first."
            ),
        },
        "items": {
            "empty": _("The outbox is empty."),
            "captured": _("Captured on %(time)s (phone clock)"),
            "remove": _("Remove"),
            "correct": _("Correct and capture again"),
            "open": _("Open the file"),
        },
    }
