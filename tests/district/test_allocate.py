import uuid

import pytest
from django.urls import reverse

from households.reports import report_missed
from relief.models import Allocation, Bag
from tests.conftest import make_household

pytestmark = pytest.mark.django_db

URL = reverse("district:allocate")


def plan(campaign, wards_and_bags, key=None, **extra):
    data = {"campaign": campaign.pk, "plan_key": str(key or uuid.uuid4()), **extra}
    data.update({f"ward_{ward.pk}": bags for ward, bags in wards_and_bags})
    return data


def in_stock(ward):
    return Bag.objects.filter(ward=ward, state=Bag.State.ALLOCATED).count()


def test_the_screen_lists_every_ward_with_its_stock_and_waiting_households(staff_client, stocked, ward_a, ward_b):
    response = staff_client.get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Phường 1" in page and "Phường 2" in page
    assert response.context["stock"] == 3
    figures = {ward.pk: figures for ward, figures, _ in response.context["rows"]}
    assert (figures[ward_a.pk].in_stock, figures[ward_b.pk].in_stock) == (4, 3)


def test_staff_allocate_to_several_wards_at_once(staff_client, funded_campaign, ward_a, ward_b):
    response = staff_client.post(URL, plan(funded_campaign, [(ward_a, 6), (ward_b, 4)]))
    assert response.status_code == 302
    assert (in_stock(ward_a), in_stock(ward_b)) == (6, 4)
    assert Allocation.objects.count() == 2
    assert "Đã phân bổ 10 túi cho 2 phường" in staff_client.get(response["Location"]).content.decode()


def test_a_plan_larger_than_the_district_holds_changes_nothing_and_says_why(
    staff_client, funded_campaign, ward_a, ward_b
):
    response = staff_client.post(URL, plan(funded_campaign, [(ward_a, 6), (ward_b, 5)]))
    assert response.status_code == 200
    assert "Quận chỉ còn 10 túi, kế hoạch cần 11 túi" in response.content.decode()
    assert Allocation.objects.count() == 0 and in_stock(ward_a) == 0


def test_a_double_click_allocates_only_once(staff_client, funded_campaign, ward_a):
    data = plan(funded_campaign, [(ward_a, 2)])
    staff_client.post(URL, data)
    response = staff_client.post(URL, data, follow=True)
    assert in_stock(ward_a) == 2 and Allocation.objects.count() == 1
    assert "đã được lưu rồi" in response.content.decode()


@pytest.mark.parametrize(
    ("value", "words"),
    [("-3", "không được âm"), ("abc", "số nguyên"), ("99999999999999999999", "quá lớn"), ("", "ít nhất một đơn vị")],
)
def test_bad_numbers_are_refused_in_vietnamese_and_nothing_moves(staff_client, funded_campaign, ward_a, value, words):
    response = staff_client.post(URL, plan(funded_campaign, [(ward_a, value)]))
    assert response.status_code == 200
    assert words in response.content.decode()
    assert Allocation.objects.count() == 0


def test_a_form_without_its_one_time_key_is_refused(staff_client, funded_campaign, ward_a):
    data = plan(funded_campaign, [(ward_a, 1)])
    del data["plan_key"]
    response = staff_client.post(URL, data)
    assert "Biểu mẫu đã cũ" in response.content.decode()
    assert Allocation.objects.count() == 0


def test_a_ward_of_another_district_cannot_be_slipped_into_the_plan(staff_client, funded_campaign, other_district):
    foreign = other_district.wards.get()
    staff_client.post(URL, plan(funded_campaign, [(foreign, 2)]))
    assert Allocation.objects.count() == 0


def test_staff_cannot_allocate_from_another_districts_campaign(other_staff_client, funded_campaign, ward_a):
    response = other_staff_client.post(URL, plan(funded_campaign, [(ward_a, 2)]))
    assert response.status_code == 404
    assert Allocation.objects.count() == 0


def test_the_suggestion_fills_each_ward_with_the_bags_its_waiting_households_need(staff_client, stocked, ward_a):
    for n in range(6):
        make_household(ward_a, f"Hộ chờ {n}", address=f"{n} Hùng Vương")
    page = staff_client.get(reverse("district:allocate"), {"campaign": stocked.pk, "suggest": 1}).content.decode()
    # Ward A holds 4 bags for 6 waiting households: 2 suggested, filled into its field.
    assert f'name="ward_{ward_a.pk}" id="id_ward_{ward_a.pk}" value="2"' in page


def test_the_allocation_screen_shows_each_wards_open_reports_of_missed_households(staff_client, stocked, ward_a):
    report_missed(campaign=stocked, ward=ward_a, name="Trần Văn Tư", staying_at="Gầm cầu Chữ Y")
    rows = staff_client.get(URL, {"campaign": stocked.pk}).context["rows"]
    assert {ward.code: figures.reports_open for ward, figures, _ in rows} == {"q5-p01": 1, "q5-p02": 0}


def test_the_suggestion_counts_each_wards_open_reports_beside_its_waiting_households(
    staff_client, stocked, ward_a, ward_b
):
    for n in range(6):
        make_household(ward_a, f"Hộ chờ {n}", address=f"{n} Hùng Vương")
    for name in ("Trần Văn Tư", "Lê Thị Năm"):
        report_missed(campaign=stocked, ward=ward_a, name=name, staying_at="Gầm cầu Chữ Y")
    report_missed(campaign=stocked, ward=ward_b, name="Đinh Văn Tám", staying_at="Hẻm 5 Trần Phú")
    page = staff_client.get(URL, {"campaign": stocked.pk, "suggest": 1}).content.decode()
    # Ward A: 6 waiting and 2 reports beyond its 4 bags; ward B: 1 report within its 3 bags, so nothing.
    assert f'name="ward_{ward_a.pk}" id="id_ward_{ward_a.pk}" value="4"' in page
    assert f'name="ward_{ward_b.pk}" id="id_ward_{ward_b.pk}" value="0"' in page
