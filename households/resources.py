"""Household lists in and out of spreadsheets, with the column names wards and police use."""

from import_export import fields, widgets

from relief.models import Ward
from relief.resources import ScopedResource
from relief.text import mask_national_id, mask_phone

from .models import Category, Household


class HouseholdResource(ScopedResource):
    ward = fields.Field(attribute="ward", column_name="Mã phường", widget=widgets.ForeignKeyWidget(Ward, field="code"))
    ward_name = fields.Field(attribute="ward__name", column_name="Phường", readonly=True)
    head_name = fields.Field(attribute="head_name", column_name="Họ và tên chủ hộ")
    national_id = fields.Field(attribute="national_id", column_name="CCCD")
    phone = fields.Field(attribute="phone", column_name="Số điện thoại")
    address = fields.Field(attribute="address", column_name="Địa chỉ")
    members = fields.Field(attribute="members", column_name="Số nhân khẩu", widget=widgets.IntegerWidget())
    residence = fields.Field(attribute="residence", column_name="Cư trú")
    categories = fields.Field(
        attribute="categories",
        column_name="Diện",
        widget=widgets.ManyToManyWidget(Category, field="name", separator=";"),
    )
    status = fields.Field(attribute="status", column_name="Trạng thái")

    class Meta:
        model = Household
        fields = [
            "id",
            "ward",
            "ward_name",
            "head_name",
            "national_id",
            "phone",
            "address",
            "members",
            "residence",
            "categories",
            "status",
        ]
        clean_model_instances = True
        skip_unchanged = True
        use_transactions = True


class MaskedHouseholdResource(HouseholdResource):
    """The admin's export: a file travels, so the numbers leave masked as in every other export."""

    def dehydrate_national_id(self, household):
        return mask_national_id(household.national_id)

    def dehydrate_phone(self, household):
        return mask_phone(household.phone)
