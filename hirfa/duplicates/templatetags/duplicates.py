from django import template

from hirfa.duplicates.selectors import open_candidates_of
from hirfa.register.models import Registration

register = template.Library()


@register.inclusion_tag("duplicates/_flags.html", takes_context=True)
def duplicate_flags(context, dossier):
    """The possible duplicates of a dossier's person, for its reviewer."""
    user = context["request"].user
    person = dossier.person
    registered = None
    if person is not None and dossier.kind == "registration":
        registered = (
            Registration.objects.filter(person__cnie=person.cnie)
            .exclude(status=Registration.Status.STRUCK_OFF)
            .exclude(dossiers=dossier)
            .first()
        )
    return {
        "candidates": open_candidates_of(user, person),
        "registered": registered,
        "dossier": dossier,
        "csrf_token": context.get("csrf_token"),
    }
