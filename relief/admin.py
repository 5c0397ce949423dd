from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from .models import Allocation, Bag, Campaign, Distribution, District, User, Ward, WardRequest
from .services import allocation_create
from .templatetags.relief_format import format_vnd
from .two_factor import two_factor_reset

admin.site.site_header = "An Sinh · Quản trị"
admin.site.site_title = "An Sinh"
admin.site.index_title = "Chương trình túi an sinh xã hội"
# The side menu takes a third of a laptop screen beside every list: the breadcrumbs and the start page suffice.
admin.site.enable_nav_sidebar = False
# django-otp's own pages show each device's secret key and its QR: nobody needs them, a lost device is reset from
# the user's list (UserAdmin.reset_two_factor).
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


class ScopedMixin:
    """Rows and choices come from the models' ``visible_to``, so an officer sees only their ward."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if hasattr(queryset, "visible_to"):
            queryset = queryset.visible_to(request.user)
        return queryset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Every choice of a scoped record (district, ward, campaign, donor, …) is one the user sees, so a form
        # cannot put a record into another district or ward.
        choices = db_field.related_model._default_manager.all()
        if hasattr(choices, "visible_to"):
            kwargs["queryset"] = choices.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReadOnlyHistoryMixin:
    """A record's old versions are for reading: the version page shows every field read-only and refuses a POST.

    simple-history's version page is a change form built from an old row, and it saves whatever is posted back for
    anyone who may view the model; ``SIMPLE_HISTORY_REVERT_DISABLED`` only hides the button. Posting an old row of
    a campaign would put its receipt and bag counters back. A correction goes through the record's own change form
    or service, where its rules and scope apply, so no history view writes, for any role.
    """

    def has_change_history_permission(self, request, obj=None):
        return False

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        return super().history_form_view(request, object_id, version_id, extra_context)

    def render_history_view(self, request, template, context, **kwargs):
        # Disabled fields show the form's own initial values, which a form may mask (a household's numbers).
        shown = context.get("adminform")
        if shown is not None:
            for field in shown.form.fields.values():
                field.disabled = True
        return super().render_history_view(request, template, context, **kwargs)


class ScopedAdmin(ScopedMixin, ReadOnlyHistoryMixin, SimpleHistoryAdmin):
    """A scoped admin that also shows each record's history (who changed what, when), read-only.

    simple-history reads a record's history straight from the historical table, falling back on it when the record
    is not in the admin's queryset; without the scope check an officer would read another ward's history by id.
    """

    def _outside_scope(self, request, object_id):
        if request.user.is_admin:
            return False  # administrators may also read the history of records since deleted
        return not self.get_queryset(request).filter(pk=unquote(object_id)).exists()

    def history_view(self, request, object_id, extra_context=None):
        if self._outside_scope(request, object_id):
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if self._outside_scope(request, object_id):
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


class ScopedResourceMixin:
    """The admin's imports and exports build each resource for the user at work (``relief.resources.ScopedResource``).

    Every admin with an import or export uses this mixin and only ``ScopedResource`` classes, so a row's id finds
    only records in the user's scope, a new record lands in the user's district, and no cell leaves as a formula.
    """

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {**super().get_resource_kwargs(request, *args, **kwargs), "user": request.user}


def is_administrator(user):
    """The admin asks about anonymous visitors too (its login page lists no apps), who have no role."""
    return user.is_authenticated and user.is_admin


class AdministratorsOnlyMixin:
    """Only administrators open this part of the admin: the other roles do this work on their own pages."""

    def has_module_permission(self, request):
        return is_administrator(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return is_administrator(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return is_administrator(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return is_administrator(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return is_administrator(request.user) and super().has_delete_permission(request, obj)

    def has_import_permission(self, request):
        return is_administrator(request.user) and super().has_import_permission(request)

    def has_export_permission(self, request):
        return is_administrator(request.user) and super().has_export_permission(request)


class ReadOnlyMixin:
    """Records that only services write: the admin shows them and changes nothing."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def money_column(field, title):
    @admin.display(description=title, ordering=field)
    def column(model_admin, obj):
        return format_vnd(getattr(obj, field))

    return column


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "code"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("parent")


