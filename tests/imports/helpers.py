"""Legacy lists written for the import tests."""

import csv

from tests.factories import TIZNIT_CITY

HEADER = [
    "CIN",
    "Nom_ar",
    "Prenom_ar",
    "Nom",
    "Prénom",
    "Sexe",
    "Date de naissance",
    "Lieu de naissance",
    "Adresse",
    "Commune",
    "Téléphone",
    "Education",
    "Categorie",
    "Activite",
    "Activites secondaires",
    "Lieu de travail",
    "Numero",
]


def row(index: int, activities, **overrides) -> dict:
    values = {
        "CIN": f"JT{index:06d}",
        "Nom_ar": "أيت لحسن",
        "Prenom_ar": "فاضمة",
        "Nom": "Ait Lahcen",
        "Prénom": "Fadma",
        "Sexe": "F",
        "Date de naissance": "14/03/1978",
        "Lieu de naissance": "Tiznit",
        "Adresse": "12 Derb Idzikri",
        "Commune": TIZNIT_CITY,
        "Téléphone": f"06{index:08d}",
        "Education": "primary",
        "Categorie": "artisan_experience",
        "Activite": activities[0],
        "Activites secondaires": activities[1],
        "Lieu de travail": "workshop",
        "Numero": f"TZ-{index}",
    }
    return values | overrides


def write_csv(path, rows, delimiter=";"):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, HEADER, delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_xlsx(path, rows):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADER)
    for values in rows:
        sheet.append([values[column] for column in HEADER])
    workbook.save(path)
    return path


def activity_codes():
    from hirfa.crafts.models import Activity

    return list(
        Activity.objects.filter(is_active=True).order_by("code").values_list("code", flat=True)[:2]
    )
