from django import forms
from django.contrib import admin

from hirfa.core.admin import ReadOnlyAdmin
from hirfa.territory.models import Commune, Organisation, Province, Region
from hirfa.territory.validators import validate_tifinagh


class ReferenceDataAdmin(ReadOnlyAdmin):
    """Shown, never edited: the units come from the census through `load_territory`,
    and a unit added or changed by hand would be undone, or contradicted, by the
    next load."""

    search_fields = ["code", "name_ar", "name_fr", "name_zgh"]


@admin.register(Region)
class RegionAdmin(ReferenceDataAdmin):
    list_display = ["code", "name_ar", "name_fr", "population"]


@admin.register(Province)
class ProvinceAdmin(ReferenceDataAdmin):
    list_display = ["code", "name_ar", "name_fr", "kind", "region", "population"]
    list_filter = ["kind", "region"]
    list_select_related = ["region"]


@admin.register(Commune)
class CommuneAdmin(ReferenceDataAdmin):
    list_display = ["code", "name_ar", "name_fr", "kind", "province", "population"]
    list_filter = ["kind", "province__region"]
    list_select_related = ["province"]
    list_per_page = 100
    exclude = ["search_key"]


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name_ar", "name_fr", "name_zgh"]

    def clean_name_zgh(self):
        value = self.cleaned_data["name_zgh"].strip()
        validate_tifinagh(value)
        return value


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """Names may be corrected here (a reload keeps them); what an organisation is and
    where it works follow the territory and are set by `load_territory` only."""

    form = OrganisationForm
    list_display = ["code", "name_ar", "name_fr", "kind", "region", "province"]
    list_filter = ["kind", "region"]
    list_select_related = ["region", "province"]
    search_fields = ["code", "name_ar", "name_fr", "name_zgh"]
    fields = ["code", "kind", "region", "province", "name_ar", "name_fr", "name_zgh"]
    readonly_fields = ["code", "kind", "region", "province"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
