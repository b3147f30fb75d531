"""Demo accounts, one per role, for `make run`. Never used outside demo mode."""

from django.utils.translation import gettext_lazy as _

from hirfa.accounts.roles import Role
from hirfa.accounts.services import save_staff_member
from hirfa.territory.models import Organisation, Province, Region

# (username, role, first name, last name, organisation code, region, province)
DEMO_STAFF = [
    ("admin", Role.ADMIN, "Nadia", "Bennani", "ministry", None, None),
    ("agent.soussmassa", Role.AGENT, "Youssef", "Ait Baha", "chamber-09", "09", None),
    ("officer.tiznit", Role.OFFICER, "Khadija", "Oubella", "directorate-09-581", None, "09.581"),
    ("officer.agadir", Role.OFFICER, "Hassan", "Amrani", "directorate-09-001", None, "09.001"),
    ("cnss.liaison", Role.CNSS, "Rachid", "El Idrissi", "cnss", None, None),
    ("auditor", Role.AUDITOR, "Salma", "Tazi", "ministry", None, None),
    ("artisan", Role.ARTISAN, "Fadma", "Ait Lahcen", None, None, None),
]


def ensure_demo_accounts(password: str) -> list[tuple[str, str]]:
    """Create or refresh the demo accounts; returns (username, role label) pairs."""
    accounts = []
    for username, role, first, last, org, region, province in DEMO_STAFF:
        save_staff_member(
            username=username,
            role=role,
            password=password,
            first_name=first,
            last_name=last,
            email=f"{username}@demo.hirfa.ma",
            organisation=Organisation.objects.get(code=org) if org else None,
            scope_region=Region.objects.get(code=region) if region else None,
            scope_province=Province.objects.get(code=province) if province else None,
        )
        accounts.append((username, str(Role(role).label)))
    return accounts


DEMO_NOTICE = _("Demo accounts (password: %(password)s):")
