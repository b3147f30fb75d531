"""One validation of the filters of a list of registrations (the staff list, the search, the
exports): each value asked is checked against the reference lists and the reader's territory.

A value that is not one of the offered choices is dropped and reported, with a translated
message per filter: a page shows the messages beside its results (ADR 34); an export, a file
that leaves the register, refuses instead of exporting more than was asked.
"""

import re
from dataclasses import dataclass, fields

from django.utils.translation import gettext as _

from hirfa.accounts.selectors import provinces_for, regions_for
from hirfa.crafts.models import Activity
from hirfa.register.models import Category, Dossier, Registration
from hirfa.register.rules import OPEN_STATES
from hirfa.territory.models import Commune

# Codes of the reference lists; anything else (a NUL byte, which PostgreSQL refuses in a
# query) is unknown without asking the database.
_LOOKS_LIKE_A_CODE = re.compile(r"[\w.-]+", re.ASCII)
MAX_LENGTH = 40


@dataclass(frozen=True)
class RegistrationFilters:
    region: str = ""
    province: str = ""
    # A region's or a province's code (exports: one box for either).
    territory: str = ""
    commune: str = ""
    activity: str = ""
    category: str = ""
    status: str = ""


FIELDS = tuple(field.name for field in fields(RegistrationFilters))


def status_choices(*, with_open_files: bool = False) -> list[tuple[str, str]]:
    """The statuses of registrations, and (for the search) the states of open files."""
    choices = [(s.value, s.label) for s in Registration.Status]
    if with_open_files:
        choices += [(s.value, s.label) for s in Dossier.State if s in OPEN_STATES]
    return choices


def _code(value: str) -> bool:
    return bool(_LOOKS_LIKE_A_CODE.fullmatch(value))


def _checks(user, asked: dict, with_open_files: bool) -> dict:
    """field → (is the value known?, the message when it is not)."""
    statuses = {value for value, _label in status_choices(with_open_files=with_open_files)}
    return {
        "region": (
            lambda v: _code(v) and regions_for(user).filter(code=v).exists(),
            _("Unknown region, or outside your territory."),
        ),
        "province": (
            lambda v: _code(v) and provinces_for(user).filter(code=v).exists(),
            _("Unknown province, or outside your territory."),
        ),
        "territory": (
            lambda v: (
                _code(v)
                and (
                    provinces_for(user).filter(code=v).exists()
                    or regions_for(user).filter(code=v).exists()
                )
            ),
            _("Unknown territory, or outside yours."),
        ),
        "commune": (
            lambda v: (
                _code(v)
                and Commune.objects.filter(
                    code=v, province__in=provinces_for(user), **_in_province(asked)
                ).exists()
            ),
            _("Unknown commune, or outside your territory."),
        ),
        "activity": (
            lambda v: _code(v) and Activity.objects.filter(code=v).exists(),
            _("Unknown craft activity."),
        ),
        "category": (lambda v: v in Category.values, _("Unknown category.")),
        "status": (
            lambda v: v in statuses,
            _("Unknown status."),
        ),
    }


def _in_province(asked: dict) -> dict:
    province = asked.get("province", "")
    return {"province__code": province} if province else {}


def clean_filters(
    user, params, *, only=FIELDS, with_open_files: bool = False
) -> tuple[RegistrationFilters, dict[str, str]]:
    """The filters of `only` asked in `params`, each kept if it is one of the offered choices;
    the others dropped, and reported as {field: message}."""
    asked = {
        name: str(params.get(name) or "").strip()[:MAX_LENGTH] for name in only if name in FIELDS
    }
    checks = _checks(user, asked, with_open_files)
    kept, problems = {}, {}
    for name, value in asked.items():
        if not value:
            continue
        known, message = checks[name]
        if known(value):
            kept[name] = value
        else:
            problems[name] = message
    if "commune" in kept and "province" in problems:
        del kept["commune"]  # a commune is only offered within a chosen province
    return RegistrationFilters(**kept), problems


def ignored(problems: dict[str, str]) -> list[str]:
    """What a page says of the filters it dropped."""
    return [
        _("%(problem)s That filter was ignored.") % {"problem": message}
        for message in problems.values()
    ]
