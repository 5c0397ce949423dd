"""The Django admin: every list and page renders, officers stay in their ward, money is read-only once saved."""

import re

import pytest
from django.contrib import admin
from django.urls import reverse

from donations.models import Donation, Donor
from households.hand_outs import distribution_record
from households.models import Household
from relief.models import Bag
from relief.services import ward_request_create
from tests.conftest import make_household
from tests.trust.test_admin_import_export import DONOR_HEADER, import_csv

DONOR_IMPORT_URL = reverse("admin:donations_donor_import")

pytestmark = pytest.mark.django_db


@pytest.fixture
def full(stocked, household_a, household_b, officer_a, staff):
    distribution_record(household=household_a, campaign=stocked, recorded_by=officer_a)
    ward_request_create(campaign=stocked, ward=household_a.ward, quantity=2, reason="Thiếu", created_by=officer_a)
    return stocked


def registered_models():
    return [(model._meta.app_label, model._meta.model_name) for model in admin.site._registry]


@pytest.mark.parametrize(("app", "model"), registered_models())
def test_every_admin_list_and_first_page_render_for_an_administrator(full, admin_client_, app, model):
    changelist = admin_client_.get(reverse(f"admin:{app}_{model}_changelist"))
    assert changelist.status_code == 200
    model_class = admin.site._registry and next(m for m in admin.site._registry if m._meta.model_name == model)
    obj = model_class.objects.first()
    if obj is not None:
        page = admin_client_.get(reverse(f"admin:{app}_{model}_change", args=[obj.pk]))
        assert page.status_code == 200
        if hasattr(model_class, "history"):
            history = admin_client_.get(reverse(f"admin:{app}_{model}_history", args=[obj.pk]))
            assert history.status_code == 200


def test_an_officer_sees_only_their_wards_bags_in_the_admin(full, officer_a_client, ward_b):
    response = officer_a_client.get(reverse("admin:relief_bag_changelist"))
    assert response.status_code == 200
    other_bag = Bag.objects.filter(ward=ward_b).first()
    assert other_bag.serial not in response.text


def test_an_officer_cannot_open_donations_in_the_admin(full, officer_a_client):
    assert officer_a_client.get(reverse("admin:donations_donation_changelist")).status_code == 403


