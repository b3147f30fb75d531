"""What every app's admin shares."""

from django.contrib import admin
from django.contrib.admin.utils import unquote


def every_field(model) -> list[str]:
    """The names of all of a model's fields, many-to-many ones included."""
    return [field.name for field in model._meta.fields] + [
        field.name for field in model._meta.many_to_many
    ]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never added, changed or deleted here: the app's services (or its loader, for
    reference data) are the only writers, and they keep the audit trail.

    `log_access` is called when an object's page is opened: apps whose pages show personal
    data record the access there (Law 09-08).
    """

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        # Fetching the object again costs a query: only for the admins that log.
        logs = type(self).log_access is not ReadOnlyAdmin.log_access
        if logs and request.method == "GET" and response.status_code == 200:
            obj = self.get_object(request, unquote(object_id))
            if obj is not None:
                self.log_access(request, obj)
        return response

    def log_access(self, request, obj) -> None:
        """Nothing by default."""
