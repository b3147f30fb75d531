"""Spouses and children covered through the insured: declared by the artisan or an agent,
their documents, the agent's check.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hirfa.audit.services import record
from hirfa.core import validators
from hirfa.core.errors import Conflict, DomainError, Forbidden
from hirfa.coverage import policy, rules, selectors
from hirfa.coverage.models import Dependant, DependantDocument, EligibilityRule
from hirfa.coverage.money import parse_date
from hirfa.register.documents import check_upload
from hirfa.register.models import Registration, Sex


def _eligibility(dependant, on: date, eligibility_rules=None) -> rules.Eligibility:
    return rules.eligibility(
        eligibility_rules if eligibility_rules is not None else EligibilityRule.objects.all(),
        relation=dependant.relation,
        born=dependant.birth_date,
        student=dependant.student,
        married=dependant.married,
        disabled=dependant.disabled,
        on=on,
    )


def _flag(value) -> bool:
    return value in (True, "true", "on", "1", 1, "yes")


def clean_dependant(data: dict, *, today: date) -> dict:
    """A spouse or child's data validated, every problem listed at once."""
    errors: dict[str, list[str]] = {}

    def check(name, function, *args, **kwargs):
        try:
            return function(*args, **kwargs)
        except ValidationError as error:
            errors.setdefault(name, []).extend(str(m) for m in error.messages)
        except DomainError as error:
            errors.setdefault(name, []).append(str(error.message))
        return None

    clean = {
        "relation": data.get("relation"),
        "sex": data.get("sex"),
        "student": _flag(data.get("student")),
        "married": _flag(data.get("married")),
        "disabled": _flag(data.get("disabled")),
        "cnie": "",
    }
    if clean["relation"] not in Dependant.Relation.values:
        errors["relation"] = [_("Choose one of the proposed values.")]
    if clean["sex"] not in Sex.values:
        errors["sex"] = [_("Choose one of the proposed values.")]
    for field, script in [
        ("first_name_ar", "arabic"),
        ("last_name_ar", "arabic"),
        ("first_name_latin", "latin"),
        ("last_name_latin", "latin"),
    ]:
        clean[field] = check(field, validators.clean_person_name, data.get(field), script)
    born = check("birth_date", parse_date, data.get("birth_date"), field="birth_date")
    if born is not None:
        check("birth_date", validators.validate_birth_date, born, today=today, minimum_age=0)
    clean["birth_date"] = born
    if data.get("cnie"):
        clean["cnie"] = check("cnie", validators.normalise_cnie, data.get("cnie"))
    if errors:
        raise DomainError(_("Some information is missing or not valid."), fields=errors)
    return clean


def _over_age_error(clean: dict) -> DomainError:
    if clean["relation"] == Dependant.Relation.CHILD:
        message = _(
            "This child is over the age limit: children are covered up to 21 years, or up to "
            "26 when unmarried and in higher education."
        )
    else:
        message = _("This person cannot be covered as a dependant under the current rules.")
    return DomainError(message, fields={"birth_date": [message]}, code="over_age")


@transaction.atomic
def declare_dependant(*, actor, registration: Registration, data: dict) -> Dependant:
    """The artisan (in their space) or an agent declares a spouse or a child.

    Refused with a clear message when the rules in force do not cover them today.
    """
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("person", "province")
        .get(pk=registration.pk)
    )
    if not policy.may_act_for(actor, registration):
        raise Forbidden()
    if not policy.takes_dependants(registration):
        raise Conflict(_("Dependants are declared for a registered artisan only."))
    if policy.is_closed(selectors.enrolment_of(registration)):
        raise Conflict(_("This health insurance is closed."), code="closed")
    today = timezone.localdate()
    clean = clean_dependant(data, today=today)
    if clean["cnie"] and clean["cnie"] == registration.person.cnie:
        raise DomainError(
            _("The artisan cannot be their own dependant."),
            fields={"cnie": [_("This is the artisan's own CNIE.")]},
        )
    result = rules.eligibility(
        EligibilityRule.objects.all(),
        relation=clean["relation"],
        born=clean["birth_date"],
        student=clean["student"],
        married=clean["married"],
        disabled=clean["disabled"],
        on=today,
    )
    if not result.eligible:
        raise _over_age_error(clean)
    same = Dependant.objects.filter(
        registration=registration,
        relation=clean["relation"],
        birth_date=clean["birth_date"],
        first_name_latin__iexact=clean["first_name_latin"],
    ).exclude(state__in=[Dependant.State.ENDED, Dependant.State.REFUSED])
    if same.exists():
        raise Conflict(_("This person is already declared."), code="duplicate")
    dependant = Dependant.objects.create(
        registration=registration, declared_by=actor, eligible_until=result.until, **clean
    )
    record(
        actor=actor,
        action="dependant.declared",
        obj=dependant,
        province_code=registration.province.code,
        data={
            "source": "artisan" if policy.holds_own_file(actor) else "agent",
            "relation": dependant.relation,
            "registration": registration.number,
        },
    )
    return dependant


