from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from hirfa.accounts.models import ApiToken, User
from hirfa.accounts.roles import Capability, has_capability
from hirfa.accounts.services import create_api_token, revoke_api_token
from hirfa.audit.admin import AuditEntryAdmin
from hirfa.audit.models import AuditEntry


@admin.register(User)
class UserAdmin(BaseUserAdmin):
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


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
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