@admin.register(Ward)
class WardAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "level", "district"]
    list_filter = ["level", "district"]
    search_fields = ["name", "code"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("district").visible_to(request.user)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "role", "district", "ward", "is_active", "last_login"]
    list_filter = ["role", "district", "is_active"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        ("Vai trò trong chương trình", {"fields": ["role", "district", "ward"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        ("Vai trò trong chương trình", {"fields": ["role", "district", "ward"]}),
    ]
    actions = ["reset_two_factor"]
    # Sign-in dates are the system's to write; and the plain multiple choice for groups and permissions has a label
    # each, where the two-box picker's inputs and icons have none (axe, tests/browser/test_every_page_fits.py).
    readonly_fields = ["last_login", "date_joined"]
    filter_horizontal = ()

    @admin.display(description="Họ và tên", ordering="first_name")
    def full_name(self, user):
        return user.get_full_name()

    @admin.action(description="Đặt lại xác thực hai bước (mất điện thoại hoặc mã dự phòng)", permissions=["change"])
    def reset_two_factor(self, request, queryset):
        for user in queryset:
            two_factor_reset(user=user)
            self.log_change(request, user, "Đặt lại xác thực hai bước: đã xóa thiết bị và đăng xuất mọi phiên.")
        self.message_user(request, f"Đã đặt lại xác thực hai bước cho {len(queryset)} người dùng.")


@admin.register(Campaign)
class CampaignAdmin(ScopedAdmin):
    list_display = ["name", "code", "district", "target_bags", "bag_value_display", "household_limit", "is_open"]
    list_filter = ["district", "is_open"]
    search_fields = ["name", "code", "legal_basis"]
    readonly_fields = ["last_receipt_seq", "last_bag_number"]
    bag_value_display = money_column("bag_value", "giá trị túi")

    def get_readonly_fields(self, request, obj=None):
        # The bag value prices every funded bag: once a campaign exists it cannot be re-priced.
        return [*self.readonly_fields, "bag_value", "code"] if obj else self.readonly_fields


class ReadOnlyAdmin(ReadOnlyMixin, ScopedAdmin):
    pass


@admin.register(Bag)
class BagAdmin(ReadOnlyAdmin):
    list_display = ["serial", "campaign", "source", "state", "ward", "created_at"]
    list_filter = ["state", "source", "campaign", "ward"]
    search_fields = ["serial"]
    list_select_related = ["campaign", "ward"]
    show_full_result_count = False


class AllocationAdminForm(forms.ModelForm):
    class Meta:
        model = Allocation
        fields = ["campaign", "ward", "quantity", "note"]

    def clean(self):
        cleaned = super().clean()
        campaign, ward, quantity = cleaned.get("campaign"), cleaned.get("ward"), cleaned.get("quantity")
        if campaign and ward and ward.district_id != campaign.district_id:
            raise ValidationError(
                "%(ward)s không thuộc %(organizer)s của chương trình này.",
                params={"ward": ward, "organizer": campaign.district.level_word},
            )
        if campaign and quantity:
            stock = Bag.objects.filter(campaign=campaign, state=Bag.State.AT_DISTRICT).count()
            if quantity > stock:
                raise ValidationError(
                    "%(organizer)s chỉ còn %(stock)s túi để phân bổ.",
                    params={"organizer": campaign.district.level_label, "stock": stock},
                )
        return cleaned


@admin.register(Allocation)
class AllocationAdmin(ScopedAdmin):
    list_display = ["created_at", "campaign", "ward", "quantity", "request", "created_by"]
    list_filter = ["campaign", "ward"]
    list_select_related = ["campaign", "ward", "created_by", "request"]
    fields = ["campaign", "ward", "quantity", "note"]
    form = AllocationAdminForm

    def get_queryset(self, request):
        return super().get_queryset(request).filter(campaign__in=Campaign.objects.visible_to(request.user))

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        created = allocation_create(
            campaign=obj.campaign, ward=obj.ward, quantity=obj.quantity, note=obj.note, created_by=request.user
        )
        obj.pk = created.pk


@admin.register(WardRequest)
class WardRequestAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "ward", "campaign", "quantity", "status", "approved_quantity", "decided_by"]
    list_filter = ["status", "campaign", "ward"]
    list_select_related = ["ward", "campaign", "decided_by"]


@admin.register(Distribution)
class DistributionAdmin(ReadOnlyAdmin):
    list_display = ["handed_out_at", "bag", "household", "ward", "recorded_by", "received_by", "cancelled_at"]
    list_filter = ["campaign", "ward", ("cancelled_at", admin.EmptyFieldListFilter)]
    search_fields = ["bag__serial", "household__head_name", "household__name_key"]
    list_select_related = ["bag", "household", "ward", "recorded_by"]
    date_hierarchy = "handed_out_at"
    show_full_result_count = False
