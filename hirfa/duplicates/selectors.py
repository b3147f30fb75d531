"""Reads of possible duplicates, within the reviewer's territory."""

from django.db.models import Q

from hirfa.accounts.roles import Capability, has_capability
from hirfa.accounts.selectors import restrict
from hirfa.duplicates.models import Candidate
from hirfa.register.models import Registration


def open_candidates_of(user, person):
    """Open possible duplicates of `person` whose other person is in the user's territory."""
    if person is None or not has_capability(user, Capability.REVIEW):
        return []
    candidates = (
        Candidate.objects.filter(Q(person=person) | Q(other=person), status=Candidate.Status.OPEN)
        .select_related("person__commune__province", "other__commune__province")
        .order_by("-score", "id")
    )
    visible = []
    for candidate in candidates[:20]:
        other = candidate.other if candidate.person_id == person.pk else candidate.person
        if not restrict(
            type(other.commune.province).objects.filter(pk=other.commune.province_id), user, via=""
        ).exists():
            continue
        candidate.shown = other
        candidate.registration = (
            Registration.objects.filter(person=other).exclude(status="struck_off").first()
        )
        visible.append(candidate)
    return visible
