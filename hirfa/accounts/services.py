"""Writes on accounts: API tokens, login throttling, users."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hirfa.accounts.models import ApiToken, LoginFailure, User
from hirfa.accounts.roles import Role

TOKEN_PREFIX = "hirfa"


def create_api_token(*, user: User, name: str, created_by: User | None) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is shown only this once."""
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=prefix,
        digest=ApiToken.digest_of(secret),
        created_by=created_by,
    )
    return token, secret


def revoke_api_token(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def user_for_token(secret: str) -> User | None:
    """The active user a bearer secret belongs to, or None."""
    if not secret.startswith(f"{TOKEN_PREFIX}_") or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=ApiToken.digest_of(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    # Record use at most once a minute: a busy client must not write on every call.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def _recent_failures(now):
    window = timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    return LoginFailure.objects.filter(at__gte=now - window)


def login_is_throttled(username: str, address: str | None) -> bool:
    """Too many recent failures for this account, or from this address."""
    recent = _recent_failures(timezone.now())
    limit = settings.LOGIN_MAX_FAILURES
    if recent.filter(username=username.strip().lower()).count() >= limit:
        return True
    # An address may try a few accounts (a shared phone at a fair), not dozens.
    return bool(address) and recent.filter(address=address).count() >= limit * 4


def record_login_failure(username: str, address: str | None) -> None:
    LoginFailure.objects.create(username=username.strip().lower()[:150], address=address)


@transaction.atomic
def clear_login_failures(username: str) -> None:
    LoginFailure.objects.filter(username=username.strip().lower()).delete()


@transaction.atomic
def save_staff_member(
    *,
    username: str,
    role: str,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    organisation=None,
    scope_region=None,
    scope_province=None,
) -> tuple[User, bool]:
    """Create or update a staff account; national administrators may use the admin site."""
    user = User.objects.filter(username=username).first()
    created = user is None
    if created:
        user = User(username=username)
    user.role = role
    user.first_name = first_name
    user.last_name = last_name
    user.email = email
    user.organisation = organisation
    user.scope_region = scope_region
    user.scope_province = scope_province
    user.is_staff = user.is_superuser = role == Role.ADMIN
    if password is not None:
        user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user, created
