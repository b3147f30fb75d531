"""Reading a crafts nomenclature file (JSON or CSV): the whole file validated, every problem
reported with its place, before anything touches the database (`services.load_nomenclature`).
"""

import csv
import hashlib
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from hirfa.core.errors import DomainError
from hirfa.core.validators import (
    has_invisible_characters,
    is_arabic_script,
    is_tifinagh_script,
)

FORMAT = "hirfa-crafts-nomenclature/1"
DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "nomenclature.json"
CODE_PATTERN = r"[0-9A-Za-z][0-9A-Za-z._-]{0,15}"
NAME_MAX_LENGTH = 200
VERSION_MAX_LENGTH = 64
CSV_COLUMNS = (
    "category_code",
    "category_name_ar",
    "category_name_fr",
    "category_name_zgh",
    "branch_code",
    "branch_name_ar",
    "branch_name_fr",
    "branch_name_zgh",
    "activity_code",
    "activity_name_ar",
    "activity_name_fr",
    "activity_name_zgh",
)
LEVELS = ("categories", "branches", "activities")
COUNTS = ("created", "updated", "reordered", "reactivated", "retired", "unchanged")
# Enough to fix a converted spreadsheet in one pass without flooding the terminal.
MAX_REPORTED_PROBLEMS = 50

_CODE = re.compile(CODE_PATTERN, re.ASCII)
_WHITESPACE = re.compile(r"\s+")

_WHERE_CODE = {
    "category": gettext_lazy("category %(code)s"),
    "branch": gettext_lazy("branch %(code)s"),
    "activity": gettext_lazy("activity %(code)s"),
}
_WHERE_NUMBER = {
    "category": gettext_lazy("category no. %(number)d"),
    "branch": gettext_lazy("branch no. %(number)d of %(parent)s"),
    "activity": gettext_lazy("activity no. %(number)d of %(parent)s"),
}


@dataclass(frozen=True)
class Entry:
    code: str
    name_ar: str
    name_fr: str
    name_zgh: str
    position: int
    parent: str | None = None


@dataclass
class ParsedNomenclature:
    version: str
    provisional: bool
    source: str
    checksum: str
    categories: list[Entry] = field(default_factory=list)
    branches: list[Entry] = field(default_factory=list)
    activities: list[Entry] = field(default_factory=list)


class _Problems:
    """Problems found in a file, reported together so that one pass fixes them all."""

    def __init__(self):
        self.items: list[tuple[str, str]] = []

    def add(self, key: str, where: str, problem: str) -> None:
        self.items.append((key, _("%(where)s: %(problem)s") % {"where": where, "problem": problem}))

    def raise_if_any(self) -> None:
        if not self.items:
            return
        fields: dict[str, list[str]] = {}
        for key, message in self.items[:MAX_REPORTED_PROBLEMS]:
            fields.setdefault(key, []).append(message)
        first = self.items[0][1]
        if len(self.items) == 1:
            message = _("The nomenclature file is not valid: %(problem)s") % {"problem": first}
        else:
            message = ngettext(
                "The nomenclature file has %(count)d problem; the first: %(problem)s",
                "The nomenclature file has %(count)d problems; the first: %(problem)s",
                len(self.items),
            ) % {"count": len(self.items), "problem": first}
        raise DomainError(message, fields=fields)


def _invalid(problem: str) -> DomainError:
    return DomainError(_("The nomenclature file is not valid: %(problem)s") % {"problem": problem})


# Reading and validating


