"""The published figures and rules (docs/coverage.md gives their sources)."""

from datetime import date
from decimal import Decimal

from django.db import migrations

# Monthly minimum wage (SMIG) reference used by the decree of December 2021: 2,828.71 MAD.
SMIG = Decimal("2828.71")
RATE = Decimal("6.370")
DECREE_2021 = "Decree of December 2021 (AMO of artisans registered in the RNA); domain.md"

SCHEDULE = [
    # category, multiple of the reference, published monthly amount
    ("rna", Decimal("0.75"), Decimal("135.00"), DECREE_2021 + ": 135 MAD/month"),
    ("fiscal_1", Decimal("1"), None, "Law 98-15, decree 2.18.622: flat-rate income 1 × SMIG"),
    ("fiscal_3_2", Decimal("3.2"), None, "Law 98-15, decree 2.18.622: flat-rate income 3.2 × SMIG"),
    ("fiscal_6", Decimal("6"), None, "Law 98-15, decree 2.18.622: flat-rate income 6 × SMIG"),
]

RULES = [
    ("spouse", "spouse", None, False, False, False, ["family_record"], True,
     "Law 65-00 art. 5 (AMO): the spouse"),
    ("child-21", "child", 21, False, False, False, ["birth_certificate"], True,
     "Law 65-00 art. 5: children 21 years at most (secondary source)"),
    ("child-26-student", "child", 26, True, True, False,
     ["birth_certificate", "school_certificate"], True,
     "Law 65-00 art. 5: up to 26 unmarried and in higher education (secondary source)"),
    ("child-disabled", "child", None, False, False, True,
     ["birth_certificate", "disability_certificate"], False,
     "UNCONFIRMED: disabled children without age limit; activate once confirmed"),
]


def seed(apps, schema_editor):
    ContributionRate = apps.get_model("coverage", "ContributionRate")
    EligibilityRule = apps.get_model("coverage", "EligibilityRule")
    CoverageRules = apps.get_model("coverage", "CoverageRules")
    for category, multiple, amount, source in SCHEDULE:
        basis = (SMIG * multiple).quantize(Decimal("0.01"))
        amount = amount or (basis * RATE / 100).quantize(Decimal("0.01"))
        ContributionRate.objects.get_or_create(
            category=category,
            starts_on=date(2022, 1, 1),
            defaults={"basis": basis, "rate": RATE, "monthly_amount": amount, "source": source},
        )
    for code, relation, age, student, unmarried, disabled, documents, active, source in RULES:
        EligibilityRule.objects.get_or_create(
            code=code,
            defaults={
                "relation": relation,
                "max_age": age,
                "requires_student": student,
                "requires_unmarried": unmarried,
                "requires_disabled": disabled,
                "documents": documents,
                "active": active,
                "source": source,
            },
        )
    CoverageRules.objects.get_or_create(
        pk=1,
        defaults={
            "waiting_months": 3,
            "suspend_after_unpaid_months": 2,
            "source": "Waiting period of 3 months stated in 2023 (UNCONFIRMED in general); "
            "suspension after 2 unpaid months UNCONFIRMED",
        },
    )


class Migration(migrations.Migration):
    dependencies = [("coverage", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
