"""Entering a donation: one short form, the Vietnamese way of typing amounts and dates, never recorded twice."""

import uuid

import pytest
from django.urls import reverse

from donations.models import Donation, Donor
from donations.services import campaign_money
from relief.models import Bag
from tests.donations.conftest import assert_staff_only

pytestmark = pytest.mark.django_db

URL = reverse("money:donation_new")


def post_data(for_campaign, chosen=None, **overrides):
    data = {
        "campaign": for_campaign.pk,
        "donor": chosen.pk if chosen else "",
        "donor_query": chosen.name if chosen else "",
        "method": "cash",
        "amount": "49.000.000",
        "bags_in_kind": "",
        "received_on": "20/08/2021",
        "note": "",
        "donor_kind": "individual",
        "submission_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def test_only_district_staff_and_administrators_open_the_form(personas, campaign):
    statuses = assert_staff_only(personas, URL)
    assert statuses["staff"] == statuses["admin"] == 200


def test_an_officer_or_a_leader_cannot_record_a_donation(personas, campaign, donor):
    statuses = assert_staff_only(personas, URL, "post", post_data(campaign, donor))
    assert statuses["staff"] == statuses["admin"] == 302
    # Staff and the administrator sent the very same form (one key): one donation, and nothing from the others.
    assert Donation.objects.count() == 1


def test_the_form_refuses_other_methods(staff_client):
    assert staff_client.put(URL).status_code == 405
    assert staff_client.delete(URL).status_code == 405


def test_the_form_offers_a_fresh_one_time_key_and_today_as_the_date(staff_client, campaign):
    first = staff_client.get(URL).context["form"]
    second = staff_client.get(URL).context["form"]
    assert first["submission_key"].value() != second["submission_key"].value()
    assert 'placeholder="dd/mm/yyyy"' in str(first["received_on"])


def test_staff_record_a_donation_and_land_on_its_receipt_with_the_bags_it_completed(staff_client, campaign, donor):
    response = staff_client.post(URL, post_data(campaign, donor), follow=True)
    donation = Donation.objects.get()
    assert response.redirect_chain[-1][0] == reverse("money:receipt", args=[donation.pk])
    assert donation.amount == 49_000_000
    assert donation.receipt_number == "Q5-2021-BN000001"
    assert donation.received_on.isoformat() == "2021-08-20"
    assert "Đã ghi biên nhận Q5-2021-BN000001; khoản này hoàn thành 49 túi." in response.content.decode()
    assert Bag.objects.filter(campaign=campaign).count() == 49


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("49000000", 49_000_000), ("49 triệu", 49_000_000), ("1,5 triệu", 1_500_000), ("500k", 500_000)],
)
def test_the_amount_is_read_the_vietnamese_way(staff_client, campaign, donor, typed, amount):
    staff_client.post(URL, post_data(campaign, donor, amount=typed))
    assert Donation.objects.get().amount == amount


def test_money_short_of_a_bag_says_so_and_the_next_donation_completes_it(staff_client, campaign, donor):
    first = staff_client.post(URL, post_data(campaign, donor, amount="600 nghìn"), follow=True)
    assert "chưa đủ để hoàn thành thêm túi nào" in first.content.decode()
    second = staff_client.post(URL, post_data(campaign, donor, amount="600.000", method="transfer"), follow=True)
    assert "hoàn thành 1 túi" in second.content.decode()
    assert campaign_money(campaign) == {
        "net_cash": 1_200_000,
        "in_bags": 1_000_000,
        "funding": 0,
        "surplus": 0,
        "remainder": 200_000,
    }


def test_bags_given_in_kind_are_recorded_without_money(staff_client, campaign, donor):
    response = staff_client.post(
        URL, post_data(campaign, donor, method="in_kind", amount="", bags_in_kind="25"), follow=True
    )
    donation = Donation.objects.get()
    assert (donation.amount, donation.bags_in_kind) == (0, 25)
    assert Bag.objects.filter(source=Bag.Source.IN_KIND).count() == 25
    assert "25 túi hiện vật đã vào kho của quận" in response.content.decode()


