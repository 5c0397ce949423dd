"""Donors and donations in and out of spreadsheets.

Donations are exported only from the admin: importing one must issue a receipt and fund bags, which the district
staff's import page does through ``donation_record``.
"""

from import_export import fields, widgets

from relief.models import Campaign
from relief.resources import ScopedResource

from .models import Donation, Donor


class DonorResource(ScopedResource):
    kind = fields.Field(attribute="kind", column_name="Loại")
    name = fields.Field(attribute="name", column_name="Tên")
    organisation = fields.Field(attribute="organisation", column_name="Đơn vị")
    phone = fields.Field(attribute="phone", column_name="Số điện thoại")
    address = fields.Field(attribute="address", column_name="Địa chỉ")
    anonymous = fields.Field(attribute="anonymous", column_name="Ẩn danh", widget=widgets.BooleanWidget())

    class Meta:
        model = Donor
        fields = ["id", "kind", "name", "organisation", "phone", "address", "anonymous"]
        clean_model_instances = True
        use_transactions = True


class DonationResource(ScopedResource):
    receipt_number = fields.Field(attribute="receipt_number", column_name="Số biên nhận")
    campaign = fields.Field(
        attribute="campaign", column_name="Chương trình", widget=widgets.ForeignKeyWidget(Campaign, field="code")
    )
    donor = fields.Field(attribute="donor__name", column_name="Nhà hảo tâm")
    method = fields.Field(attribute="get_method_display", column_name="Hình thức")
    amount = fields.Field(attribute="amount", column_name="Số tiền (đồng)")
    bags_in_kind = fields.Field(attribute="bags_in_kind", column_name="Số túi hiện vật")
    received_on = fields.Field(
        attribute="received_on", column_name="Ngày nhận", widget=widgets.DateWidget(format="%d/%m/%Y")
    )
    reverses = fields.Field(attribute="reverses__receipt_number", column_name="Điều chỉnh cho")
    reason = fields.Field(attribute="reason", column_name="Lý do điều chỉnh")

    class Meta:
        model = Donation
        fields = [
            "receipt_number",
            "campaign",
            "donor",
            "method",
            "amount",
            "bags_in_kind",
            "received_on",
            "reverses",
            "reason",
        ]
