from django import template

from hirfa.duplicates.selectors import open_candidates_of, registered_with_cnie

register = template.Library()


@register.inclusion_tag("duplicates/_flags.html", takes_context=True)
def duplicate_flags(context, dossier):
    """The possible duplicates of a dossier's person, for its reviewer (within their scope)."""
    user = context["request"].user
    person = dossier.person
    registered = None
    if person is not None and dossier.kind == "registration":
        registered = registered_with_cnie(user, person.cnie, exclude_dossier=dossier)
    return {
        "candidates": open_candidates_of(user, person),
        "registered": registered,
        "dossier": dossier,
        "csrf_token": context.get("csrf_token"),
    }
