"""Who may see what. Territorial scoping lives here and nowhere else.

Every list or lookup of scoped data goes through `restrict` (or a selector built
on it), so a view cannot forget to filter: an object outside the user's scope is
simply not found.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from hirfa.accounts.models import ApiToken, User
from hirfa.accounts.roles import Capability, has_capability, roles_with
from hirfa.audit.models import AuditEntry
from hirfa.audit.selectors import entries_about
from hirfa.core.errors import NotFound
from hirfa.notifications.models import InboxItem
from hirfa.notifications.selectors import open_items_of
from hirfa.territory.models import Organisation, Province, Region


@dataclass(frozen=True)
class Scope:
    """The part of the country a user works on."""

    national: bool = False
    region_id: int | None = None
    province_id: int | None = None

    @property
    def empty(self) -> bool:
        return not (self.national or self.region_id or self.province_id)


def scope_of(user) -> Scope:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope()
    if user.scope_province_id:
        return Scope(province_id=user.scope_province_id)
    if user.scope_region_id:
        return Scope(region_id=user.scope_region_id)
    if has_capability(user, Capability.SEE_NATION):
        return Scope(national=True)
    return Scope()


def restrict(queryset: QuerySet, user, via: str = "province") -> QuerySet:
    """Keep only the rows in the user's scope.

    `via` is the path from the queryset's model to its Province ("" when the
    queryset is of provinces themselves).
    """
    return restrict_to_scope(queryset, scope_of(user), via)


def restrict_to_scope(queryset: QuerySet, scope: Scope, via: str = "province") -> QuerySet:
    """`restrict` for a scope already read (a job acting for a user, a stored campaign)."""
    if scope.national:
        return queryset
    province_path = f"{via}__" if via else ""
    if scope.region_id:
        return queryset.filter(**{f"{province_path}region_id": scope.region_id})
    if scope.province_id:
        return queryset.filter(**{f"{province_path}id": scope.province_id})
    return queryset.none()


def provinces_for(user) -> QuerySet[Province]:
    if not has_capability(user, Capability.VIEW_WORKSPACE):
        return Province.objects.none()
    return restrict(Province.objects.select_related("region"), user, via="")


def province_for(user, code: str) -> Province:
    # "\0" is refused by PostgreSQL in a query: a code holding one is simply unknown.
    if "\0" in str(code):
        raise NotFound()
    try:
        return provinces_for(user).get(code=code)
    except Province.DoesNotExist:
        raise NotFound() from None


def regions_for(user) -> QuerySet[Region]:
    return Region.objects.filter(id__in=provinces_for(user).values("region_id"))


def organisations_for(user) -> QuerySet[Organisation]:
    """National bodies, the chambers of the user's regions, directorates in scope."""
    if not has_capability(user, Capability.VIEW_WORKSPACE):
        return Organisation.objects.none()
    visible = (
        Q(kind__in=[Organisation.Kind.CNSS, Organisation.Kind.MINISTRY])
        | Q(kind=Organisation.Kind.CHAMBER, region__in=regions_for(user))
        | Q(kind=Organisation.Kind.DIRECTORATE, province__in=provinces_for(user))
    )
    return Organisation.objects.filter(visible).select_related("region", "province")


def organisation_for(user, code: str) -> Organisation:
    try:
        return organisations_for(user).get(code=code)
    except Organisation.DoesNotExist:
        raise NotFound() from None


def staff_for(user) -> QuerySet[User]:
    """Staff accounts whose own scope lies inside the user's scope."""
    if not has_capability(user, Capability.VIEW_STAFF):
        return User.objects.none()
    staff = User.objects.exclude(role__in=roles_with(Capability.HOLD_OWN_FILE)).select_related(
        "scope_region", "scope_province", "organisation"
    )
    scope = scope_of(user)
    if scope.national:
        return staff.order_by("username")
    provinces = provinces_for(user)
    inside = Q(scope_province__in=provinces)
    if scope.region_id:
        inside |= Q(scope_region_id=scope.region_id)
    return staff.filter(inside).order_by("username")


def staff_member_for(user, username: str) -> User:
    try:
        return staff_for(user).get(username=username)
    except User.DoesNotExist:
        raise NotFound() from None


def active_tokens_of(user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True)


def history_for(user, *, object_type: str, object_id) -> QuerySet[AuditEntry]:
    """The audit entries about one object, oldest first, that `user` may read.

    Holders of `READ_AUDIT` (auditors, national administrators) read every entry;
    other staff read the entries whose province is in their territorial scope;
    everybody else reads nothing.
    """
    entries = entries_about(object_type=object_type, object_id=object_id)
    if has_capability(user, Capability.READ_AUDIT):
        return entries
    return entries.filter(province_code__in=provinces_for(user).values("code"))


def trail_for(user) -> QuerySet[AuditEntry]:
    """The whole audit trail for its readers (`READ_AUDIT`); nothing for anybody else."""
    if not has_capability(user, Capability.READ_AUDIT):
        return AuditEntry.objects.none()
    return AuditEntry.objects.all()


def account_named(username: str) -> User | None:
    """Any account (staff or artisan) by its user name, or None: the trail's doers."""
    if not username or "\0" in username:
        return None
    return User.objects.filter(username=username).first()


def inbox_for(user) -> QuerySet[InboxItem]:
    """The open items of `user`'s inbox that lie in their scope today: an item about a file
    since moved to a province they do not cover (or they no longer cover) is not shown.
    Items about no province (an import of theirs) are always shown."""
    items = open_items_of(user)
    if not has_capability(user, Capability.VIEW_WORKSPACE):
        return items.none()
    if scope_of(user).national:
        return items
    return items.filter(
        Q(province_code__isnull=True) | Q(province_code__in=provinces_for(user).values("code"))
    )


def staff_covering(province: Province, *capabilities: str) -> QuerySet[User]:
    """The active staff holding one of `capabilities` whose territory holds `province`
    (its officers, its region's agents): whom to tell of a thing to do there."""
    roles = {role for capability in capabilities for role in roles_with(capability)}
    return User.objects.filter(role__in=roles, is_active=True).filter(
        Q(scope_province_id=province.pk) | Q(scope_region_id=province.region_id)
    )
