from django.contrib import admin
from import_export.admin import ImportExportMixin

from relief.admin import ReadOnlyMixin, ScopedAdmin

from .forms import HouseholdForm
from .models import Category, Household, PersonalDataView
from .resources import HouseholdResource


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order"]


HOUSEHOLD_FIELDS = [
    "ward",
    "head_name",
    "national_id",
    "phone",
    "address",
    "members",
    "residence",
    "categories",
    "status",
    "source",
    "notes",
]


class HouseholdAdminForm(HouseholdForm):
    """The officers' form (same checks and messages), with the fields only the admin sets."""

    class Meta(HouseholdForm.Meta):
        fields = HOUSEHOLD_FIELDS


@admin.register(Household)
class HouseholdAdmin(ImportExportMixin, ScopedAdmin):
    resource_classes = [HouseholdResource]
    form = HouseholdAdminForm
    list_display = ["head_name", "ward", "national_id", "phone", "address", "members", "residence", "status"]
    list_filter = ["status", "residence", "categories", "source", "ward__district", "ward"]
    search_fields = ["head_name", "name_key", "national_id", "phone", "address_key"]
    list_select_related = ["ward"]
    filter_horizontal = ["categories"]
    fields = HOUSEHOLD_FIELDS
    show_full_result_count = False

    def has_import_permission(self, request):
        # Lists from wards and police go in through district staff, who can see every ward of the district.
        return request.user.is_district_staff and self.has_add_permission(request)

    def get_search_results(self, request, queryset, search_term):
        return queryset.search(search_term), False

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(PersonalDataView)
class PersonalDataViewAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The reveal log: administrators read it, nobody writes or removes a line."""

    list_display = ["viewed_at", "viewer", "household", "field"]
    list_filter = ["field"]
    search_fields = ["viewer__username", "household__head_name"]
    list_select_related = ["viewer", "household"]
    date_hierarchy = "viewed_at"