def read_nomenclature(
    path: str | Path | None = None,
    *,
    version: str | None = None,
    provisional: bool | None = None,
    source: str | None = None,
) -> ParsedNomenclature:
    """Parse and validate a nomenclature file, JSON or CSV, without writing anything.

    For JSON the file carries its version, provisional flag and source; arguments
    given here override them. A CSV file carries none, so `version` is required
    and the list is provisional unless `provisional=False` says it is official.
    """
    path = Path(path) if path is not None else DEFAULT_FILE
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise DomainError(
            _("The file %(path)s cannot be read: %(error)s")
            % {"path": path, "error": error.strerror or error}
        ) from error
    checksum = hashlib.sha256(raw).hexdigest()
    try:
        # utf-8-sig: spreadsheets save "CSV UTF-8" with a byte order mark.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _invalid(
            _("it is not UTF-8 text (byte %(position)d); save it as UTF-8.")
            % {"position": error.start}
        ) from error
    if not text.strip():
        raise _invalid(_("the file is empty."))
    if version is not None:
        version = version.strip()
        if not version or len(version) > VERSION_MAX_LENGTH:
            raise _invalid(
                _("the version must have between 1 and %(limit)d characters.")
                % {"limit": VERSION_MAX_LENGTH}
            )
    if text.lstrip().startswith(("{", "[")):
        parsed = _parse_json(text, checksum)
        if version is not None:
            parsed.version = version
        if provisional is not None:
            parsed.provisional = provisional
        if source is not None:
            parsed.source = source
        return parsed
    if version is None:
        raise DomainError(
            _("A CSV file does not say which version of the list it holds: give the version.")
        )
    parsed = _parse_csv(text, checksum)
    parsed.version = version
    parsed.provisional = True if provisional is None else provisional
    parsed.source = source if source is not None else path.name
    return parsed


def _normalise(value: str) -> str:
    return _WHITESPACE.sub(" ", value).strip()


def _code_problem(value: str) -> str | None:
    if not value:
        return _("the code is missing.")
    if not _CODE.fullmatch(value):
        return _(
            "the code %(code)s is not valid: use up to 16 letters, digits, dots, hyphens or "
            "underscores, starting with a letter or a digit."
        ) % {"code": value}
    return None


def _name_problem(language: str, value: str) -> str | None:
    if len(value) > NAME_MAX_LENGTH:
        return _("the name is longer than %(limit)d characters.") % {"limit": NAME_MAX_LENGTH}
    # Joiners shape Arabic legitimately; every other invisible character
    # would make two identical-looking names differ.
    if has_invisible_characters(value, allow_joiners=True):
        return _("the name contains invisible or control characters.")
    if language == "ar":
        if not value:
            return _("the Arabic name is missing.")
        # The name of an activity, not of a person: digits and punctuation may appear.
        if not is_arabic_script(value, punctuation=None):
            return _("the Arabic name must be written in Arabic script only.")
    elif language == "fr":
        if not value:
            return _("the French name is missing.")
    elif value and not is_tifinagh_script(value):
        return _("the Tamazight name must be empty or written in Tifinagh only.")
    return None


def _clean_entry(
    problems: _Problems,
    *,
    key: str,
    where: str,
    values: Mapping,
    columns: Mapping[str, str],
) -> dict | None:
    """The code and names of one entry, or None after recording what is wrong with it.

    `columns` maps code/name_ar/name_fr/name_zgh to the keys used by the file.
    """
    cleaned = {}
    for name, column in columns.items():
        if column not in values:
            problems.add(f"{key}.{column}", where, _("%(field)s is missing.") % {"field": column})
            continue
        value = values[column]
        if value is None:
            value = ""
        if not isinstance(value, str):
            problems.add(f"{key}.{column}", where, _("%(field)s must be text.") % {"field": column})
            continue
        value = _normalise(value)
        problem = _code_problem(value) if name == "code" else _name_problem(name[5:], value)
        if problem:
            problems.add(f"{key}.{column}", where, problem)
            continue
        cleaned[name] = value
    return cleaned if len(cleaned) == len(columns) else None


def _where(level: str, code: object, number: int, parent: str = "") -> str:
    """How to point at an entry in a message: by its code, else by its place."""
    if isinstance(code, str) and _CODE.fullmatch(code.strip()):
        return str(_WHERE_CODE[level]) % {"code": code.strip()}
    return _place(level, number, parent)


def _place(level: str, number: int, parent: str = "") -> str:
    return str(_WHERE_NUMBER[level]) % {"number": number, "parent": parent}


