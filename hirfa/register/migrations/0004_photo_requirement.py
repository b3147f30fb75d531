"""A recent identity photo for artisans and master artisans (for the professional card)."""

from django.db import migrations

PHOTO = {
    "name_ar": "صورة شخصية حديثة",
    "name_fr": "Photo d'identité récente",
    "name_en": "Recent identity photo",
    "required": True,
}
NATURAL_PERSON_CATEGORIES = ("artisan_diploma", "artisan_experience", "master")


def add_photo(apps, schema_editor):
    DocumentRequirement = apps.get_model("register", "DocumentRequirement")
    for category in NATURAL_PERSON_CATEGORIES:
        last = (
            DocumentRequirement.objects.filter(category=category)
            .order_by("-position")
            .values_list("position", flat=True)
            .first()
        )
        DocumentRequirement.objects.get_or_create(
            category=category,
            code="photo",
            defaults={**PHOTO, "position": (last or 0) + 1},
        )


def remove_photo(apps, schema_editor):
    DocumentRequirement = apps.get_model("register", "DocumentRequirement")
    DocumentRequirement.objects.filter(
        category__in=NATURAL_PERSON_CATEGORIES, code="photo"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("register", "0003_registrant_fields_shared")]
    operations = [migrations.RunPython(add_photo, remove_photo)]
