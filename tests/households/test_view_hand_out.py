import pytest
from django.urls import reverse
from django.views.debug import SafeExceptionReporterFilter

from households.models import Household
from relief.models import Bag, Distribution
from tests.conftest import make_household
from tests.households.conftest import hand_out_data

pytestmark = pytest.mark.django_db


def url(household):
    return reverse("ward:hand_out", args=[household.pk])


def test_one_tap_hands_the_next_bag_in_stock_to_the_household(officer_a_client, officer_a, stocked, household_a):
    response = officer_a_client.post(url(household_a), hand_out_data(stocked, received_by="Nguyễn Thị Hoa"))
    distribution = Distribution.objects.get()
    assert response.status_code == 302 and response.url == reverse("ward:household", args=[household_a.pk])
    assert (distribution.household, distribution.recorded_by, distribution.received_by) == (
        household_a,
        officer_a,
        "Nguyễn Thị Hoa",
    )
    assert distribution.bag.serial == "Q5-2021-T000001"
    assert Bag.objects.get(pk=distribution.bag_id).state == Bag.State.HANDED_OUT
    page = officer_a_client.get(response.url)
    assert "Đã trao túi Q5-2021-T000001" in page.text and "Đã nhận túi" in page.text


def test_htmx_answers_with_the_served_household_and_the_new_stock(officer_a_client, stocked, household_a):
    response = officer_a_client.post(url(household_a), hand_out_data(stocked), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Đã trao túi <strong>Q5-2021-T000001</strong>" in response.text
    assert 'hx-swap-oob="true"' in response.text and '<strong data-testid="stock">3</strong>' in response.text
    assert "Trao túi</button>" not in response.text


def test_the_officer_can_type_a_bag_serial_or_just_its_number(officer_a_client, stocked, household_a, ward_a):
    officer_a_client.post(url(household_a), hand_out_data(stocked, serial="q5-2021-t000003"))
    other = make_household(ward_a, "Lê Thị Cúc", address="3 An Dương Vương")
    officer_a_client.post(url(other), hand_out_data(stocked, serial="4"))
    assert sorted(Distribution.objects.values_list("bag__serial", flat=True)) == ["Q5-2021-T000003", "Q5-2021-T000004"]


def test_a_double_tap_records_one_hand_out(officer_a_client, stocked, household_a):
    data = hand_out_data(stocked)
    first = officer_a_client.post(url(household_a), data, HTTP_HX_REQUEST="true")
    again = officer_a_client.post(url(household_a), data, HTTP_HX_REQUEST="true")
    assert Distribution.objects.count() == 1
    assert "Đã trao túi" in first.text and "Đã trao túi" in again.text
    assert Bag.objects.filter(state=Bag.State.HANDED_OUT).count() == 1


def test_a_one_time_key_of_another_household_records_nothing(officer_a_client, stocked, household_a, ward_a):
    data = hand_out_data(stocked)
    officer_a_client.post(url(household_a), data)
    other = make_household(ward_a, "Lê Thị Cúc", address="3 An Dương Vương")
    response = officer_a_client.post(url(other), data, follow=True)
    assert "Biểu mẫu này đã được dùng" in response.text
    assert Distribution.objects.count() == 1


def test_the_form_of_a_hand_out_since_cancelled_hands_out_nothing_when_posted_again(
    officer_a_client, stocked, household_a
):
    data = hand_out_data(stocked)
    officer_a_client.post(url(household_a), data)
    cancel = reverse("ward:cancel_hand_out", args=[Distribution.objects.get().pk])
    officer_a_client.post(cancel, {"reason": "Nhầm hộ"})
    response = officer_a_client.post(url(household_a), data, HTTP_HX_REQUEST="true")
    assert "Biểu mẫu này đã được dùng. Hãy tải lại trang rồi thử lại." in response.text
    assert not Distribution.objects.holding(stocked).exists()
    assert Bag.objects.filter(state=Bag.State.HANDED_OUT).count() == 0


def test_a_household_never_receives_more_than_the_campaign_limit(officer_a_client, stocked, household_a):
    officer_a_client.post(url(household_a), hand_out_data(stocked))
    response = officer_a_client.post(url(household_a), hand_out_data(stocked), follow=True)
    assert "đã nhận đủ 1 túi" in response.text
    assert Distribution.objects.count() == 1


def test_a_household_not_yet_approved_cannot_receive_a_bag(officer_a_client, stocked, ward_a):
    proposed = make_household(ward_a, "Võ Văn Dũng", status=Household.Status.PROPOSED)
    response = officer_a_client.post(url(proposed), hand_out_data(stocked), follow=True)
    assert "chưa được duyệt" in response.text
    assert not Distribution.objects.exists()


def test_a_closed_campaign_accepts_no_hand_out(officer_a_client, stocked, household_a):
    stocked.is_open = False
    stocked.save()
    response = officer_a_client.post(url(household_a), hand_out_data(stocked), HTTP_HX_REQUEST="true")
    assert "đã đóng, không trao thêm túi" in response.text
    assert not Distribution.objects.exists()


def test_an_empty_stock_is_said_in_words(officer_a_client, funded_campaign, household_a):
    response = officer_a_client.post(url(household_a), hand_out_data(funded_campaign), HTTP_HX_REQUEST="true")
    assert "đã hết túi trong kho" in response.text
    assert not Distribution.objects.exists()


def test_officer_cannot_hand_out_a_bag_of_another_ward(officer_a_client, stocked, household_a):
    foreign = Bag.objects.filter(ward__code="q5-p02").first()
    response = officer_a_client.post(url(household_a), hand_out_data(stocked, serial=foreign.serial), follow=True)
    assert "không nằm trong kho của Phường 1" in response.text
    assert not Distribution.objects.exists()


def test_officer_cannot_hand_out_to_a_household_of_another_ward(officer_b_client, stocked, household_a):
    assert officer_b_client.post(url(household_a), hand_out_data(stocked)).status_code == 404
    assert not Distribution.objects.exists()


def test_officer_cannot_use_a_campaign_of_another_district(officer_a_client, stocked, household_a, other_district):
    from relief.models import Campaign

    foreign = Campaign.objects.create(code="BTL", name="Bắc Từ Liêm", district=other_district)
    response = officer_a_client.post(url(household_a), hand_out_data(foreign), follow=True)
    assert "không thuộc đơn vị của anh/chị" in response.text
    assert not Distribution.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"request_key": "not-a-uuid"}, "Mã một lần của biểu mẫu không hợp lệ"),
        ({"request_key": ""}, "Biểu mẫu thiếu mã một lần"),
        ({"campaign": "abc"}, "không thuộc đơn vị"),
        ({"received_by": "x" * 200}, "Tên người nhận dài quá 120 ký tự."),
        ({"serial": "KHONG-CO"}, "Không có túi mã KHONG-CO"),
    ],
)
def test_a_bad_hand_out_form_is_refused_in_vietnamese(officer_a_client, stocked, household_a, data, message):
    response = officer_a_client.post(url(household_a), {**hand_out_data(stocked), **data}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and message in response.text
    assert not Distribution.objects.exists()


@pytest.mark.parametrize("persona", ["staff_client", "leader_client"])
def test_other_roles_cannot_record_a_hand_out(request, persona, stocked, household_a):
    client = request.getfixturevalue(persona)
    assert client.post(url(household_a), hand_out_data(stocked)).status_code == 403
    assert not Distribution.objects.exists()


def test_anonymous_cannot_record_a_hand_out(client, stocked, household_a):
    assert client.post(url(household_a), hand_out_data(stocked)).status_code == 302
    assert not Distribution.objects.exists()


def test_a_serial_posted_to_the_hand_out_is_kept_out_of_error_reports(officer_a_client, stocked, household_a):
    # The camera may read a person's CCCD into the serial field: the form refuses it, and an error report hides it.
    code = "079123456789|123456789|Nguyễn Văn An|01011980|Nam|12 Trần Hưng Đạo|01012021"
    response = officer_a_client.post(url(household_a), hand_out_data(stocked, serial=code), HTTP_HX_REQUEST="true")
    assert not Distribution.objects.exists() and "079123456789" not in response.text
    posted = SafeExceptionReporterFilter().get_post_parameters(response.wsgi_request)
    assert set(posted["serial"]) == {"*"} and posted["request_key"] != "*" * len(posted["request_key"])


def test_a_hand_out_cannot_be_recorded_by_get(officer_a_client, stocked, household_a):
    assert officer_a_client.get(url(household_a)).status_code == 405
    assert not Distribution.objects.exists()


def test_an_htmx_hand_out_takes_the_same_seven_queries_on_every_database(
    officer_a_client, stocked, household_a, django_assert_num_queries
):
    # Session, user; the household locked and read with its ward, the campaign, its hand-outs, a repeated key and
    # the ward's stock (which is also the check that the household is of the officer's ward); the bag taken, its
    # history, the hand-out and its history. Plus the service's savepoint and its release: the test runs in a
    # transaction.
    with django_assert_num_queries(7 + 2):
        response = officer_a_client.post(url(household_a), hand_out_data(stocked), HTTP_HX_REQUEST="true")
    assert "Đã trao túi <strong>Q5-2021-T000001</strong>" in response.text
