"""Demo accounts, one per role, for `make run`. Never used outside demo mode."""

from base64 import b32encode

from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from hirfa.accounts.policy import second_factor_required
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


# The demo accounts whose role requires a second factor share this authenticator key. It is
# PUBLIC (printed by `load_demo`, written in README): demo accounts only, never elsewhere.
DEMO_TOTP_KEY = b"hirfa-demo-2fa-key!!"
DEMO_TOTP_SECRET = b32encode(DEMO_TOTP_KEY).decode()


def ensure_demo_accounts(password: str) -> list[tuple[str, str]]:
    """Create or refresh the demo accounts; returns (username, role label) pairs.

    The accounts whose role requires a second factor get an authenticator app with the
    public demo key (docs/decisions/0038), so that `make run` shows the real login.
    """
    accounts = []
    # Argon2 is slow on purpose: the shared demo password is hashed once (for the first
    # account created), and its hash given to the others.
    hashed = None
    for username, role, first, last, org, region, province in DEMO_STAFF:
        user, created = save_staff_member(
            username=username,
            role=role,
            password=password,
            password_hash=hashed,
            first_name=first,
            last_name=last,
            email=f"{username}@demo.hirfa.ma",
            organisation=Organisation.objects.get(code=org) if org else None,
            scope_region=Region.objects.get(code=region) if region else None,
            scope_province=Province.objects.get(code=province) if province else None,
        )
        if created and hashed is None:
            hashed = user.password
        if second_factor_required(user):
            key = DEMO_TOTP_KEY.hex()
            device = TOTPDevice.objects.filter(user=user, name="demo").first()
            if device is None:
                TOTPDevice.objects.create(user=user, name="demo", key=key, confirmed=True)
            elif (device.key, device.confirmed) != (key, True):
                device.key, device.confirmed = key, True
                device.save(update_fields=["key", "confirmed"])
        accounts.append((username, str(Role(role).label)))
    return accounts


def demo_second_factor_accounts() -> list[str]:
    """The demo accounts that log in with the demo authenticator key."""
    return sorted(
        TOTPDevice.objects.filter(name="demo", key=DEMO_TOTP_KEY.hex()).values_list(
            "user__username", flat=True
        )
    )


DEMO_NOTICE = _("Demo accounts (password: %(password)s):")
DEMO_SECOND_FACTOR_NOTICE = _(
    "%(accounts)s also ask a code: add the key %(key)s to an authenticator app "
    "(or run: %(command)s)."
)
