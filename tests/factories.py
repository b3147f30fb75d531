import factory
from factory.django import DjangoModelFactory

from hirfa.accounts.models import User
from hirfa.accounts.roles import Role
from hirfa.territory.models import Province, Region

DEFAULT_PASSWORD = "correct horse battery staple"


def province(code: str) -> Province:
    return Province.objects.get(code=code)


def region(code: str) -> Region:
    return Region.objects.get(code=code)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Fatima"
    last_name = "Ait Lahcen"
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.ma")
    role = Role.ARTISAN
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def artisan_account(phone: str = "+212612345678", **kwargs) -> User:
    """An artisan's account as signing up opens it: their phone number is their username."""
    return UserFactory(role=Role.ARTISAN, username=phone, phone=phone, **kwargs)


def account_for(person, **kwargs) -> User:
    """An artisan's account (`UserFactory(**kwargs)`) that holds `person`'s file: their
    own space at /me/."""
    user = UserFactory(**kwargs)
    person.user = user
    person.save()
    return user


def officer_of(province_code: str, **kwargs) -> User:
    return UserFactory(role=Role.OFFICER, scope_province=province(province_code), **kwargs)


def agent_of(region_code: str, **kwargs) -> User:
    return UserFactory(role=Role.AGENT, scope_region=region(region_code), **kwargs)


def national(role: str = Role.ADMIN, **kwargs) -> User:
    return UserFactory(role=role, **kwargs)


# --- The register ------------------------------------------------------------------------

TIZNIT_CITY = "09.581.01.07"
AGADIR_CITY = "09.001.01.01"


def person_data(**overrides) -> dict:
    data = {
        "cnie": "JK123456",
        "first_name_ar": "فاضمة",
        "last_name_ar": "أيت لحسن",
        "first_name_latin": "Fadma",
        "last_name_latin": "Ait Lahcen",
        "sex": "F",
        "birth_date": "1978-03-14",
        "birth_place": "Tiznit",
        "address": "12 Derb Idzikri",
        "commune": TIZNIT_CITY,
        "phone": "0612345678",
        "email": "",
        "education": "primary",
    }
    return data | overrides


def craft_data(**overrides) -> dict:
    from hirfa.crafts.models import Activity

    activities = list(Activity.objects.filter(is_active=True).order_by("code")[:3])
    data = {
        "category": "artisan_experience",
        "principal_activity": activities[0].code,
        "secondary_activities": [activities[1].code],
        "workplace_kind": "workshop",
        "workplace_commune": TIZNIT_CITY,
        "workplace_address": "Atelier 4, Souk des bijoutiers",
    }
    return data | overrides


def png_upload(name: str = "cnie.png"):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 180, 150)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def pdf_upload(name: str = "attestation.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def attach_required_documents(actor, dossier, *, upload=None):
    """Attach every document the dossier's category requires. `upload(index, requirement)`
    gives each file; a PNG picture by default."""
    from hirfa.register import selectors, services

    for index, requirement in enumerate(selectors.required_documents(dossier.category)):
        services.attach_document(
            actor=actor,
            dossier=dossier,
            kind=requirement.code,
            uploaded=upload(index, requirement) if upload else png_upload(),
        )
    return dossier


def complete_dossier(agent, *, craft=None, upload=None, **person_overrides):
    """A dossier filed by an agent with every required document attached (still a draft).
    `craft` overrides `craft_data`; `upload` is `attach_required_documents`'s."""
    from hirfa.register import services

    dossier = services.file_assisted(
        agent=agent,
        person_data=person_data(**person_overrides),
        craft_data=craft_data(**(craft or {})),
        consent=True,
    )
    return attach_required_documents(agent, dossier, upload=upload)


def submitted_dossier(agent, **kwargs):
    """`complete_dossier`, sent for review."""
    from hirfa.register import services

    return services.submit(actor=agent, dossier=complete_dossier(agent, **kwargs))


def approved_dossier(*, agent=None, officer=None, **kwargs):
    """`submitted_dossier` approved: filed by an agent of Souss-Massa and approved by an
    officer of Tiznit unless others are given."""
    from hirfa.register import services

    agent = agent or agent_of("09")
    officer = officer or officer_of("09.581")
    return services.approve(officer=officer, dossier=submitted_dossier(agent, **kwargs))


def approved_registration(*, agent=None, officer=None, **kwargs):
    """The registration of an `approved_dossier`: a natural person registered in Tiznit."""
    return approved_dossier(agent=agent, officer=officer, **kwargs).registration


# --- Professional cards (hirfa.cards) ----------------------------------------------------


def use_test_signing_key(settings):
    """A card signing key in the test's own folder; `settings` is pytest-django's fixture."""
    from hirfa.cards import keys, revocations, selectors

    settings.CARD_SIGNING_KEYS_DIR = settings.VAR_DIR / "keys"
    settings.CARD_SIGNING_KEYS = ""
    revocations.forget()
    selectors.forget_statuses()
    return keys.create_key()[0]


def issued_card(run_jobs, *, officer=None, agent=None, **person_overrides):
    """A real card: a dossier filed, approved, and the issuing job run. Needs a signing key
    (`use_test_signing_key`) and pytest's `run_jobs` fixture. Its QR text: `card.qr_text`."""
    from django.test import TestCase

    from hirfa.cards import services as cards
    from hirfa.cards.models import Card
    from hirfa.register import services

    officer = officer or officer_of("09.581")
    agent = agent or agent_of("09")
    dossier = submitted_dossier(agent, **person_overrides)
    # The approval asks for the card after commit, which a test's transaction never sees.
    with TestCase.captureOnCommitCallbacks(execute=True):
        dossier = services.approve(officer=officer, dossier=dossier)
    run_jobs()
    # The batch job waits CARD_ISSUE_BATCH_SECONDS, which run_jobs does not: issue it now.
    cards.issue_first_cards()
    return Card.objects.get(registration=dossier.registration, status=Card.Status.CURRENT)


def signed_as_before(card):
    """The same card signed in the format printed before Claim 169 (`RNA1:…`, docs/card-qr.md
    §1–§3): what a card issued before issue 18 holds. Saved; returns the card."""
    from hirfa.cards import keys, qr

    signed = qr.decode_card(card.qr_text, keys.public_key)
    key = keys.signing_key()
    claims = signed.card
    card.qr_text = qr.encode_card(
        qr.CardClaims(claims.number, claims.version, claims.name_ar, claims.name_latin,
                      claims.category, claims.activity, claims.province, claims.name_zgh),
        issued_at=signed.issued_at,
        expires_at=signed.expires_at,
        private_key=key.private_key,
        kid=key.kid,
    )  # fmt: skip
    card.save(update_fields=["qr_text"])
    return card