def required_documents(dependant: Dependant) -> list[str]:
    """The document kinds the rule covering this dependant asks for."""
    result = _eligibility(dependant, timezone.localdate())
    return list(result.rule.documents) if result.rule is not None else []


def missing_documents(dependant: Dependant) -> list[str]:
    attached = set(dependant.documents.values_list("kind", flat=True))
    return [kind for kind in required_documents(dependant) if kind not in attached]


def _locked_dependant(dependant: Dependant) -> Dependant:
    return (
        Dependant.objects.select_for_update(of=("self",))
        .select_related("registration__province", "registration__person")
        .get(pk=dependant.pk)
    )


@transaction.atomic
def attach_dependant_document(
    *, actor, dependant: Dependant, kind: str, uploaded
) -> DependantDocument:
    dependant = _locked_dependant(dependant)
    if not policy.may_act_for(actor, dependant.registration):
        raise Forbidden()
    if not policy.awaits_check(dependant):
        raise Conflict(_("This dependant was already checked."))
    if kind not in DependantDocument.Kind.values:
        raise DomainError(
            _("This kind of document is not asked for this file."),
            fields={"kind": [_("Choose one of the proposed values.")]},
        )
    checked = check_upload(uploaded)
    document = DependantDocument.objects.create(
        dependant=dependant, kind=kind, **checked.stored_fields(uploaded, actor)
    )
    record(
        actor=actor,
        action="dependant.document_attached",
        obj=dependant,
        province_code=dependant.registration.province.code,
        data={"kind": kind, "sha256": checked.sha256, "size": checked.size},
    )
    return document


def _require_agent(agent, dependant: Dependant) -> None:
    if not policy.is_agent_for(agent, dependant.registration):
        raise Forbidden()


@transaction.atomic
def confirm_dependant(*, agent, dependant: Dependant) -> Dependant:
    """An agent checked the documents: the dependant goes to the CNSS with the next batch."""
    dependant = _locked_dependant(dependant)
    _require_agent(agent, dependant)
    if not policy.awaits_check(dependant):
        raise Conflict(_("This dependant was already checked."))
    result = _eligibility(dependant, timezone.localdate())
    if not result.eligible:
        raise _over_age_error({"relation": dependant.relation})
    missing = [
        k
        for k in result.rule.documents
        if k not in set(dependant.documents.values_list("kind", flat=True))
    ]
    if missing:
        names = [
            str(DependantDocument.Kind(k).label)
            for k in missing
            if k in DependantDocument.Kind.values
        ]
        raise DomainError(
            _("Attach the missing documents first: %(names)s.") % {"names": ", ".join(names)},
            fields={"documents": names},
        )
    dependant.state, dependant.eligible_until = Dependant.State.CONFIRMED, result.until
    dependant.confirmed_by, dependant.confirmed_at = agent, timezone.now()
    dependant.changed_at = dependant.confirmed_at
    dependant.save()
    record(
        actor=agent,
        action="dependant.confirmed",
        obj=dependant,
        province_code=dependant.registration.province.code,
        data={"source": "agent", "rule": result.rule.code, "until": result.until},
    )
    return dependant


@transaction.atomic
def refuse_dependant(*, agent, dependant: Dependant, reason: str) -> Dependant:
    dependant = _locked_dependant(dependant)
    _require_agent(agent, dependant)
    reason = " ".join(str(reason or "").split())[:300]
    if not reason:
        raise DomainError(_("Give the reason."), fields={"reason": [_("This field is required.")]})
    if not policy.awaits_check(dependant):
        raise Conflict(_("This dependant was already checked."))
    dependant.state, dependant.decision_reason = Dependant.State.REFUSED, reason
    dependant.save(update_fields=["state", "decision_reason"])
    record(
        actor=agent,
        action="dependant.refused",
        obj=dependant,
        reason=reason,
        province_code=dependant.registration.province.code,
        data={"source": "agent"},
    )
    return dependant
