"""The columns of a legacy list and how their values are read (see docs/import.md).

Files are read row by row (the csv module; openpyxl in read-only mode), so memory
stays flat whatever the size of the file.
"""

import csv
import unicodedata
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from hirfa.core.languages import interpolate_lazy

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


class Unreadable(FileProblem):
    """Reading the file failed (encoding, damaged content)."""


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


# A legacy list has about twenty columns; a workbook may declare 16,384 (its `dimension`),
# which openpyxl would pad every row to.
MAX_COLUMNS = 256
# Parts of a workbook smaller than this are not judged by their compression ratio.
_RATIO_FLOOR = 1024 * 1024
_UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")
_SAVE_AS_CSV_UTF8 = interpolate_lazy(
    _("Save it as “%(format)s” and import it again."), {"format": "CSV UTF-8"}
)
_CSV_OR_XLSX = _("Import a CSV or an XLSX file.")


def _check_text(path: Path) -> None:
    """FileProblem unless the file is UTF-8 text, naming the first line at fault."""
    with open(path, "rb") as handle:
        if handle.read(2) in _UTF16_MARKS:
            raise FileProblem(_("The file is in UTF-16.") + " " + _SAVE_AS_CSV_UTF8)
        handle.seek(0)
        for number, line in enumerate(handle, start=1):
            if b"\x00" in line:
                raise FileProblem(
                    _("The file is not a text file (line %(line)s).") % {"line": number}
                    + " "
                    + _CSV_OR_XLSX
                )
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                raise FileProblem(
                    _("The file is not in UTF-8 (line %(line)s).") % {"line": number}
                    + " "
                    + _SAVE_AS_CSV_UTF8
                ) from None


def _check_workbook(path: Path) -> None:
    """FileProblem unless the file is a zip holding a workbook whose parts, as the zip
    declares them (Python's zip reader never decompresses past the declared size), stay
    within IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES and IMPORT_XLSX_MAX_RATIO."""
    not_a_workbook = FileProblem(_("The file is not an XLSX workbook.") + " " + _CSV_OR_XLSX)
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        raise not_a_workbook from None
    if "xl/workbook.xml" not in {part.filename for part in parts}:
        raise not_a_workbook
    limit = settings.IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES
    if sum(part.file_size for part in parts) > limit:
        raise FileProblem(
            _(
                "The XLSX file is too large once uncompressed (more than %(size)s MB). "
                "Split it or import a CSV file."
            )
            % {"size": round(limit / 1_048_576)}
        )
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > _RATIO_FLOOR and ratio > settings.IMPORT_XLSX_MAX_RATIO:
            raise FileProblem(
                _(
                    "The XLSX file is compressed suspiciously much (%(part)s). "
                    "Save it again or import a CSV file."
                )
                % {"part": part.filename[:100]}
            )


def check_file(path: Path, fmt: str) -> None:
    """FileProblem unless the file can be imported: run before anything is written.

    A CSV is read through once (encoding, cells within the csv module's limit, header); a
    workbook is measured from its zip directory, then its header read."""
    if fmt == "csv":
        _check_text(path)
    else:
        _check_workbook(path)
    rows = read_rows(path, fmt)
    header = next(rows, None)
    if header is None:
        raise FileProblem(_("The file is empty."))
    map_header(header)
    if fmt == "csv":
        for _row in rows:
            pass


def _csv_rows(path: Path) -> Iterator[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        try:
            sample = handle.read(65536)
        except UnicodeDecodeError:
            raise Unreadable(_("The file is not in UTF-8.") + " " + _SAVE_AS_CSV_UTF8) from None
        handle.seek(0)
        try:
            dialect = csv.Sniffer().sniff(sample.split("\n", 1)[0], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        reader = csv.reader(handle, dialect)
        try:
            yield from reader
        except csv.Error:
            raise Unreadable(
                _(
                    "Line %(line)s: a cell is longer than %(limit)s characters, "
                    "or a quote is not closed."
                )
                % {"line": reader.line_num, "limit": csv.field_size_limit()}
            ) from None
        except UnicodeDecodeError:
            raise Unreadable(
                _("The file is not in UTF-8 (line %(line)s).") % {"line": reader.line_num + 1}
                + " "
                + _SAVE_AS_CSV_UTF8
            ) from None


def _xlsx_rows(path: Path) -> Iterator[list[str]]:
    number = 0
    from openpyxl import load_workbook  # at use, not at start-up (ADR 0090)

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises whatever its zip and XML readers raise
        raise Unreadable(_("The file is not an XLSX workbook.") + " " + _CSV_OR_XLSX) from None
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # do not pad rows to the width the file declares
        for row in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
            number += 1
            yield [_text(value) for value in row]
    except Exception:
        raise Unreadable(
            # Rows are numbered as in the report: the header is not counted.
            _("The XLSX workbook is damaged after row %(row)s.") % {"row": max(number - 1, 0)}
        ) from None
    finally:
        workbook.close()


def read_rows(path: Path, fmt: str) -> Iterator[list[str]]:
    """The header, then each row, as lists of text; blank rows are kept (numbering).
    FileProblem when the file turns out unreadable (check_file finds it first)."""
    return _csv_rows(path) if fmt == "csv" else _xlsx_rows(path)


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
