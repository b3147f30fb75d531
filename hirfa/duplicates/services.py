"""Duplicates at submission, reviewers' decisions and merges (ADR 0025)."""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hirfa.accounts.roles import Capability, has_capability
from hirfa.audit.services import record
from hirfa.core.errors import Conflict, DomainError, Forbidden, NotFound
from hirfa.core.names import name_keys
from hirfa.core.signals import rows_written
from hirfa.duplicates.models import Candidate, Merge
from hirfa.duplicates.scoring import THRESHOLD, cnie_variants, compare
from hirfa.duplicates.selectors import profiles, registered_with_cnie
from hirfa.register import services as register
from hirfa.register.models import Dossier, Person, Registration
from hirfa.register.numbers import format_number
from hirfa.register.selectors import province_in_scope
from hirfa.search.backends import EXACT, backend

MAX_FLAGS = 20
# Namesakes of the commonest names (Mohamed Alaoui…) number thousands in the register;
# the birth date then picks the few that matter.
NAME_MATCHES = 50_000


def _same_names(person: Person) -> Q:
    """Persons whose first and family names share a phonetic key with `person`'s (the
    search index: hirfa.search), born the same day."""
    groups = [
        set(name_keys(person.first_name_ar, person.first_name_latin).split()),
        set(name_keys(person.last_name_ar, person.last_name_latin).split()),
    ]
    if not all(groups):
        return Q(pk__in=[])
    named = backend().subquery(Person._meta.db_table, groups, EXACT, NAME_MATCHES)
    return Q(pk__in=named, birth_date=person.birth_date)


def likely_duplicates(person: Person) -> list[tuple[Person, int, list[str]]]:
    """Persons of the register who may be `person`, best first (three indexed lookups, then
    the places and crafts of those found)."""
    lookup = (
        _same_names(person) | Q(cnie__in=sorted(cnie_variants(person.cnie))) | Q(phone=person.phone)
    )
    found = []
    others = list(Person.objects.filter(lookup).exclude(pk=person.pk)[:2000])
    if not others:
        return []
    profiled = profiles([person.pk, *(other.pk for other in others)])
    mine = profiled[person.pk]
    for other in others:
        score, reasons = compare(mine, profiled[other.pk])
        if score >= THRESHOLD:
            found.append((other, score, reasons))
    found.sort(key=lambda item: -item[1])
    return found[:MAX_FLAGS]


def check_submission(dossier: Dossier, actor=None) -> None:
    """At submission: refuse a CNIE already registered; flag likely duplicates.

    Runs inside the submission's transaction (hirfa.register.services.submit). The number
    of the registration found is told only to an `actor` who may open it.
    """
    person = dossier.person
    if person is None or dossier.kind != Dossier.Kind.REGISTRATION:
        return
    registered = registered_with_cnie(actor, person.cnie)
    if registered is not None:
        message = _("This CNIE is already registered in another territory.")
        if registered.registration is not None:
            message = _("This CNIE is already registered, under number %(number)s.") % {
                "number": format_number(registered.registration.number)
            }
        raise Conflict(
            message,
            fields={"cnie": [_("This CNIE is already in the register.")]},
            code="already_registered",
        )
    for other, score, reasons in likely_duplicates(person):
        first, second = sorted((person.pk, other.pk))
        Candidate.objects.update_or_create(
            person_id=first,
            other_id=second,
            status=Candidate.Status.OPEN,
            defaults={
                "score": score,
                "reasons": reasons,
                "source": Candidate.Source.SUBMISSION,
                "dossier": dossier,
            },
        )


def _locked_candidate(reviewer, pk) -> Candidate:
    if not has_capability(reviewer, Capability.REVIEW):
        raise Forbidden()
    candidate = (
        Candidate.objects.select_for_update(of=("self",))
        .select_related("person__commune__province", "other__commune__province")
        .filter(pk=pk)
        .first()
    )
    if candidate is None or not all(
        province_in_scope(reviewer, p.commune.province) for p in (candidate.person, candidate.other)
    ):
        raise NotFound()
    if candidate.status != Candidate.Status.OPEN:
        raise Conflict(_("This possible duplicate was already decided."))
    return candidate


