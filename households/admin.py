"""Households in the admin: administrators only, with the numbers masked as on every other list.

Ward officers and district staff keep households on their own pages, which scope, mask and log; the admin is the
administrators' tool for what those pages do not reach. Even there a full national ID or phone number appears only
through the recorded reveal (``PersonalDataView``): lists, search results, exports and history show them masked,
and the change form asks for a new number instead of showing the old one.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_POST
from django_tasks_db.models import DBTaskResult
from import_export.admin import ImportExportMixin
from simple_history.template_utils import HistoricalRecordContextHelper

from relief.admin import AdministratorsOnlyMixin, ReadOnlyMixin, ScopedAdmin, ScopedResourceMixin
from relief.history import MASKS
from relief.upload_guard import UploadGuardAdminMixin

from .forms import HouseholdForm, RevealForm
from .models import PERSON_FIELDS, Category, Household, PersonalDataView
from .resources import HouseholdResource, MaskedHouseholdResource
from .services import personal_data_reveal


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order"]


HOUSEHOLD_FIELDS = list(PERSON_FIELDS)


class HouseholdAdminForm(HouseholdForm):
    """The officers' form (same checks and messages), with the fields only the admin sets.

    On a saved household the number fields start empty, their help text shows the masked number, and an empty
    field keeps the number: correcting a number never requires seeing the old one.
    """

    class Meta(HouseholdForm.Meta):
        fields = HOUSEHOLD_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            return
        for name, mask in MASKS.items():
            self.initial[name] = ""
            current = mask(getattr(self.instance, name)) or "chưa có"
            self.fields[name].help_text = f"Số hiện tại: {current}. Để trống để giữ nguyên; nhập số mới để thay."

    def clean_national_id(self):
        return super().clean_national_id() or self._kept("national_id")

    def clean_phone(self):
        return super().clean_phone() or self._kept("phone")

    def _kept(self, name):
        return getattr(self.instance, name) if self.instance.pk else ""


class MaskedNumbersContextHelper(HistoricalRecordContextHelper):
    """The admin's history list shows each change's old and new value: personal numbers masked there too."""

    def prepare_delta_change_value(self, change, value):
        if change.field in MASKS:
            return MASKS[change.field](value)
        return super().prepare_delta_change_value(change, value)


@admin.register(Household)
class HouseholdAdmin(
    AdministratorsOnlyMixin, UploadGuardAdminMixin, ScopedResourceMixin, ImportExportMixin, ScopedAdmin
):
    resource_classes = [HouseholdResource]
    form = HouseholdAdminForm
    list_display = [
        "head_name",
        "ward",
        "masked_national_id",
        "masked_phone",
        "address",
        "members",
        "residence",
        "status",
    ]
    list_filter = ["status", "residence", "categories", "source", "ward__district", "ward"]
    search_fields = ["head_name", "name_key", "national_id", "phone", "address_key"]
    list_select_related = ["ward"]
    filter_horizontal = ["categories"]
    fields = HOUSEHOLD_FIELDS
    show_full_result_count = False
    change_form_template = "admin/households/household/change_form.html"

    @admin.display(description="số CCCD / CMND", ordering="national_id")
    def masked_national_id(self, household):
        return MASKS["national_id"](household.national_id)

    @admin.display(description="số điện thoại", ordering="phone")
    def masked_phone(self, household):
        return MASKS["phone"](household.phone)

    def get_export_resource_classes(self, request):
        return [MaskedHouseholdResource]

    def get_search_results(self, request, queryset, search_term):
        return queryset.search(search_term), False

    def get_historical_record_context_helper(self, request, historical_record):
        return MaskedNumbersContextHelper(self.model, historical_record)

    def get_urls(self):
        reveal = path(
            "<path:object_id>/hien-so/",
            self.admin_site.admin_view(require_POST(self.reveal_view)),
            name="households_household_reveal",
        )
        return [reveal, *super().get_urls()]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def reveal_view(self, request, object_id):
        """Show one full number of a household and record who saw it: the change form's "Hiện số đầy đủ"."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        household = self.get_object(request, unquote(object_id))
        if household is None:
            raise Http404
        form = RevealForm(request.POST)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "household": household,
            "title": f"Số đầy đủ của hộ {household.head_name}",
        }
        if not form.is_valid():
            return render(request, "admin/households/household/reveal.html", {**context, "form": form}, status=400)
        field = form.cleaned_data["field"]
        context["label"] = PersonalDataView.Field(field).label
        context["value"] = personal_data_reveal(household=household, viewer=request.user, field=field)
        return render(request, "admin/households/household/reveal.html", context)


@admin.register(PersonalDataView)
class PersonalDataViewAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The reveal log: administrators read it, nobody writes or removes a line."""

    list_display = ["viewed_at", "viewer", "household", "report", "field"]
    list_filter = ["field"]
    search_fields = ["viewer__username", "household__head_name", "report__code"]
    list_select_related = ["viewer", "household", "report"]
    date_hierarchy = "viewed_at"


# The task queue's rows hold only a job id and, on a fault, a traceback: staff read the import job's page and
# operators the worker's log, so the queue stays out of the admin (and out of the roles' permissions).
admin.site.unregister(DBTaskResult)
