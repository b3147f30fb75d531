"""Reads of possible duplicates, within the reviewer's territory.

Every registration a flag names is looked up through `registrations_for(user)`: a flag
says that a file exists elsewhere, never its number outside the reader's territory.
"""

from dataclasses import dataclass

from django.db.models import Q

from hirfa.accounts.roles import Capability, has_capability
from hirfa.accounts.selectors import restrict
from hirfa.duplicates.models import Candidate
from hirfa.duplicates.scoring import PROFILE_FIELDS, THRESHOLD, Profile
from hirfa.register.models import Dossier, Person, Registration
from hirfa.register.selectors import registrations_for


@dataclass(frozen=True)
class Registered:
    """A live registration of the same CNIE: `registration` when the reader may open it,
    else only the fact that one exists outside their territory."""

    registration: Registration | None
    elsewhere: bool


def live_registrations_with_cnie(cnie: str):
    return Registration.objects.filter(person__cnie=cnie).exclude(
        status=Registration.Status.STRUCK_OFF
    )


def registered_with_cnie(user, cnie: str, *, exclude_dossier=None) -> Registered | None:
    """The live registration holding `cnie`, as far as `user` may see it (None: none)."""
    if not cnie:
        return None
    live = live_registrations_with_cnie(cnie)
    if exclude_dossier is not None:
        live = live.exclude(dossiers=exclude_dossier)
    visible = registrations_for(user).filter(pk__in=live.values("pk")).order_by("id").first()
    if visible is not None:
        return Registered(visible, elsewhere=False)
    return Registered(None, elsewhere=True) if live.exists() else None


def open_candidates_of(user, person):
    """Open possible duplicates of `person` whose other person is in the user's territory
    (those scored again below the threshold, ADR 0056, are left out)."""
    if person is None or not has_capability(user, Capability.REVIEW):
        return []
    candidates = (
        Candidate.objects.filter(
            Q(person=person) | Q(other=person),
            status=Candidate.Status.OPEN,
            score__gte=THRESHOLD,
        )
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
        # Through the reader's scope: the other person may be registered in another province.
        candidate.registration = (
            registrations_for(user)
            .filter(person=other)
            .exclude(status=Registration.Status.STRUCK_OFF)
            .order_by("id")
            .first()
        )
        visible.append(candidate)
    return visible


def profiles(ids) -> dict[int, Profile]:
    """What the scoring compares of these persons (three queries, whatever their number):
    names, birth date, CNIE, phone, and the places and crafts the register holds for them —
    home commune, the workplace and principal activity of their files and live registrations.
    """
    ids = list(ids)
    places: dict[int, tuple[set, set, set]] = {}
    rows = Person.objects.filter(pk__in=ids).values_list(
        *PROFILE_FIELDS, "commune_id", "commune__province_id"
    )
    persons = list(rows)
    for values in persons:
        places[values[0]] = ({values[-2]}, {values[-1]}, set())
    craft = ("person_id", "workplace_commune_id", "province_id", "principal_activity_id")
    files = [
        Dossier.objects.filter(person_id__in=ids).values_list(*craft),
        Registration.objects.filter(person_id__in=ids)
        .exclude(status=Registration.Status.STRUCK_OFF)
        .values_list(*craft),
    ]
    for query in files:
        for person, commune, province, activity in query:
            communes, provinces, activities = places[person]
            communes.add(commune)
            provinces.add(province)
            activities.add(activity)
    return {
        values[0]: Profile.of(
            *values[:-2],
            communes=places[values[0]][0],
            provinces=places[values[0]][1],
            activities=places[values[0]][2],
        )
        for values in persons
    }