def test_a_new_donor_is_created_on_the_way_in_the_campaigns_district(staff_client, staff, campaign):
    data = post_data(
        campaign,
        donor_query="  Công ty  TNHH Minh  Phát ",
        new_donor="on",
        donor_kind="business",
        donor_organisation="",
        donor_phone="+84 912 345 678",
    )
    staff_client.post(URL, data)
    donor = Donor.objects.get()
    assert (donor.name, donor.kind, donor.phone) == ("Công ty TNHH Minh Phát", "business", "0912345678")
    assert (donor.district, donor.created_by, donor.anonymous) == (campaign.district, staff, False)
    assert Donation.objects.get().donor == donor


def test_a_new_donor_identical_to_a_known_one_is_refused(staff_client, campaign, donor):
    response = staff_client.post(URL, post_data(campaign, donor_query="nguyễn văn hảo", new_donor="on"))
    assert "hãy chọn trong danh sách gợi ý" in response.content.decode()
    assert Donor.objects.count() == 1
    staff_client.post(URL, post_data(campaign, donor_query="Nguyễn Văn Hảo", new_donor="on", donor_phone="0987654321"))
    assert Donor.objects.count() == 2  # a namesake with another phone is another person


def test_a_donor_must_be_chosen_from_the_suggestions_or_marked_new(staff_client, campaign):
    response = staff_client.post(URL, post_data(campaign, donor_query="Nguyễn Văn Hảo"))
    assert "chọn nhà hảo tâm trong danh sách gợi ý" in response.content.decode()
    assert Donation.objects.count() == Donor.objects.count() == 0


def test_the_same_form_sent_twice_records_the_donation_once(staff_client, campaign, donor):
    data = post_data(campaign, donor)
    staff_client.post(URL, data)
    again = staff_client.post(URL, data, follow=True)
    assert Donation.objects.count() == 1
    assert "đã được ghi trước đó: biên nhận Q5-2021-BN000001" in again.content.decode()
    assert Bag.objects.count() == 49


def test_the_same_new_donor_form_sent_twice_creates_one_donor(staff_client, campaign):
    data = post_data(campaign, donor_query="Lê Văn Tâm", new_donor="on")
    staff_client.post(URL, data)
    staff_client.post(URL, data)
    assert (Donor.objects.count(), Donation.objects.count()) == (1, 1)


def test_staff_cannot_record_for_another_districts_campaign_or_donor(
    staff_client, campaign, donor, other_campaign, other_donor
):
    response = staff_client.post(URL, post_data(other_campaign, donor))
    assert "Chương trình này không có hoặc đã đóng." in response.content.decode()
    response = staff_client.post(URL, post_data(campaign, other_donor))
    assert "không có trong danh sách của quận" in response.content.decode()
    assert Donation.objects.count() == 0


def test_a_closed_campaign_is_not_offered_and_takes_nothing(staff_client, campaign, donor):
    campaign.is_open = False
    campaign.save()
    assert "Chưa có chương trình nào đang mở" in staff_client.get(URL).content.decode()
    response = staff_client.post(URL, post_data(campaign, donor))
    assert response.status_code == 200
    assert Donation.objects.count() == 0


