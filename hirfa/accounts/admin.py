from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static import admin as _static_admin  # noqa: F401 (registers)
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp import admin as _totp_admin  # noqa: F401 (registers)
from django_otp.plugins.otp_totp.models import TOTPDevice

from hirfa.accounts import second_factor
from hirfa.accounts.models import ApiToken, User
from hirfa.accounts.reauthentication import reauthentication_required
from hirfa.accounts.roles import Capability, has_capability
from hirfa.accounts.services import create_api_token, revoke_api_token
from hirfa.audit.admin import AuditEntryAdmin
from hirfa.audit.models import AuditEntry

# django-otp's own admin pages would show the keys and delete devices unaudited: an
# account's second factor is reset only by the audited action below.
for _device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device_model):
        admin.site.unregister(_device_model)


# Managing accounts and tokens asks for the password (and code) again unless shown lately
# (docs/decisions/0077): their pages, and the actions posted from their lists.
_reauthenticated = method_decorator(reauthentication_required)
_reauthenticated_actions = method_decorator(reauthentication_required(methods=("POST",)))


class _ReauthenticatedAdmin(admin.ModelAdmin):
    @_reauthenticated
    def add_view(self, request, form_url="", extra_context=None):
        return super().add_view(request, form_url, extra_context)

    @_reauthenticated
    def change_view(self, request, object_id, form_url="", extra_context=None):
        return super().change_view(request, object_id, form_url, extra_context)

    @_reauthenticated
    def delete_view(self, request, object_id, extra_context=None):
        return super().delete_view(request, object_id, extra_context)

    @_reauthenticated_actions
    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, extra_context)


@admin.register(User)
class UserAdmin(_ReauthenticatedAdmin, BaseUserAdmin):
    list_display = [
        "username",
        "get_full_name",
        "role",
        "scope_region",
        "scope_province",
        "is_active",
    ]
    list_filter = ["role", "is_active", "scope_region"]
    search_fields = ["username", "first_name", "last_name", "email", "phone"]
    autocomplete_fields = []
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (
            _("Role and scope"),
            {"fields": ["role", "phone", "organisation", "scope_region", "scope_province"]},
        ),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        (
            _("Role and scope"),
            {"fields": ["role", "organisation", "scope_region", "scope_province"]},
        ),
    ]
    actions = ["reset_second_factor"]

    @_reauthenticated
    def user_change_password(self, request, id, form_url=""):
        return super().user_change_password(request, id, form_url)

    @admin.action(description=_("Reset the second factor of the selected accounts"))
    def reset_second_factor(self, request, queryset):
        for user in queryset:
            second_factor.reset(user=user, by=request.user)
        messages.success(
            request, _("Their second factor is reset: each sets up an app at the next login.")
        )


@admin.register(ApiToken)
class ApiTokenAdmin(_ReauthenticatedAdmin):
    list_display = ["name", "prefix", "user", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "user__username"]
    fields = ["user", "name", "prefix", "created_at", "created_by", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "created_at", "created_by", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def has_delete_permission(self, request, obj=None):
        # Tokens are revoked, never deleted, so their use stays traceable.
        return False

    def has_change_permission(self, request, obj=None):
        return obj is None

    def save_model(self, request, obj, form, change):
        token, secret = create_api_token(user=obj.user, name=obj.name, created_by=request.user)
        obj.pk = token.pk
        messages.warning(
            request,
            _("Copy this token now; it will not be shown again: %(secret)s") % {"secret": secret},
        )

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset:
            revoke_api_token(token)


@admin.register(AuditEntry)
class AuditTrailAdmin(AuditEntryAdmin):
    """The audit trail, open to its readers (`READ_AUDIT`) as well as to staff given the
    Django permission."""

    def has_view_permission(self, request, obj=None):
        return has_capability(request.user, Capability.READ_AUDIT) or super().has_view_permission(
            request, obj
        )

    def has_module_permission(self, request):
        return has_capability(request.user, Capability.READ_AUDIT) or super().has_module_permission(
            request
        )
