"""Month names for the date formats' "F" (`j F Y`), translated in the project's catalogues.

Django's own catalogues have no Tamazight: without these, a `zgh` page falls back to the
default language and shows Arabic month names. The Tifinagh names are CLDR's (`zgh`); the
Arabic and French ones are Django's. Only marked here (`gettext_noop`): Django's
`utils.dates.MONTHS` looks them up with the same messages.
"""

from django.utils.translation import gettext_noop

MONTHS = (
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
)
