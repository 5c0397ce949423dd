from django import forms
from django.contrib import admin
from import_export.admin import ExportMixin, ImportExportMixin

from relief.admin import ReadOnlyMixin, ScopedAdmin, ScopedMixin, ScopedResourceMixin, money_column
from relief.upload_guard import UploadGuardAdminMixin

from .models import BagFunding, Donation, Donor
from .resources import DonationResource, DonorResource
from .services import donation_record


@admin.register(Donor)
class DonorAdmin(UploadGuardAdminMixin, ScopedResourceMixin, ImportExportMixin, ScopedAdmin):
    resource_classes = [DonorResource]
    list_display = ["name", "kind", "organisation", "phone", "anonymous"]
    list_filter = ["kind", "anonymous"]
    search_fields = ["name", "organisation", "phone"]
    exclude = ["created_by"]  # who added a donor is recorded by save_model, not chosen in the form

    # Donors' phones and addresses are for the staff who call them and write their receipts; leaders see the
    # money (donations, totals), never a donor's contact details.
    def has_module_permission(self, request):
        return (
            request.user.is_authenticated and request.user.is_district_staff and super().has_module_permission(request)
        )

    def has_view_permission(self, request, obj=None):
        return (
            request.user.is_authenticated
            and request.user.is_district_staff
            and super().has_view_permission(request, obj)
        )

    def has_export_permission(self, request):
        return (
            request.user.is_authenticated and request.user.is_district_staff and super().has_export_permission(request)
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
            obj.district = obj.district or request.user.district
        super().save_model(request, obj, form, change)


class BagFundingInline(admin.TabularInline):
    model = BagFunding
    fields = ["bag", "amount"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class DonationAdminForm(forms.ModelForm):
    class Meta:
        model = Donation
        fields = ["campaign", "donor", "method", "amount", "bags_in_kind", "received_on", "note"]

    def clean(self):
        cleaned = super().clean()
        method = cleaned.get("method")
        if method == Donation.Method.IN_KIND and not (cleaned.get("bags_in_kind") or 0) > 0:
            self.add_error("bags_in_kind", "Ủng hộ hiện vật phải có ít nhất 1 túi.")
        if method in (Donation.Method.CASH, Donation.Method.TRANSFER) and not (cleaned.get("amount") or 0) > 0:
            self.add_error("amount", "Số tiền phải là số nguyên dương (đồng).")
        campaign = cleaned.get("campaign")
        if campaign and not campaign.is_open:
            self.add_error("campaign", "Chương trình đã đóng, không nhận thêm ủng hộ.")
        return cleaned

    def validate_constraints(self, exclude=None):
        """The receipt number and the bags come from the service at save time, not from this form."""


@admin.register(Donation)
class DonationAdmin(ScopedResourceMixin, ExportMixin, ScopedAdmin):
    """Donations are added here through the same service as the staff pages, and never changed afterwards."""

    resource_classes = [DonationResource]
    form = DonationAdminForm
    list_display = ["receipt_number", "received_on", "donor", "method", "amount_display", "bags_in_kind", "reverses"]
    list_filter = ["campaign", "method", "donor__kind"]
    search_fields = ["receipt_number", "donor__name", "donor__organisation"]
    list_select_related = ["donor", "reverses"]
    inlines = [BagFundingInline]
    amount_display = money_column("amount", "số tiền")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_inlines(self, request, obj):
        return self.inlines if obj else []  # the funding parts exist only once the service has saved

    def save_model(self, request, obj, form, change):
        donation, _ = donation_record(
            campaign=obj.campaign,
            donor=obj.donor,
            recorded_by=request.user,
            received_on=obj.received_on,
            method=obj.method,
            amount=obj.amount,
            bags_in_kind=obj.bags_in_kind,
            note=obj.note,
        )
        obj.pk = donation.pk

    def save_related(self, request, form, formsets, change):
        """Nothing to save: the funding parts were written by the service."""


@admin.register(BagFunding)
class BagFundingAdmin(ReadOnlyMixin, ScopedMixin, admin.ModelAdmin):
    list_display = ["bag", "donation", "amount"]
    search_fields = ["bag__serial", "donation__receipt_number"]
    list_select_related = ["bag", "donation"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(donation__in=Donation.objects.visible_to(request.user))