class _CodeRegister:
    """Codes seen so far: a code names exactly one entry across the whole file."""

    def __init__(self, problems: _Problems):
        self.problems = problems
        self.seen: dict[str, str] = {}

    def claim(self, code: str, key: str, where: str) -> bool:
        """Record the code for the entry at `where`, which must name a place, not a code."""
        if code in self.seen:
            self.problems.add(
                key,
                where,
                _("the code %(code)s is already used by %(other)s.")
                % {"code": code, "other": self.seen[code]},
            )
            return False
        self.seen[code] = where
        return True


_JSON_COLUMNS = {"code": "code", "name_ar": "name_ar", "name_fr": "name_fr", "name_zgh": "name_zgh"}


def _parse_json(text: str, checksum: str) -> ParsedNomenclature:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise _invalid(
            _(
                "it is not well-formed JSON (line %(line)d, column %(column)d: %(error)s); "
                "it may be truncated."
            )
            % {"line": error.lineno, "column": error.colno, "error": error.msg}
        ) from error
    if not isinstance(data, dict):
        raise _invalid(_("the JSON file must hold one object."))
    if data.get("format") != FORMAT:
        raise _invalid(
            _("its format is %(found)s, but %(expected)s is expected.")
            % {"found": json.dumps(data.get("format")), "expected": FORMAT}
        )
    version = data.get("version")
    if not isinstance(version, str) or not version.strip() or len(version) > VERSION_MAX_LENGTH:
        raise _invalid(
            _("version must be text of 1 to %(limit)d characters.") % {"limit": VERSION_MAX_LENGTH}
        )
    provisional = data.get("provisional")
    if not isinstance(provisional, bool):
        raise _invalid(_("provisional must be true or false."))
    source = data.get("source", "")
    if not isinstance(source, str):
        raise _invalid(_("source must be text."))
    categories = data.get("categories")
    if not isinstance(categories, list) or not categories:
        raise _invalid(_("categories must be a non-empty list."))

    parsed = ParsedNomenclature(
        version=version.strip(), provisional=provisional, source=source.strip(), checksum=checksum
    )
    problems = _Problems()
    codes = _CodeRegister(problems)
    levels = (
        ("category", "branches", parsed.categories),
        ("branch", "activities", parsed.branches),
        ("activity", None, parsed.activities),
    )

    def walk(items, depth: int, key: str, parent_code: str | None, parent_where: str) -> None:
        level, children_key, entries = levels[depth]
        for index, item in enumerate(items):
            item_key = f"{key}.{index}"
            if not isinstance(item, dict):
                where = _where(level, None, index + 1, parent_where)
                problems.add(item_key, where, _("this entry must be an object."))
                continue
            where = _where(level, item.get("code"), index + 1, parent_where)
            values = _clean_entry(
                problems, key=item_key, where=where, values=item, columns=_JSON_COLUMNS
            )
            place = _place(level, index + 1, parent_where)
            if values and codes.claim(values["code"], f"{item_key}.code", place):
                entries.append(Entry(**values, position=len(entries) + 1, parent=parent_code))
            if children_key is None:
                continue
            children = item.get(children_key)
            if children_key not in item:
                problems.add(
                    f"{item_key}.{children_key}",
                    where,
                    _("%(field)s is missing.") % {"field": children_key},
                )
            elif not isinstance(children, list):
                problems.add(
                    f"{item_key}.{children_key}",
                    where,
                    _("%(field)s must be a list.") % {"field": children_key},
                )
            elif not children:
                problems.add(
                    f"{item_key}.{children_key}",
                    where,
                    _("%(field)s must not be empty.") % {"field": children_key},
                )
            else:
                code = values["code"] if values else None
                walk(children, depth + 1, f"{item_key}.{children_key}", code, where)

    walk(categories, 0, "categories", None, "")
    problems.raise_if_any()
    return parsed


