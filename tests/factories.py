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


def officer_of(province_code: str, **kwargs) -> User:
    return UserFactory(role=Role.OFFICER, scope_province=province(province_code), **kwargs)


def agent_of(region_code: str, **kwargs) -> User:
    return UserFactory(role=Role.AGENT, scope_region=region(region_code), **kwargs)


def national(role: str = Role.ADMIN, **kwargs) -> User:
    return UserFactory(role=role, **kwargs)
