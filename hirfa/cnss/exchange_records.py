"""The records of the RNA ⇄ CNSS exchange (docs/cnss-exchange.md): which record types each
kind of batch holds, and each record's fields, checked one by one.

Plain Python (no Django), like `exchange_format`, which reads and writes the signed files
these records travel in (the CNSS sandbox uses both).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

RNA_TO_CNSS = "rna-to-cnss"
CNSS_TO_RNA = "cnss-to-rna"

# Which record types each kind of batch may hold, and its direction.
KINDS: dict[str, tuple[str, frozenset[str]]] = {
    "pre_registration": (RNA_TO_CNSS, frozenset({"pre_registration"})),
    "update": (RNA_TO_CNSS, frozenset({"update"})),
    "dependants": (RNA_TO_CNSS, frozenset({"dependant"})),
    "acknowledgement": (
        CNSS_TO_RNA,
        frozenset({"immatriculation", "rejection", "dependant_decision"}),
    ),
    "payments": (CNSS_TO_RNA, frozenset({"payment"})),
    "rights": (CNSS_TO_RNA, frozenset({"rights"})),
}

REGISTRATION_NUMBER = re.compile(r"^[1-9][0-9]{9}$")
CNSS_NUMBER = re.compile(r"^[0-9]{9}$")
CNIE = re.compile(r"^[A-Z]{1,2}[0-9]{5,7}$")
PERIOD = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$")
AMOUNT = re.compile(r"^[0-9]{1,7}\.[0-9]{2}$")
CODE = re.compile(r"^[A-Z][A-Z0-9_]{1,39}$")
DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


class LineError(Exception):
    """One record line is refused; the others of the batch are not concerned."""

    def __init__(self, code: str, field: str = "", **params):
        self.code = code
        self.field = field
        self.params = params
        super().__init__(f"{code} {field} {params}".strip())


def _text(value: dict, name: str, *, max_length: int = 100, required: bool = True) -> str:
    item = value.get(name)
    if item is None or item == "":
        if required:
            raise LineError("missing_field", name)
        return ""
    if not isinstance(item, str) or len(item) > max_length or not item.isprintable():
        raise LineError("bad_field", name)
    return item


def _match(value: dict, name: str, pattern: re.Pattern, *, required: bool = True) -> str:
    item = _text(value, name, required=required)
    if item and not pattern.match(item):
        raise LineError("bad_field", name)
    return item


def _date(value: dict, name: str, *, required: bool = True) -> date | None:
    item = _text(value, name, max_length=10, required=required)
    if not item:
        return None
    if not DATE.match(item):
        raise LineError("bad_field", name)
    try:
        return date.fromisoformat(item)
    except ValueError:
        raise LineError("bad_field", name) from None


def _bool(value: dict, name: str) -> bool:
    item = value.get(name, False)
    if not isinstance(item, bool):
        raise LineError("bad_field", name)
    return item


def _choice(value: dict, name: str, choices: set[str]) -> str:
    item = _text(value, name)
    if item not in choices:
        raise LineError("bad_field", name)
    return item


def _int(value: dict, name: str) -> int:
    item = value.get(name)
    if item is None:
        raise LineError("missing_field", name)
    if type(item) is not int or not 0 < item < 2**63:
        raise LineError("bad_field", name)
    return item


def _amount(value: dict, name: str) -> Decimal:
    item = value.get(name)
    if item is None:
        raise LineError("missing_field", name)
    if not isinstance(item, str) or not AMOUNT.match(item):
        raise LineError("amount_precision", name)
    try:
        amount = Decimal(item)
    except InvalidOperation:
        raise LineError("amount_precision", name) from None
    if amount <= 0:
        raise LineError("bad_field", name)
    return amount


def _person(value: dict) -> dict:
    return {
        "number": _match(value, "number", REGISTRATION_NUMBER),
        "cnie": _match(value, "cnie", CNIE),
        "first_name_ar": _text(value, "first_name_ar"),
        "last_name_ar": _text(value, "last_name_ar"),
        "first_name_latin": _text(value, "first_name_latin"),
        "last_name_latin": _text(value, "last_name_latin"),
        "sex": _choice(value, "sex", {"F", "M"}),
        "birth_date": _date(value, "birth_date"),
        "phone": _text(value, "phone", max_length=16, required=False),
        "province": _text(value, "province", max_length=12),
        "commune": _text(value, "commune", max_length=16),
        "category": _text(value, "category", max_length=20),
        "activity": _text(value, "activity", max_length=16),
        "approved_on": _date(value, "approved_on"),
    }


def validate_record(kind: str, value: dict) -> dict:
    """The record, with typed values, or a LineError naming the field at fault."""
    types = KINDS[kind][1]
    kind_of_record = value.get("type")
    if not isinstance(kind_of_record, str) or kind_of_record not in types:
        raise LineError("wrong_type", "type")
    if kind_of_record == "pre_registration":
        return {"type": kind_of_record, **_person(value)}
    if kind_of_record == "update":
        return {
            "type": kind_of_record,
            **_person(value),
            "status": _text(value, "status", max_length=20),
        }
    if kind_of_record == "dependant":
        return {
            "type": kind_of_record,
            "number": _match(value, "number", REGISTRATION_NUMBER),
            "dependant_id": _int(value, "dependant_id"),
            "relation": _choice(value, "relation", {"spouse", "child"}),
            "first_name_ar": _text(value, "first_name_ar", required=False),
            "last_name_ar": _text(value, "last_name_ar", required=False),
            "first_name_latin": _text(value, "first_name_latin"),
            "last_name_latin": _text(value, "last_name_latin"),
            "birth_date": _date(value, "birth_date"),
            "cnie": _match(value, "cnie", CNIE, required=False),
            "student": _bool(value, "student"),
            "disabled": _bool(value, "disabled"),
            "eligible_until": _date(value, "eligible_until", required=False),
        }
    if kind_of_record == "immatriculation":
        return {
            "type": kind_of_record,
            "number": _match(value, "number", REGISTRATION_NUMBER),
            "cnss_number": _match(value, "cnss_number", CNSS_NUMBER),
            "on": _date(value, "on"),
        }
    if kind_of_record == "rejection":
        return {
            "type": kind_of_record,
            "number": _match(value, "number", REGISTRATION_NUMBER),
            "code": _match(value, "code", CODE),
            "reason": _text(value, "reason", max_length=500),
        }
    if kind_of_record == "dependant_decision":
        return {
            "type": kind_of_record,
            "number": _match(value, "number", REGISTRATION_NUMBER),
            "dependant_id": _int(value, "dependant_id"),
            "accepted": _bool(value, "accepted"),
            "reason": _text(value, "reason", max_length=500, required=False),
        }
    if kind_of_record == "payment":
        return {
            "type": kind_of_record,
            "number": _match(value, "number", REGISTRATION_NUMBER),
            "period": _match(value, "period", PERIOD),
            "amount": _amount(value, "amount"),
            "paid_on": _date(value, "paid_on"),
            "reference": _match(value, "reference", re.compile(r"^[A-Za-z0-9._-]{1,40}$")),
        }
    return {
        "type": kind_of_record,
        "number": _match(value, "number", REGISTRATION_NUMBER),
        "status": _choice(value, "status", {"open", "suspended", "closed"}),
        "on": _date(value, "on"),
    }
