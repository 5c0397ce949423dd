import datetime

import pytest
from django.urls import reverse

from donations.imports import donation_import, parse_amount
from donations.models import Donation, Donor
from relief.models import Bag
from tests.district.conftest import csv_bytes, upload, xlsx_bytes

pytestmark = pytest.mark.django_db

URL = reverse("district:import_donations")
CONFIRM = reverse("district:import_donations_confirm")


def gift(name="Trần Văn Bình", amount="2.000.000", **extra):
    return {"Nhà hảo tâm": name, "Đơn vị": "", "Số tiền": amount, "Hình thức": "Chuyển khoản",
            "Ngày nhận": "20/08/2021", "Số túi": "", **extra}  # fmt: skip


def send(client, campaign, name, content):
    return client.post(URL, {"campaign": campaign.pk, "file": upload(name, content)})


@pytest.mark.parametrize(
    ("text", "amount"),
    [("49.000.000", 49_000_000), ("49,000,000", 49_000_000), ("1.000.000 ₫", 1_000_000), ("500000 đ", 500_000),
     ("1,000,000.00", 1_000_000), (2_000_000, 2_000_000), (2_000_000.0, 2_000_000)],
)  # fmt: skip
def test_amounts_are_read_the_way_people_and_banks_write_them(text, amount):
    assert parse_amount(text) == amount


def test_a_bank_list_goes_in_through_donation_record_with_receipts_and_bags(staff_client, campaign, staff):
    rows = [gift(), gift("Công ty An Phát", "8.000.000", **{"Đơn vị": "Công ty An Phát"})]
    response = send(staff_client, campaign, "sao-ke.xlsx", xlsx_bytes(rows))
    assert "Xác nhận nhập 2 dòng" in response.content.decode()
    response = staff_client.post(CONFIRM, {"token": response.context["token"]}, follow=True)
    assert "Đã ghi 2 khoản ủng hộ, tổng 10.000.000 ₫" in response.content.decode()
    assert list(Donation.objects.order_by("receipt_seq").values_list("receipt_number", flat=True)) == [
        "Q5-2021-BN000001",
        "Q5-2021-BN000002",
    ]
    assert Bag.objects.filter(campaign=campaign).count() == 10
    assert Donor.objects.get(name="Trần Văn Bình").district == campaign.district
    assert Donation.objects.get(amount=2_000_000).received_on == datetime.date(2021, 8, 20)


def test_in_kind_rows_give_bags(staff_client, campaign):
    row = gift("Siêu thị Co.op", "", **{"Hình thức": "Túi hiện vật", "Số túi": "50"})
    token = send(staff_client, campaign, "ds.csv", csv_bytes([row])).context["token"]
    staff_client.post(CONFIRM, {"token": token})
    assert Bag.objects.filter(campaign=campaign, source="in_kind").count() == 50


def test_one_bad_row_records_nothing_and_names_it(staff_client, campaign):
    rows = [gift(), gift(amount="hai triệu"), gift(**{"Ngày nhận": "31/02/2021"}), gift(amount="-5")]
    response = send(staff_client, campaign, "ds.xlsx", xlsx_bytes(rows))
    problems = [(p.row, p.column) for p in response.context["report"].errors]
    assert problems == [(3, "Số tiền"), (4, "Ngày nhận"), (5, "Số tiền")]
    assert response.context["token"] is None
    assert not Donation.objects.exists()


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"Số tiền": "999999999999999999"}, "quá lớn"),
        ({"Hình thức": "Bitcoin"}, "Hình thức “Bitcoin” không hợp lệ"),
        ({"Nhà hảo tâm": ""}, "Thiếu tên nhà hảo tâm"),
        ({"Ngày nhận": "01/01/2999"}, "ở tương lai"),
        ({"Số túi": "3"}, "Chỉ ghi số túi"),
    ],
)
def test_each_mistake_is_explained_in_vietnamese(staff_client, campaign, changes, words):
    response = send(staff_client, campaign, "ds.csv", csv_bytes([gift(**changes)]))
    assert words in response.content.decode()
    assert not Donation.objects.exists()


def test_a_gift_already_recorded_is_flagged_before_confirming(staff_client, campaign):
    token = send(staff_client, campaign, "ds.csv", csv_bytes([gift()])).context["token"]
    staff_client.post(CONFIRM, {"token": token})
    response = send(staff_client, campaign, "ds.csv", csv_bytes([gift(), gift()]))
    words = [p.message for p in response.context["report"].warnings]
    assert any("Có thể đã ghi rồi: biên nhận Q5-2021-BN000001" in w for w in words)
    assert any("Giống dòng 2" in w for w in words)


def test_the_same_upload_confirmed_twice_records_once(tmp_path, campaign, staff):
    path = tmp_path / "ds.csv"
    path.write_bytes(csv_bytes([gift(), gift("Lê Thị Cúc")]))
    donation_import(path=path, campaign=campaign, user=staff, upload_key="abc")
    donation_import(path=path, campaign=campaign, user=staff, upload_key="abc")
    assert Donation.objects.count() == 2


def test_a_closed_campaign_is_not_offered(staff_client, campaign):
    campaign.is_open = False
    campaign.save()
    response = send(staff_client, campaign, "ds.csv", csv_bytes([gift()]))
    assert "Chương trình không hợp lệ" in response.content.decode()


def test_staff_cannot_import_into_another_districts_campaign(other_staff_client, campaign):
    response = send(other_staff_client, campaign, "ds.csv", csv_bytes([gift()]))
    assert "Chương trình không hợp lệ" in response.content.decode()
    assert not Donation.objects.exists()
