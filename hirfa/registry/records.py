"""A registration as an SPDCI person record (docs/spdci.md lists what we fill and leave)."""

from hirfa.register.models import Registration

SEX = {"M": "male", "F": "female"}


def _date(value) -> str | None:
    return value.isoformat() if value else None


def _identifiers(registration: Registration) -> list[dict]:
    return [
        {"identifier_type": "CNIE", "identifier_value": registration.person.cnie},
        {"identifier_type": "RNA", "identifier_value": registration.number},
    ]


def _amo(registration: Registration) -> dict | None:
    enrolment = getattr(registration, "enrolment", None)
    if enrolment is None:
        return None
    return {
        "state": enrolment.state,
        "category": enrolment.category,
        "cnss_number": enrolment.cnss_number or None,
        "immatriculated_on": _date(enrolment.immatriculated_on),
        "rights_open_on": _date(enrolment.rights_open_on),
        "suspended_on": _date(enrolment.suspended_on),
        "closed_on": _date(enrolment.closed_on),
        "closing_reason": enrolment.closing_reason or None,
        "unpaid_months": enrolment.unpaid_months,
    }


def _dependant(dependant) -> dict:
    identifiers = []
    if dependant.cnie:
        identifiers.append({"identifier_type": "CNIE", "identifier_value": dependant.cnie})
    return {
        "identifier": identifiers,
        "relationship": dependant.relation,
        "name": {
            "given_name": dependant.first_name_latin,
            "surname": dependant.last_name_latin,
            "given_name_ar": dependant.first_name_ar,
            "surname_ar": dependant.last_name_ar,
        },
        "sex": SEX.get(dependant.sex, "other"),
        "birth_date": _date(dependant.birth_date),
        "state": dependant.state,
        "eligible_until": _date(dependant.eligible_until),
        "student": dependant.student,
        "disabled": dependant.disabled,
    }


def person_record(registration: Registration) -> dict:
    """The artisan, their registration, their AMO data and their dependants."""
    person = registration.person
    return {
        "identifier": _identifiers(registration),
        "name": {
            "given_name": person.first_name_latin,
            "surname": person.last_name_latin,
            "given_name_ar": person.first_name_ar,
            "surname_ar": person.last_name_ar,
        },
        "sex": SEX.get(person.sex, "other"),
        "birth_date": _date(person.birth_date),
        "birth_place": person.birth_place,
        "phone_number": person.phone,
        "address": {
            "address_line1": person.address,
            "locality": person.commune.code,
            "region": registration.province.code,
            "country": "MA",
        },
        "registration": {
            "number": registration.number,
            "status": registration.status,
            "category": registration.category,
            "activity": registration.principal_activity.code,
            "province": registration.province.code,
            "registered_on": _date(registration.registered_on),
            "valid_until": _date(registration.valid_until),
        },
        "amo": _amo(registration),
        "dependants": [_dependant(d) for d in registration.dependants.all()],
    }
