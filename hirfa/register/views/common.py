"""What the staff screens of the register share: access, territory choices, small formatting.

Views are thin: every read of the register goes through `hirfa.register.selectors`, which apply
the user's territorial scope (an object outside it is a NotFound, answered 404 by
`DomainErrorMiddleware`); every write goes through `hirfa.register.services`, and every "may"
through `hirfa.register.policy`. Views only narrow, within that scope, to what the user asked
(a filter on a page).
"""

from django.utils import timezone

from hirfa.accounts.selectors import provinces_for
from hirfa.register.models import Dossier
from hirfa.register.numbers import format_number
from hirfa.territory import selectors as territory

PAGE_SIZE = 50


def is_htmx(request) -> bool:
    # A history restore (Back after a cache miss) wants the whole page.
    return request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )


def age_in_days(dossier: Dossier, today) -> int:
    since = dossier.submitted_at or dossier.created_at
    return max((today - timezone.localdate(since)).days, 0)


def formatted(number: str, separator: str = " ") -> str:
    try:
        return format_number(number, separator)
    except ValueError:
        return number


def sorted_by_name(items):
    return sorted(items, key=lambda item: (item.name or "").casefold())


def in_scope_provinces(user) -> list:
    return sorted_by_name(provinces_for(user))


def in_scope_communes(user) -> list:
    """Communes of the provinces the user works on, by province then name."""
    communes = territory.communes().filter(province__in=provinces_for(user))
    return sorted(communes, key=lambda c: (c.province.code, (c.name or "").casefold()))