BAD_INPUT = [
    ({"amount": "-500000"}, "Số tiền phải lớn hơn 0"),
    ({"amount": "0"}, "Số tiền phải lớn hơn 0"),
    ({"amount": "abc"}, "Không đọc được số tiền"),
    ({"amount": "9" * 30}, "Số tiền quá lớn"),
    ({"amount": "99999999999999999999 tỷ"}, "Số tiền quá lớn"),
    ({"amount": ""}, "Hãy nhập số tiền"),
    ({"amount": "1" * 61}, "Số tiền gõ dài quá"),
    ({"received_on": "32/13/2021"}, "Ngày không hợp lệ"),
    ({"received_on": "hôm qua"}, "Ngày không hợp lệ"),
    ({"received_on": "2021-08-20"}, "Ngày không hợp lệ"),
    ({"received_on": ""}, "Hãy nhập ngày nhận"),
    ({"received_on": "20/08/0021"}, "quá xa"),
    ({"received_on": "20/08/2999"}, "chưa tới"),
    ({"method": "bitcoin"}, "Hình thức không hợp lệ"),
    ({"method": "in_kind", "amount": "", "bags_in_kind": "abc"}, "Số túi phải là số nguyên"),
    ({"method": "in_kind", "amount": "", "bags_in_kind": "-3"}, "Số túi phải lớn hơn 0"),
    ({"method": "in_kind", "amount": "", "bags_in_kind": "0"}, "Số túi phải lớn hơn 0"),
    ({"method": "in_kind", "amount": "", "bags_in_kind": "99999999999999"}, "Số túi quá lớn"),
    ({"method": "in_kind", "amount": "", "bags_in_kind": ""}, "Hãy nhập số túi hiện vật"),
    ({"method": "in_kind", "bags_in_kind": "5"}, "Túi hiện vật không ghi số tiền"),
    ({"bags_in_kind": "5"}, "Ủng hộ bằng tiền thì không ghi số túi"),
    ({"submission_key": "not-a-uuid"}, "Biểu mẫu đã cũ"),
    ({"submission_key": ""}, "Biểu mẫu đã cũ"),
    ({"donor": "abc"}, "không có trong danh sách của quận"),
    ({"donor": "999999"}, "không có trong danh sách của quận"),
    ({"campaign": "abc"}, "Chương trình này không có hoặc đã đóng"),
    ({"campaign": ""}, "Hãy chọn chương trình"),
    ({"note": "x" * 301}, "Ghi chú dài quá 300 ký tự"),
    ({"donor": "", "new_donor": "on", "donor_query": ""}, "Hãy nhập tên nhà hảo tâm mới"),
    (
        {"donor": "", "new_donor": "on", "donor_query": "Bà Tư", "donor_phone": "12345"},
        "Số điện thoại phải có 10 chữ số",
    ),
    ({"donor": "", "new_donor": "on", "donor_query": "Bà Tư", "donor_kind": "alien"}, "Loại nhà hảo tâm không hợp lệ"),
]


@pytest.mark.parametrize(("overrides", "message"), BAD_INPUT)
def test_bad_input_is_refused_in_vietnamese_and_changes_nothing(staff_client, campaign, donor, overrides, message):
    response = staff_client.post(URL, post_data(campaign, donor, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Donation.objects.count() == 0
    assert Donor.objects.count() == 1
    assert Bag.objects.count() == 0


def test_a_refused_form_keeps_what_was_typed(staff_client, campaign, donor):
    response = staff_client.post(URL, post_data(campaign, donor, amount="abc", note="Quỹ công đoàn"))
    content = response.content.decode()
    assert 'value="abc"' in content
    assert 'value="Quỹ công đoàn"' in content
    assert f'name="donor" value="{donor.pk}"' in content


def test_an_empty_post_is_refused_not_ignored(staff_client, campaign):
    response = staff_client.post(URL, {})
    assert "Hãy chọn chương trình" in response.content.decode()
    assert Donation.objects.count() == 0


def test_a_refusal_by_the_service_is_shown_and_the_new_donor_is_not_kept(staff_client, campaign, monkeypatch):
    from django.core.exceptions import ValidationError

    def closed_meanwhile(**kwargs):
        raise ValidationError("Chương trình “Túi an sinh xã hội Quận 5” đã đóng, không nhận thêm ủng hộ.")

    # The campaign may close between showing the form and saving it; the service has the last word.
    monkeypatch.setattr("donations.forms.donation_record", closed_meanwhile)
    response = staff_client.post(URL, post_data(campaign, donor_query="Lê Văn Tâm", new_donor="on"))
    assert response.status_code == 200
    assert "đã đóng, không nhận thêm ủng hộ" in response.content.decode()
    assert Donor.objects.count() == 0


def test_a_new_donor_may_ask_to_stay_anonymous_in_public(staff_client, campaign):
    staff_client.post(URL, post_data(campaign, donor_query="Một người giấu tên", new_donor="on", donor_anonymous="on"))
    assert Donor.objects.get().public_name == "Nhà hảo tâm ẩn danh"


def test_coming_from_a_donors_page_the_form_starts_with_that_donor(staff_client, campaign, donor, other_donor):
    form = staff_client.get(URL, {"donor": donor.pk}).context["form"]
    assert (form["donor"].value(), form["donor_query"].value()) == (donor.pk, donor.name)
    for outsider in (other_donor.pk, "abc", "99999"):
        form = staff_client.get(URL, {"donor": outsider}).context["form"]
        assert form["donor"].value() is None
