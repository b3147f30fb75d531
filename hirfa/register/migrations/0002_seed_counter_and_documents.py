import json
from pathlib import Path

from django.db import migrations

DOCUMENTS = Path(__file__).resolve().parent.parent / "data" / "documents.json"
# Numbers start at 100000001: never a leading zero, never mistaken for a phone number.
FIRST_SERIAL = 100_000_001


def seed(apps, schema_editor):
    NumberCounter = apps.get_model("register", "NumberCounter")
    NumberCounter.objects.get_or_create(name="national", defaults={"last": FIRST_SERIAL - 1})
    DocumentRequirement = apps.get_model("register", "DocumentRequirement")
    requirements = json.loads(DOCUMENTS.read_text(encoding="utf-8"))["requirements"]
    for position, row in enumerate(requirements):
        DocumentRequirement.objects.get_or_create(
            category=row["category"],
            code=row["code"],
            defaults={
                "name_ar": row["name_ar"],
                "name_fr": row["name_fr"],
                "name_en": row["name_en"],
                "position": position,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("register", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