def test_a_donation_added_in_the_admin_gets_a_receipt_and_funds_bags(campaign, donor, admin_client_):
    response = admin_client_.post(
        reverse("admin:donations_donation_add"),
        {
            "campaign": campaign.pk,
            "donor": donor.pk,
            "method": "cash",
            "amount": "2000000",
            "bags_in_kind": "0",
            "received_on": "20/08/2021",
            "note": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    donation = Donation.objects.get()
    assert donation.receipt_number == "Q5-2021-BN000001"
    assert Bag.objects.filter(campaign=campaign).count() == 2


def test_a_donation_of_zero_in_the_admin_is_refused_and_saves_nothing(campaign, donor, admin_client_):
    response = admin_client_.post(
        reverse("admin:donations_donation_add"),
        {"campaign": campaign.pk, "donor": donor.pk, "method": "cash", "amount": "0", "bags_in_kind": "0",
         "received_on": "20/08/2021"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Số tiền phải là số nguyên dương" in response.text
    assert not Donation.objects.exists()


def test_a_saved_donation_cannot_be_changed_or_deleted_in_the_admin(funded_campaign, admin_client_):
    donation = Donation.objects.get()
    page = admin_client_.get(reverse("admin:donations_donation_change", args=[donation.pk]))
    assert page.status_code == 200
    assert 'name="amount"' not in page.text
    delete = admin_client_.post(reverse("admin:donations_donation_delete", args=[donation.pk]), {"post": "yes"})
    assert delete.status_code == 403
    assert Donation.objects.filter(pk=donation.pk).exists()


def test_allocating_more_than_the_district_holds_in_the_admin_is_refused(funded_campaign, ward_a, admin_client_):
    response = admin_client_.post(
        reverse("admin:relief_allocation_add"),
        {"campaign": funded_campaign.pk, "ward": ward_a.pk, "quantity": "50", "note": ""},
    )
    assert response.status_code == 200
    assert "Quận chỉ còn 10 túi" in response.text
    assert not Bag.objects.filter(ward=ward_a).exists()


def test_a_household_with_a_bad_cccd_is_refused_in_the_admin(ward_a, admin_client_):
    make_household(ward_a, "Có sẵn")
    response = admin_client_.post(
        reverse("admin:households_household_add"),
        {"ward": ward_a.pk, "head_name": "Lý Thị Mai", "address": "4 Học Lạc", "members": "2",
         "residence": "permanent", "status": "proposed", "source": "ward_survey", "national_id": "12345"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "12 chữ số" in response.text
    assert Household.objects.count() == 1


def texts(page):
    """The words a page shows, one string per run of text between tags (and each button's value)."""
    values = re.findall(r'type="submit"[^>]* value="([^"]*)"', page)
    return {text.strip() for text in re.split(r"<[^>]*>", page) if text.strip()} | set(values)


def test_the_admin_speaks_vietnamese_where_django_and_its_packages_left_english(full, admin_client_, household_a):
    from pathlib import Path

    from django.conf import settings

    if not (Path(settings.BASE_DIR) / "locale/vi/LC_MESSAGES/django.mo").exists():
        pytest.skip("The Vietnamese catalogue is not compiled: install gettext and run `make test`.")
    index = admin_client_.get(reverse("admin:index")).text
    assert "Lần đăng nhập sai" in index and "Access attempts" not in index
    assert "Đăng nhập sai" in texts(index) and "Axes" not in index
    households = admin_client_.get(reverse("admin:households_household_changelist")).text
    for english, vietnamese in [("Show counts", "Hiện số đếm"), ("Export", "Xuất ra tệp"), ("Import", "Nhập từ tệp")]:
        assert vietnamese in households and f">{english}<" not in households, english
    users = admin_client_.get(reverse("admin:relief_user_changelist")).text
    assert "Họ và tên" in users and "Get full name" not in users

    household_a.head_name = "Nguyễn Văn Ân"
    household_a.save()
    history = texts(admin_client_.get(reverse("admin:households_household_history", args=[household_a.pk])).text)
    assert {"Tạo mới", "Sửa", "Lịch sử: Nguyễn Văn Ân", "Không có", "3 mục"} <= history  # "Không có": made by no one
    assert not {"Created", "Changed", "View history: Nguyễn Văn Ân"} & history
    assert not any("entries" in text for text in history)


def test_the_admin_s_import_preview_speaks_vietnamese(full, admin_client_):
    from pathlib import Path

    from django.conf import settings

    if not (Path(settings.BASE_DIR) / "locale/vi/LC_MESSAGES/django.mo").exists():
        pytest.skip("The Vietnamese catalogue is not compiled: install gettext and run `make test`.")
    donor = Donor.objects.get()
    rows = f"{donor.pk},benefactor,Tên Mới,,0900000000,,0\n,benefactor,Bà Mới,,0900000001,,0\n"
    preview = texts(import_csv(admin_client_, DONOR_IMPORT_URL, f"{DONOR_HEADER}\n{rows}").text)
    assert {"Xem trước", "Thêm mới", "Cập nhật", "Xác nhận nhập"} <= preview
    assert "Dưới đây là bản xem trước dữ liệu sẽ nhập. Nếu thấy đúng, bấm 'Xác nhận nhập'" in preview
    assert not {"Preview", "New", "Update", "Confirm import"} & preview
    refused = texts(import_csv(admin_client_, DONOR_IMPORT_URL, f"{DONOR_HEADER}\n,benefactor,,,abc,,0\n").text)
    assert {"Có dòng không hợp lệ", "Dòng", "Lỗi", "Không thuộc cột nào"} <= refused
    assert not {"Some rows failed to validate", "Row", "Errors", "Non field specific"} & refused
