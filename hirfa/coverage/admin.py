"""The coverage's configurable data in the admin: eligibility rules and the periods.

The schedule is shown read-only here: it changes through its own screen (and API), which
refuses overlaps and never rewrites past months. Enrolments, dependants and payments
change only through the services (audit trail).
"""

from django.contrib import admin

from hirfa.audit.services import record, record_access
from hirfa.coverage.models import (
    ContributionRate,
    CoverageRules,
    Dependant,
    EligibilityRule,
    Enrolment,
    Payment,
)
from hirfa.register.admin import RecordAdmin


class _AuditedAdmin(admin.ModelAdmin):
    """Changes of rules are audited like any other change."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record(
            actor=request.user,
            action=f"{obj._meta.model_name}.changed",
            obj=obj,
            data={field: str(form.cleaned_data.get(field)) for field in form.changed_data},
        )

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EligibilityRule)
class EligibilityRuleAdmin(_AuditedAdmin):
    list_display = [
        "code",
        "relation",
        "max_age",
        "requires_student",
        "requires_unmarried",
        "requires_disabled",
        "active",
    ]
    list_filter = ["relation", "active"]


@admin.register(CoverageRules)
class CoverageRulesAdmin(_AuditedAdmin):
    list_display = ["__str__", "waiting_months", "suspend_after_unpaid_months"]

    def has_add_permission(self, request):
        return not CoverageRules.objects.exists()


@admin.register(ContributionRate)
class ContributionRateAdmin(RecordAdmin):
    list_display = ["category", "starts_on", "ends_on", "basis", "rate", "monthly_amount"]
    list_filter = ["category"]


@admin.register(Enrolment)
class EnrolmentAdmin(RecordAdmin):
    list_display = ["registration", "state", "state_since", "cnss_number", "arrears"]
    list_filter = ["state"]
    search_fields = ["registration__number", "cnss_number"]


@admin.register(Dependant)
class DependantAdmin(RecordAdmin):
    list_display = ["registration", "relation", "state", "eligible_until"]
    list_filter = ["state", "relation"]

    def log_access(self, request, obj) -> None:
        record_access(actor=request.user, obj=obj, reason="admin")


@admin.register(Payment)
class PaymentAdmin(RecordAdmin):
    list_display = ["reference", "enrolment", "period", "amount", "paid_on"]
    search_fields = ["reference"]