def _decided(candidate: Candidate, reviewer, status: str, note: str) -> None:
    candidate.status, candidate.decided_by = status, reviewer
    candidate.decided_at, candidate.note = timezone.now(), note
    candidate.save(update_fields=["status", "decided_by", "decided_at", "note"])


@transaction.atomic
def dismiss(*, reviewer, candidate_id: int, note: str = "") -> Candidate:
    candidate = _locked_candidate(reviewer, candidate_id)
    note = " ".join(str(note or "").split())[:2000]
    _decided(candidate, reviewer, Candidate.Status.DISMISSED, note)
    record(
        actor=reviewer,
        action="duplicate.dismissed",
        obj=candidate,
        province_code=candidate.person.commune.province.code,
        reason=note,
        data={"persons": [candidate.person_id, candidate.other_id], "score": candidate.score},
    )
    return candidate


def _live_registration(person: Person) -> Registration | None:
    return person.registrations.exclude(status=Registration.Status.STRUCK_OFF).first()


def _survivor_and_merged(candidate: Candidate) -> tuple[Person, Person]:
    """The registered one survives; else the earlier file."""
    a, b = candidate.person, candidate.other
    if _live_registration(b) and not _live_registration(a):
        return b, a
    return a, b


@transaction.atomic
def confirm(*, reviewer, candidate_id: int, note: str = "") -> Merge:
    """The two are one person: merge the later file into the surviving one."""
    candidate = _locked_candidate(reviewer, candidate_id)
    survivor, merged = _survivor_and_merged(candidate)
    if Merge.objects.filter(merged__in=[survivor, merged]).exists():
        raise Conflict(_("One of these files was already merged into another."))
    note = " ".join(str(note or "").split())[:2000]
    struck = None
    duplicate = _live_registration(merged)
    if duplicate is not None and _live_registration(survivor) is not None:
        # Registered twice: the second registration ends, the first carries on.
        struck = register.strike_off(
            officer=reviewer,
            registration=duplicate,
            reason=_("Duplicate of registration %(number)s.")
            % {"number": _live_registration(survivor).number},
        ).number
    moved = _repoint(merged, survivor)
    if merged.user_id and not survivor.user_id:
        survivor.user_id, merged.user_id = merged.user_id, None
        merged.save(update_fields=["user", "updated_at"])
        survivor.save(update_fields=["user", "updated_at"])
        moved["user"] = 1
    _decided(candidate, reviewer, Candidate.Status.CONFIRMED, note)
    merge = Merge.objects.create(
        merged=merged, into=survivor, candidate=candidate, by=reviewer, moved=moved
    )
    data = {"merged": merged.pk, "into": survivor.pk, "moved": moved, "struck_off": struck}
    province = survivor.commune.province.code
    record(actor=reviewer, action="person.merged", obj=survivor, province_code=province, data=data)
    record(
        actor=reviewer, action="person.merged_into", obj=merged, province_code=province, data=data
    )
    return merge


def _repoint(merged: Person, survivor: Person) -> dict:
    """Every file of `merged` (dossiers, registrations, and other apps' rows) to `survivor`."""
    own = {Candidate, Merge}
    moved = {}
    for relation in Person._meta.related_objects:
        model = relation.related_model
        if model in own or relation.one_to_one:
            continue
        label = f"{model._meta.label_lower}.{relation.field.name}"
        try:
            with transaction.atomic():
                if relation.many_to_many:
                    through = relation.through
                    source = relation.field.m2m_reverse_field_name()
                    kept = through.objects.filter(**{source: survivor}).values(
                        relation.field.m2m_field_name()
                    )
                    count = (
                        through.objects.filter(**{source: merged})
                        .exclude(**{f"{relation.field.m2m_field_name()}__in": kept})
                        .update(**{source: survivor})
                    )
                else:
                    rows = model._base_manager.filter(**{relation.field.name: merged})
                    ids = list(rows.values_list("pk", flat=True))
                    count = rows.update(**{relation.field.name: survivor})
                    if ids:  # what is kept from these rows (statistics) follows them
                        rows_written.send(sender=model, where={"pk__in": ids})
        except IntegrityError:
            raise DomainError(
                _("These files cannot be merged automatically (%(what)s): settle it first.")
                % {"what": model._meta.verbose_name},
                code="merge_conflict",
            ) from None
        if count:
            moved[label] = count
    return moved
