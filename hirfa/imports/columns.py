"""The columns of a legacy list and how their values are read (see docs/import.md).

Files are read row by row (the csv module; openpyxl in read-only mode), so memory
stays flat whatever the size of the file.
"""

import csv
import unicodedata
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook

# Field of the register → header names accepted for it (compared folded: lower-case,
# no accents, spaces and hyphens as underscores). The first is the canonical one.
COLUMNS: dict[str, tuple[str, ...]] = {
    "cnie": ("cnie", "cin", "cni", "رقم_البطاقة_الوطنية"),
    "last_name_ar": ("last_name_ar", "nom_ar", "النسب"),
    "first_name_ar": ("first_name_ar", "prenom_ar", "الاسم"),
    "last_name_latin": ("last_name_latin", "nom", "nom_latin"),
    "first_name_latin": ("first_name_latin", "prenom", "prenom_latin"),
    "last_name_zgh": ("last_name_zgh", "nom_tifinagh"),
    "first_name_zgh": ("first_name_zgh", "prenom_tifinagh"),
    "sex": ("sex", "sexe"),
    "birth_date": ("birth_date", "date_naissance", "date_de_naissance"),
    "birth_place": ("birth_place", "lieu_naissance", "lieu_de_naissance"),
    "address": ("address", "adresse"),
    "commune": ("commune", "code_commune"),
    "phone": ("phone", "telephone", "tel", "gsm"),
    "email": ("email", "e_mail", "courriel"),
    "education": ("education", "niveau_scolaire"),
    "category": ("category", "categorie"),
    "principal_activity": ("principal_activity", "activity", "activite", "code_activite"),
    "secondary_activities": ("secondary_activities", "activites_secondaires"),
    "workplace_kind": ("workplace_kind", "lieu_de_travail", "type_lieu_travail"),
    "workplace_commune": ("workplace_commune", "commune_travail", "commune_de_travail"),
    "workplace_address": ("workplace_address", "adresse_travail", "adresse_de_travail"),
    "legacy_number": ("legacy_number", "numero", "numero_chambre", "n_chambre"),
}
OPTIONAL = frozenset(
    {
        "last_name_zgh",
        "first_name_zgh",
        "email",
        "secondary_activities",
        "workplace_commune",
        "workplace_address",
        "legacy_number",
    }
)
SECONDARY_SEPARATORS = "|;,"
SEXES = {"M": "M", "H": "M", "F": "F", "ذ": "M", "أ": "F"}
FORMATS = ("csv", "xlsx")


class FileProblem(Exception):
    """The file cannot be imported at all (format, header)."""


def _folded_header(text) -> str:
    text = unicodedata.normalize("NFKD", str(text or "").strip().lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return "_".join(text.replace("-", " ").replace("'", " ").split())


_ALIASES = {alias: field for field, aliases in COLUMNS.items() for alias in aliases}


def map_header(header: list) -> dict[str, int]:
    """Field → position in the row; FileProblem if a required column is missing."""
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        field = _ALIASES.get(_folded_header(name))
        if field and field not in positions:
            positions[field] = index
    missing = [f for f in COLUMNS if f not in OPTIONAL and f not in positions]
    if missing:
        raise FileProblem(
            _("Columns missing from the header: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    return positions


def file_format(path: Path) -> str:
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise FileProblem(_("Import a CSV or an XLSX file."))
    return suffix


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_rows(path: Path, fmt: str) -> Iterator[list[str]]:
    """The header, then each row, as lists of text; blank rows are kept (numbering)."""
    if fmt == "csv":
        with open(path, encoding="utf-8-sig", newline="") as handle:
            sample = handle.read(65536)
            handle.seek(0)
            try:
                dialect = csv.Sniffer().sniff(sample.split("\n", 1)[0], delimiters=",;\t")
            except csv.Error:
                dialect = csv.excel
            for row in csv.reader(handle, dialect):
                yield row
        return
    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            yield [_text(value) for value in row]
    finally:
        workbook.close()


def _date_text(value: str) -> str:
    """Legacy lists write dates 14/03/1978 (French habit) or 1978-03-14."""
    parts = value.replace("-", "/").replace(".", "/").split("/")
    if len(parts) == 3 and len(parts[2]) == 4 and len(parts[0]) <= 2:
        day, month, year = parts
        return (
            f"{year}-{int(month):02d}-{int(day):02d}"
            if month.isdigit() and day.isdigit()
            else value
        )
    return value


def _phone_text(value: str) -> str:
    # Spreadsheets drop the leading zero of 0612345678.
    return f"0{value}" if len(value) == 9 and value.isdigit() and value[0] in "567" else value


def row_data(row: list[str], positions: dict[str, int]) -> dict:
    """The row as the dictionaries the register's validation takes (see docs/import.md)."""
    values = {
        field: (row[index].strip() if index < len(row) and row[index] is not None else "")
        for field, index in positions.items()
    }
    sex = values.get("sex", "").upper()[:1]
    secondary = values.get("secondary_activities", "")
    for separator in SECONDARY_SEPARATORS:
        secondary = secondary.replace(separator, " ")
    person = {
        field: values.get(field, "")
        for field in (
            "cnie",
            "first_name_ar",
            "last_name_ar",
            "first_name_latin",
            "last_name_latin",
            "first_name_zgh",
            "last_name_zgh",
            "birth_place",
            "address",
            "commune",
            "email",
            "education",
        )
    }
    person["sex"] = SEXES.get(sex, sex)
    person["birth_date"] = _date_text(values.get("birth_date", ""))
    person["phone"] = _phone_text(values.get("phone", ""))
    craft = {
        "category": values.get("category", ""),
        "principal_activity": values.get("principal_activity", ""),
        "secondary_activities": secondary.split(),
        "workplace_kind": values.get("workplace_kind", ""),
        "workplace_commune": values.get("workplace_commune") or person["commune"],
        "workplace_address": values.get("workplace_address") or person["address"],
    }
    return {"person": person, "craft": craft, "legacy_number": values.get("legacy_number", "")}


def header_of(field: str, header: list, positions: dict[str, int]) -> str:
    """The file's own name of the column behind `field` (for the error report)."""
    if field in positions:
        return str(header[positions[field]])
    if field in ("workplace_commune", "workplace_address"):
        fallback = {"workplace_commune": "commune", "workplace_address": "address"}[field]
        return str(header[positions[fallback]]) if fallback in positions else field
    return field