def _parse_csv(text: str, checksum: str) -> ParsedNomenclature:
    first_line = text.lstrip().split("\n", 1)[0]
    # Spreadsheets set to French write semicolons between cells.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    parsed = ParsedNomenclature(version="", provisional=True, source="", checksum=checksum)
    problems = _Problems()
    codes = _CodeRegister(problems)
    categories: dict[str, tuple[Entry, int]] = {}
    branches: dict[str, tuple[Entry, int]] = {}
    try:
        header = next(reader)
        while not any(cell.strip() for cell in header):
            header = next(reader)
        header = [cell.strip().lower() for cell in header]
        missing = [column for column in CSV_COLUMNS if column not in header]
        if missing:
            raise _invalid(
                _("the CSV header lacks the columns %(columns)s.") % {"columns": ", ".join(missing)}
            )
        duplicated = sorted({column for column in header if column and header.count(column) > 1})
        if duplicated:
            raise _invalid(
                _("the CSV header repeats the columns %(columns)s.")
                % {"columns": ", ".join(duplicated)}
            )
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            # Spreadsheets often pad rows with empty trailing cells; a short row, or
            # one with content beyond the header, is a damaged file.
            if len(row) < len(header) or any(cell.strip() for cell in row[len(header) :]):
                problems.add(
                    f"line.{line}",
                    _("line %(line)d") % {"line": line},
                    _("it has %(found)d cells where the header has %(expected)d.")
                    % {"found": len(row), "expected": len(header)},
                )
                continue
            cells = dict(zip(header, row[: len(header)], strict=True))
            _read_csv_row(problems, codes, parsed, categories, branches, cells, line)
    except csv.Error as error:
        raise _invalid(
            _("the CSV is not well formed near line %(line)d (%(error)s); it may be truncated.")
            % {"line": reader.line_num, "error": error}
        ) from error
    if not parsed.activities and not problems.items:
        raise _invalid(_("the CSV file has a header but no activities."))
    problems.raise_if_any()
    return parsed


def _read_csv_row(problems, codes, parsed, categories, branches, cells, line) -> None:
    where = _("line %(line)d") % {"line": line}
    key = f"line.{line}"

    def level_values(prefix: str):
        columns = {name: f"{prefix}_{name}" for name in ("code", "name_ar", "name_fr", "name_zgh")}
        return _clean_entry(problems, key=key, where=where, values=cells, columns=columns)

    def known(level: str, values, seen: dict, parent: str | None) -> str | None:
        """The code of a category or branch repeated on this row, checked against its first row."""
        entry, first_line = seen[values["code"]]
        names = (values["name_ar"], values["name_fr"], values["name_zgh"])
        if names != (entry.name_ar, entry.name_fr, entry.name_zgh) or parent != entry.parent:
            problems.add(
                f"{key}.{level}_code",
                where,
                _("%(entry)s is described differently than on line %(first)d.")
                % {
                    "entry": str(_WHERE_CODE[level]) % {"code": values["code"]},
                    "first": first_line,
                },
            )
            return None
        return values["code"]

    category = level_values("category")
    category_code = None
    if category:
        if category["code"] in categories:
            category_code = known("category", category, categories, None)
        elif codes.claim(category["code"], f"{key}.category_code", where):
            entry = Entry(**category, position=len(parsed.categories) + 1)
            parsed.categories.append(entry)
            categories[entry.code] = (entry, line)
            category_code = entry.code

    branch = level_values("branch")
    branch_code = None
    if branch and category_code:
        if branch["code"] in branches:
            branch_code = known("branch", branch, branches, category_code)
        elif codes.claim(branch["code"], f"{key}.branch_code", where):
            entry = Entry(**branch, position=len(parsed.branches) + 1, parent=category_code)
            parsed.branches.append(entry)
            branches[entry.code] = (entry, line)
            branch_code = entry.code

    activity = level_values("activity")
    if activity and branch_code and codes.claim(activity["code"], f"{key}.activity_code", where):
        parsed.activities.append(
            Entry(**activity, position=len(parsed.activities) + 1, parent=branch_code)
        )


# Applying
