"""Where the public finds the chambers of crafts and the provincial directorates: town,
address, phone, opening hours (`data/offices.json`). Written by `load_territory`, like the
organisations themselves; a value already set (corrected in the admin) is never replaced."""

import json
from pathlib import Path

from hirfa.territory.models import Organisation

OFFICES = Path(__file__).resolve().parent / "data" / "offices.json"
FIELDS = ("city_ar", "city_fr", "city_zgh", "address_ar", "address_fr", "phone", "hours")
KINDS = (Organisation.Kind.CHAMBER, Organisation.Kind.DIRECTORATE)


def load_offices(path: Path = OFFICES) -> int:
    """Fill the empty contact fields of the chambers and directorates; returns how many
    organisations changed. A directorate's town is its province's, unless the file says."""
    data = json.loads(path.read_text(encoding="utf-8"))
    changed = []
    organisations = Organisation.objects.filter(kind__in=KINDS).select_related("province")
    for organisation in organisations:
        wanted = {"hours": data["hours"]} | data["offices"].get(organisation.code, {})
        if organisation.kind == Organisation.Kind.DIRECTORATE:
            province = organisation.province
            for field, name in (
                ("city_ar", province.name_ar),
                ("city_fr", province.name_fr),
                ("city_zgh", province.name_zgh),
            ):
                wanted[field] = wanted.get(field) or name
        touched = False
        for field in FIELDS:
            if wanted.get(field) and not getattr(organisation, field):
                setattr(organisation, field, wanted[field])
                touched = True
        if touched:
            changed.append(organisation)
    Organisation.objects.bulk_update(changed, FIELDS, batch_size=200)
    return len(changed)
